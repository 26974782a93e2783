"""Gmail sync checkpoints and per-tenant connection status, in one small SQLite file.

* checkpoint per (tenant, mailbox): the committed ``history_id`` to resume
  ``users.history.list`` from, plus the state of an unfinished full sync
  (``pending_history_id`` = the ``getProfile`` history id saved before the
  backfill started, ``pending_page_token`` = the next ``messages.list`` page).
* connection status per tenant: connected | token_expired | revoked |
  not_configured, when it last changed, and the class name of the last error.
  Never an error message: those can quote credentials.

The directory comes from the constructor or ``REVLOOP_GMAIL_STATE_DIR``
(default ``./var/gmail``). Each call opens its own short connection, so one
store can be shared by pollers on different threads.
"""
from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass

from revloop.connectors.private_files import private_file

STATE_DIR_ENV = "REVLOOP_GMAIL_STATE_DIR"
DEFAULT_STATE_DIR = os.path.join("var", "gmail")
DB_NAME = "gmail_state.sqlite3"

CONNECTED = "connected"
TOKEN_EXPIRED = "token_expired"
REVOKED = "revoked"
NOT_CONFIGURED = "not_configured"
CONNECTION_STATUSES = (CONNECTED, TOKEN_EXPIRED, REVOKED, NOT_CONFIGURED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS gmail_checkpoint (
    tenant_id TEXT NOT NULL,
    mailbox TEXT NOT NULL,
    history_id INTEGER,
    pending_history_id INTEGER,
    pending_page_token TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, mailbox)
);
CREATE TABLE IF NOT EXISTS gmail_connection (
    tenant_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    since INTEGER NOT NULL,
    checked_at INTEGER NOT NULL,
    last_error_class TEXT
);
"""


@dataclass(frozen=True)
class Checkpoint:
    tenant_id: str
    mailbox: str
    history_id: int | None
    pending_history_id: int | None
    pending_page_token: str | None
    updated_at: int


@dataclass(frozen=True)
class ConnectionStatus:
    tenant_id: str
    status: str
    since: int          # epoch ms when the status last changed
    checked_at: int     # epoch ms of the latest report
    last_error_class: str | None


def _now_ms() -> int:
    return int(time.time() * 1000)


class GmailCheckpointStore:
    def __init__(self, directory: str | os.PathLike | None = None, *, clock=_now_ms):
        if directory is None:
            directory = DEFAULT_STATE_DIR      # REVLOOP_GMAIL_STATE_DIR reaches here through Settings
        self.directory = os.fspath(directory)
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        self.path = private_file(os.path.join(self.directory, DB_NAME))   # mailbox positions, addresses
        self._clock = clock
        with closing(self._connect()) as con, con:
            con.executescript(_SCHEMA)

    def __repr__(self) -> str:
        return f"GmailCheckpointStore({self.path!r})"

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        return con

    # -- history-id checkpoints -----------------------------------------------------------

    def get(self, tenant_id: str, mailbox: str) -> Checkpoint | None:
        with closing(self._connect()) as con:
            row = con.execute(
                "SELECT history_id, pending_history_id, pending_page_token, updated_at FROM gmail_checkpoint"
                " WHERE tenant_id = ? AND mailbox = ?", (tenant_id, mailbox)).fetchone()
        if row is None:
            return None
        return Checkpoint(tenant_id, mailbox, row[0], row[1], row[2], row[3])

    def history_id(self, tenant_id: str, mailbox: str) -> int | None:
        """The committed history id, or None (= a full sync is due)."""
        cp = self.get(tenant_id, mailbox)
        return cp.history_id if cp else None

    def commit(self, tenant_id: str, mailbox: str, history_id: int) -> None:
        """Store the history id to resume from and forget any unfinished full sync."""
        self._upsert(tenant_id, mailbox, history_id=int(history_id), pending_history_id=None,
                     pending_page_token=None)

    def begin_full_sync(self, tenant_id: str, mailbox: str, profile_history_id: int) -> None:
        """Save the getProfile history id before a backfill; the committed id is cleared."""
        self._upsert(tenant_id, mailbox, history_id=None, pending_history_id=int(profile_history_id),
                     pending_page_token=None)

    def save_full_sync_page(self, tenant_id: str, mailbox: str, page_token: str | None) -> None:
        """Remember the next messages.list page once the previous ones are fully emitted."""
        with closing(self._connect()) as con, con:
            con.execute("UPDATE gmail_checkpoint SET pending_page_token = ?, updated_at = ?"
                        " WHERE tenant_id = ? AND mailbox = ?", (page_token, self._clock(), tenant_id, mailbox))

    def reset(self, tenant_id: str, mailbox: str) -> None:
        """Forget everything: the next poll does a fresh full sync."""
        with closing(self._connect()) as con, con:
            con.execute("DELETE FROM gmail_checkpoint WHERE tenant_id = ? AND mailbox = ?", (tenant_id, mailbox))

    def _upsert(self, tenant_id, mailbox, *, history_id, pending_history_id, pending_page_token) -> None:
        with closing(self._connect()) as con, con:
            con.execute(
                "INSERT INTO gmail_checkpoint (tenant_id, mailbox, history_id, pending_history_id,"
                " pending_page_token, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (tenant_id, mailbox) DO UPDATE SET history_id = excluded.history_id,"
                " pending_history_id = excluded.pending_history_id,"
                " pending_page_token = excluded.pending_page_token, updated_at = excluded.updated_at",
                (tenant_id, mailbox, history_id, pending_history_id, pending_page_token, self._clock()))

    # -- connection status ----------------------------------------------------------------

    def set_status(self, tenant_id: str, status: str, error_class: str | None = None) -> ConnectionStatus:
        """Record the tenant's connection status; ``error_class`` is a class name, never a message."""
        if status not in CONNECTION_STATUSES:
            raise ValueError(f"unknown connection status {status!r}")
        if error_class is not None and not _is_class_name(error_class):
            raise ValueError("error_class must be a bare exception class name")
        now = self._clock()
        with closing(self._connect()) as con, con:
            row = con.execute("SELECT status, since FROM gmail_connection WHERE tenant_id = ?",
                              (tenant_id,)).fetchone()
            since = row[1] if row is not None and row[0] == status else now
            # A clean "connected" keeps the last error class for diagnosis only while it is the cause.
            con.execute(
                "INSERT INTO gmail_connection (tenant_id, status, since, checked_at, last_error_class)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET status = excluded.status,"
                " since = excluded.since, checked_at = excluded.checked_at,"
                " last_error_class = excluded.last_error_class",
                (tenant_id, status, since, now, error_class))
        return ConnectionStatus(tenant_id, status, since, now, error_class)

    def status(self, tenant_id: str) -> ConnectionStatus | None:
        with closing(self._connect()) as con:
            row = con.execute("SELECT status, since, checked_at, last_error_class FROM gmail_connection"
                              " WHERE tenant_id = ?", (tenant_id,)).fetchone()
        return ConnectionStatus(tenant_id, *row) if row else None

    def statuses(self) -> list[ConnectionStatus]:
        with closing(self._connect()) as con:
            rows = con.execute("SELECT tenant_id, status, since, checked_at, last_error_class"
                               " FROM gmail_connection ORDER BY tenant_id").fetchall()
        return [ConnectionStatus(*r) for r in rows]


def _is_class_name(text: str) -> bool:
    return text.replace("_", "").replace(".", "").isalnum() and len(text) <= 200
