"""Events -> the real broker -> `revloop worker` -> DuckDB and Postgres; replay equals live."""
from __future__ import annotations

import os
import signal
import time

import pytest

from tests.support.store_fixtures import tenant_reader  # noqa: F401  (fixture)
from revloop.projections.store import open_store
from tests.support.broker import produce_raw, run_cli
from tests.support.projections import assert_same_rows, pg_url, produce_events, run_worker_until_caught_up, snapshot
from tests.support.worker_proc import DIES_WITHOUT_LEAVING, WorkerProcess
from tests.support.events import DAY, T0, client, contact, event, good_order, touch

pytestmark = pytest.mark.integration
HOUR = 3_600_000


def scenario(tenant: str) -> list[tuple[str, dict]]:
    """A small but complete book: clients, contacts, touches, orders with errors, a fix, ticks."""
    ev = []
    add = lambda t, e: ev.append((t, e))
    add("control", event("control", tenant=tenant, at=T0 - 10 * DAY, enabled=True, caps={"emails": 3},
                         send_mode="limited_live"))
    add("client", client("c1", tenant=tenant, at=T0 - 10 * DAY, credit_limit_cents=60_000, revenue_band="A"))
    add("client", client("c2", tenant=tenant, at=T0 - 10 * DAY, active=False))
    for i in range(6):
        add("contact", contact(f"p{i}", tenant=tenant, client_id="c1" if i < 4 else "c2", at=T0 - 9 * DAY))
    for i in range(4):
        add("touch", touch(f"p{i}", tenant=tenant, at=T0 - (5 + 10 * i) * DAY))
    add("order", good_order("o1", tenant=tenant, at=T0 - 3 * DAY))                         # fine
    add("order", good_order("o2", tenant=tenant, at=T0 - 2 * DAY, total_cents=10_000))     # total below fee + over credit
    add("order", good_order("o3", client_id="c2", tenant=tenant, at=T0 - 2 * DAY, property_address=None))
    add("order", good_order("o2", tenant=tenant, at=T0 - DAY, change="updated", total_cents=47_500))  # the fee fix
    add("email_outcome", event("email_outcome", tenant=tenant, at=T0 - DAY, outcome="bounced",
                               recipient="p5@lender.example"))
    for h in range(3):
        at = T0 + h * HOUR
        add("tick", event("tick", tenant=tenant, at=at, event_id=f"tick:{tenant}:{at}", tick_id=f"{tenant}:{at}",
                          as_of=at))
    return ev


def test_worker_projects_into_duckdb_and_postgres_the_same_rows_and_replay_equals_live(kafka, kafka2, tmp_path):
    tenant = f"ten-{kafka.topic_prefix.strip('.')}"
    # The same events on two independent sets of topics: one worker writes DuckDB, one Postgres.
    events = scenario(tenant)
    produce_events(kafka, events)
    produce_events(kafka2, events)
    duck_url = f"duckdb:{tmp_path / 'live.duckdb'}"
    run_worker_until_caught_up(kafka, duck_url, tmp_path, "duck")
    run_worker_until_caught_up(kafka2, pg_url(), tmp_path, "pg")

    with open_store(duck_url) as duck, open_store(pg_url()) as pg:
        live, in_pg = snapshot(duck, tenant), snapshot(pg, tenant)
    assert_same_rows(live, in_pg)

    # The rules did their work.
    exceptions = {(r["order_id"], r["code"]): r["status"] for r in live["order_processing_exceptions"]}
    assert exceptions[("o2", "PRICING_TOTAL_BELOW_FEE")] == "resolved"
    assert exceptions[("o3", "REQ_PROPERTY_ADDRESS_MISSING")] == "open"
    assert exceptions[("o3", "CREDIT_CLIENT_INACTIVE")] == "open"
    assert exceptions[("o2", "CREDIT_LIMIT_EXCEEDED")] == "open"
    assert [r["email"] for r in live["suppression_list"]] == ["p5@lender.example"]
    assert len(live["agent_autonomous_runs"]) == 3
    assert len(live["engagement_clocks"]) == 6

    replayed_url = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    proc = run_cli(kafka, "replay", "--store", replayed_url, "--quiet")
    assert proc.returncode == 0, proc.stderr
    with open_store(replayed_url) as replayed:
        assert_same_rows(snapshot(replayed, tenant), live)


def test_a_duplicate_event_changes_nothing(kafka, tmp_path):
    tenant = f"dup-{kafka.topic_prefix.strip('.')}"
    events = [e for e in scenario(tenant) if e[0] != "tick"]
    produce_events(kafka, events)
    url = f"duckdb:{tmp_path / 'dup.duckdb'}"
    run_worker_until_caught_up(kafka, url, tmp_path, "first")
    with open_store(url) as store:
        before = snapshot(store, tenant)
    produce_events(kafka, events)          # every event again
    run_worker_until_caught_up(kafka, url, tmp_path, "second")
    with open_store(url) as store:
        assert_same_rows(snapshot(store, tenant), before)


def test_garbage_bytes_go_to_the_dead_letter_topic_with_reason_and_offset(kafka, tmp_path):
    tenant = f"dlq-{kafka.topic_prefix.strip('.')}"
    good = touch("p1", tenant=tenant, at=T0)
    produce_events(kafka, [("contact", contact("p1", tenant=tenant, at=T0 - DAY))])
    produce_raw(kafka, "touches", [(tenant.encode(), b"\x00\x01 not avro at all")])
    produce_events(kafka, [("touch", good)])
    url = f"duckdb:{tmp_path / 'dlq.duckdb'}"
    run_worker_until_caught_up(kafka, url, tmp_path)

    out = run_cli(kafka, "export", "dead.letter", check=True)
    [line] = out.stdout.splitlines()
    import json
    dead = json.loads(line)
    assert dead["source_topic"] == "touches" and dead["source_offset"] == 0
    assert "not Avro single-object encoding" in dead["reason"]
    import base64
    assert base64.b64decode(dead["value"]) == b"\x00\x01 not avro at all"
    with open_store(url) as store:   # the good record after it was still projected
        [clock] = store.rows("engagement_clocks", tenant)
        assert clock["last_touch_at"] == T0


def test_a_worker_killed_mid_stream_ends_with_the_same_projections_as_a_clean_replay(kafka, tmp_path):
    tenant = f"kill-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'killed.duckdb'}"
    events = scenario(tenant)
    extra = [("touch", touch(f"p{i % 6}", tenant=tenant, at=T0 - 1000 * i)) for i in range(3000)]
    produce_events(kafka, events[:10])
    worker = WorkerProcess(kafka, url, tmp_path / "k1.log", env=DIES_WITHOUT_LEAVING).start()
    time.sleep(4)
    produce_events(kafka, extra + events[10:])
    time.sleep(1.5)
    worker.stop(signal.SIGKILL)
    run_worker_until_caught_up(kafka, url, tmp_path, "restarted")

    replayed_url = f"duckdb:{tmp_path / 'clean.duckdb'}"
    assert run_cli(kafka, "replay", "--store", replayed_url, "--quiet").returncode == 0
    with open_store(url) as live, open_store(replayed_url) as clean:
        assert_same_rows(snapshot(live, tenant), snapshot(clean, tenant))


def test_a_tenant_scoped_role_cannot_read_another_tenants_rows(kafka, tmp_path, tenant_reader):
    suffix = kafka.topic_prefix.strip(".")
    mine, theirs = f"a-{suffix}", f"b-{suffix}"
    produce_events(kafka, [("client", client("c1", tenant=mine)), ("client", client("c9", tenant=theirs))])
    run_worker_until_caught_up(kafka, pg_url(), tmp_path)
    with tenant_reader(mine) as conn:
        rows = conn.execute("SELECT tenant_id, client_id FROM clients WHERE tenant_id IN (%s, %s)",
                            [mine, theirs]).fetchall()
        assert rows == [(mine, "c1")]
        assert conn.execute("SELECT count(*) FROM warehouse_events WHERE tenant_id = %s", [theirs]).fetchone()[0] == 0
