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
from revloop.streams.kafka_retry import DEFAULT_TIMEOUT, is_retriable, with_retries
from revloop.streams.offsets import topic_partitions, watermarks
from revloop.streams.topics import TOPICS


def create_topics(settings: Settings, timeout: float = 30.0, *, client=None,
                  retry_for: float = DEFAULT_TIMEOUT) -> dict[str, str]:
    """Create every registry topic that is missing; return name -> 'created' | 'exists'.
    A creation refused with a retriable error (no controller yet) is asked again."""
    client = client or admin(settings)
    existing = set(topic_partitions(client, [settings.topic(spec.name) for spec in TOPICS],
                                    timeout=timeout, retry_for=retry_for))
    result = {}
    wanted = {}
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
        wanted[name] = NewTopic(
            name,
            num_partitions=1 if spec.name == "control" else settings.partitions,
            replication_factor=1,
            config=config,
        )

    def create_missing():
        futures = client.create_topics([wanted[n] for n in wanted if n not in result], operation_timeout=timeout)
        retry = None
        for name, future in futures.items():
            try:
                future.result()
                result[name] = "created"
            except KafkaException as exc:
                if "TOPIC_ALREADY_EXISTS" in str(exc):
                    result[name] = "exists"
                elif is_retriable(exc):
                    retry = exc          # the others are settled; ask again for this one
                else:
                    raise
        if retry is not None:
            raise retry

    if not wanted:
        return result
    with_retries(create_missing, what="create topics", timeout=retry_for)
    created = [name for name, status in result.items() if status == "created"]

    def leaders_elected():
        # A topic is usable once each partition has a leader (topic_partitions waits for
        # that); a topic not yet in the metadata at all is waited for here.
        found = topic_partitions(client, created, timeout=timeout, retry_for=retry_for)
        if any(not found.get(name) for name in created):
            raise KafkaException(KafkaError(KafkaError.UNKNOWN_TOPIC_OR_PART))
    with_retries(leaders_elected, what="leaders of new topics", timeout=retry_for)
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
    # A partition written in transactions ends in a commit marker no consumer receives: the
    # end-of-partition event says the reader got there.
    reader = consumer(settings, "revloop-reader", **{"enable.partition.eof": True})
    try:
        parts = topic_partitions(reader, [topic], timeout=timeout).get(topic)
        if parts is None:
            raise KeyError(f"topic {topic!r} does not exist")
        ends = {}
        assignment = []
        for pid in parts:
            low, high = watermarks(reader, topic, pid, timeout=timeout)
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
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    raise KafkaException(msg.error())
                if msg.partition() in ends and msg.offset() >= ends[msg.partition()]:
                    del ends[msg.partition()]
                continue
            deadline = time.monotonic() + timeout
            pid = msg.partition()
            if pid in ends and msg.offset() < ends[pid]:
                yield msg
                if msg.offset() + 1 >= ends[pid]:
                    del ends[pid]
    finally:
        reader.close()
