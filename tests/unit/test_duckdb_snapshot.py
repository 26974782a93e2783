"""Analysts can query while the worker writes: the DuckDB store publishes a read-only snapshot
(atomic rename; at the end of a batch that changed rows, at most every N seconds, and on
close), with TIMESTAMPTZ columns, a comment on every table and column, and the views the
README's Querying section uses (its queries run here)."""
from __future__ import annotations

import datetime as dt
import os
import pathlib
import re
import subprocess
import sys
import time

import duckdb
import pytest

from revloop.projections import ddl
from revloop.projections.duckdb_store import DuckDBStore, snapshot_path
from revloop.projections.reader import open_reader
from revloop.projections.views import METRICS, VIEWS
from tests.support.cycle_harness import HOUR, Harness
from tests.support.events import DAY, T0, client, contact, event, good_order, touch

ROOT = pathlib.Path(__file__).resolve().parents[2]


def book() -> Harness:
    """Two tenants, overdue and never-touched contacts, an order with an exception, two runs."""
    h = Harness()
    for tenant in ("acme", "keystone"):
        h.feed("control", event("control", tenant=tenant, at=T0 - 5 * DAY, enabled=True, send_mode="dry_run",
                                caps={"emails": 2}))
        h.feed("client", client("c1", tenant=tenant, at=T0 - 60 * DAY, name=f"{tenant} lending",
                                credit_limit_cents=10_000))
        for i in range(4):
            h.feed("contact", contact(f"p{i}", client_id="c1", tenant=tenant, at=T0 - 50 * DAY, name=f"Pat {i}"))
            if i:
                h.feed("touch", touch(f"p{i}", tenant=tenant, at=T0 - (10 + 8 * i) * DAY))
        h.feed("order", good_order("o1", "c1", tenant=tenant, at=T0 - DAY, fee_cents=45_000, total_cents=47_500))
        for hour in (0, 1):
            h.tick(T0 + hour * HOUR, tenant=tenant)
    return h


def write(h: Harness, store: DuckDBStore, *, publish: bool = False) -> None:
    upserts, inserts = h.pipeline.take_changes()
    store.write_batch(upserts, inserts)
    if publish:                       # rather than wait out the interval
        store.publish_snapshot()


def in_another_process(path: str, sql: str) -> subprocess.CompletedProcess:
    """What an analyst's session gets: a separate process opening `path` read-only. (Inside one
    process DuckDB shares an open database among connections, which hides both the lock and
    a renamed file.)"""
    code = ("import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(con.execute(sys.argv[2]).fetchall())")
    return subprocess.run([sys.executable, "-c", code, path, sql], capture_output=True, text=True, timeout=60)


@pytest.fixture
def store(tmp_path):
    s = DuckDBStore(str(tmp_path / "revloop.duckdb"), snapshot_interval_s=1.0)
    s.ensure_schema()
    yield s
    s.close()


def read_only(path: str):
    con = duckdb.connect(path, read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    return con


def test_the_snapshot_opens_while_the_writer_holds_the_store(store):
    write(book(), store, publish=True)
    locked = in_another_process(store.path, "SELECT 1")               # what analysts used to meet
    assert locked.returncode != 0 and "lock" in locked.stderr.lower()
    assert store.snapshot_path == snapshot_path(store.path) and store.snapshot_path.endswith("revloop.snapshot.duckdb")
    opened = in_another_process(store.snapshot_path, "SELECT count(*) FROM agent_autonomous_runs")
    assert opened.returncode == 0 and opened.stdout.strip() == "[(4,)]"


def test_published_at_most_every_interval_and_once_more_when_it_ends(store):
    h = book()
    empty = os.stat(store.snapshot_path).st_ino                    # published by ensure_schema
    time.sleep(1.1)
    write(h, store)                                                 # the interval has passed: published at once
    first = os.stat(store.snapshot_path).st_ino
    assert first != empty
    h.tick(T0 + 2 * HOUR, tenant="acme")
    write(h, store)                                                 # inside the interval: waits
    assert os.stat(store.snapshot_path).st_ino == first
    with read_only(store.snapshot_path) as con:
        assert con.execute("SELECT count(*) FROM agent_autonomous_runs").fetchone()[0] == 4
    deadline = time.monotonic() + 10
    while os.stat(store.snapshot_path).st_ino == first and time.monotonic() < deadline:
        time.sleep(0.1)
    with read_only(store.snapshot_path) as con:
        assert con.execute("SELECT count(*) FROM agent_autonomous_runs").fetchone()[0] == 5


def test_a_reader_of_the_old_snapshot_keeps_reading_it_across_a_publish(store):
    h = book()
    write(h, store, publish=True)
    old = read_only(store.snapshot_path)
    time.sleep(1.1)
    h.tick(T0 + 2 * HOUR, tenant="acme")
    write(h, store)                                                 # interval passed: published now, by rename
    assert old.execute("SELECT count(*) FROM agent_autonomous_runs").fetchone()[0] == 4
    new = in_another_process(store.snapshot_path, "SELECT count(*) FROM agent_autonomous_runs")
    assert new.stdout.strip() == "[(5,)]", new.stderr
    old.close()
    assert not [f for f in os.listdir(os.path.dirname(store.path)) if f.startswith(".revloop-snapshot-")]


def test_a_batch_that_changes_nothing_publishes_nothing_and_close_publishes_what_is_pending(tmp_path):
    s = DuckDBStore(str(tmp_path / "r.duckdb"), snapshot_interval_s=60)
    s.ensure_schema()
    published = os.stat(s.snapshot_path).st_mtime_ns
    s.write_batch({}, {})
    assert os.stat(s.snapshot_path).st_mtime_ns == published
    write(book(), s)                                                # inside 60 s: pending
    s.close()                                                       # ... published on close
    with read_only(s.snapshot_path) as con:
        assert con.execute("SELECT count(*) FROM contacts").fetchone()[0] == 8


def test_report_and_console_readers_open_the_snapshot(store):
    write(book(), store, publish=True)
    with open_reader(f"duckdb:{store.path}") as reader:
        assert reader.path == store.snapshot_path
        rows = reader.fetch(None, "SELECT as_of FROM agent_autonomous_runs ORDER BY as_of LIMIT 1")
        assert rows[0]["as_of"] == dt.datetime.fromtimestamp((T0 - T0 % HOUR) / 1000, dt.timezone.utc)


def test_times_are_timestamptz_and_round_trip_to_the_millisecond(store):
    write(book(), store)
    kinds = {r[0] for r in store._con.execute(
        "SELECT data_type FROM duckdb_columns() WHERE column_name IN ('as_of', 'next_touch_due', 'last_event_at')"
    ).fetchall()}
    assert kinds == {"TIMESTAMP WITH TIME ZONE"}
    runs = store.rows("agent_autonomous_runs", "acme")
    assert sorted(r["as_of"] for r in runs) == [T0 - T0 % HOUR, T0 - T0 % HOUR + HOUR]


def test_a_file_from_before_timestamptz_is_converted_keeping_each_instant(tmp_path):
    path = str(tmp_path / "old.duckdb")
    con = duckdb.connect(path)
    con.execute("SET TimeZone = 'America/New_York'")       # whoever wrote it, the values were naive UTC
    t = ddl.table("suppression_list")
    con.execute(ddl.create_table(t, "duckdb").replace("TIMESTAMPTZ", "TIMESTAMP"))
    con.execute("INSERT INTO suppression_list VALUES ('acme', 'a@x.example', 'bounced', epoch_ms(1790000000123), "
                "'e1', epoch_ms(1790000000123))")
    con.close()
    s = DuckDBStore(path)
    s.ensure_schema()
    assert s.rows("suppression_list", "acme")[0]["since"] == 1790000000123
    s.close()


def test_every_table_and_column_has_a_comment(store):
    tables = dict(store._con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    columns = store._con.execute("SELECT table_name, column_name, comment FROM duckdb_columns() "
                                 "WHERE schema_name = 'main' AND NOT internal AND table_name NOT LIKE 'v\\_%' "
                                 "ESCAPE '\\'").fetchall()
    assert {t.name for t in ddl.all_tables()} <= set(tables)
    assert all(tables[t.name] for t in ddl.all_tables())
    assert [(t, c) for t, c, comment in columns if not comment] == []
    assert len(columns) == sum(len(t.columns) for t in ddl.all_tables())


def test_the_views(store):
    write(book(), store)
    con = store._con
    metric_cols = [r[0] for r in con.execute("DESCRIBE v_run_metrics").fetchall()]
    assert metric_cols[-len(METRICS):] == list(METRICS)
    rate = con.execute("SELECT compliance_rate FROM v_run_metrics WHERE tenant_id = 'acme' ORDER BY as_of "
                       "LIMIT 1").fetchone()[0]
    assert rate == pytest.approx(0.25)                    # p1 touched within 21 days of the run; p0, p2, p3 not
    overdue = con.execute("SELECT contact_id, contact_name, client_name, never_touched, days_overdue "
                          "FROM v_overdue_contacts WHERE tenant_id = 'acme' ORDER BY contact_id").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in overdue] == [("p0", "Pat 0", "acme lending", True),
                                                           ("p2", "Pat 2", "acme lending", False),
                                                           ("p3", "Pat 3", "acme lending", False)]
    assert [r[4] for r in overdue] == [None, 26 - 21, 34 - 21]      # touched 26 / 34 days before, due at 21
    backlog = con.execute("SELECT count(*), count(DISTINCT (tenant_id, kind, target_type, target_id)) "
                          "FROM v_action_backlog").fetchone()
    assert backlog[0] == backlog[1] > 0                    # one row per target
    assert set(VIEWS) <= {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Querying\n", 1)[1].split("\n## ", 1)[0]
    sql = "\n".join(re.findall(r"```sql\n(.*?)```", section, re.S))
    return [q.strip() for q in sql.split(";") if q.strip() and not all(
        line.strip().startswith("--") for line in q.strip().splitlines())]


def test_the_readme_queries_run_on_the_snapshot_and_answer(store):
    write(book(), store, publish=True)
    queries = readme_queries()
    assert len(queries) >= 5
    with read_only(store.snapshot_path) as con:
        for sql in queries:
            rows = con.execute(sql).fetchall()
            assert rows, f"no rows from:\n{sql}"
