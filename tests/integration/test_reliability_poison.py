"""Poison records: schema-valid events that a processor or a store cannot take.

No schema-valid event makes a processor raise (fuzzed: every input type alone
and in mixed sequences with ticks), so the poison that exists is the kind the
stores refuse: a NUL in a text field (Postgres), a due date 2**60 ms after 1970
(DuckDB and Postgres), NaN in a JSON column, a tenant id too long for an index.
Before the fix each failed its batch's store write and, Faust having acked the
batch, silently lost every good record in it. Now each goes to dead.letter with
the reason and later records on the same partition are projected, in both stores.

And a store refusal nobody foresaw (a CHECK constraint added behind the
worker's back) stops the worker without committing: after the constraint is
lifted, a restart projects everything; nothing was lost meanwhile.
"""
from __future__ import annotations

import uuid

import psycopg
import pytest

from revloop.projections.postgres_store import PostgresStore
from revloop.projections.store import open_store
from revloop.schemas.codec import Codec
from revloop.streams.kafka_io import producer, read_topic
from revloop.streams.topics import topic_for
from tests.support.broker import wait_for
from tests.support.outage_services import lag, tally, wait_caught_up
from tests.support.projections import pg_url, produce_events
from tests.support.worker_proc import WorkerProcess
from tests.support.events import DAY, T0, client, contact, event, good_order, touch

pytestmark = pytest.mark.integration
CODEC = Codec()


def poisons(tenant: str) -> list[tuple[str, str, dict]]:
    """(why, type, event): each valid for Avro, each refused by a store before the fix."""
    long_tenant = "t" * 3000
    return [
        ("NUL in a text field", "touch", touch("p1", tenant=tenant, at=T0 - DAY, note="call\x00back",
                                               event_id=f"{tenant}-nul")),
        ("due date past any calendar", "order", good_order("o-late", tenant=tenant, at=T0 - DAY, due_at=2**60,
                                                           event_id=f"{tenant}-far")),
        ("NaN in a JSON column", "control", event("control", tenant=tenant, at=T0 - DAY, goals={"orders": float("nan")},
                                                  event_id=f"{tenant}-nan")),
        ("tenant id too long for an index", "contact", contact("p9", tenant=long_tenant, at=T0 - DAY,
                                                               event_id="long-tenant")),
    ]


@pytest.mark.parametrize("store_kind", ["duckdb", "postgres"])
def test_poison_records_are_dead_lettered_and_the_partition_goes_on(kafka, tmp_path, store_kind):
    tenant = f"poison-{store_kind}-{kafka.topic_prefix.strip('.')}"
    bad = poisons(tenant)
    # Every poison sits between good records on its topic's partition for the tenant.
    events = [("client", client("c1", tenant=tenant, at=T0 - 30 * DAY)),
              ("contact", contact("p1", client_id="c1", tenant=tenant, at=T0 - 20 * DAY))]
    for why, type_name, e in bad:
        events.append((type_name, e))
    events += [("touch", touch("p1", tenant=tenant, at=T0 - 1000 * i, event_id=f"{tenant}-after-{i}"))
               for i in range(1, 201)]
    events += [("order", good_order("o1", tenant=tenant, at=T0 - 2 * DAY)),
               ("control", event("control", tenant=tenant, at=T0 - 2 * DAY, enabled=True))]
    produce_events_unchecked(kafka, events)
    url = pg_url() if store_kind == "postgres" else f"duckdb:{tmp_path / 'poison.duckdb'}"
    worker = WorkerProcess(kafka, url, tmp_path / "worker.log").start()
    try:
        wait_caught_up(worker, timeout=90)
        assert worker.proc.poll() is None
    finally:
        worker.stop()

    dead = {CODEC.decode(m.value())[1]["source_topic"]: CODEC.decode(m.value())[1]
            for m in read_topic(kafka, kafka.topic("dead.letter"))}
    assert sorted(dead) == sorted(["touches", "orders", "control", "contacts"])
    for d in dead.values():
        assert d["error_type"] == "RecordRejected" and d["reason"].startswith("not storable:"), d
    assert "note: text contains a NUL" in dead["touches"]["reason"]
    assert "due_at" in dead["orders"]["reason"] and "goals" in dead["control"]["reason"]
    assert dead["contacts"]["tenant_id"] == "unknown"      # a key that cannot be a tenant id

    with open_store(url) as store:
        [clock] = store.rows("engagement_clocks", tenant)
        warehoused = {r["event_id"] for r in store.rows("warehouse_events", tenant)}
        orders = {r["order_id"] for r in store.rows("orders", tenant)}
        [controls] = store.rows("tenant_controls", tenant)
    assert clock["last_touch_at"] == T0 - 1000                # the latest touch after the poison
    assert {f"{tenant}-after-{i}" for i in range(1, 201)} <= warehoused
    assert orders == {"o1"} and controls["enabled"] is True
    tally(f"poison record ({store_kind})", injected=len(bad), dead_lettered=len(dead), stalled=0,
          later_records_projected=202, lost=0)


def produce_events_unchecked(settings, events):
    """Like produce_events, without the codec's own checks: the poisons are valid Avro, not storable."""
    p = producer(settings)
    for type_name, e in events:
        p.produce(settings.topic(topic_for(type_name, e)), key=e["tenant_id"].encode(),
                  value=CODEC.encode(type_name, e, check=False))
    assert p.flush(30) == 0


def test_a_store_refusal_nobody_foresaw_stops_the_worker_and_loses_nothing(kafka, tmp_path, monkeypatch):
    # The restarted worker takes the stopped one's place at once (static membership, read by Faust
    # from the environment) instead of waiting out its session.
    monkeypatch.setenv("CONSUMER_GROUP_INSTANCE_ID", f"worker-{kafka.topic_prefix}")
    monkeypatch.setenv("BROKER_SESSION_TIMEOUT", "6")
    owner = pg_url()
    schema = f"refuse_{uuid.uuid4().hex[:10]}"
    store = PostgresStore(owner, schema=schema)
    store.ensure_schema()
    store.close()
    url = f"{owner}{'&' if '?' in owner else '?'}options=-csearch_path%3D{schema}"
    try:
        with psycopg.connect(owner, autocommit=True) as conn:
            conn.execute(f'ALTER TABLE "{schema}".contacts ADD CONSTRAINT refuse_bob CHECK (name IS DISTINCT FROM \'Bob\')')
        tenant = f"refuse-{kafka.topic_prefix.strip('.')}"
        produce_events(kafka, [("contact", contact(f"p{i}", tenant=tenant, at=T0, name="Bob" if i == 5 else f"P{i}"))
                               for i in range(10)])
        worker = WorkerProcess(kafka, url, tmp_path / "w1.log").start()
        exited = wait_for(lambda: worker.proc.poll() is not None, timeout=60, what="the worker to stop")
        assert exited and worker.proc.returncode == 70, worker.proc.returncode
        worker.stop()
        log = (tmp_path / "w1.log").read_text(errors="replace")
        assert "CRITICAL" in log and "CheckViolation" in log
        assert lag(worker) > 0                              # it committed nothing past the failed batch

        with psycopg.connect(owner, autocommit=True) as conn:
            conn.execute(f'ALTER TABLE "{schema}".contacts DROP CONSTRAINT refuse_bob')
        again = WorkerProcess(kafka, url, tmp_path / "w2.log").start()
        try:
            wait_caught_up(again, timeout=90)
        finally:
            again.stop()
        with psycopg.connect(owner) as conn:
            names = {r[0] for r in conn.execute(f'SELECT name FROM "{schema}".contacts WHERE tenant_id = %s',
                                                [tenant])}
        assert names == {f"P{i}" for i in range(10) if i != 5} | {"Bob"}
        tally("store refuses a batch", injected=1, worker_fail_stopped=1, lost=10 - len(names))
    finally:
        with psycopg.connect(owner, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

