"""A worker that falls far behind (a burst; a restart after an outage goes through the same
catch-up at start) catches up through the batched reader, then Faust takes the tail again:
nothing lost, nothing applied twice, the rows a clean replay gives."""
from __future__ import annotations

from dataclasses import replace

import pytest

from revloop.projections.store import open_store
from tests.support.broker import run_cli
from tests.support.events import DAY, T0, client, contact, touch
from tests.support.outage_services import wait_caught_up
from tests.support.projections import assert_same_rows, produce_events, snapshot
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration


def test_far_behind_the_worker_catches_up_in_batches_then_faust_takes_the_tail(kafka, tmp_path):
    tenant = f"cu-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    book = [("client", client("c1", tenant=tenant, at=T0 - 30 * DAY, event_id=f"{tenant}-c1"))]
    book += [("contact", contact(f"p{i}", client_id="c1", tenant=tenant, at=T0 - 20 * DAY, event_id=f"{tenant}-p{i}"))
             for i in range(20)]
    outage = [("touch", touch(f"p{i % 20}", tenant=tenant, at=T0 - i * 1000, event_id=f"{tenant}-o{i}"))
              for i in range(12_000)]
    tail = [("touch", touch(f"p{i}", tenant=tenant, at=T0 + i, event_id=f"{tenant}-tail{i}")) for i in range(5)]
    produce_events(kafka, book)
    worker = WorkerProcess(replace(kafka, catch_up_threshold=300), url, tmp_path / "worker.log").start()
    try:
        wait_caught_up(worker, timeout=120)
        produce_events(kafka, outage)                   # a burst far beyond what Faust's batches keep up with
        wait_caught_up(worker, timeout=120)
        produce_events(kafka, tail)                     # the live tail, through Faust again
        wait_caught_up(worker, timeout=60)
    finally:
        worker.stop()
    log = worker.tail(30_000)
    assert "behind by" in log and "catching up through the batched reader" in log, log
    assert "Faust takes the tail" in log

    replayed = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    assert run_cli(kafka, "replay", "--store", replayed, "--quiet").returncode == 0
    with open_store(url) as live, open_store(replayed) as clean:
        assert live.count("warehouse_events") == len(book) + len(outage) + len(tail)
        assert_same_rows(snapshot(live, tenant), snapshot(clean, tenant))
        clocks = {r["contact_id"]: r["last_touch_at"] for r in live.rows("engagement_clocks", tenant)}
    assert clocks["p3"] == T0 + 3                      # a tail touch, applied after the hand-over
