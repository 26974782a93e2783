"""Thin confluent-kafka helpers: topic creation, flushing and a bounded reader
(clients themselves come from revloop.streams.kafka_clients).

Only the shell uses these; processors never see Kafka.
"""
from __future__ import annotations

import time
from typing import Iterator

from confluent_kafka import KafkaException, Producer, TopicPartition
from confluent_kafka.admin import NewTopic

from revloop.streams.config import Settings
from revloop.streams.kafka_clients import admin, consumer, producer  # noqa: F401  (re-exported)
from revloop.streams.topics import TOPICS


def create_topics(settings: Settings, timeout: float = 30.0) -> dict[str, str]:
    """Create every registry topic that is missing; return name -> 'created' | 'exists'."""
    client = admin(settings)
    existing = set(client.list_topics(timeout=timeout).topics)
    result = {}
    wanted = []
    for spec in TOPICS:
        name = settings.topic(spec.name)
        if name in existing:
            result[name] = "exists"
            continue
        wanted.append(NewTopic(
            name,
            num_partitions=1 if spec.name == "control" else settings.partitions,
            replication_factor=1,
            config={"cleanup.policy": spec.cleanup_policy, "retention.ms": str(spec.retention_ms)},
        ))
    if wanted:
        for name, future in client.create_topics(wanted, operation_timeout=timeout).items():
            try:
                future.result()
                result[name] = "created"
            except KafkaException as exc:
                if "TOPIC_ALREADY_EXISTS" not in str(exc):
                    raise
                result[name] = "exists"
    return result


def flush_or_raise(p: Producer, timeout: float = 60.0) -> None:
    remaining = p.flush(timeout)
    if remaining:
        raise RuntimeError(f"{remaining} message(s) not delivered within {timeout}s")


def read_topic(settings: Settings, topic: str, *, start_offset: int = 0,
               timeout: float = 30.0) -> Iterator:
    """Yield every message of ``topic`` from ``start_offset`` up to its end as of now.

    Assigns partitions directly (no consumer group), so reading never moves a
    worker's committed offsets.
    """
    reader = consumer(settings, "revloop-reader", **{"enable.partition.eof": False})
    try:
        meta = reader.list_topics(topic, timeout=timeout).topics.get(topic)
        if meta is None or meta.error is not None:
            raise KeyError(f"topic {topic!r} does not exist")
        ends = {}
        assignment = []
        for pid in sorted(meta.partitions):
            low, high = reader.get_watermark_offsets(TopicPartition(topic, pid), timeout=timeout)
            start = max(low, start_offset)
            if start < high:
                ends[pid] = high
                assignment.append(TopicPartition(topic, pid, start))
        if not assignment:
            return
        reader.assign(assignment)
        deadline = time.monotonic() + timeout
        while ends:
            msg = reader.poll(0.5)
            if msg is None:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"reading {topic}: partitions {sorted(ends)} did not reach their end")
                continue
            if msg.error():
                raise KafkaException(msg.error())
            deadline = time.monotonic() + timeout
            pid = msg.partition()
            if pid in ends and msg.offset() < ends[pid]:
                yield msg
                if msg.offset() + 1 >= ends[pid]:
                    del ends[pid]
    finally:
        reader.close()
