"""The one rule for Kafka errors a settling cluster returns: wait and ask again.

A broker that has just started (or just moved a partition leader or a group
coordinator) answers some requests with NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
NOT_LEADER_FOR_PARTITION and the like for a few seconds. Kafka's protocol marks them
retriable: the request is fine, the cluster is not there yet. Every probe and admin call
in revloop goes through `with_retries`, so none of them fails a first start.

An unreachable broker (_TRANSPORT, _TIMED_OUT, _ALL_BROKERS_DOWN) is not retried here:
the call's own timeout already waited, and the caller reports the broker as unavailable.
"""
from __future__ import annotations

import logging
import time
from typing import Callable, TypeVar

from confluent_kafka import KafkaError, KafkaException

log = logging.getLogger("revloop.kafka")

T = TypeVar("T")

# Kafka protocol error codes documented as retriable that a settling cluster returns
# (org.apache.kafka.common.errors.RetriableException subclasses), plus librdkafka's
# local "waiting for the coordinator".
RETRIABLE_CODES = frozenset({
    KafkaError.NOT_COORDINATOR,
    KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
    KafkaError.COORDINATOR_NOT_AVAILABLE,
    KafkaError.NOT_LEADER_FOR_PARTITION,
    KafkaError.LEADER_NOT_AVAILABLE,
    KafkaError.NOT_CONTROLLER,
    KafkaError.REQUEST_TIMED_OUT,
    KafkaError.UNKNOWN_TOPIC_OR_PART,      # a topic just created, not yet in every metadata cache
    KafkaError.FENCED_LEADER_EPOCH,
    KafkaError.UNKNOWN_LEADER_EPOCH,
    KafkaError.OFFSET_NOT_AVAILABLE,
    KafkaError._WAIT_COORD,
})

# The broker does not answer at all (stopped, restarting, unreachable). librdkafka reconnects by
# itself; a long-running caller that must not stop (the sender) waits and asks again.
UNREACHABLE_CODES = frozenset({
    KafkaError._TRANSPORT,
    KafkaError._ALL_BROKERS_DOWN,
    KafkaError._TIMED_OUT,
    KafkaError._RESOLVE,
})

DEFAULT_TIMEOUT = 60.0


def kafka_error(exc: BaseException) -> KafkaError | None:
    """The KafkaError inside a KafkaException (None for anything else)."""
    if isinstance(exc, KafkaException) and exc.args and isinstance(exc.args[0], KafkaError):
        return exc.args[0]
    return None


def is_retriable(exc: BaseException) -> bool:
    err = kafka_error(exc)
    return err is not None and err.code() in RETRIABLE_CODES


def is_transient(exc_or_error) -> bool:
    """A KafkaException or KafkaError that passes with time: retriable, or the broker away."""
    err = exc_or_error if isinstance(exc_or_error, KafkaError) else kafka_error(exc_or_error)
    return err is not None and (err.code() in RETRIABLE_CODES or err.code() in UNREACHABLE_CODES)


def raise_if_retriable(err: KafkaError | None) -> None:
    """For answers that carry an error instead of raising (topic and partition metadata,
    a TopicPartition from committed()): turn a retriable one into an exception so that
    `with_retries` asks again."""
    if err is not None and err.code() in RETRIABLE_CODES:
        raise KafkaException(err)


def with_retries(call: Callable[[], T], *, what: str, timeout: float = DEFAULT_TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> T:
    """call() until it returns, retrying the retriable errors above with a growing pause
    (0.1 s doubling to 2 s) for up to `timeout` seconds; then the last error is raised.
    Any other exception is raised at once."""
    deadline = clock() + timeout
    pause = 0.1
    attempt = 0
    while True:
        attempt += 1
        try:
            return call()
        except KafkaException as exc:
            if not is_retriable(exc) or clock() + pause > deadline:
                raise
            log.debug("%s: %s (attempt %d), retrying in %.1fs", what, kafka_error(exc).name(), attempt, pause)
            sleep(pause)
            pause = min(pause * 2, 2.0)
