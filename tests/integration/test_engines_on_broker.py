"""Deals, bids, feedback and vendor compliance on the real broker: events and ticks in,
engine rows and gated actions out, the same rows in DuckDB and Postgres, replay equals live."""
from __future__ import annotations

import json

import pytest

from revloop.projections.store import open_store
from tests.support.broker import run_cli
from tests.support.projections import (assert_same_rows, pg_url, produce_events,
                                                       run_worker_until_caught_up, snapshot)
from tests.support.engine_helpers import H0, engines_reports, engines_scenario, tick_event
from tests.support.cycle_harness import ENABLE_AT
from tests.support.events import DAY, event

pytestmark = pytest.mark.integration
ENGINE_TABLES = ("deals", "bids", "bid_patterns", "feedback", "feedback_cases", "vendor_compliance")


def test_engines_project_and_propose_on_the_broker_and_replay_equals_live(kafka, kafka2, tmp_path):
    tenant = f"eng-{kafka.topic_prefix.strip('.')}"
    events, tick_times = engines_scenario(tenant)
    ticks = [("tick", tick_event(at, tenant)) for at in tick_times]
    # An operator enabled the tenant (a tenant no control event enabled gets no tick).
    enable = ("control", event("control", tenant=tenant, at=ENABLE_AT, event_id=f"enable-{tenant}", enabled=True))
    log = [enable] + events + ticks[:2] + engines_reports(tenant) + ticks[2:]    # the sender reports before the last tick
    produce_events(kafka, log)
    produce_events(kafka2, log)
    duck_url = f"duckdb:{tmp_path / 'live.duckdb'}"
    run_worker_until_caught_up(kafka, duck_url, tmp_path, "duck")
    run_worker_until_caught_up(kafka2, pg_url(), tmp_path, "pg")
    with open_store(duck_url) as duck, open_store(pg_url()) as pg:
        live, in_pg = snapshot(duck, tenant), snapshot(pg, tenant)
    assert_same_rows(live, in_pg)

    deals = {r["deal_id"]: r for r in live["deals"]}
    assert deals["d1"]["stalled"] is True and deals["d1"]["stalled_since"] == H0 - 3 * DAY
    assert (deals["d3"]["outcome"], deals["d3"]["reason"]) == ("lost", "no appraisal volume this year")
    bids = {r["bid_id"]: r for r in live["bids"]}
    # Counted from the sender's outcomes: the first follow-up was reported sent, the second never was.
    assert bids["b1"]["follow_ups"] == 1 and bids["b3"]["intel_requested_at"] == H0
    [pattern] = live["bid_patterns"]
    assert (pattern["competitor"], pattern["outcome"], pattern["reason"], pattern["bids"]) == ("ValuCo", "lost",
                                                                                              "price", 1)
    [stored] = live["feedback"]
    assert (stored["order_id"], stored["client_id"], stored["sentiment"]) == ("o2", "c1", "negative")
    [case] = live["feedback_cases"]
    assert (case["order_id"], case["status"]) == ("o2", "open")
    compliance = {(r["client_id"], r["quarter"]): r for r in live["vendor_compliance"]}
    assert compliance[("c1", "2026-Q3")]["escalated_at"] == H0 + 14 * DAY
    assert compliance[("c2", "2026-Q3")]["compliant"] is True

    [reply] = [e for t, e in events if t == "email_outcome"]
    approved = {(a["rule"], a["target_id"]) for a in live["agent_actions"] if a["decision"] == "approved"}
    assert {("deals.stalled", f"d1:{H0 - 10 * DAY}"), ("deals.advance", f"d2:{reply['event_id']}"),
            ("bids.intel_request", "b3:intel_request"), ("bids.follow_up", "b1:follow_up:1"),
            ("feedback.request", "o1"), ("feedback.service_recovery", f"o2:{H0 - 2 * DAY}"),
            ("compliance.reminder", "c1:2026-Q3:reminder"), ("compliance.escalation", "c1:2026-Q3:escalation"),
            } <= approved
    [task] = [a for a in live["agent_actions"] if a["rule"] == "compliance.escalation"]
    payload = task["payload"] if isinstance(task["payload"], dict) else json.loads(task["payload"])
    assert task["kind"] == "create_task" and payload["task_basis"] == "compliance_deadline"

    replayed_url = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    proc = run_cli(kafka, "replay", "--store", replayed_url, "--quiet")
    assert proc.returncode == 0, proc.stderr
    with open_store(replayed_url) as replayed:
        again = snapshot(replayed, tenant)
    assert all(again[t] for t in ENGINE_TABLES)
    assert_same_rows(again, live)
