"""The public unsubscribe and Resend webhook endpoints (aiohttp; the console joins them later)."""
from __future__ import annotations

import sys

from revloop.streams.cli_support import command, port
from revloop.streams.config import Settings


def _cmd_webhooks(args, settings: Settings) -> int:
    import asyncio

    from revloop.connectors.resend_webhooks import load_secret
    from revloop.connectors.unsubscribe import load_secret as load_unsubscribe_secret
    from revloop.streams.kafka_io import producer
    from revloop.streams.web import create_app, serve

    app = create_app(settings, producer(settings), unsubscribe_secret=load_unsubscribe_secret(settings.unsubscribe_secret),
                     webhook_secret=load_secret(settings.resend_webhook_secret))

    async def main() -> None:
        serving = await serve(app, args.host, args.port)
        print(f"listening on http://{args.host}:{serving.port} (POST /unsubscribe, POST /webhooks/resend)",
              file=sys.stderr)
        try:
            await asyncio.Event().wait()
        finally:
            await serving.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    return 0


def register(sub) -> None:
    hooks = command(sub, "webhooks", help="serve the unsubscribe and Resend webhook endpoints", kafka=True,
                    description="POST /unsubscribe (RFC 8058 one-click) and POST /webhooks/resend (svix-signed); "
                                "each accepted request becomes one event.",
                    env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_UNSUBSCRIBE_SECRET",
                         "RESEND_WEBHOOK_SECRET"),
                    example="revloop webhooks --host 0.0.0.0 --port 8088")
    hooks.add_argument("--host", default="127.0.0.1")
    hooks.add_argument("--port", type=port, default=8088)
    hooks.set_defaults(func=_cmd_webhooks)
