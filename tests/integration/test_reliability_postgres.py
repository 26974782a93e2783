"""Postgres outage: a private Postgres stops (twice) while the worker writes to it.

The worker backs off and reconnects, never commits offsets past rows it could
not write, and catches up once the database is back: every row is there, equal
to a clean replay of the log.
"""
from __future__ import annotations

import threading
import time

import psycopg
import pytest

from revloop.projections.store import open_store
from tests.support.broker import run_cli, wait_for
from tests.support.outage_services import lag, tally, wait_caught_up
from tests.support.projections import facts
from tests.support.projections import assert_same_rows, produce_events, snapshot
from tests.support.worker_proc import WorkerProcess
from tests.support.events import DAY, T0, client

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("private-services")]


def warehoused(url: str, tenant: str) -> int:
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute("SELECT count(*) FROM warehouse_events WHERE tenant_id = %s", [tenant]).fetchone()[0]


def test_postgres_outage_while_the_worker_writes_loses_nothing(kafka, own_postgres, tmp_path):
    tenant = f"pgo-{kafka.topic_prefix.strip('.')}"
    before = [("client", client("c1", tenant=tenant, at=T0 - 90 * DAY, event_id=f"{tenant}-c1"))]
    before += facts(tenant, "a", 300)
    during = facts(tenant, "b", 2400)
    produce_events(kafka, before)
    worker = WorkerProcess(kafka, own_postgres.url, tmp_path / "worker.log").start()
    outages, held_lag = [], []
    try:
        wait_caught_up(worker, timeout=90)
        assert warehoused(own_postgres.url, tenant) == len(before)

        def feed():
            for start in range(0, len(during), 100):
                produce_events(kafka, during[start:start + 100])
                time.sleep(0.25)
        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        for _ in range(2):
            time.sleep(0.7)                                  # the worker is writing batches
            t = time.monotonic()
            own_postgres.down()
            time.sleep(1.5)
            lag_then = lag(worker)
            time.sleep(2.0)
            # It keeps its place: no offset moves past a batch it could not write.
            assert lag(worker) >= lag_then > 0
            held_lag.append(lag_then)
            assert worker.proc.poll() is None, f"the worker died with the database:\n{worker.tail()}"
            own_postgres.up()
            outages.append(round(time.monotonic() - t, 1))
        feeder.join(60)
        assert not feeder.is_alive()
        wait_caught_up(worker, timeout=120)
        assert worker.proc.poll() is None
    finally:
        worker.stop()
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert "store unavailable" in log                        # it did back off and retry

    expected = len(before) + len(during)
    got = wait_for(lambda: (n := warehoused(own_postgres.url, tenant)) >= expected and n, timeout=10,
                   what="every event in Postgres")
    assert got == expected

    replayed = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    proc = run_cli(kafka, "replay", "--store", replayed, "--quiet")
    assert proc.returncode == 0, proc.stderr
    with open_store(own_postgres.url) as pg, open_store(replayed) as clean:
        assert_same_rows(snapshot(pg, tenant), snapshot(clean, tenant))
    tally("postgres outage", injected=len(outages), survived=len(outages), outage_s=round(sum(outages)),
          events_produced=expected, lag_held_during_outage=sum(held_lag), lost=expected - got)
