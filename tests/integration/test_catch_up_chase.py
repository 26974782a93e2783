"""Records that keep arriving while a catch-up reads are read by it too, in batches, rather
than left to the per-record path (or to a second catch-up) once it reaches the ends it began
with."""
from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from revloop.projections.store import open_store
from revloop.streams.catch_up import catch_up
from revloop.streams.control_feed import ControlCoverage
from revloop.streams.pipeline import Pipeline
from revloop.streams.worker import CO_PARTITIONED
from tests.support.events import T0, touch
from tests.support.projections import produce_events

pytestmark = pytest.mark.integration


class ArrivingWhileRead(Pipeline):
    """The log grows while the catch-up reads: the first batch it processes produces `later`."""

    def __init__(self, settings, later):
        super().__init__()
        self.settings, self.later = settings, later

    def process(self, records, control_filter=None):
        if self.later:
            later, self.later = self.later, None
            produce_events(self.settings, later)
        return super().process(records, control_filter)


def test_a_catch_up_reads_on_through_what_arrived_meanwhile(kafka, tmp_path, caplog):
    settings = replace(kafka, catch_up_threshold=500)
    tenant = f"chase-{kafka.topic_prefix.strip('.')}"
    first = [("touch", touch(f"p{i % 40}", tenant=tenant, at=T0 + i, event_id=f"{tenant}-a{i}")) for i in range(3000)]
    later = [("touch", touch(f"p{i % 40}", tenant=tenant, at=T0 + 10_000 + i, event_id=f"{tenant}-b{i}"))
             for i in range(2000)]
    produce_events(settings, first)
    coverage = ControlCoverage(settings.partitions)
    for unit in (*range(settings.partitions), "*"):
        coverage.add(unit, 0)
    positions, outputs = {}, []
    with caplog.at_level(logging.INFO, logger="revloop.catch_up"), \
            open_store(f"duckdb:{tmp_path / 'c.duckdb'}") as store:
        store.ensure_schema()
        stats, _ = catch_up(settings, ArrivingWhileRead(settings, later), store, topics=CO_PARTITIONED,
                            partitions=set(range(settings.partitions)), positions=positions, stored={},
                            coverage=coverage, emit=outputs.extend)
        assert store.count("warehouse_events") == len(first) + len(later)
        ids = {r["event_id"] for r in store.rows("warehouse_events", tenant)}
    assert stats.records == len(first) + len(later)
    assert "2000 more record(s) arrived meanwhile" in caplog.text
    assert sum(off for (t, _), off in positions.items() if t == "touches") == len(first) + len(later)
    assert f"{tenant}-b1999" in ids                     # the last of those that arrived
