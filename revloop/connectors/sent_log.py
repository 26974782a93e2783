"""The sent log: a small SQLite file that says what became of each send action.

Keyed by ``action_id``. Resend keeps an Idempotency-Key for 24 hours only; this
log keeps every terminal result for good, so an action replayed days later (a
consumer rewound to offset 0, a rebuilt worker) is still never sent twice.

Terminal statuses recorded here: ``sent``, ``failed`` (the provider refused it),
``skipped`` (not allowlisted, suppressed, unusable action). Dry runs and
deferrals are *not* recorded: they must be able to happen again.

Order of use by the sender: ``get()`` before calling the API, ``record()`` after
the API answered. A crash between the two re-calls the API on replay with the
same Idempotency-Key, which Resend answers with the original email id.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"
STATUSES = (SENT, FAILED, SKIPPED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent_log (
    action_id            TEXT PRIMARY KEY,
    tenant_id            TEXT NOT NULL,
    recipient            TEXT NOT NULL,
    status               TEXT NOT NULL,
    at_ms                INTEGER NOT NULL,
    provider_message_id  TEXT,
    detail               TEXT
);
CREATE INDEX IF NOT EXISTS sent_log_tenant_at ON sent_log (tenant_id, status, at_ms);
"""


@dataclass(frozen=True)
class SentRecord:
    action_id: str
    tenant_id: str
    recipient: str
    status: str
    at_ms: int
    provider_message_id: str | None = None
    detail: str | None = None


class SentLog:
    """Thread-safe; ``path`` may be ``":memory:"`` for tests."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def get(self, action_id: str) -> SentRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT action_id, tenant_id, recipient, status, at_ms, provider_message_id, detail "
                "FROM sent_log WHERE action_id = ?", (action_id,)).fetchone()
        return SentRecord(*row) if row else None

    def record(self, action_id: str, *, tenant_id: str, recipient: str, status: str, at_ms: int,
               provider_message_id: str | None = None, detail: str | None = None) -> SentRecord:
        """Record a terminal result. The first result for an action wins; returns the stored one."""
        if status not in STATUSES:
            raise ValueError(f"unknown sent-log status {status!r}")
        with self._lock:
            self._db.execute(
                "INSERT INTO sent_log (action_id, tenant_id, recipient, status, at_ms, provider_message_id, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(action_id) DO NOTHING",
                (action_id, tenant_id, recipient, status, int(at_ms), provider_message_id, detail))
        stored = self.get(action_id)
        assert stored is not None
        return stored

    def sent_since(self, tenant_id: str, since_ms: int) -> list[int]:
        """Send times (ascending) of this tenant's emails sent at or after ``since_ms``."""
        with self._lock:
            rows = self._db.execute(
                "SELECT at_ms FROM sent_log WHERE tenant_id = ? AND status = ? AND at_ms >= ? ORDER BY at_ms",
                (tenant_id, SENT, int(since_ms))).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
