"""`revloop tick`: one tick per enabled tenant for the hour that contains a time.

The tick id is tenant + hour, and the worker ignores a tick for an hour it has
already run, so running this twice in an hour (or from two cron hosts) is harmless.
"""
from __future__ import annotations

from datetime import datetime, timezone

from revloop.schemas.codec import DecodeError
from revloop.schemas.jsonl import format_time, parse_time
from revloop.processors.controls import is_enabled
from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.kafka_io import flush_or_raise, producer, read_topic

HOUR_MS = 3_600_000


def tick_event(tenant_id: str, at_ms: int) -> dict:
    hour = at_ms - at_ms % HOUR_MS
    tick_id = f"{tenant_id}:{format_time(hour)}"
    return {"event_id": f"tick:{tick_id}", "tenant_id": tenant_id, "occurred_at": hour, "tick_id": tick_id,
            "as_of": hour}


def enabled_tenants(settings: Settings) -> list[str]:
    """Tenants enabled by their latest `enabled` control setting (processors.controls.is_enabled:
    the same rule as the policy gate's)."""
    codec = kafka_clients.codec(settings)
    latest: dict[str, tuple] = {}
    for msg in read_topic(settings, settings.topic("control")):
        try:
            _, event = codec.decode(msg.value())
        except DecodeError:
            continue
        if event.get("enabled") is None:
            continue
        mark = (event["occurred_at"], event["event_id"])
        if event["tenant_id"] not in latest or latest[event["tenant_id"]][0] < mark:
            latest[event["tenant_id"]] = (mark, event["enabled"])
    everyone = {"enabled": latest["*"][1]} if "*" in latest else None
    return sorted(t for t, (_, on) in latest.items() if t != "*" and is_enabled(everyone, {"enabled": on}))


def produce_ticks(settings: Settings, at: str | None, tenants: list[str] | None) -> list[dict]:
    at_ms = parse_time(at) if at else int(datetime.now(timezone.utc).timestamp() * 1000)
    codec = kafka_clients.codec(settings)
    ticks = [tick_event(t, at_ms) for t in (tenants or enabled_tenants(settings))]
    p = producer(settings)
    for tick in ticks:
        p.produce(settings.topic("ticks"), key=tick["tenant_id"].encode(), value=codec.encode("tick", tick))
    flush_or_raise(p)
    return ticks
