"""DuckDB projection store: one file analysts query (TIMESTAMP columns are UTC).

Bulk path (measured, 100k rows x 23 columns): executemany runs row by row (~1k rows/s),
binding column lists and UNNESTing them ~20k rows/s; the rows written to a temp file by one
json.dumps call (Python's C JSON encoder) and read back with read_json into one
INSERT .. ON CONFLICT is ~3x faster again. Each row travels as a JSON array of its values in
column order (no column names repeated per row: half the text of an array of objects), read
as VARCHAR[] and cast per column; json columns go as JSON text and are stored as given.
Values round-trip exactly (doubles included).
"""
from __future__ import annotations

import json
import os
import tempfile

import duckdb

from revloop.projections import ddl
from revloop.projections.ddl import lit, q
from revloop.projections.store import PreparedBatch, ProjectionStore, StoreFileGone, normalise, prepare_batch

D = "duckdb"


def _write_sql(t, path: str, update: bool) -> str:
    def value(i: int, kind: str) -> str:
        v = f"r[{i + 1}]"
        if kind == "text":
            return v
        if kind == "ts":
            return f"epoch_ms({v}::BIGINT)"
        return f"{v}::{ddl.column_type(kind, D)}"
    values = ", ".join(value(i, k) for i, (_, k) in enumerate(t.columns))
    rest = [c for c in t.column_names if c not in t.key]
    action = ("DO UPDATE SET " + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in rest)
              if update and rest else "DO NOTHING")
    return (f"INSERT INTO {q(t.name)} ({', '.join(map(q, t.column_names))}) SELECT {values} "
            f"FROM read_json({lit(path)}, format = 'array', records = false, columns = {{'r': 'VARCHAR[]'}}) "
            f"ON CONFLICT ({', '.join(map(q, t.key))}) {action}")


def _prepare(upserts, inserts=None, offsets=()) -> PreparedBatch:
    """prepare_batch, each table's rows then encoded as the staging file's text."""
    batch = prepare_batch(upserts, inserts, offsets)
    return PreparedBatch(tuple((t, update, json.dumps(records, ensure_ascii=False))
                               for t, update, records in batch.jobs))


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


class DuckDBStore(ProjectionStore):
    def __init__(self, path: str):
        self.path = path
        self._con = duckdb.connect(path)
        self._identity = _identity(path)

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
        self._con.begin()
        try:
            work()
        except BaseException:
            self._con.rollback()
            raise
        self._con.commit()

    def ensure_schema(self) -> None:
        def work():
            for stmt in ddl.schema_statements(D):
                self._con.execute(stmt)
        self._transaction(work)

    prepare = staticmethod(_prepare)

    def write_prepared(self, batch: PreparedBatch) -> None:
        files = []
        try:
            for t, update, text in batch.jobs:
                fd, path = tempfile.mkstemp(prefix=f"revloop-{t.name}-", suffix=".json")
                files.append((t, update, path))
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)

            def work():
                for t, update, path in files:
                    self._con.execute(_write_sql(t, path, update))
            self._transaction(work)
        finally:
            for _, _, path in files:
                os.unlink(path)

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

    def clear(self) -> None:
        def work():
            for t in ddl.all_tables():
                self._con.execute(f"DELETE FROM {q(t.name)}")
        self._transaction(work)

    def close(self) -> None:
        self._con.close()
