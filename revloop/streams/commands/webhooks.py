"""The public unsubscribe and Resend webhook endpoints."""
from __future__ import annotations

import sys

from revloop.streams.config import Settings


def _cmd_webhooks(args, settings: Settings) -> int:
    import threading

    from revloop.connectors.resend_webhooks import load_secret
    from revloop.connectors.unsubscribe import load_secret as load_unsubscribe_secret
    from revloop.connectors.webhook_server import WebhookApp, start_server
    from revloop.schemas.codec import codec_from_env
    from revloop.streams.kafka_io import producer
    from revloop.streams.topics import topic_for

    codec, p = codec_from_env(), producer(settings)

    def emit(type_name, record):
        p.produce(settings.topic(topic_for(type_name, record)), key=record["tenant_id"].encode(),
                  value=codec.encode(type_name, record))
        p.flush(10)

    server = start_server(WebhookApp(emit, unsubscribe_secret=load_unsubscribe_secret(), webhook_secret=load_secret()),
                          host=args.host, port=args.port)
    print(f"listening on {server.url} (POST /unsubscribe, POST /webhooks/resend)", file=sys.stderr)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def register(sub) -> None:
    hooks = sub.add_parser("webhooks", help="serve the unsubscribe and Resend webhook endpoints")
    hooks.add_argument("--host", default="127.0.0.1")
    hooks.add_argument("--port", type=int, default=8088)
    hooks.set_defaults(func=_cmd_webhooks)
