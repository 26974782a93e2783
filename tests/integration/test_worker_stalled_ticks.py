"""A worker whose tick consumer stops delivering still decides the hour: its lag check sees
ticks on the log that have not come for STALL_S and renews the consumer
(ProjectionWorker.watch_readers, TickTransactions.watch)."""
from __future__ import annotations

import pytest

from revloop.projections.store import open_store
from revloop.streams.stall_watch import STALL_S
from tests.support.events import DAY, T0, client, event
from tests.support.outage_services import wait_caught_up
from tests.support.projections import produce_events
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration


def test_ticks_the_tick_consumer_stopped_delivering_are_read_and_decided(kafka, tmp_path):
    tenant = f"pk-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'stalled.duckdb'}"
    produce_events(kafka, [("client", client("c1", tenant=tenant, at=T0 - 30 * DAY, event_id=f"{tenant}-c1")),
                           ("control", event("control", tenant=tenant, at=T0 - 30 * DAY, event_id=f"{tenant}-ctl",
                                             enabled=True))])
    worker = WorkerProcess(kafka, url, tmp_path / "worker.log", module=("tests.support.parked_ticks_worker",))
    worker.start()
    try:
        wait_caught_up(worker, timeout=120)
        produce_events(kafka, [("tick", event("tick", tenant=tenant, at=T0, event_id=f"tick:{tenant}:{T0}",
                                              tick_id=f"{tenant}:{T0}", as_of=T0))])
        # Parked, the consumer never delivers it: only a renewal does (after STALL_S and a lag check).
        wait_caught_up(worker, timeout=STALL_S + 60)
    finally:
        worker.stop()
    log = worker.tail(400_000)
    assert "renewing the tick consumer" in log, log[-4000:]
    with open_store(url) as store:
        runs = store.rows("agent_autonomous_runs", tenant)
    assert [(r["tick_id"], r["failed"]) for r in runs] == [(f"{tenant}:{T0}", False)]
