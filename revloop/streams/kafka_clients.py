"""The one place Kafka clients are built: every consumer, producer and admin client
(confluent-kafka) and the Faust app's broker options come from Settings here, so
connection, security and tuning are set once for the whole project.
"""
from __future__ import annotations

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient

from revloop.streams.config import Settings


def client_config(settings: Settings) -> dict:
    """What every librdkafka client needs to reach the cluster."""
    return {"bootstrap.servers": settings.bootstrap_servers}


def consumer(settings: Settings, group_id: str, **overrides) -> Consumer:
    """A consumer in `group_id`. Readers that assign partitions themselves still need a
    group id (librdkafka requires one) but never commit unless told to."""
    conf = client_config(settings)
    conf.update({"group.id": group_id, "enable.auto.commit": False})
    conf.update(overrides)
    return Consumer(conf)


def producer(settings: Settings, **overrides) -> Producer:
    conf = client_config(settings)
    conf.update({
        # Idempotent: a retried send never duplicates or reorders within a partition.
        "enable.idempotence": True,
        "linger.ms": 5,
        # No lz4/zstd: Faust's aiokafka consumer cannot read them without extra
        # native libraries, and a worker that cannot decompress a batch dies.
    })
    conf.update(overrides)
    return Producer(conf)


def admin(settings: Settings, **overrides) -> AdminClient:
    conf = client_config(settings)
    conf.update(overrides)
    return AdminClient(conf)


def faust_broker_options(settings: Settings) -> dict:
    """faust.App keyword arguments that say how to reach the cluster."""
    return {"broker": [f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")]}
