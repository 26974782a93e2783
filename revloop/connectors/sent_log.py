"""The sent log: a small SQLite file that says what became of each send action.

Keyed by ``action_id``. Resend keeps an Idempotency-Key for 24 hours only; this
log keeps every terminal result for good, so an action replayed days later (a
consumer rewound to offset 0, a rebuilt worker) is still never sent twice.

Terminal statuses recorded here: ``sent``, ``failed`` (the provider refused it),
``cancelled`` (a guardrail bound at execution time: kill switch, tenant disabled,
send mode lowered, suppressed, not allowlisted), ``held`` (its template cannot be
filled), ``dry_run`` (approved in dry_run: never sent, whatever the mode later) and
``skipped`` (an unusable action). Deferrals are *not* recorded: they must be able to
happen again. Each result keeps the template (id, version) the email was rendered
from, so a re-read action re-announces the very same outcome event.

Order of use by the sender: ``get()`` before calling the API, ``record()`` after
the API answered. A crash between the two re-calls the API on replay with the
same Idempotency-Key, which Resend answers with the original email id.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from revloop.connectors.private_files import private_file

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"
CANCELLED, HELD, DRY_RUN = "cancelled", "held", "dry_run"
STATUSES = (SENT, FAILED, SKIPPED, CANCELLED, HELD, DRY_RUN)
CLIENT, DIGEST = "client", "digest"     # channels: each has its own hourly cap

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
# Columns a sent log gained after it was first shipped: added to an older file on open.
_ADDED = (("template_id", "TEXT"), ("template_version", "INTEGER"), ("channel", "TEXT NOT NULL DEFAULT 'client'"),
          ("message_id", "TEXT"), ("thread", "TEXT"), ("subject", "TEXT"), ("sender", "TEXT"))
_COLUMNS = "action_id, tenant_id, recipient, status, at_ms, provider_message_id, detail, template_id, " \
           "template_version, channel, message_id, thread, subject, sender"


@dataclass(frozen=True)
class SentRecord:
    action_id: str
    tenant_id: str
    recipient: str
    status: str
    at_ms: int
    provider_message_id: str | None = None
    detail: str | None = None
    template_id: str | None = None
    template_version: int | None = None
    channel: str = CLIENT
    message_id: str | None = None    # the RFC 5322 Message-ID we gave it (sent)
    thread: str | None = None        # its conversation (processors.threads)
    subject: str | None = None       # the subject it went out with
    sender: str | None = None        # the From it went out with


class SentLog:
    """Thread-safe; ``path`` may be ``":memory:"`` for tests."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._lock = threading.Lock()
        if self.path != ":memory:":
            private_file(self.path)          # recipients' addresses: the owner's alone
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        have = {row[1] for row in self._db.execute("PRAGMA table_info(sent_log)")}
        for name, kind in _ADDED:
            if name not in have:
                self._db.execute(f"ALTER TABLE sent_log ADD COLUMN {name} {kind}")

    def get(self, action_id: str) -> SentRecord | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM sent_log WHERE action_id = ?", (action_id,)).fetchone()
        return SentRecord(*row) if row else None

    def record(self, action_id: str, *, tenant_id: str, recipient: str, status: str, at_ms: int,
               provider_message_id: str | None = None, detail: str | None = None,
               template: tuple[str, int] | None = None, channel: str = CLIENT, message_id: str | None = None,
               thread: str | None = None, subject: str | None = None, sender: str | None = None) -> SentRecord:
        """Record a terminal result. The first result for an action wins; returns the stored one."""
        if status not in STATUSES:
            raise ValueError(f"unknown sent-log status {status!r}")
        template_id, template_version = template or (None, None)
        with self._lock:
            self._db.execute(
                f"INSERT INTO sent_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(action_id) DO NOTHING",
                (action_id, tenant_id, recipient, status, int(at_ms), provider_message_id, detail, template_id,
                 template_version, channel, message_id, thread, subject, sender))
        stored = self.get(action_id)
        assert stored is not None
        return stored

    def sent_since(self, tenant_id: str, since_ms: int, channel: str = CLIENT) -> list[int]:
        """Send times (ascending) of this tenant's emails on a channel sent at or after ``since_ms``."""
        with self._lock:
            rows = self._db.execute(
                "SELECT at_ms FROM sent_log WHERE tenant_id = ? AND status = ? AND at_ms >= ? AND channel = ? "
                "ORDER BY at_ms", (tenant_id, SENT, int(since_ms), channel)).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
