"""TickTransactions.fence_all: taking partitions on fences each one's previous owner (its
producers started side by side), so what that owner left open is aborted and the partitions'
outputs read to their end."""
from __future__ import annotations

import pytest
from confluent_kafka import KafkaException, TopicPartition

from revloop.streams import kafka_clients
from revloop.streams.offsets import last_stable_offsets
from revloop.streams.worker import group_id
from revloop.streams.tick_transactions import TickTransactions

pytestmark = pytest.mark.integration

PARTITIONS = {0, 1, 2}


def test_taking_partitions_on_fences_every_previous_owner_and_aborts_what_it_left_open(kafka):
    scope, topic = group_id(kafka), kafka.topic("alerts")
    admin = kafka_clients.admin(kafka)
    uncommitted = kafka_clients.consumer(kafka, "fence-probe", **{"isolation.level": "read_uncommitted"})
    old, new = TickTransactions(kafka, scope, None), TickTransactions(kafka, scope, None)
    try:
        before = last_stable_offsets(admin, kafka, ["alerts"])
        old.fence_all(PARTITIONS)
        assert sorted(old.producers) == sorted(PARTITIONS)
        for p in sorted(PARTITIONS):      # each partition's round left open, as a crash would
            old.producers[p].produce(topic, f"tenant-{p}".encode(), b"left open")
            old.producers[p].producer.flush(10)
        high = {tp: uncommitted.get_watermark_offsets(TopicPartition(*tp), timeout=10)[1] for tp in before}
        assert sum(high.values()) == sum(before.values()) + len(PARTITIONS)
        assert last_stable_offsets(admin, kafka, ["alerts"]) == before      # readers wait at them

        new.fence_all(PARTITIONS)

        assert sorted(new.producers) == sorted(PARTITIONS)
        # Aborted (each abort marker an offset of its own): a read_committed reader reads to
        # the end again, and gets none of them.
        ends = {tp: uncommitted.get_watermark_offsets(TopicPartition(*tp), timeout=10)[1] for tp in before}
        assert last_stable_offsets(admin, kafka, ["alerts"]) == ends
        assert sum(ends.values()) == sum(high.values()) + len(PARTITIONS)
        reader = kafka_clients.consumer_committed(kafka, "fence-reader", **{"auto.offset.reset": "earliest"})
        try:
            reader.assign([TopicPartition(t, p, 0) for t, p in ends])
            values = [m.value() for m in reader.consume(1000, timeout=5) if m.error() is None]
        finally:
            reader.close()
        assert b"left open" not in values
        for p in sorted(PARTITIONS):      # and the old owner can no longer commit anything
            with pytest.raises(KafkaException):
                old.producers[p].producer.commit_transaction(10)
    finally:
        uncommitted.close()
        old.consumer.close()      # its producers are fenced: nothing of theirs to abort
        new.close()


def test_a_partition_already_fenced_keeps_its_producer(kafka):
    ticks = TickTransactions(kafka, group_id(kafka), None)
    try:
        ticks.fence(1)
        first = ticks.producers[1]
        ticks.fence_all(PARTITIONS)
        assert sorted(ticks.producers) == sorted(PARTITIONS) and ticks.producers[1] is first
    finally:
        ticks.close()
