"""Read-only SQL over the projections, for people's pages (the console, the report).

One interface, two backends, so a page's query is written once:

* DuckDB: the embedded default, opened read-only (the published snapshot file when the
  worker writes one, else the store file itself). DuckDB has no row-level security, so
  every tenant query filters on tenant_id itself; the console's query functions always do.
* Postgres: each tenant's queries log in as that tenant's reader role (projections.
  pg_tenants: SELECT only, row-level security keyed on the login), so the isolation does
  not depend on this code; the query's own tenant filter is a second fence. A query with
  no tenant uses the URL's own login (the owner, for `revloop report` over every tenant).

SQL is written with `?` placeholders (translated to psycopg's `%s`), in the subset both
engines speak: `->>` on json columns, FILTER on aggregates, NULLS FIRST/LAST. Rows come
back as dicts; timestamps as timezone-aware UTC datetimes; json columns parsed.
"""
from __future__ import annotations

import abc
import datetime as dt
import json
import os
import threading
import time

UTC = dt.timezone.utc


def _names(names: list[str]) -> list[str]:
    # Rows are dicts: two columns of one name would silently become one.
    if len(set(names)) != len(names):
        raise ValueError(f"a query returns two columns of one name: {names}; alias them")
    return names


def _utc(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


class NoReader(LookupError):
    """This reader cannot read that tenant (no credentials for its reader role)."""


class ProjectionReader(abc.ABC):
    dialect: str

    @abc.abstractmethod
    def fetch(self, tenant_id: str | None, sql: str, params: tuple | list = ()) -> list[dict]:
        """Rows of one query. tenant_id scopes the session (Postgres RLS); None: the reader's
        own scope (every tenant for an owner reader; nothing for the app role)."""

    def one(self, tenant_id: str | None, sql: str, params: tuple | list = ()) -> dict | None:
        rows = self.fetch(tenant_id, sql, params)
        return rows[0] if rows else None

    @abc.abstractmethod
    def close(self) -> None:
        ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class DuckDBReader(ProjectionReader):
    """A read-only DuckDB file. When the file is replaced (a newer snapshot renamed over it),
    the next query opens the new one: checked at most every `recheck_s` seconds."""
    dialect = "duckdb"

    def __init__(self, path: str, *, recheck_s: float = 1.0):
        self.path = path
        self._recheck_s = recheck_s
        self._lock = threading.Lock()
        self._con = None
        self._identity = None
        self._checked = 0.0

    def _file_identity(self):
        st = os.stat(self.path)
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _connection(self):
        import duckdb

        with self._lock:
            now = time.monotonic()
            if self._con is None or now - self._checked >= self._recheck_s:
                self._checked = now
                identity = self._file_identity()
                if self._con is None or identity != self._identity:
                    if self._con is not None:
                        self._con.close()
                    self._con = duckdb.connect(self.path, read_only=True)
                    self._con.execute("SET TimeZone = 'UTC'")
                    self._identity = identity
            # A cursor per query: one DuckDB connection is not to be shared by threads.
            return self._con.cursor()

    def fetch(self, tenant_id, sql, params=()):
        cur = self._connection()
        try:
            cur.execute(sql, list(params))
            names = _names([d[0] for d in cur.description])
            json_at = {i for i, d in enumerate(cur.description) if str(d[1]) == "JSON"}
            out = []
            for rec in cur.fetchall():
                out.append({n: (json.loads(v) if i in json_at and isinstance(v, str) else _utc(v))
                            for i, (n, v) in enumerate(zip(names, rec))})
            return out
        finally:
            cur.close()

    def close(self):
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


class PostgresReader(ProjectionReader):
    """Connections kept per tenant (a session's tenant is its login, fixed when it opens).
    password_for(tenant) gives the tenant reader role's password (None: no reader for it)."""
    dialect = "postgres"

    def __init__(self, url: str, *, schema: str | None = None, per_tenant: int = 4, password_for=None):
        self.url, self.schema = url, schema
        self._password_for = password_for
        self._per_tenant = per_tenant
        self._idle: dict[str | None, list] = {}
        self._lock = threading.Lock()

    def _take(self, tenant_id):
        with self._lock:
            idle = self._idle.get(tenant_id)
            if idle:
                return idle.pop()
        from revloop.projections.pg_tenants import tenant_connection
        from revloop.projections.postgres_store import _connect
        if tenant_id is None:
            return _connect(self.url, self.schema, autocommit=True)
        password = self._password_for(tenant_id) if self._password_for else None
        if password is None:
            raise NoReader(f"no Postgres reader password for tenant {tenant_id!r} "
                           "(revloop tenants grant-reader, then give the console its password)")
        return tenant_connection(self.url, tenant_id, password=password, schema=self.schema)

    def _give_back(self, tenant_id, conn):
        with self._lock:
            idle = self._idle.setdefault(tenant_id, [])
            if len(idle) < self._per_tenant and not conn.closed:
                idle.append(conn)
                return
        conn.close()

    def fetch(self, tenant_id, sql, params=()):
        import psycopg

        conn = self._take(tenant_id)
        try:
            cur = conn.execute(sql.replace("?", "%s"), list(params))
            names = _names([d.name for d in cur.description])
            rows = [{n: _utc(v) for n, v in zip(names, rec)} for rec in cur.fetchall()]
        except psycopg.OperationalError:
            conn.close()
            raise
        self._give_back(tenant_id, conn)
        return rows

    def close(self):
        with self._lock:
            conns = [c for idle in self._idle.values() for c in idle]
            self._idle.clear()
        for c in conns:
            c.close()


def open_reader(url: str, **kwargs) -> ProjectionReader:
    """"duckdb:path" -> DuckDBReader (read-only); "postgresql://..." -> PostgresReader."""
    if url.startswith("duckdb:"):
        path = url[len("duckdb:"):]
        from revloop.projections.duckdb_store import snapshot_path
        # The published snapshot when there is one: the store file itself is locked while the
        # worker writes it.
        if os.path.exists(snapshot_path(path)):
            return DuckDBReader(snapshot_path(path), **kwargs)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no DuckDB file at {path!r}")
        return DuckDBReader(path, **kwargs)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresReader(url, **kwargs)
    raise ValueError(f"unsupported store url {url!r} (want duckdb:<path> or postgresql://...)")
