"""DuckDB projection store: one file analysts query (TIMESTAMP columns are UTC).

Bulk path: each column goes in as one typed list parameter and is UNNESTed into a single
INSERT .. ON CONFLICT; ~100x faster than executemany, which runs row by row.
"""
from __future__ import annotations

import duckdb

from projections import ddl
from projections.ddl import q
from projections.store import ProjectionStore, columns_of, dedupe, normalise

D = "duckdb"


def _write_sql(t, update: bool) -> str:
    cols = ", ".join(q(c) for c in t.column_names)
    values = []
    for i, (c, kind) in enumerate(t.columns, 1):
        v = f"unnest(${i}::{ddl.column_type(kind, D, staging=True)}[])"
        values.append(f"epoch_ms({v})" if kind == "ts" else f"{v}::JSON" if kind == "json" else v)
    rest = [c for c in t.column_names if c not in t.key]
    action = ("DO UPDATE SET " + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in rest)
              if update and rest else "DO NOTHING")
    return (f"INSERT INTO {q(t.name)} ({cols}) SELECT {', '.join(values)} "
            f"ON CONFLICT ({', '.join(map(q, t.key))}) {action}")


def _read_sql(t) -> str:
    return "SELECT " + ", ".join(f"epoch_ms({q(c)})" if k == "ts" else q(c) for c, k in t.columns) + \
        f" FROM {q(t.name)}"


class DuckDBStore(ProjectionStore):
    def __init__(self, path: str):
        self.path = path
        self._con = duckdb.connect(path)

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

    def write_batch(self, upserts, inserts=None, offsets=()) -> None:
        jobs = [(ddl.table(n), rows, True) for n, rows in upserts.items()]
        jobs += [(ddl.table(n), rows, False) for n, rows in (inserts or {}).items()]
        if offsets:
            jobs.append((ddl.OFFSETS, [dict(zip(ddl.OFFSETS.column_names, o)) for o in offsets], True))
        # Validate and shape everything before touching the database.
        prepared = [(_write_sql(t, update), columns_of(t, dedupe(t, rows, keep_last=update)))
                    for t, rows, update in jobs if rows]

        def work():
            for sql, params in prepared:
                self._con.execute(sql, params)
        self._transaction(work)

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

    def close(self) -> None:
        self._con.close()
