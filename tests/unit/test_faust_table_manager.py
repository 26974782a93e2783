"""The worker's Faust app starts its table manager without Faust's one-second pause (it has
no tables to wait for), and refuses to start one that has tables."""
from __future__ import annotations

import asyncio

import pytest

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.faust_transport import App, NoTablesManager


class _Recovery:
    def __init__(self, steps):
        self.steps = steps

    async def start(self):
        self.steps.append("recovery")


def _manager(app, steps: list) -> NoTablesManager:
    """The app's table manager, Faust's steps it takes recorded (the channel update needs a
    running consumer)."""
    manager = app.tables
    manager._recovery = _Recovery(steps)

    async def update_channels():
        steps.append("channels")
    manager._update_channels = update_channels

    async def no_sleep(seconds):
        raise AssertionError(f"the table manager slept {seconds}s at start")
    manager.sleep = no_sleep
    return manager


def test_the_table_manager_starts_recovery_at_once():
    app = App("revloop-unit-tables", **kafka_clients.faust_broker_options(Settings()), store="memory://",
              web_enabled=False)
    steps: list = []
    manager = _manager(app, steps)
    assert isinstance(manager, NoTablesManager)
    asyncio.run(manager.on_start())
    assert steps == ["channels", "recovery"]


def test_a_table_declared_on_the_worker_app_stops_its_start():
    app = App("revloop-unit-tables2", **kafka_clients.faust_broker_options(Settings()), store="memory://",
              web_enabled=False)
    app.Table("counts", default=int)
    steps: list = []
    manager = _manager(app, steps)
    with pytest.raises(RuntimeError, match="declares no tables"):
        asyncio.run(manager.on_start())
    assert steps == []
