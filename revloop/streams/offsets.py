"""Probes: where the log ends and where a consumer group stands.

Every start-up (worker, replay, sender), the tick gate, the demo's waits and the
test harness ask the cluster these questions, and all of them ask here. Each probe
tolerates the retriable errors a settling cluster returns (revloop.streams.kafka_retry),
so a broker that has just started, or a coordinator that has just moved, delays an
answer instead of failing it. The client is passed in: whoever calls owns it.
"""
from __future__ import annotations

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.streams.config import Settings
from revloop.streams.kafka_retry import DEFAULT_TIMEOUT, raise_if_retriable, with_retries


def topic_partitions(client, topics: list[str], *, timeout: float = 30.0,
                     retry_for: float = DEFAULT_TIMEOUT) -> dict[str, list[int]]:
    """Physical topic -> its partition ids, for the topics of `topics` that exist.
    `client` is a consumer, producer or admin client (anything with list_topics)."""
    def ask():
        meta = client.list_topics(timeout=timeout).topics
        out = {}
        for name in topics:
            topic = meta.get(name)
            if topic is None:
                continue
            if topic.error is not None:
                if topic.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                    continue
                raise_if_retriable(topic.error)
                raise KafkaException(topic.error)
            for part in topic.partitions.values():
                raise_if_retriable(part.error)
                if part.leader < 0:          # elected in a moment; its offsets are not served until then
                    raise KafkaException(KafkaError(KafkaError.LEADER_NOT_AVAILABLE))
            out[name] = sorted(topic.partitions)
        return out
    return with_retries(ask, what="topic metadata", timeout=retry_for)


def watermarks(consumer, topic: str, partition: int, *, timeout: float = 30.0,
               retry_for: float = DEFAULT_TIMEOUT) -> tuple[int, int]:
    """(low, high) watermark of one partition."""
    return with_retries(lambda: consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=timeout),
                        what=f"watermarks of {topic}[{partition}]", timeout=retry_for)


def end_offsets(consumer, settings: Settings, topics, timeout: float = 30.0,
                retry_for: float = DEFAULT_TIMEOUT) -> dict[tuple[str, int], int]:
    """(physical topic, partition) -> high watermark, for the logical `topics` that exist."""
    physical = [settings.topic(name) for name in topics]
    out = {}
    for topic, parts in topic_partitions(consumer, physical, timeout=timeout, retry_for=retry_for).items():
        for pid in parts:
            out[(topic, pid)] = watermarks(consumer, topic, pid, timeout=timeout, retry_for=retry_for)[1]
    return out



def last_stable_offsets(admin, settings: Settings, topics, *, timeout: float = 10.0,
                        retry_for: float = DEFAULT_TIMEOUT) -> dict[tuple[str, int], int]:
    """(physical topic, partition) -> where a read_committed consumer can read to now (the last
    stable offset: the high watermark, or the first offset of a transaction still open), for the
    logical `topics` that exist. One ListOffsets request for all of them (`end_offsets` asks
    per partition: 20-50 ms for the sender's 22 partitions here, this 1.5 ms). `admin` is an
    AdminClient."""
    from confluent_kafka import IsolationLevel
    from confluent_kafka.admin import OffsetSpec

    parts = topic_partitions(admin, [settings.topic(name) for name in topics], timeout=timeout, retry_for=retry_for)

    def ask():
        asked = {TopicPartition(t, p): OffsetSpec.latest() for t, ps in parts.items() for p in ps}
        if not asked:
            return {}
        futures = admin.list_offsets(asked, isolation_level=IsolationLevel.READ_COMMITTED, request_timeout=timeout)
        return {(tp.topic, tp.partition): f.result().offset for tp, f in futures.items()}
    return with_retries(ask, what="last stable offsets", timeout=retry_for)

def committed_offsets(consumer, partitions: list[tuple[str, int]], *, timeout: float = 30.0,
                      retry_for: float = DEFAULT_TIMEOUT) -> dict[tuple[str, int], int]:
    """(topic, partition) -> the next offset the consumer's group will read there
    (0 where it never committed)."""
    if not partitions:
        return {}

    def ask():
        answer = consumer.committed([TopicPartition(t, p) for t, p in partitions], timeout=timeout)
        for tp in answer:
            raise_if_retriable(tp.error)
            if tp.error is not None:
                raise KafkaException(tp.error)
        return {(tp.topic, tp.partition): max(tp.offset, 0) for tp in answer}
    return with_retries(ask, what="committed offsets", timeout=retry_for)


def group_lag(consumer, settings: Settings, topics, *, timeout: float = 30.0,
              retry_for: float = DEFAULT_TIMEOUT) -> int:
    """Records on the logical `topics` that the consumer's group has not committed past."""
    ends = end_offsets(consumer, settings, topics, timeout=timeout, retry_for=retry_for)
    committed = committed_offsets(consumer, list(ends), timeout=timeout, retry_for=retry_for)
    return sum(max(end - committed[tp], 0) for tp, end in ends.items())


def records_on(consumer, settings: Settings, topic: str, *, timeout: float = 30.0,
               retry_for: float = DEFAULT_TIMEOUT) -> int:
    """How many records a (never compacted, never expired) logical topic holds: the sum of
    its partitions' high watermarks."""
    return sum(end_offsets(consumer, settings, [topic], timeout=timeout, retry_for=retry_for).values())


def all_topics(client, *, timeout: float = 30.0, retry_for: float = DEFAULT_TIMEOUT) -> list[str]:
    """The name of every topic on the cluster."""
    return with_retries(lambda: list(client.list_topics(timeout=timeout).topics), what="topic list",
                        timeout=retry_for)
