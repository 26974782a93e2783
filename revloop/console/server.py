"""Serve the console (and, on the same server, whatever other aiohttp apps are given).

One aiohttp AppRunner per process: `revloop console` runs it until Ctrl-C or SIGTERM;
`make run` starts it beside the worker. Binds 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import asyncio
import signal

from aiohttp import web


async def start(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0]
    return runner, f"http://{bound[0]}:{bound[1]}"


def console_app(settings, store_url: str | None = None, *, public: bool = False):
    """The console over the configured store and the broker, as `revloop console` serves it.
    public: on the public web app (unsubscribe, Resend webhooks: revloop.streams.web), so one
    application and one server (its guarded protocol and limits) serve both."""
    from revloop.console.app import add_console, create_app
    from revloop.console.health import Health
    from revloop.console.sink import KafkaSink
    from revloop.projections.reader import open_reader

    url = store_url or console_store_url(settings)
    kwargs = {}
    if url.startswith(("postgresql://", "postgres://")):
        kwargs["password_for"] = reader_passwords(settings.console.reader_passwords_dir)
    reader = open_reader(url, **kwargs)
    health = Health(settings, gmail_state_dir=settings.console.gmail_state_dir)
    if not public:
        return create_app(settings, reader, KafkaSink(settings), health=health)
    from revloop.connectors.resend_webhooks import load_secret
    from revloop.connectors.unsubscribe import load_secret as load_unsubscribe_secret
    from revloop.streams import kafka_clients
    from revloop.streams.web import create_app as public_app

    root = public_app(settings, kafka_clients.producer(settings), unsubscribe_secret=load_unsubscribe_secret(),
                      webhook_secret=load_secret())
    return add_console(root, settings, reader, KafkaSink(settings), health=health)


def console_store_url(settings) -> str:
    """What the console reads: the DuckDB file read-only for the embedded default; Postgres
    through each tenant's reader role (the URL gives host and database, the login is the
    tenant's), never the owner's."""
    return settings.store_url


def reader_passwords(directory: str):
    """password_for(tenant): the tenant reader role's password from DIR/<tenant id>."""
    import os

    from revloop.schemas.admission import tenant_id_problem

    def password_for(tenant_id: str) -> str | None:
        name = "_global" if tenant_id == "*" else tenant_id     # the global controls' scope
        if name != "_global" and tenant_id_problem(tenant_id):  # never a path outside the folder
            return None
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as fh:
                return fh.read().strip() or None
        except FileNotFoundError:
            return None
    return password_for


def run(app: web.Application, host: str, port: int, on_ready=None) -> None:
    from revloop.connectors.webhook_server import GUARD, serve

    async def main():
        if GUARD in app:          # the public web app: its own guarded protocol and limits
            serving = await serve(app, host, port)
            runner, url = serving, f"http://{host}:{serving.port}"
        else:
            runner, url = await start(app, host, port)
        if on_ready:
            on_ready(url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            await (runner.close() if GUARD in app else runner.cleanup())
    asyncio.run(main())
