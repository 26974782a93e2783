"""The engine tables do not depend on the order topics are read in, so replay equals live."""
from __future__ import annotations

from itertools import zip_longest

from revloop.processors.tables import TABLES
from revloop.streams.pipeline import Pipeline, RawRecord
from revloop.streams.topics import OUTPUT_TOPICS, topic_for
from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import engines_reports, engines_scenario, tick_event

ENGINE_TABLES = ("deals", "bids", "bid_patterns", "feedback", "feedback_cases", "vendor_compliance")


def rows_by_key(rows: dict, table: str) -> list[dict]:
    key = TABLES[table].key
    return sorted(rows[table], key=lambda r: tuple(str(r[c]) for c in key))


def replay(codec, records: list[tuple[str, dict]]) -> dict:
    """Apply the log as `revloop replay` does: decisions are read back, never re-made."""
    p = Pipeline(codec)
    for offset, (type_name, e) in enumerate(records):
        p.process([RawRecord(topic_for(type_name, e), 0, offset, e["tenant_id"].encode(),
                             codec.encode(type_name, e))])
    return p.all_rows()


def test_engine_rows_are_the_same_in_any_interleaving_of_the_topics():
    h = Harness()
    events, tick_times = engines_scenario("t1")
    ticks = [("tick", tick_event(at)) for at in tick_times]
    inputs = events + ticks[:2] + engines_reports("t1") + ticks[2:]
    for type_name, e in inputs:
        h.feed(type_name, e)
    live = h.pipeline.all_rows()

    # Every record of the live run, per topic, in the order it was written.
    by_topic: dict[str, list] = {}
    for type_name, e in inputs + h.outputs:
        by_topic.setdefault(topic_for(type_name, e), []).append((type_name, e))
    outputs = [t for t in by_topic if t in OUTPUT_TOPICS]
    inputs = [t for t in by_topic if t not in OUTPUT_TOPICS]
    orders = {
        "outputs first": [r for t in outputs + inputs[::-1] for r in by_topic[t]],
        "inputs first": [r for t in inputs + outputs for r in by_topic[t]],
        "round robin": [r for group in zip_longest(*by_topic.values()) for r in group if r is not None],
    }

    assert any(r["stalled"] for r in live["deals"]) and live["vendor_compliance"] and live["feedback_cases"]
    assert any(r["intel_requested_at"] for r in live["bids"]) and any(r["escalated_at"] for r in live["vendor_compliance"])
    for name, order in orders.items():
        rows = replay(h.codec, order)
        for table in ENGINE_TABLES:
            assert rows_by_key(rows, table) == rows_by_key(live, table), f"{name}: {table}"
