"""Postgres projection store: multi-tenant, row-level security per tenant.

The worker connects as the owner (DATABASE_URL, e.g. revloop_owner): it creates the tables
and, since RLS is enabled but not FORCEd, writes every tenant. Readers log in as their
tenant's own role (revloop.projections.pg_tenants), a member of the reader group
(REVLOOP_APP_ROLE, default revloop_app) that holds SELECT only: the `tenant_isolation`
policy shows the rows of the tenant that current_user maps to, and none to any other role.

Bulk path: COPY into a temp staging table (ts as bigint millis, json as text), then one
INSERT .. SELECT .. ON CONFLICT per table, converting with exact integer arithmetic.
"""
from __future__ import annotations


import psycopg
from psycopg import sql as pgsql

from revloop.projections import ddl
from revloop.projections.ddl import q
from psycopg.types.json import Jsonb

from revloop.projections.checkpoints import (Checkpoint, CheckpointDamaged, CheckpointInfo, CheckpointMissing,
                                             positions_json, positions_of)
from revloop.projections.pg_tenants import DEFAULT_APP_ROLE, tenant_connection  # noqa: F401  (readers connect through it)
from revloop.projections.store import PreparedBatch, ProjectionStore, check_expected, normalise

P = "postgres"
# Up to this many rows, a batch is written as one INSERT per row, pipelined in one round trip;
# above, through COPY into staging tables. Measured on a 200-event sequence (out/pg_small2.py):
# batches of 10 events 1 ms vs 10 ms at the median; 100 events 12 vs 14; 400 events 37-62 vs 36-118.
SMALL_BATCH_ROWS = 64


def _ts_in(col: str) -> str:
    # Whole days + remaining millis: integer-exact for any millisecond (no float seconds).
    # mod(), not %: the statement of a small batch carries parameters (psycopg's %s).
    return (f"(timestamp '1970-01-01' + ({col} / 86400000) * interval '1 day'"
            f" + mod({col}, 86400000) * interval '1 millisecond') AT TIME ZONE 'UTC'")


def _ts_out(col: str) -> str:
    return f"floor(extract(epoch from {col}) * 1000)::bigint"   # numeric extract: exact


def _stage(t) -> str:
    return q("_stage_" + t.name)


def _stage_sql(t) -> str:
    cols = ", ".join(f"{q(c)} {ddl.column_type(k, P, staging=True)}" for c, k in t.columns)
    return f"CREATE TEMP TABLE IF NOT EXISTS {_stage(t)} ({cols}) ON COMMIT DELETE ROWS"


def _insert_sql(t, update: bool, source: str, alias: str = "") -> str:
    """Rows of `source` (staged columns: times as epoch millis, json as text) into table t."""
    conv = {"ts": _ts_in, "json": lambda c: f"{c}::jsonb"}
    cols = ", ".join(q(c) for c in t.column_names)
    values = ", ".join(conv.get(k, lambda c: c)(alias + q(c)) for c, k in t.columns)
    rest = [c for c in t.column_names if c not in t.key]
    action = ("DO UPDATE SET " + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in rest)
              if update and rest else "DO NOTHING")
    return (f"INSERT INTO {q(t.name)} ({cols}) SELECT {values} FROM {source} "
            f"ON CONFLICT ({', '.join(map(q, t.key))}) {action}")


def _write_sql(t, update: bool) -> str:
    return _insert_sql(t, update, _stage(t))


def _row_sql(t, update: bool) -> str:
    """One row from parameters, converted as a staged row is: a small batch's statement."""
    params = ", ".join(f"%s::{ddl.column_type(k, P, staging=True)}" for _, k in t.columns)
    cols = ", ".join(q(c) for c in t.column_names)
    return _insert_sql(t, update, f"(VALUES ({params})) AS v({cols})", alias="v.")


def _read_sql(t) -> str:
    conv = {"ts": _ts_out, "json": lambda c: f"{c}::text"}
    return "SELECT " + ", ".join(conv.get(k, lambda c: c)(q(c)) for c, k in t.columns) + f" FROM {q(t.name)}"


def _connect(url: str, schema: str | None, **kwargs) -> psycopg.Connection:
    conn = psycopg.connect(url, **kwargs)
    conn.execute("SET TIME ZONE 'UTC'")
    if schema:
        conn.execute(pgsql.SQL("SET search_path TO {}").format(pgsql.Identifier(schema)))
    return conn


class PostgresStore(ProjectionStore):
    def __init__(self, url: str, *, schema: str | None = None, app_role: str | None = None):
        """schema: use (and create) this schema instead of the connection's search_path."""
        self.schema = schema
        self.app_role = app_role or DEFAULT_APP_ROLE
        self._url = url
        self._conn = _connect(url, schema, autocommit=True)
        self._staging: set[str] = set()      # staging tables this connection has created

    transient_errors = (psycopg.OperationalError, psycopg.InterfaceError)

    def reconnect(self) -> None:
        try:
            self._conn.close()
        finally:
            self._conn = _connect(self._url, self.schema, autocommit=True)
            self._staging = set()

    def ensure_schema(self) -> None:
        with self._conn.transaction():
            # Concurrent CREATE TABLE IF NOT EXISTS can still collide: serialise schema setup.
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('revloop.ensure_schema'))")
            if self.schema:
                self._conn.execute(f"CREATE SCHEMA IF NOT EXISTS {q(self.schema)}")
                self._conn.execute(ddl.grant_if_role(self.app_role,
                                                     f"GRANT USAGE ON SCHEMA {q(self.schema)} TO {q(self.app_role)}"))
            for stmt in ddl.schema_statements(P, self.app_role):
                self._conn.execute(stmt)

    def write_prepared(self, batch: PreparedBatch) -> None:
        staged: set[str] = set()
        with self._conn.transaction(), self._conn.cursor() as cur:
            if batch.expect:
                self._check_expected(cur, batch.expect)
            if sum(len(records) for _, _, records in batch.jobs) <= SMALL_BATCH_ROWS:
                # psycopg pipelines executemany: every row's statement in one round trip.
                for t, update, records in batch.jobs:
                    cur.executemany(_row_sql(t, update), records)
                return
            for t, update, records in batch.jobs:
                if t.name not in self._staging:     # once per connection: they are ON COMMIT DELETE ROWS
                    cur.execute(_stage_sql(t))
                if t.name in staged:          # same table as upsert and insert in one batch
                    cur.execute(f"TRUNCATE {_stage(t)}")
                staged.add(t.name)
                cols = ", ".join(q(c) for c in t.column_names)
                with cur.copy(f"COPY {_stage(t)} ({cols}) FROM STDIN") as copy:
                    for rec in records:
                        copy.write_row(rec)
                cur.execute(_write_sql(t, update))
        # Known only once committed: a rolled-back CREATE TEMP TABLE is gone again.
        self._staging.update(staged)

    @staticmethod
    def _check_expected(cur, expect) -> None:
        """Two workers writing one partition's positions serialise on an advisory lock per
        (topic, partition) (a row lock cannot cover a row not yet inserted); the second sees
        the first's commit and is refused."""
        for topic, part in sorted({(t, p) for t, p, _ in expect}):
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [topic, part])
        cur.execute('SELECT "topic", "partition", "next_offset" FROM "consumer_offsets" '
                    'WHERE "topic" = ANY(%s)', [sorted({t for t, _, _ in expect})])
        check_expected(expect, {(t, p): o for t, p, o in cur.fetchall()})

    # ---- checkpoints: state_checkpoints (what each covers) + state_snapshots (a row per tenant) ----

    def save_checkpoint(self, checkpoint: Checkpoint, keep: int = 3) -> int:
        cp = checkpoint
        with self._conn.transaction(), self._conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [cp.scope, cp.partition])
            cur.execute(f'SELECT coalesce(max("seq"), 0) + 1 FROM {q(ddl.CHECKPOINTS)} '
                        'WHERE "scope" = %s AND "partition" = %s', [cp.scope, cp.partition])
            cp.seq = cur.fetchone()[0]
            with cur.copy(f'COPY {q(ddl.SNAPSHOTS)} ("scope", "partition", "seq", "tenant_id", "state") '
                          'FROM STDIN') as copy:
                for tenant, blob in cp.states.items():
                    copy.write_row((cp.scope, cp.partition, cp.seq, tenant, blob))
            # The header row last: a checkpoint is listed only once all its states are in.
            cur.execute(f'INSERT INTO {q(ddl.CHECKPOINTS)} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)',
                        [cp.scope, cp.partition, cp.seq, cp.version, Jsonb(positions_json(cp.positions)),
                         cp.meta, len(cp.states), cp.created_at])
            cur.execute(f'SELECT "seq" FROM {q(ddl.CHECKPOINTS)} WHERE "scope" = %s AND "partition" = %s '
                        'ORDER BY "seq" DESC OFFSET %s', [cp.scope, cp.partition, max(keep, 1)])
            old = [r[0] for r in cur.fetchall()]
            if old:
                for table in (ddl.CHECKPOINTS, ddl.SNAPSHOTS):
                    cur.execute(f'DELETE FROM {q(table)} WHERE "scope" = %s AND "partition" = %s '
                                'AND "seq" = ANY(%s)', [cp.scope, cp.partition, old])
        return cp.seq

    def checkpoint_infos(self, scope: str, partition: int) -> list[CheckpointInfo]:
        recs = self._conn.execute(f'SELECT "seq", "version", "positions", "created_at", "tenants" '
                                  f'FROM {q(ddl.CHECKPOINTS)} WHERE "scope" = %s AND "partition" = %s '
                                  'ORDER BY "seq" DESC', [scope, partition]).fetchall()
        return [CheckpointInfo(scope, partition, seq, version, positions_of(positions), created, tenants)
                for seq, version, positions, created, tenants in recs]

    def load_checkpoint(self, scope: str, partition: int, seq: int) -> Checkpoint:
        with self._conn.transaction():       # one snapshot of both tables
            head = self._conn.execute(f'SELECT "version", "positions", "meta", "created_at", "tenants" '
                                      f'FROM {q(ddl.CHECKPOINTS)} WHERE "scope" = %s AND "partition" = %s '
                                      'AND "seq" = %s', [scope, partition, seq]).fetchone()
            if head is None:
                raise CheckpointMissing(f"no checkpoint {seq} of partition {partition}")
            states = dict(self._conn.execute(f'SELECT "tenant_id", "state" FROM {q(ddl.SNAPSHOTS)} '
                                             'WHERE "scope" = %s AND "partition" = %s AND "seq" = %s',
                                             [scope, partition, seq]).fetchall())
        version, positions, meta, created, tenants = head
        if len(states) != tenants:
            raise CheckpointDamaged(f"checkpoint {seq} of partition {partition} has {len(states)} of its "
                                    f"{tenants} tenant states")
        return Checkpoint(scope, partition, version, positions_of(positions), {t: bytes(b) for t, b in states.items()},
                          bytes(meta or b""), created, seq)

    def rows(self, table: str, tenant_id: str | None = None) -> list[dict]:
        t = ddl.table(table)
        sql, params = _read_sql(t), []
        if tenant_id is not None:
            sql, params = sql + ' WHERE "tenant_id" = %s', [tenant_id]
        return normalise(t, self._conn.execute(sql, params).fetchall())

    def offsets(self) -> dict[tuple[str, int], int]:
        recs = self._conn.execute('SELECT "topic", "partition", "next_offset" FROM "consumer_offsets"').fetchall()
        return {(topic, part): nxt for topic, part, nxt in recs}

    def count(self, table: str) -> int:
        return self._conn.execute(f"SELECT count(*) FROM {q(ddl.table(table).name)}").fetchone()[0]

    def clear(self) -> None:
        with self._conn.transaction():
            for t in ddl.all_tables():
                self._conn.execute(f"DELETE FROM {q(t.name)}")

    def close(self) -> None:
        self._conn.close()
