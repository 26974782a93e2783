"""Two workers in one group on Postgres: the partitions spread over both, both apply the
global control settings, and when one is SIGKILLed mid-stream the other takes its
partitions over from the checkpoints and the store's positions: the rows equal a
single-process replay, no event lost, none applied twice, every tick decided once."""
from __future__ import annotations

import signal
import threading
import time
import uuid
from collections import Counter
from dataclasses import replace

import psycopg
import pytest

from revloop.projections.store import open_store
from revloop.streams import kafka_clients
from revloop.streams.kafka_clients import partition_for
from revloop.streams.kafka_io import create_topics
from revloop.streams.replay import replay
from tests.support.broker import wait_for
from tests.support.events import DAY, T0, client, contact, event, touch
from tests.support.outage_services import wait_caught_up
from tests.support.projections import assert_same_rows, produce_events, snapshot
from tests.support.store_fixtures import database_url
from tests.support.worker_proc import WorkerProcess
from tests.integration.test_transactional_outputs import read_all

pytestmark = pytest.mark.integration
HOUR = 3_600_000
PARTITIONS = 4


@pytest.fixture
def four_partitions():
    settings = replace(kafka_settings(), topic_prefix=f"so{uuid.uuid4().hex[:8]}.", partitions=PARTITIONS)
    create_topics(settings)
    yield settings
    admin = kafka_clients.admin(settings)
    names = [t for t in admin.list_topics(timeout=10).topics if t.startswith(settings.topic_prefix)]
    for future in admin.delete_topics(names, operation_timeout=30).values():
        future.result()


def kafka_settings():
    from revloop.streams.config import Settings

    return Settings.from_env()


@pytest.fixture
def pg_store_url():
    url, schema = database_url(), f"scale_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}", schema
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '20s'")
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def tenants_on_every_partition(n_per: int = 2) -> list[str]:
    out, i = {p: [] for p in range(PARTITIONS)}, 0
    while any(len(v) < n_per for v in out.values()):
        name = f"so-tenant-{i}"
        if len(out[partition_for(name, PARTITIONS)]) < n_per:
            out[partition_for(name, PARTITIONS)].append(name)
        i += 1
    return sorted(t for v in out.values() for t in v)


def book(tenant: str) -> list[tuple[str, dict]]:
    ev = [("control", event("control", tenant=tenant, at=T0 - 10 * DAY, event_id=f"{tenant}-ctl", enabled=True,
                            send_mode="limited_live", caps={"emails": 3})),
          ("client", client("c1", tenant=tenant, at=T0 - 60 * DAY, event_id=f"{tenant}-c1"))]
    for i in range(6):
        ev.append(("contact", contact(f"p{i}", client_id="c1", tenant=tenant, at=T0 - 50 * DAY,
                                      event_id=f"{tenant}-p{i}")))
        ev.append(("touch", touch(f"p{i}", tenant=tenant, at=T0 - (25 + i) * DAY, event_id=f"{tenant}-t{i}")))
    return ev


def tick(tenant: str, hour: int) -> tuple[str, dict]:
    at = T0 + hour * HOUR
    return ("tick", event("tick", tenant=tenant, at=at, event_id=f"tick:{tenant}:{at}", tick_id=f"{tenant}:{at}",
                          as_of=at))


def test_two_workers_share_partitions_see_global_control_and_survive_a_kill(four_partitions, pg_store_url,
                                                                            tmp_path, monkeypatch):
    kafka, (url, _schema) = four_partitions, pg_store_url
    monkeypatch.setenv("BROKER_SESSION_TIMEOUT", "6")
    tenants = tenants_on_every_partition()
    produced = []

    def send(events):
        produce_events(kafka, events)
        produced.extend(events)
    send([e for t in tenants for e in book(t)])
    a = WorkerProcess(kafka, url, tmp_path / "a.log").start()
    b = WorkerProcess(kafka, url, tmp_path / "b.log").start()
    try:
        wait_for(lambda: a.owned() and b.owned() and a.owned() | b.owned() == set(range(PARTITIONS)), timeout=120,
                 what="both workers to hold partitions")
        assert not a.owned() & b.owned()
        wait_caught_up(a, timeout=120)

        # Global settings reach every worker: the kill switch blocks both workers' ticks.
        send([("control", event("control", tenant="*", at=T0, event_id="global-kill", kill_switch=True))])
        send([tick(t, 1) for t in tenants])
        wait_for(lambda: len([e for e in read_all(kafka, "runs", "read_committed")]) == len(tenants), timeout=90,
                 what="a run record per tenant")
        runs = read_all(kafka, "runs", "read_committed")
        assert all(r["blocks"].get("kill_switch", 0) >= 1 for r in runs), runs

        # Mid-stream, B is killed; A takes its partitions over.
        victims = b.owned()
        stream = [("touch", touch(f"p{i % 6}", tenant=tenants[i % len(tenants)], at=T0 + HOUR + i,
                                  event_id=f"stream-{i}")) for i in range(1600)]
        feeder = threading.Thread(target=lambda: [send(stream[k:k + 100]) or time.sleep(0.2)
                                                  for k in range(0, len(stream), 100)])
        feeder.start()
        time.sleep(1.0)
        b.stop(signal.SIGKILL)
        feeder.join()
        send([tick(t, 2) for t in tenants])
        wait_for(lambda: a.owned() == set(range(PARTITIONS)), timeout=120, what="A to take B's partitions over")
        wait_caught_up(a, timeout=120)
        wait_for(lambda: len(read_all(kafka, "runs", "read_committed")) == 2 * len(tenants), timeout=90,
                 what="the second ticks' run records")
    finally:
        a.stop()
        if b.proc.poll() is None:
            b.stop()
    assert victims and "checkpoints used" in a.tail(400_000)

    # Every event once, every tick decided once, the rows a single-process replay gives.
    runs = Counter(r["run_id"] for r in read_all(kafka, "runs", "read_committed"))
    assert len(runs) == 2 * len(tenants) and set(runs.values()) == {1}
    clean_url = f"duckdb:{tmp_path / 'clean.duckdb'}"
    with open_store(clean_url) as clean:
        replay(kafka, clean, show_progress=False, workers=1)
    with open_store(url) as live, open_store(clean_url) as clean:
        distinct = {(e["tenant_id"], e["event_id"]) for _, e in produced}
        assert live.count("warehouse_events") == clean.count("warehouse_events")
        assert len({(r["tenant_id"], r["event_id"]) for r in live.rows("warehouse_events")}
                   & distinct) == len(distinct)                       # none lost
        for t in tenants:
            assert_same_rows(snapshot(live, t), snapshot(clean, t))
