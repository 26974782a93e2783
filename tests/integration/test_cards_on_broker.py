"""The card path on the real broker: a client's request and an order fix become cards, `revloop cards`
answers them, the accepted fix resolves its exception through a corrected order event, and replay
gives the same rows."""
from __future__ import annotations

import pytest

from revloop.projections.store import open_store
from tests.support.broker import run_cli
from tests.support.engine_helpers import H0, tick_event
from tests.support.cycle_harness import HOUR
from tests.support.events import DAY, client, contact, event, good_order
from tests.support.projections import assert_same_rows, produce_events, run_worker_until_caught_up, snapshot

from tests.support.mail import classified  # noqa: E402

pytestmark = pytest.mark.integration


def test_cards_are_answered_through_the_cli_and_an_accepted_fix_resolves_its_exception(kafka, tmp_path):
    tenant = f"cards-{kafka.topic_prefix.strip('.')}".lower()[:60]
    kw = dict(tenant=tenant)
    mail = event("gmail_message", at=H0 - HOUR, event_id=f"gmail:{tenant}:m1", mailbox="ops@us.example",
                 message_id="m1", thread_id="th1", from_header="Pat Lee <p1@lender.example>",
                 to_header="ops@us.example", subject="Re: 14 Oak Ln appraisal",
                 body_text="Can you call me Thursday at 2pm to go over the comps?", **kw)
    produce_events(kafka, [
        ("control", event("control", at=H0 - DAY, enabled=True, send_mode="limited_live", **kw)),
        ("client", client("c1", at=H0 - 30 * DAY, domains=["lender.example"], **kw)),
        ("contact", contact("p1", client_id="c1", at=H0 - 30 * DAY, name="Pat Lee", **kw)),
        ("gmail_message", mail), ("mail_classified", classified(mail)),     # as the Gmail poller records it
        ("order", good_order("o1", at=H0 - DAY, total_cents=40_000, **kw)),     # below the fee: a fix is proposed
        ("tick", tick_event(H0, tenant)),
    ])
    live_url = f"duckdb:{tmp_path / 'live.duckdb'}"
    run_worker_until_caught_up(kafka, live_url, tmp_path, "first")
    with open_store(live_url) as store:
        opened = {c["rule"]: c for c in store.rows("cards", tenant)}
    task, fix = opened["tasks.client_request"], opened["orders.fix.PRICING_TOTAL_BELOW_FEE"]
    assert (task["status"], task["message_id"], task["client_id"]) == ("open", "m1", "c1")
    assert "Thursday" in task["asked"]

    listed = run_cli(kafka, "cards", "list", "--tenant", tenant, check=True)
    assert task["card_id"] in listed.stdout and fix["card_id"] in listed.stdout
    accepted = run_cli(kafka, "cards", "accept", task["card_id"][:8], "--tenant", tenant, "--by", "sam", check=True)
    assert f"card_decided card:{task['card_id']}:accept" in accepted.stdout
    fixed = run_cli(kafka, "cards", "accept", fix["card_id"], "--tenant", tenant, "--by", "sam", check=True)
    assert f"order order-fix:{fix['card_id']}" in fixed.stdout

    # Bad answers: a clear one-line error, nothing written.
    again = run_cli(kafka, "cards", "done", fix["card_id"], "--tenant", tenant, "--by", "sam")
    assert again.returncode == 0       # accepted -> done is allowed once
    closed = run_cli(kafka, "cards", "reject", fix["card_id"], "--tenant", tenant, "--by", "sam")
    assert closed.returncode == 1 and closed.stderr.strip().endswith(f"card {fix['card_id']} is already done (by sam)")
    unknown = run_cli(kafka, "cards", "accept", "feedfacecafe", "--tenant", tenant, "--by", "sam")
    assert unknown.returncode == 1 and f"no card feedfacecafe for tenant {tenant}" in unknown.stderr
    other = run_cli(kafka, "cards", "accept", task["card_id"], "--tenant", "someone-else", "--by", "sam")
    assert other.returncode == 1 and "belongs to another tenant" in other.stderr

    run_worker_until_caught_up(kafka, live_url, tmp_path, "second")
    with open_store(live_url) as store:
        live = snapshot(store, tenant)
    rows = {c["card_id"]: c for c in live["cards"]}
    assert (rows[task["card_id"]]["status"], rows[task["card_id"]]["decided_by"]) == ("accepted", "sam")
    assert rows[fix["card_id"]]["status"] == "done"
    [order] = live["orders"]
    assert (order["total_cents"], order["last_event_id"]) == (47_500, f"order-fix:{fix['card_id']}")
    [exc] = [e for e in live["order_processing_exceptions"] if e["code"] == "PRICING_TOTAL_BELOW_FEE"]
    assert exc["status"] == "resolved"
    decided = [w for w in live["warehouse_events"] if w["event_type"] == "card_decided"]
    assert len(decided) == 3

    replayed_url = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    proc = run_cli(kafka, "replay", "--store", replayed_url, "--quiet")
    assert proc.returncode == 0, proc.stderr
    with open_store(replayed_url) as replayed:
        assert_same_rows(snapshot(replayed, tenant), live)
