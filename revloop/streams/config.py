"""Settings from the environment, read once at the edge (never inside processors)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from revloop.connectors.action_auth import action_key
from revloop.schemas.admission import DEFAULT_MAX_SKEW_MS


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    partitions: int = 3
    schema_registry_url: str | None = None
    store_url: str = "duckdb:revloop.duckdb"
    consumer_group: str = "revloop-worker"
    # HMAC key for decisions (revloop.connectors.action_auth): the worker tags, executors verify.
    # Never printed: repr=False, and nothing logs Settings' fields one by one.
    action_key: bytes | None = field(default=None, repr=False)
    # How far ahead of the clock an event's occurred_at may be, at the edges (import, Gmail,
    # webhooks, console) and in the worker against the broker's append time.
    max_clock_skew_ms: int = DEFAULT_MAX_SKEW_MS
    # A Postgres role with CREATEROLE, for provisioning tenants' reader roles (pg_tenants).
    db_admin_url: str | None = field(default=None, repr=False)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        env = os.environ if environ is None else environ
        return cls(
            bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            topic_prefix=env.get("REVLOOP_TOPIC_PREFIX", ""),
            partitions=int(env.get("REVLOOP_PARTITIONS", "3")),
            schema_registry_url=env.get("SCHEMA_REGISTRY_URL") or None,
            store_url=env.get("REVLOOP_STORE", "duckdb:revloop.duckdb"),
            consumer_group=env.get("REVLOOP_GROUP", "revloop-worker"),
            action_key=action_key(env.get("REVLOOP_ACTION_KEY")),
            db_admin_url=env.get("DATABASE_URL_ADMIN") or None,
            max_clock_skew_ms=int(float(env.get("REVLOOP_MAX_CLOCK_SKEW_S", DEFAULT_MAX_SKEW_MS / 1000)) * 1000),
        )

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"
