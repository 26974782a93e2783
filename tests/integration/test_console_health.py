"""The overview's health figures against a real broker: how many input records the worker has
not applied yet, read from what its group commits, and "unknown" (never a failed page) when the
broker does not answer."""
from __future__ import annotations

import time

import pytest

from revloop.console.health import Health
from revloop.streams.config import Settings
from tests.support.events import T0, client
from tests.support.outage_services import free_port
from tests.support.projections import facts, produce_events
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration


def test_the_worker_lag_counts_what_it_has_not_applied_then_nothing(kafka, tmp_path):
    tenant = f"lag-{kafka.topic_prefix.strip('.')}"
    events = [("client", client("c1", tenant=tenant, at=T0))] + facts(tenant, "a", 40)
    produce_events(kafka, events)
    # No worker yet: every record is still to apply.
    assert Health(kafka, ttl_s=0).worker_lag() == len(events)
    worker = WorkerProcess(kafka, f"duckdb:{tmp_path / 'lag.duckdb'}", tmp_path / "worker.log").start()
    try:
        worker.wait_caught_up(timeout=120)
        assert Health(kafka, ttl_s=0).worker_lag() == 0
    finally:
        worker.stop()


def test_a_broker_that_does_not_answer_gives_unknown_not_an_error():
    away = Settings(bootstrap_servers=f"127.0.0.1:{free_port()}", topic_prefix="nowhere.")
    started = time.monotonic()
    assert Health(away, ttl_s=0).worker_lag() is None
    assert time.monotonic() - started < 60

