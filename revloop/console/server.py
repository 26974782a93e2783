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


def console_app(settings, store_url: str | None = None):
    """The console over the configured store and the broker, as `revloop console` serves it."""
    from revloop.console.app import create_app
    from revloop.console.health import Health
    from revloop.console.sink import KafkaSink
    from revloop.projections.reader import open_reader

    url = store_url or console_store_url(settings)
    kwargs = {}
    if url.startswith(("postgresql://", "postgres://")):
        kwargs["password_for"] = reader_passwords(settings.console.reader_passwords_dir)
    reader = open_reader(url, **kwargs)
    return create_app(settings, reader, KafkaSink(settings),
                      health=Health(settings, gmail_state_dir=settings.console.gmail_state_dir))


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
    async def main():
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
            await runner.cleanup()
    asyncio.run(main())
