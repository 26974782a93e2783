"""The overview while the broker is away (an outage: when an operator looks): the broker's figures
(dead letters, the worker's lag) show "unknown" after a short wait instead of holding the page for
the clients' 5-10 s timeouts, and a question still under way is asked once, not once per view."""
from __future__ import annotations

import threading
import time

import pytest
import pytest_asyncio

from revloop.console.app import BROKER_WAIT_S
from revloop.console.health import Health
from revloop.streams.config import Settings
from tests.support.console_fixtures import console_app
from tests.support.outage_services import free_port
from tests.unit.test_console_http import signed_in

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def client(aiohttp_client, tmp_path):
    away = Settings(bootstrap_servers=f"127.0.0.1:{free_port()}", topic_prefix="nowhere.")
    return await aiohttp_client(console_app(tmp_path, health=Health(away, ttl_s=10)))


async def test_the_overview_shows_unknown_instead_of_waiting_out_the_broker(client):
    await signed_in(client, "ana")
    started = time.monotonic()
    r = await client.get("/t/acme/")
    page = await r.text()
    took = time.monotonic() - started
    assert r.status == 200
    assert '<b id="worker-lag">unknown</b>' in page and '<b id="dead-letters">unknown</b>' in page
    # Asked together, each for at most BROKER_WAIT_S: the lag alone takes 10 s on a closed port.
    assert took < BROKER_WAIT_S + 3, took


def test_a_question_under_way_is_asked_once_and_its_answer_shared():
    health = Health(Settings(), ttl_s=10)
    asked = []

    def slow_answer():
        asked.append(1)
        time.sleep(0.3)
        return 7

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(health._cached(("lag",), slow_answer)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert answers == [7, 7, 7, 7] and len(asked) == 1
    assert health._cached(("lag",), slow_answer) == 7 and len(asked) == 1       # cached now
