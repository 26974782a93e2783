"""One contract for every ProjectionStore, run against DuckDB and Postgres.

StoreContract states the behaviour once; each backend subclass only says how to open a
store on a fresh database. Postgres also gets its row-level-security tests.
"""
from __future__ import annotations

import json
import os
import uuid

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revloop.processors.tables import TABLES
from revloop.projections.checkpoints import Checkpoint, CheckpointDamaged, CheckpointMissing
from revloop.projections.store import PositionConflict
from tests.support.store_fixtures import duckdb_factory, pg_factory, pg_schema, tenant_reader  # noqa: F401

# Edge values per column kind (the stores' documented shapes).
EDGES = {
    "text": ["", "it's \"quoted\"\n\t\\ é 😀 ✓", None],
    "bigint": [0, -(2**63), 2**63 - 1, None],
    "double": [0.1, -0.0, 1.7976931348623157e308, 5e-324, float("inf"), float("-inf"), None],
    "bool": [True, False, None],
    "ts": [0, 4102444800123, -1, -62135596800000, 253402300799999, 1, None],   # years 1 .. 9999
    "json": ['{"b": 1, "a": [1, 2.5, null, true, "x"]}', "[]", '"just a string"', "12", ["a", "b"],
             {"k": {"n": -3}}, None],
}


def new_tenant() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


def sample_rows(table, tenant: str, n: int, start: int = 0) -> list[dict]:
    """n rows with distinct keys; a table keyed by tenant alone gets one tenant per row."""
    if table.key == ("tenant_id",):
        return [sample_row(table, f"{tenant}.{i}", i) for i in range(start, start + n)]
    return [sample_row(table, tenant, i) for i in range(start, start + n)]


def sample_row(table, tenant: str, i: int, **override) -> dict:
    """A full row for any table, values cycling through the edge cases; key columns unique by i."""
    row = {"tenant_id": tenant}
    for n, (col, kind) in enumerate(table.columns[1:], 1):
        if col in table.key:      # unique by i, in the column's kind (a template's version is a number)
            row[col] = f"{col}-{i}" if kind == "text" else i
        else:
            row[col] = EDGES[kind][(i + n) % len(EDGES[kind])]
    return {**row, **override}


def expected(row: dict, table) -> dict:
    """What rows() gives back for a written row: json columns parsed."""
    out = dict(row)
    for col, kind in table.columns:
        if kind == "json" and isinstance(out[col], str):
            out[col] = json.loads(out[col])
    return out


def key(table, row):
    return tuple(row[c] for c in table.key)


class StoreContract:
    """The behaviour of every store. Subclasses provide `open_store`: a callable opening a
    new store on the same fresh database (so a test can reopen it)."""

    @pytest.fixture
    def open_store(self):
        raise NotImplementedError

    @pytest.fixture
    def store(self, open_store):
        store = open_store()
        store.ensure_schema()
        return store

    def test_ensure_schema_creates_every_table_and_twice_is_harmless(self, store, open_store):
        tenant = new_tenant()
        store.write_batch({"product_catalog": [sample_row(TABLES["product_catalog"], tenant, 1)]},
                          offsets=[("orders", 0, 7)])
        store.ensure_schema()
        again = open_store()
        again.ensure_schema()
        assert {name: again.count(name) for name in TABLES} == {name: int(name == "product_catalog") for name in TABLES}
        assert again.offsets() == {("orders", 0): 7}

    def test_upsert_replaces_the_whole_row_by_key(self, store):
        t, tenant = TABLES["orders"], new_tenant()
        first = sample_row(t, tenant, 1, status="open", fee_cents=100, due_at=1000)
        store.write_batch({"orders": [first, sample_row(t, tenant, 2)]})
        second = sample_row(t, tenant, 1, status="delivered", fee_cents=None, due_at=None, client_id="other")
        store.write_batch({"orders": [second]})
        assert store.rows("orders", tenant) == [expected(second, t), expected(sample_row(t, tenant, 2), t)]

    def test_the_same_key_in_another_tenant_is_another_row(self, store):
        t, a, b = TABLES["tenant_controls"], new_tenant(), new_tenant()
        store.write_batch({"tenant_controls": [sample_row(t, a, 1), sample_row(t, b, 2)]})
        assert store.rows("tenant_controls", a) == [expected(sample_row(t, a, 1), t)]
        assert [r["tenant_id"] for r in store.rows("tenant_controls")] == sorted([a, b])

    def test_within_one_batch_the_last_upsert_of_a_key_wins(self, store):
        t, tenant = TABLES["deals"], new_tenant()
        rows = [sample_row(t, tenant, 1, stage=s) for s in ("lead", "won", "lost")]
        store.write_batch({"deals": rows})
        assert store.rows("deals", tenant) == [expected(rows[-1], t)]

    def test_insert_only_keeps_the_first_row(self, store):
        t, tenant = TABLES["warehouse_events"], new_tenant()
        first, later = sample_row(t, tenant, 1, topic="a"), sample_row(t, tenant, 1, topic="b")
        store.write_batch({}, inserts={"warehouse_events": [first, later]})
        store.write_batch({}, inserts={"warehouse_events": [sample_row(t, tenant, 1, topic="c"),
                                                            sample_row(t, tenant, 2)]})
        assert store.rows("warehouse_events", tenant) == [expected(first, t), expected(sample_row(t, tenant, 2), t)]

    def test_one_table_both_upserted_and_inserted_in_a_batch_upserts_first(self, store):
        t, tenant = TABLES["deals"], new_tenant()
        up, other = sample_row(t, tenant, 1, stage="won"), sample_row(t, tenant, 2)
        store.write_batch({"deals": [up]}, inserts={"deals": [sample_row(t, tenant, 1, stage="lead"), other]})
        assert store.rows("deals", tenant) == [expected(up, t), expected(other, t)]

    def test_offsets_round_trip_and_are_upserted(self, store):
        store.write_batch({}, offsets=[("orders", 0, 10), ("orders", 1, 3), ("control", 0, 0)])
        store.write_batch({}, offsets=[("orders", 0, 25), ("ticks", 2, 2**40)])
        assert store.offsets() == {("orders", 0): 25, ("orders", 1): 3, ("control", 0): 0, ("ticks", 2): 2**40}

    def test_a_write_expecting_other_positions_than_the_stores_writes_nothing(self, store):
        tenant = new_tenant()
        store.write_batch({}, offsets=[("orders", 0, 10)], expect=[("orders", 0, 0)])
        row = sample_row(TABLES["product_catalog"], tenant, 1)
        # A zombie that still believes orders[0] is at 0, and a writer that expects a row never written.
        for stale in ([("orders", 0, 0)], [("orders", 1, 4)]):
            with pytest.raises(PositionConflict):
                store.write_batch({"product_catalog": [row]}, offsets=[("orders", 0, 99)], expect=stale)
        assert store.count("product_catalog") == 0 and store.offsets() == {("orders", 0): 10}
        store.write_batch({"product_catalog": [row]}, offsets=[("orders", 0, 20)],
                          expect=[("orders", 0, 10), ("orders", 1, 0)])
        assert store.count("product_catalog") == 1 and store.offsets() == {("orders", 0): 20}

    def test_checkpoints_round_trip_newest_first_and_only_the_newest_are_kept(self, store, open_store):
        scope = f"grp-{uuid.uuid4().hex[:6]}"
        for n in range(1, 5):
            cp = Checkpoint(scope, 1, "v1", {("orders", 1): 10 * n, ("control", 0): n},
                            {"acme": b"\x00state" * n, "beta": bytes(range(256))}, b"meta%d" % n, 1000 + n)
            assert store.save_checkpoint(cp, keep=2) == n
        store.save_checkpoint(Checkpoint(scope, 0, "v1", {("orders", 0): 5}, {}, b""), keep=2)
        store.save_checkpoint(Checkpoint("another-group", 1, "v1", {("orders", 1): 1}, {"x": b"x"}), keep=2)
        again = open_store()
        infos = again.checkpoint_infos(scope, 1)
        assert [(i.seq, i.positions, i.tenants, i.created_at) for i in infos] == [
            (4, {("orders", 1): 40, ("control", 0): 4}, 2, 1004), (3, {("orders", 1): 30, ("control", 0): 3}, 2, 1003)]
        got = again.load_checkpoint(scope, 1, 4)
        assert (got.states, got.meta, got.version) == ({"acme": b"\x00state" * 4, "beta": bytes(range(256))},
                                                       b"meta4", "v1")
        with pytest.raises(CheckpointMissing):
            again.load_checkpoint(scope, 1, 2)          # pruned
        assert [i.seq for i in again.checkpoint_infos(scope, 0)] == [1]
        assert again.checkpoint_infos(scope, 7) == []

    def test_every_kind_round_trips_exactly_including_edges(self, store):
        # Enough rows that every edge value lands in every column.
        batch = {t.name: sample_rows(t, new_tenant(), 8) for t in TABLES.values()}
        store.write_batch(batch)
        for t in TABLES.values():
            want = sorted((expected(r, t) for r in batch[t.name]), key=lambda r: key(t, r))
            assert store.rows(t.name) == want, t.name

    @pytest.mark.parametrize("bad", [
        {"proposed_fix": "{not json"},
        {"fee_cents": 2**63},
        {"code": None},                # a key column may not be NULL
        {"opened_at": "yesterday"},
    ])
    def test_a_batch_with_one_bad_row_writes_nothing(self, store, bad):
        tenant = new_tenant()
        before = sample_row(TABLES["clients"], tenant, 1)
        store.write_batch({"clients": [before]}, offsets=[("clients", 0, 1)])
        exc = TABLES["order_processing_exceptions"]
        if "fee_cents" in bad:
            exc, bad_table = TABLES["orders"], "orders"
        else:
            bad_table = exc.name
        with pytest.raises(Exception):
            store.write_batch({"clients": [sample_row(TABLES["clients"], tenant, 1, name="changed"),
                                           sample_row(TABLES["clients"], tenant, 2)],
                               bad_table: [sample_row(exc, tenant, 1), sample_row(exc, tenant, 2, **bad)]},
                              inserts={"warehouse_events": [sample_row(TABLES["warehouse_events"], tenant, 1)]},
                              offsets=[("clients", 0, 99)])
        assert store.rows("clients", tenant) == [expected(before, TABLES["clients"])]
        assert store.count(bad_table) == 0 and store.count("warehouse_events") == 0
        assert store.offsets() == {("clients", 0): 1}
        store.write_batch({"clients": [sample_row(TABLES["clients"], tenant, 3)]})   # still usable
        assert store.count("clients") == 2

    def test_a_row_missing_a_column_is_rejected(self, store):
        row = sample_row(TABLES["bids"], new_tenant(), 1)
        del row["competitor"]
        with pytest.raises(ValueError, match="competitor"):
            store.write_batch({"bids": [row]})
        assert store.count("bids") == 0

    def test_unknown_tables_are_rejected(self, store):
        with pytest.raises(ValueError):
            store.write_batch({"no_such_table": [{"tenant_id": "x"}]})
        with pytest.raises(ValueError):
            store.rows("clients; DROP TABLE clients")

    def test_rows_are_sorted_by_key_and_filtered_by_tenant(self, store):
        t, a, b = TABLES["order_processing_exceptions"], "tenant-a", "tenant-b"
        rows = [sample_row(t, ten, 0, order_id=o, code=c)
                for ten, o, c in [(b, "o1", "Z"), (a, "o2", "A"), (a, "o1", "B"), (a, "o1", "A"), (a, "O9", "A")]]
        store.write_batch({t.name: rows})
        assert [key(t, r) for r in store.rows(t.name, a)] == [(a, "O9", "A"), (a, "o1", "A"), (a, "o1", "B"),
                                                              (a, "o2", "A")]
        assert [key(t, r) for r in store.rows(t.name)][-1] == (b, "o1", "Z")
        assert store.count(t.name) == 5

    def test_rows_may_come_as_tuples_in_column_order(self, store):
        t, tenant = TABLES["deals"], new_tenant()
        rows = [sample_row(t, tenant, i) for i in range(4)] + [sample_row(t, tenant, 1, stage="won")]
        store.write_batch({t.name: [tuple(r[c] for c in t.column_names) for r in rows]})
        assert store.rows(t.name, tenant) == [expected(r, t) for r in (rows[0], rows[4], rows[2], rows[3])]
        with pytest.raises(ValueError, match="tuples"):
            store.write_batch({t.name: [tuple(rows[0][c] for c in t.column_names)[:-1]]})

    def test_clear_deletes_every_row_of_every_table(self, store):
        batch = {t.name: sample_rows(t, new_tenant(), 3) for t in TABLES.values()}
        store.write_batch(batch, offsets=[("orders", 0, 10)])
        store.clear()
        assert {name: store.count(name) for name in TABLES} == {name: 0 for name in TABLES}
        assert store.offsets() == {}
        store.write_batch({"clients": [sample_row(TABLES["clients"], new_tenant(), 1)]})   # still usable
        assert store.count("clients") == 1

    def test_rows_survive_reopening(self, store, open_store):
        t, tenant = TABLES["suppression_list"], new_tenant()
        store.write_batch({t.name: [sample_row(t, tenant, i) for i in range(3)]}, offsets=[("x", 0, 3)])
        store.close()
        again = open_store()
        again.ensure_schema()
        assert again.rows(t.name, tenant) == [expected(sample_row(t, tenant, i), t) for i in range(3)]
        assert again.offsets() == {("x", 0): 3}

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      # one test body, run per backend subclass
                                                                      HealthCheck.differing_executors])
    @given(data=st.data())
    def test_property_rows_equal_the_last_write_per_key(self, store, data):
        table = data.draw(st.sampled_from(list(TABLES.values())), label="table")
        tenant = new_tenant()                       # examples share the store: one tenant each
        row = st.fixed_dictionaries({c: (st.just(tenant) if c == "tenant_id" else
                                         (st.sampled_from(["a", "b", "B", "é"]) if k == "text" else st.sampled_from([1, 2]))
                                         if c in table.key else VALUES[k])
                                     for c, k in table.columns})
        model: dict = {}
        for _ in range(data.draw(st.integers(1, 3), label="batches")):
            rows = data.draw(st.lists(row, max_size=6), label="rows")
            insert_only = data.draw(st.booleans(), label="insert_only")
            store.write_batch({} if insert_only else {table.name: rows},
                              inserts={table.name: rows} if insert_only else {})
            for r in rows:
                if insert_only:
                    model.setdefault(key(table, r), r)
                else:
                    model[key(table, r)] = r
        want = [expected(model[k], table) for k in sorted(model)]
        assert store.rows(table.name, tenant) == want


SAFE_CHARS = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))   # Postgres refuses NUL
TEXT = st.text(SAFE_CHARS, max_size=12)
# JSONB normalises numbers: floats keep their value only while they print without an exponent
# beyond 1e16 (documented in revloop/projections/store.py).
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | TEXT
    | st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)
VALUES = {
    "text": st.none() | TEXT,
    "bigint": st.none() | st.integers(-(2**63), 2**63 - 1),
    "double": st.none() | st.floats(allow_nan=False),
    "bool": st.none() | st.booleans(),
    "ts": st.none() | st.integers(-62135596800000, 253402300799999),
    "json": st.none() | JSON_VALUES.map(lambda v: json.dumps(v, ensure_ascii=False)) | st.lists(TEXT, max_size=3),
}


class TestDuckDBStore(StoreContract):
    @pytest.fixture
    def open_store(self, duckdb_factory):
        return duckdb_factory


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def open_store(self, pg_factory):
        return pg_factory

    def _two_tenants(self, store):
        t1, t2 = new_tenant(), new_tenant()
        store.write_batch({name: [sample_row(t, ten, i) for ten in (t1, t2) for i in range(2)]
                           for name, t in TABLES.items()})
        assert store.count("tenant_controls") == 2 and store.count("clients") == 4
        return t1, t2

    def test_a_small_batch_and_a_large_one_write_the_same_rows(self, store, pg_schema):
        """Up to SMALL_BATCH_ROWS a batch goes as pipelined INSERTs, above through COPY: the same
        rows, edge values included, either way (and a batch's upserts and inserts alike)."""
        from revloop.projections.postgres_store import SMALL_BATCH_ROWS

        tenant = new_tenant()
        batch = {t.name: sample_rows(t, tenant, 8) for t in TABLES.values()}
        again = {name: [{**new, **{c: old[c] for c in TABLES[name].key}}
                        for old, new in zip(rows, sample_rows(TABLES[name], tenant, 4, 3))] for name, rows in batch.items()}
        assert sum(map(len, batch.values())) > SMALL_BATCH_ROWS >= max(map(len, batch.values())) + len(again["orders"])
        from revloop.projections.postgres_store import PostgresStore

        url, _ = pg_schema
        other = f"{pg_schema[1]}_small"
        small = PostgresStore(url, schema=other)
        try:
            small.ensure_schema()
            for name in TABLES:                        # one table per batch: each under the limit
                small.write_batch({name: batch[name]})
                small.write_batch({name: again[name]} if name != "warehouse_events" else {},
                                  inserts={name: again[name]} if name == "warehouse_events" else None)
            store.write_batch(batch)
            store.write_batch({n: r for n, r in again.items() if n != "warehouse_events"},
                              inserts={"warehouse_events": again["warehouse_events"]})
            for name in TABLES:
                assert small.rows(name) == store.rows(name), name
        finally:
            small.close()
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{other}" CASCADE')

    def test_a_tenants_reader_role_sees_only_its_tenants_rows(self, store, tenant_reader, pg_schema):
        t1, t2 = self._two_tenants(store)
        conn = tenant_reader(t1, pg_schema[1])
        for name in TABLES:
            seen = conn.execute(f'SELECT tenant_id, count(*) FROM "{name}" GROUP BY 1').fetchall()
            assert seen == [(t1, len(store.rows(name, t1)))], name

    def test_a_reader_role_writes_nothing_not_even_its_own_tenants_rows(self, store, tenant_reader, pg_schema):
        t1, t2 = self._two_tenants(store)
        conn = tenant_reader(t1, pg_schema[1])
        for statement, args in [("INSERT INTO suppression_list (tenant_id, email) VALUES (%s, 'mine@x')", [t1]),
                                ("INSERT INTO suppression_list (tenant_id, email) VALUES (%s, 'theirs@x')", [t2]),
                                ("UPDATE clients SET name = 'x' WHERE tenant_id = %s", [t1]),
                                ("DELETE FROM clients WHERE tenant_id = %s", [t1]),
                                ("INSERT INTO tenant_roles (role_name, tenant_id) VALUES (current_user, %s)", [t2])]:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, args)
        assert [r["email"] for r in store.rows("suppression_list", t2)] == ["email-0", "email-1"]
        assert len(store.rows("clients", t1)) == 2

    def test_the_reader_group_itself_sees_nothing(self, store, pg_schema):
        self._two_tenants(store)
        app_url = os.environ.get("DATABASE_URL_APP")
        assert app_url, "DATABASE_URL_APP: the reader group's login (scripts/pg-local.sh env)"
        with psycopg.connect(app_url, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{pg_schema[1]}"')
            for name in TABLES:
                assert conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == 0, name
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT count(*) FROM consumer_offsets")   # the worker's, not granted

    def test_every_tenant_table_has_rls_and_the_policy(self, store):
        got = dict(store._conn.execute(
            "SELECT c.relname, c.relrowsecurity AND NOT c.relforcerowsecurity FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'").fetchall())
        assert got == {**{name: True for name in TABLES}, "tenant_roles": True, "consumer_offsets": False,
                       "tick_positions": True, "state_checkpoints": False, "state_snapshots": True}
        policies = store._conn.execute("SELECT tablename FROM pg_policies WHERE schemaname = current_schema() "
                                       "AND policyname = 'tenant_isolation'").fetchall()
        assert sorted(p for (p,) in policies) == sorted([*TABLES, "tick_positions", "state_snapshots"])

    def test_a_tenants_reader_cannot_read_the_workers_checkpoints(self, store, tenant_reader, pg_schema):
        tenant = new_tenant()
        store.save_checkpoint(Checkpoint("g", 0, "v1", {("orders", 0): 1}, {tenant: b"addresses"}))
        conn = tenant_reader(tenant, pg_schema[1])
        for table in ("state_snapshots", "state_checkpoints", "tick_positions"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f'SELECT count(*) FROM "{table}"')

    def test_of_two_writers_expecting_the_same_positions_only_the_first_commits(self, store, open_store):
        other = open_store()
        store.write_batch({}, offsets=[("orders", 0, 5)], expect=[("orders", 0, 0)])
        with store._conn.transaction():
            store._check_expected(store._conn.cursor(), [("orders", 0, 5)])   # holds the lock
            store._conn.execute('UPDATE consumer_offsets SET next_offset = 9')
            # The other writer waits on the lock, then sees 9 and is refused.
            import threading
            outcome = []
            thread = threading.Thread(target=lambda: outcome.append(_attempt(other, [("orders", 0, 5)])))
            thread.start()
            thread.join(0.5)
            assert thread.is_alive()                # blocked while the first transaction is open
        thread.join(10)
        assert outcome == ["refused"] and store.offsets() == {("orders", 0): 9}

    def test_grants_are_skipped_when_the_app_role_does_not_exist(self, open_store):
        store = open_store(app_role="no_such_role_" + uuid.uuid4().hex[:6])
        store.ensure_schema()
        assert store.count("clients") == 0


def _attempt(store, expect) -> str:
    try:
        store.write_batch({}, offsets=[("orders", 0, 6)], expect=expect)
        return "written"
    except PositionConflict:
        return "refused"


def test_duckdb_checkpoint_files_are_private_and_a_damaged_one_is_reported(duckdb_factory, tmp_path):
    import os
    import stat

    store = duckdb_factory()
    cp = Checkpoint("g", 2, "v1", {("orders", 2): 3}, {"acme": b"contacts@example.com"}, b"m")
    store.save_checkpoint(cp)
    folder = tmp_path / "projections.duckdb.checkpoints"
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) == 1 and stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert all(stat.S_IMODE(os.stat(d).st_mode) == 0o700 for d in folder.rglob("*") if d.is_dir())
    files[0].write_bytes(files[0].read_bytes()[:-3])           # truncated
    with pytest.raises(CheckpointDamaged):
        store.load_checkpoint("g", 2, 1)
    files[0].write_bytes(b"garbage")
    assert [i.version for i in store.checkpoint_infos("g", 2)] == ["damaged"]


def test_duckdb_and_postgres_return_the_same_rows_for_the_same_batches(duckdb_factory, pg_factory):
    duck, pg = duckdb_factory(), pg_factory()
    tenant = new_tenant()
    first = {name: sample_rows(t, tenant, 8) for name, t in TABLES.items()}
    # Half of them again with other values: upserts replace, warehouse_events inserts keep the first.
    second = {name: [{**new, **{c: old[c] for c in t.key}} for old, new in zip(first[name], sample_rows(t, tenant, 4, 3))]
              for name, t in TABLES.items()}
    for store in (duck, pg):
        store.ensure_schema()
        upserts = {n: r for n, r in first.items() if n != "warehouse_events"}
        store.write_batch(upserts, inserts={"warehouse_events": first["warehouse_events"]}, offsets=[("a", 1, 2)])
        store.write_batch({n: r for n, r in second.items() if n != "warehouse_events"},
                          inserts={"warehouse_events": second["warehouse_events"]}, offsets=[("a", 1, 5)])
    for name in TABLES:
        assert duck.rows(name) == pg.rows(name), name
        assert duck.count(name) == pg.count(name) == 8
    assert duck.offsets() == pg.offsets() == {("a", 1): 5}
