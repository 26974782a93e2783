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

    reader = open_reader(store_url or console_store_url(settings))
    return create_app(settings, reader, KafkaSink(settings),
                      health=Health(settings, gmail_state_dir=settings.console.gmail_state_dir))


def console_store_url(settings) -> str:
    """What the console reads: the DuckDB file read-only for the embedded default; for
    Postgres the tenant-scoped app role (DATABASE_URL_APP), never the owner."""
    import os

    url = settings.store_url
    if url.startswith(("postgresql://", "postgres://")):
        return os.environ.get("DATABASE_URL_APP") or url
    return url


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
