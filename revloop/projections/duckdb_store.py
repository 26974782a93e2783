"""DuckDB projection store: one file, written by one process (the worker or a replay).

Analysts, the report and the console cannot open a DuckDB file another process writes
(DuckDB locks it), so the store publishes a read-only copy, the snapshot
(`<name>.snapshot.duckdb` beside the file): at the end of a batch that changed rows, at most
every `snapshot_interval_s` seconds (a change inside the interval is published when it
ends), and on close. Published by CHECKPOINT, copy, fsync and an atomic rename, so a
reader sees the old snapshot or the new one, never half of one. Times are TIMESTAMPTZ.

Bulk path (measured, 100k rows x 23 columns): executemany runs row by row (~1k rows/s),
binding column lists and UNNESTing them ~20k rows/s; the rows written to a temp file by one
encoder call and read back with read_json into one
INSERT .. ON CONFLICT is ~3x faster again. Each row travels as a JSON array of its values in
column order (no column names repeated per row: half the text of an array of objects), read
as VARCHAR[] and cast per column; json columns go as JSON text and are stored as given.
Values round-trip exactly (doubles included). The text is orjson's: the same bytes as
json.dumps with compact separators, in an eighth of the time (the bench's 200k events:
0.3 s against 2.3 s, a tenth of the CPU a catch-up spends per record).
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import tempfile
import threading
import time

import duckdb
import orjson

from revloop.projections import ddl
from revloop.projections.ddl import lit, q
from revloop.projections.checkpoints import Checkpoint, CheckpointFiles, CheckpointInfo, MemoryCheckpoints
from revloop.projections.store import (PreparedBatch, ProjectionStore, StoreFileGone, check_expected, normalise,
                                       prepare_batch)

D = "duckdb"


def _write_sql(t, path: str, update: bool) -> str:
    def value(i: int, kind: str) -> str:
        v = f"r[{i + 1}]"
        if kind == "text":
            return v
        if kind == "ts":
            return f"timezone('UTC', epoch_ms({v}::BIGINT))"      # an instant, whatever the session's zone
        return f"{v}::{ddl.column_type(kind, D)}"
    values = ", ".join(value(i, k) for i, (_, k) in enumerate(t.columns))
    rest = [c for c in t.column_names if c not in t.key]
    action = ("DO UPDATE SET " + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in rest)
              if update and rest else "DO NOTHING")
    return (f"INSERT INTO {q(t.name)} ({', '.join(map(q, t.column_names))}) SELECT {values} "
            f"FROM read_json({lit(path)}, format = 'array', records = false, columns = {{'r': 'VARCHAR[]'}}) "
            f"ON CONFLICT ({', '.join(map(q, t.key))}) {action}")


def _prepare(upserts, inserts=None, offsets=(), expect=()) -> PreparedBatch:
    """prepare_batch, each table's rows then encoded as the staging file's UTF-8 text."""
    batch = prepare_batch(upserts, inserts, offsets, expect)
    return PreparedBatch(tuple((t, update, _staging_text(t, records))
                               for t, update, records in batch.jobs), batch.expect)


def _staging_text(t, records: list[tuple]) -> bytes:
    """The rows as one JSON array of arrays. orjson writes an infinite double as null, which
    read back would be NULL: a table whose double columns hold one goes through json.dumps,
    which writes Infinity as read_json reads it (the only other difference is the separators)."""
    at = [i for i, (_, kind) in enumerate(t.columns) if kind == "double"]
    if at and not all(v is None or math.isfinite(v) for rec in records for v in map(rec.__getitem__, at)):
        return json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode()
    return orjson.dumps(records)


def _read_sql(t) -> str:
    return "SELECT " + ", ".join(f"epoch_ms({q(c)})" if k == "ts" else q(c) for c, k in t.columns) + \
        f" FROM {q(t.name)}"


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the file at path; None when there is none (or the store is in memory)."""
    if path in ("", ":memory:"):
        return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def snapshot_path(path: str) -> str:
    """Where the read-only snapshot of the store file at `path` is published."""
    base, ext = os.path.splitext(path)
    return f"{base}.snapshot{ext or '.duckdb'}"


class DuckDBStore(ProjectionStore):
    def __init__(self, path: str, *, snapshot_interval_s: float | None = None):
        """snapshot_interval_s: publish the snapshot at most this often (None: never; an
        in-memory store never does)."""
        self.path = path
        self._con = duckdb.connect(path)
        # Checkpoints live beside the database file (the analysts' file stays rows only).
        self._checkpoints = (MemoryCheckpoints() if path in ("", ":memory:") or path.startswith(":memory:")
                             else CheckpointFiles(path + ".checkpoints"))
        self._con.execute("SET TimeZone = 'UTC'")
        self._identity = _identity(path)
        self._lock = threading.RLock()          # writes and publishing, one at a time
        self.snapshot_path = snapshot_path(path) if snapshot_interval_s and self._identity is not None else None
        self._interval = snapshot_interval_s or 0.0
        self._published_at = float("-inf")
        self._unpublished = False
        self._timer: threading.Timer | None = None

    def check_file(self) -> None:
        if self._identity is None:
            return                                # in memory
        now = _identity(self.path)
        if now is None:
            raise StoreFileGone(f"the DuckDB file {self.path} was deleted while this process had it open; "
                                "stopping before more writes are lost with it")
        if now != self._identity:
            raise StoreFileGone(f"the DuckDB file {self.path} was replaced by another file while this process "
                                "had it open; stopping rather than write into the wrong file")

    def _transaction(self, work) -> None:
        with self._lock:
            self._con.begin()
            try:
                work()
            except BaseException:
                self._con.rollback()
                raise
            self._con.commit()

    def ensure_schema(self) -> None:
        def work():
            self._migrate_timestamps()
            for stmt in ddl.schema_statements(D):
                self._con.execute(stmt)
        self._transaction(work)
        self._changed()

    def _migrate_timestamps(self) -> None:
        """Files written before times were TIMESTAMPTZ hold naive UTC TIMESTAMPs: convert them
        (the session's zone is UTC, so each value keeps its instant)."""
        old = self._con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                                "WHERE data_type = 'TIMESTAMP' AND schema_name = 'main'").fetchall()
        for view in ddl_views():
            self._con.execute(f"DROP VIEW IF EXISTS {q(view)}")    # recreated after, over the new types
        for table_name, column in old:
            self._con.execute(f"ALTER TABLE {q(table_name)} ALTER COLUMN {q(column)} TYPE TIMESTAMPTZ")

    prepare = staticmethod(_prepare)

    def write_prepared(self, batch: PreparedBatch) -> None:
        files = []
        try:
            for t, update, text in batch.jobs:
                fd, path = tempfile.mkstemp(prefix=f"revloop-{t.name}-", suffix=".json")
                files.append((t, update, path))
                with os.fdopen(fd, "wb") as f:
                    f.write(text)

            def work():
                if batch.expect:
                    check_expected(batch.expect, self.offsets())
                for t, update, path in files:
                    self._con.execute(_write_sql(t, path, update))
            self._transaction(work)
        finally:
            for _, _, path in files:
                os.unlink(path)
        if batch.jobs:
            self._changed()

    # ---- the published snapshot ------------------------------------------------------------

    def _changed(self) -> None:
        """Rows changed: publish now if the last snapshot is old enough, else when it will be."""
        if self.snapshot_path is None:
            return
        with self._lock:
            self._unpublished = True
            wait = self._published_at + self._interval - time.monotonic()
            if wait <= 0:
                self.publish_snapshot()
            elif self._timer is None:
                self._timer = threading.Timer(wait, self._publish_when_due)
                self._timer.daemon = True
                self._timer.start()

    def _publish_when_due(self) -> None:
        with self._lock:
            self._timer = None
            if self._unpublished:
                try:
                    self.publish_snapshot()
                except Exception:   # noqa: BLE001  (the next batch tries again; a reader keeps the old one)
                    import logging
                    logging.getLogger("revloop.store").warning("snapshot not published", exc_info=True)

    def publish_snapshot(self) -> str | None:
        """Write the snapshot now (CHECKPOINT, copy, fsync, rename over the old one)."""
        if self.snapshot_path is None:
            return None
        with self._lock:
            self._con.execute("CHECKPOINT")
            directory = os.path.dirname(os.path.abspath(self.snapshot_path))
            fd, tmp = tempfile.mkstemp(prefix=".revloop-snapshot-", suffix=".duckdb", dir=directory)
            os.close(fd)
            try:
                # Copied by a child process: DuckDB's lock on the store file is a POSIX record
                # lock, which this process would lose the moment it closed any descriptor of
                # that file (and another process could then open the store mid-write).
                subprocess.run(["cp", "--", self.path, tmp], check=True, capture_output=True, timeout=600)
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.chmod(tmp, 0o600)
                os.replace(tmp, self.snapshot_path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
            self._published_at = time.monotonic()
            self._unpublished = False
            return self.snapshot_path

    def rows(self, table: str, tenant_id: str | None = None) -> list[dict]:
        t = ddl.table(table)
        sql, params = _read_sql(t), []
        if tenant_id is not None:
            sql, params = sql + ' WHERE "tenant_id" = ?', [tenant_id]
        return normalise(t, self._con.execute(sql, params).fetchall())

    def offsets(self) -> dict[tuple[str, int], int]:
        recs = self._con.execute('SELECT "topic", "partition", "next_offset" FROM "consumer_offsets"').fetchall()
        return {(topic, part): nxt for topic, part, nxt in recs}

    def count(self, table: str) -> int:
        return self._con.execute(f"SELECT count(*) FROM {q(ddl.table(table).name)}").fetchone()[0]

    def save_checkpoint(self, checkpoint: Checkpoint, keep: int = 3) -> int:
        return self._checkpoints.save(checkpoint, keep)

    def checkpoint_infos(self, scope: str, partition: int) -> list[CheckpointInfo]:
        return self._checkpoints.infos(scope, partition)

    def load_checkpoint(self, scope: str, partition: int, seq: int) -> Checkpoint:
        return self._checkpoints.load(scope, partition, seq)

    def clear(self) -> None:
        def work():
            for t in ddl.all_tables():
                self._con.execute(f"DELETE FROM {q(t.name)}")
        self._transaction(work)
        self._changed()

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._unpublished:
                self.publish_snapshot()
            self._con.close()


def ddl_views() -> list[str]:
    from revloop.projections.views import VIEWS
    return list(VIEWS)
