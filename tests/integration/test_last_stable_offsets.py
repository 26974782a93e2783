"""offsets.last_stable_offsets: where a read_committed reader can read to, in one request."""
from __future__ import annotations

import pytest
from confluent_kafka import TopicPartition

from revloop.streams import kafka_clients
from revloop.streams.offsets import end_offsets, last_stable_offsets
from revloop.streams.transactions import Transactions
from tests.support.events import T0, event
from tests.support.projections import produce_events

pytestmark = pytest.mark.integration


def test_it_stops_before_an_open_transaction_and_agrees_with_the_watermarks_otherwise(kafka):
    produce_events(kafka, [("suppression", event("suppression", tenant="acme", at=T0 + n,
                                                 email=f"a{n}@x.example", reason="opted_out")) for n in range(5)])
    admin = kafka_clients.admin(kafka)
    probe = kafka_clients.consumer_committed(kafka, "lso-probe")
    uncommitted = kafka_clients.consumer(kafka, "lso-probe-all", **{"isolation.level": "read_uncommitted"})
    try:
        topics = ["suppressions", "control"]
        before = last_stable_offsets(admin, kafka, topics)
        assert before == end_offsets(probe, kafka, topics)
        assert sum(before.values()) == 5 and set(before) == set(end_offsets(probe, kafka, topics))
        tx = Transactions(kafka, f"{kafka.topic_prefix}lso-test")
        try:
            value = kafka_clients.codec(kafka).encode(
                "suppression", event("suppression", tenant="acme", at=T0 + 9, email="z@x.example", reason="opted_out"))
            tx.produce(kafka.topic("suppressions"), b"acme", value)
            tx.producer.flush(10)
            # Open: the record is on the log (the high watermark moved) but no committed reader gets it yet.
            high = {tp: uncommitted.get_watermark_offsets(TopicPartition(*tp), timeout=10)[1] for tp in before}
            assert sum(high.values()) == 6
            assert last_stable_offsets(admin, kafka, topics) == before
        finally:
            tx.abort()
    finally:
        probe.close()
        uncommitted.close()
