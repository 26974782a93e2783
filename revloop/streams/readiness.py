"""Is the cluster ready for revloop? `python -m revloop.streams.readiness [--timeout S]`

A broker that logs "Kafka Server started" still needs its group coordinator (the
__consumer_offsets partitions loaded) and its transaction coordinator before consumer
groups and transactional producers work; until then they answer NOT_COORDINATOR or
COORDINATOR_LOAD_IN_PROGRESS. scripts/kafka-local.sh calls this after start-up and
reports the broker ready only when all of it works:

1. a topic can be created and written (idempotent producer);
2. a consumer group can commit an offset and read it back;
3. a transactional producer can initialise and commit.

Clients come from Settings (kafka_clients), so the same probe proves a secured listener.
Exit 0 ready, 69 (EX_UNAVAILABLE) not ready within the timeout.
"""
from __future__ import annotations

import argparse
import sys
import time
import uuid
from dataclasses import replace

from confluent_kafka import KafkaException, TopicPartition
from confluent_kafka.admin import NewTopic

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.kafka_retry import with_retries
from revloop.streams.offsets import committed_offsets, topic_partitions

PROBE_TOPIC = "_revloop_ready"
# librdkafka logs each expected "coordinator load in progress" retry as a warning; show errors only.
QUIET = {"log_level": 3}


def _ensure_topic(settings: Settings, deadline: float) -> None:
    client = kafka_clients.admin(settings, **QUIET)
    if PROBE_TOPIC in topic_partitions(client, [PROBE_TOPIC], timeout=10, retry_for=deadline - time.monotonic()):
        return

    def create():
        try:
            client.create_topics([NewTopic(PROBE_TOPIC, num_partitions=1, replication_factor=1)],
                                 operation_timeout=10)[PROBE_TOPIC].result()
        except KafkaException as exc:
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise
    with_retries(create, what="create the readiness topic", timeout=deadline - time.monotonic())
    # The topic's leader is elected once the metadata says so.
    topic_partitions(client, [PROBE_TOPIC], timeout=10, retry_for=deadline - time.monotonic())


def _produce(settings: Settings, deadline: float) -> None:
    p = kafka_clients.producer(settings, **QUIET, **{"message.timeout.ms": int(max(deadline - time.monotonic(), 1) * 1000)})
    errors = []
    p.produce(PROBE_TOPIC, b"ok", on_delivery=lambda err, _msg: err and errors.append(err))
    if p.flush(max(deadline - time.monotonic(), 1)) or errors:
        raise RuntimeError(f"could not write to {PROBE_TOPIC}: {errors[0].str() if errors else 'timed out'}")


def _group_commit_and_read(settings: Settings, deadline: float) -> None:
    group = f"revloop-ready-{uuid.uuid4().hex[:8]}"
    consumer = kafka_clients.consumer(settings, group, **QUIET)
    try:
        with_retries(lambda: consumer.commit(offsets=[TopicPartition(PROBE_TOPIC, 0, 1)], asynchronous=False),
                     what="commit an offset", timeout=deadline - time.monotonic())
        got = committed_offsets(consumer, [(PROBE_TOPIC, 0)], timeout=10, retry_for=deadline - time.monotonic())
        if got[(PROBE_TOPIC, 0)] != 1:
            raise RuntimeError(f"group {group} committed offset 1 but reads back {got[(PROBE_TOPIC, 0)]}")
    finally:
        consumer.close()
    client = kafka_clients.admin(settings, **QUIET)   # held: a collected client never completes its futures
    try:
        client.delete_consumer_groups([group], request_timeout=10)[group].result(timeout=15)
    except (KafkaException, TimeoutError):
        pass            # an empty group of one offset is harmless; the broker expires it


def _transaction(settings: Settings, deadline: float) -> None:
    p = kafka_clients.producer(settings, **QUIET, **{"transactional.id": f"revloop-ready-{uuid.uuid4().hex[:8]}"})
    p.init_transactions(max(deadline - time.monotonic(), 1))
    p.begin_transaction()
    p.produce(PROBE_TOPIC, b"ok")
    p.commit_transaction(max(deadline - time.monotonic(), 1))


STEPS = (("topic", _ensure_topic), ("produce", _produce), ("group offsets", _group_commit_and_read),
         ("transactions", _transaction))


def check(settings: Settings, timeout: float = 90.0, *, transactions: bool = True) -> list[tuple[str, float]]:
    """Run every step; return (step, seconds it took). Raises on the first that fails."""
    settings = replace(settings, topic_prefix="")
    deadline = time.monotonic() + timeout
    took = []
    for name, step in STEPS:
        if name == "transactions" and not transactions:
            continue
        t0 = time.monotonic()
        step(settings, deadline)
        took.append((name, time.monotonic() - t0))
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m revloop.streams.readiness", description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=90.0)
    parser.add_argument("--no-transactions", action="store_true", help="skip the transactional producer step")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    started = time.monotonic()
    try:
        took = check(settings, args.timeout, transactions=not args.no_transactions)
    except Exception as exc:  # noqa: BLE001  (one line for the script, whatever failed)
        print(f"[kafka-local] NOT ready after {time.monotonic() - started:.1f}s: {exc}", file=sys.stderr)
        return 69
    steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in took)
    print(f"[kafka-local] ready: {steps} ({time.monotonic() - started:.1f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
