"""Producing scenarios and comparing projections, for tests on the broker and the stores."""
from __future__ import annotations

import os

import pytest

from revloop.processors.tables import TABLES
from revloop.schemas.codec import Codec
from revloop.streams.kafka_io import producer
from revloop.streams.topics import topic_for
from tests.support.events import DAY, T0, contact, good_order, touch
from tests.support.worker_proc import WorkerProcess


def produce_events(settings, events, codec=Codec()):
    """Through revloop's own producer settings, so the worker reads what revloop writes."""
    p = producer(settings)
    for type_name, e in events:
        p.produce(settings.topic(topic_for(type_name, e)), key=e["tenant_id"].encode(), value=codec.encode(type_name, e))
    assert p.flush(30) == 0


def snapshot(store, tenant) -> dict[str, list[dict]]:
    return {name: store.rows(name, tenant) for name in TABLES}


def assert_same_rows(a: dict, b: dict) -> None:
    """Table by table, naming the first row that differs."""
    for table in TABLES:
        left, right = a[table], b[table]
        for x, y in zip(left, right):
            assert x == y, f"{table}: first differing rows\n{x}\n{y}"
        assert len(left) == len(right), f"{table}: {len(left)} rows != {len(right)} rows"


def run_worker_until_caught_up(kafka, store_url, tmp_path, name="worker"):
    worker = WorkerProcess(kafka, store_url, tmp_path / f"{name}.log").start()
    try:
        worker.wait_caught_up()
    finally:
        worker.stop()
    return worker


def pg_url():
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.fail("DATABASE_URL is not set: run integration tests through `make test`")
    return url


def facts(tenant: str, tag: str, n: int) -> list[tuple[str, dict]]:
    out = []
    for i in range(n):
        if i % 10 == 0:
            out.append(("contact", contact(f"{tag}{i}", client_id="c1", tenant=tenant, at=T0 - DAY,
                                           event_id=f"{tenant}-{tag}-c{i}")))
        elif i % 10 == 5:
            out.append(("order", good_order(f"{tag}{i}", tenant=tenant, at=T0 - i, event_id=f"{tenant}-{tag}-o{i}")))
        else:
            out.append(("touch", touch(f"{tag}{i - i % 10}", tenant=tenant, at=T0 - i * 1000,
                                       event_id=f"{tenant}-{tag}-t{i}")))
    return out
