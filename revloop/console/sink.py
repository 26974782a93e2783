"""Where the console's events go: the log, through one producer; and the audit trail.

The console never writes a projection. Every change a person makes is one event, validated
against its schema and the edges' admission rules, produced and flushed before the page says
"sent"; the worker applies it like any other event, and the page shows "pending" until then.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Protocol

from revloop.schemas.admission import check_admissible, check_not_derived
from revloop.schemas.codec import validate

log = logging.getLogger("revloop.console.audit")


class EventSink(Protocol):
    def emit(self, type_name: str, record: dict) -> None:
        """Put one validated event on its topic; raise if it was not delivered."""

    def emit_many(self, events: list[tuple[str, dict]]) -> None:
        """Several events of one answer, all checked before any is produced."""


def admissible(type_name: str, record: dict, max_skew_ms: int) -> None:
    """The checks every edge applies (schema, tenant grammar, time bounds, storability, no
    derived type). The global scope ('*') only for control events: the console's routes let
    only admins write those."""
    validate(type_name, record)
    check_not_derived(type_name, record)
    check_admissible(type_name, record, now_ms=int(time.time() * 1000), max_skew_ms=max_skew_ms,
                     admin=type_name == "control" and record.get("tenant_id") == "*")


class KafkaSink:
    def __init__(self, settings, timeout_s: float = 15.0):
        from revloop.streams import kafka_clients

        self._settings, self._timeout = settings, timeout_s
        self._producer = kafka_clients.producer(settings)
        self._codec = kafka_clients.codec(settings)
        self._lock = threading.Lock()

    def emit(self, type_name: str, record: dict) -> None:
        self.emit_many([(type_name, record)])

    def emit_many(self, events: list[tuple[str, dict]]) -> None:
        """Check every event first (one bad one: none is produced), then produce them in order
        (one tenant, one partition: read back in this order) and flush once."""
        from revloop.streams.topics import topic_for

        for type_name, record in events:
            admissible(type_name, record, self._settings.max_clock_skew_ms)
        errors = []
        with self._lock:
            for type_name, record in events:
                self._producer.produce(self._settings.topic(topic_for(type_name, record)),
                                       key=record["tenant_id"].encode(), value=self._codec.encode(type_name, record),
                                       on_delivery=lambda err, msg: err and errors.append(err))
            left = self._producer.flush(self._timeout)
        if left or errors:
            raise RuntimeError(f"{len(events)} event(s) from {events[0][1]['event_id']} not delivered"
                               + (f": {errors[0].str()}" if errors else f" within {self._timeout:g}s"))

    def close(self) -> None:
        self._producer.flush(self._timeout)


class AuditTrail:
    """One JSON line per write a person made (or tried and was refused): who, from where,
    what, for which tenant, and the event id. Never a secret or a form's free text beyond
    the event's own fields."""

    def __init__(self, path: str | None):
        self.path = path
        self._lock = threading.Lock()
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)

    def record(self, *, user: str, tenant: str, action: str, outcome: str, address: str = "",
               event_id: str | None = None, detail: str | None = None) -> dict:
        entry = {"at": int(time.time() * 1000), "user": user, "tenant": tenant, "action": action,
                 "outcome": outcome, "address": address, "event_id": event_id, "detail": detail}
        log.info("%s %s %s tenant=%s event=%s", user, action, outcome, tenant, event_id)
        if self.path:
            line = json.dumps(entry, sort_keys=True, ensure_ascii=False)
            with self._lock, open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        return entry

    def entries(self, tenant: str | None = None, limit: int = 200) -> list[dict]:
        if not self.path or not os.path.exists(self.path):
            return []
        with self._lock, open(self.path, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        if tenant is not None:
            rows = [r for r in rows if r["tenant"] == tenant]
        return rows[-limit:][::-1]
