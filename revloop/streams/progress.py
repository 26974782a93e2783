"""How far the worker has got: records of its input topics it has not yet applied.

The worker commits its progress per input topic in the group progress_groups names (data
topics in its Faust group; control and ticks, read by consumers of its own, in groups of
their own). Operators, the demo, the bench and the tests all measure lag here.
"""
from __future__ import annotations

import time

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.streams import kafka_clients, offsets
from revloop.streams.config import Settings
from revloop.streams.topics import INPUT_TOPICS

OWN_GROUP_TOPICS = ("control", "ticks")


def progress_groups(settings: Settings) -> dict[str, str]:
    """Input topic -> the consumer group whose committed offsets say how far the worker has
    read it."""
    group = f"{settings.topic_prefix}{settings.consumer_group}"
    return {t: f"{group}.{t}" if t in OWN_GROUP_TOPICS else group for t in INPUT_TOPICS}


def worker_lag(settings: Settings) -> int:
    """Records of the input topics the worker has not yet applied, by the offsets it commits
    (each topic in the group progress_groups names)."""
    return sum(partition_lag(settings).values())


def partition_lag(settings: Settings) -> dict[tuple[str, int], int]:
    """(topic, partition) -> records the worker has not yet applied there, for every input
    partition that is behind. A partition written in transactions ends in a commit marker no
    consumer receives (the email sender's outcomes): past the committed offset only records a
    read_committed reader gets are counted."""
    by_group: dict[str, list[str]] = {}
    for topic, group in progress_groups(settings).items():
        by_group.setdefault(group, []).append(topic)
    lag: dict[tuple[str, int], int] = {}
    for group, topics in by_group.items():
        c = kafka_clients.consumer(settings, group)
        try:
            ends = offsets.end_offsets(c, settings, topics, timeout=10)
            behind = []
            for tp, at in offsets.committed_offsets(c, list(ends), timeout=10).items():
                gap = ends[tp] - at
                if gap > SMALL_GAP:
                    lag[tp] = gap              # far behind: no need to look closer
                elif gap > 0:
                    behind.append(TopicPartition(*tp, at))
        finally:
            c.close()
        lag.update(_committed_records_from(settings, behind))
    return {tp: n for tp, n in lag.items() if n}


SMALL_GAP = 200


def _committed_records_from(settings: Settings, starts: list[TopicPartition]) -> dict[tuple[str, int], int]:
    if not starts:
        return {}
    reader = kafka_clients.consumer_committed(settings, "lag-reader", **{"enable.partition.eof": True})
    try:
        reader.assign(starts)
        left = {(tp.topic, tp.partition) for tp in starts}
        count = dict.fromkeys(left, 0)
        deadline = time.monotonic() + 10
        while left and time.monotonic() < deadline:
            msg = reader.poll(0.2)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    left.discard((msg.topic(), msg.partition()))
                    continue
                raise KafkaException(msg.error())
            count[(msg.topic(), msg.partition())] += 1
        for tp in left:                   # a partition that never ended: count it as behind
            count[tp] += 1
        return count
    finally:
        reader.close()
