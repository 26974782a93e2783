"""A take-over of partitions (restore + catch-up) that lasts longer than the group's session
timeout must not get the worker evicted: aiokafka sends no heartbeat while the assignment
callback runs, so the worker runs the take-over on its batch thread and returns at once."""
from __future__ import annotations

import re

import pytest

from revloop.projections.store import open_store
from tests.support.events import DAY, T0, client, contact, touch
from tests.support.outage_services import wait_caught_up
from tests.support.projections import produce_events
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration

SESSION_S = 6          # the broker's smallest allowed session (group.min.session.timeout.ms)
TAKE_OVER_S = 10       # each take-over of partitions lasts this long


def test_a_take_over_longer_than_the_session_keeps_the_worker_in_its_group(kafka, tmp_path):
    tenant = f"to-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    produce_events(kafka, [("client", client("c1", tenant=tenant, at=T0 - 30 * DAY, event_id=f"{tenant}-c1")),
                           ("contact", contact("p1", client_id="c1", tenant=tenant, at=T0 - 20 * DAY,
                                               event_id=f"{tenant}-p1"))])
    worker = WorkerProcess(kafka, url, tmp_path / "worker.log",
                           env={"BROKER_SESSION_TIMEOUT": str(SESSION_S), "SLOW_TAKE_OVER_S": str(TAKE_OVER_S)},
                           module=("tests.support.slow_take_over_worker",))
    worker.start()
    try:
        wait_caught_up(worker, timeout=120)
        # Records that arrive once the worker holds its partitions go through Faust's tail.
        produce_events(kafka, [("touch", touch("p1", tenant=tenant, at=T0, event_id=f"{tenant}-t1"))])
        wait_caught_up(worker, timeout=60)
    finally:
        worker.stop()
    log = worker.tail(400_000)
    # One take-over: an evicted member rejoins and takes its partitions over again (and again:
    # each take-over outlasts the session), or dies fenced.
    assert len(re.findall(r"partitions \[[\d, ]+\] ready", log)) == 1, log[-6000:]
    assert worker.proc.returncode in (0, -15), log[-3000:]
    with open_store(url) as store:
        [clock] = store.rows("engagement_clocks", tenant)
    assert clock["last_touch_at"] == T0
