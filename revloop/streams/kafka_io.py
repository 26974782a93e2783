"""Thin confluent-kafka helpers: topic creation, flushing and a bounded reader
(clients themselves come from revloop.streams.kafka_clients).

Only the shell uses these; processors never see Kafka.
"""
from __future__ import annotations

import time
from typing import Iterator

from confluent_kafka import KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import NewTopic

from revloop.streams.config import Settings
from revloop.streams.kafka_clients import admin, consumer, producer  # noqa: F401  (re-exported)
from revloop.streams.topics import TOPICS


_ELECTING = (KafkaError.NOT_LEADER_FOR_PARTITION, KafkaError.LEADER_NOT_AVAILABLE)


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
        config = {"cleanup.policy": spec.cleanup_policy, "retention.ms": str(spec.retention_ms)}
        if spec.role == "input":
            # The broker, not the producer, stamps each record: the worker judges occurred_at
            # against that stamp (streams.pipeline), so a producer cannot vouch for its own time.
            config["message.timestamp.type"] = "LogAppendTime"
        wanted.append(NewTopic(
            name,
            num_partitions=1 if spec.name == "control" else settings.partitions,
            replication_factor=1,
            config=config,
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
        _wait_for_leaders(client, [n for n, status in result.items() if status == "created"], timeout)
    return result


def _wait_for_leaders(client, names: list[str], timeout: float) -> None:
    """A topic is usable once each partition has a leader; until then, reads of its offsets
    answer NOT_LEADER_FOR_PARTITION."""
    deadline = time.monotonic() + timeout
    while names and time.monotonic() < deadline:
        topics = client.list_topics(timeout=timeout).topics
        names = [n for n in names if n not in topics or topics[n].error is not None
                 or any(p.leader < 0 for p in topics[n].partitions.values()) or not topics[n].partitions]
        if names:
            time.sleep(0.1)


def flush_or_raise(p: Producer, timeout: float = 60.0) -> None:
    remaining = p.flush(timeout)
    if remaining:
        raise RuntimeError(f"{remaining} message(s) not delivered within {timeout}s")


def watermarks(client, tp: TopicPartition, timeout: float = 30.0) -> tuple[int, int]:
    """get_watermark_offsets, waiting out a partition whose leader is still being elected (a
    topic created a moment ago answers NOT_LEADER_FOR_PARTITION for a while)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return client.get_watermark_offsets(tp, timeout=timeout)
        except KafkaException as exc:
            code = exc.args[0].code() if exc.args else None
            if code not in _ELECTING or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


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
            low, high = watermarks(reader, TopicPartition(topic, pid), timeout)
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
