"""Sharded replay (one process per group of partition numbers) writes exactly the rows a
one-process replay writes; a tenant found in two shards makes it start over in one process."""
from __future__ import annotations

import logging
import os
import zlib

import pytest

import revloop.streams.replay as replay_mod
from revloop.streams import kafka_clients
from revloop.processors.tables import TABLES
from revloop.projections.duckdb_store import DuckDBStore
from revloop.streams.replay import ReplayError, replay, shard_plan
from revloop.projections.store import open_store
from revloop.schemas.codec import Codec
from revloop.streams.demo_data import DAY, generate
from revloop.streams.kafka_io import producer
from revloop.streams.topics import TOPICS, topic_for
from tests.support.broker import produce_raw
from tests.support.events import T0, contact, event, touch

pytestmark = pytest.mark.integration


def tenants_on(partition: int, n: int, partitions: int = 2) -> list[str]:
    """Tenant ids the producer's default partitioner (CRC32 of the key) puts on `partition`."""
    return [t for t in (f"tenant-{i}" for i in range(200)) if zlib.crc32(t.encode()) % partitions == partition][:n]


def produce(settings, events, codec=Codec()):
    p = producer(settings)
    for type_name, e in events:
        p.produce(settings.topic(topic_for(type_name, e)), key=e["tenant_id"].encode(), value=codec.encode(type_name, e))
    assert p.flush(30) == 0


def all_rows(url: str) -> dict:
    with open_store(url) as store:
        return {name: store.rows(name) for name in TABLES}


def replay_into(settings, url: str, workers: int):
    with open_store(url) as store:
        return replay(settings, store, show_progress=False, workers=workers)


@pytest.fixture
def shard_always(monkeypatch):
    monkeypatch.setattr(replay_mod, "SHARD_MIN_RECORDS", 0)
    calls = []
    real = replay_mod._replay_sharded
    monkeypatch.setattr(replay_mod, "_replay_sharded", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    return calls


def test_sharded_replay_writes_the_rows_of_a_one_process_replay(kafka, tmp_path, shard_always):
    tenants = tenants_on(0, 2) + tenants_on(1, 2)
    base = T0 - 5 * DAY
    produce(kafka, generate(tenants, 120, base, seed=3))
    produce(kafka, [("control", event("control", tenant="*", at=base, enabled=False))])
    # Poison: undecodable bytes under a tenant's key, and without a key.
    produce_raw(kafka, "contacts", [(tenants[0].encode(), b"\xc3\x01garbage"), (None, b"not avro")])

    one = replay_into(kafka, f"duckdb:{tmp_path / 'one.duckdb'}", workers=1)
    assert not shard_always
    probe = kafka_clients.consumer(kafka, "probe")
    try:
        stop_at = replay_mod.end_offsets(probe, kafka, [t.name for t in TOPICS])
    finally:
        probe.close()
    assert len(shard_plan(kafka, stop_at, 2)) == 2
    two = replay_into(kafka, f"duckdb:{tmp_path / 'two.duckdb'}", workers=2)
    assert shard_always == [1]
    assert (two.records, two.dead_letters) == (one.records, one.dead_letters) and one.dead_letters == 2
    a, b = all_rows(f"duckdb:{tmp_path / 'one.duckdb'}"), all_rows(f"duckdb:{tmp_path / 'two.duckdb'}")
    for table in TABLES:
        assert a[table] == b[table], table
    assert {r["tenant_id"] for r in b["contacts"]} == set(tenants)


def test_a_tenant_in_two_shards_makes_replay_start_over_in_one_process(kafka, tmp_path, shard_always, caplog):
    split, other = tenants_on(0, 1)[0], tenants_on(1, 1)[0]
    codec = Codec()
    p = kafka_clients.producer(kafka, **{"enable.idempotence": False})
    # The split tenant's contact on partition 0, its touch on partition 1 (not co-partitioned).
    for part, (type_name, e) in [(0, ("contact", contact("p1", tenant=split, at=T0 - 3 * DAY))),
                                 (1, ("touch", touch("p1", tenant=split, at=T0 - DAY))),
                                 (1, ("contact", contact("p2", tenant=other, at=T0 - 3 * DAY)))]:
        p.produce(kafka.topic(topic_for(type_name, e)), key=e["tenant_id"].encode(), partition=part,
                  value=codec.encode(type_name, e))
    assert p.flush(30) == 0

    one = replay_into(kafka, f"duckdb:{tmp_path / 'one.duckdb'}", workers=1)
    with caplog.at_level(logging.WARNING, logger="revloop.replay"):
        two = replay_into(kafka, f"duckdb:{tmp_path / 'two.duckdb'}", workers=2)
    assert shard_always == [1] and "two replay shards" in caplog.text
    assert two.records == one.records
    a, b = all_rows(f"duckdb:{tmp_path / 'one.duckdb'}"), all_rows(f"duckdb:{tmp_path / 'two.duckdb'}")
    assert a == b
    clock = [r for r in b["engagement_clocks"] if r["tenant_id"] == split]
    assert clock and clock[0]["last_touch_at"] == T0 - DAY


def _refuse(upserts, inserts=None, offsets=()):
    raise ValueError("this shard refuses to prepare")


def _die(upserts, inserts=None, offsets=()):
    os._exit(3)


class RefusingStore(DuckDBStore):
    prepare = staticmethod(_refuse)


class DyingStore(DuckDBStore):
    prepare = staticmethod(_die)


@pytest.mark.parametrize("store_class, error", [(RefusingStore, "refuses to prepare"), (DyingStore, r"exited \(3\)")])
def test_a_failing_shard_stops_the_replay(kafka, tmp_path, shard_always, store_class, error):
    produce(kafka, generate(tenants_on(0, 1) + tenants_on(1, 1), 20, T0 - 5 * DAY, seed=5))
    store = store_class(str(tmp_path / "failing.duckdb"))
    try:
        with pytest.raises(ReplayError, match=error):
            replay(kafka, store, show_progress=False, workers=2)
    finally:
        store.close()
    assert shard_always == [1]
