"""The hourly cycle end to end through the pipeline: given events, when ticks, then actions."""
from __future__ import annotations

from tests.support.cycle_harness import HOUR, Harness
from tests.support.events import DAY, T0, client, contact, event, touch

CAP5 = dict(caps={"emails": 5}, send_mode="limited_live")


def overdue_book(h: Harness, n: int = 8):
    h.feed("client", client("c1", revenue_band="B"))
    for i in range(n):
        h.feed("contact", contact(f"p{i}", client_id="c1", at=T0 - 40 * DAY))
        h.feed("touch", touch(f"p{i}", at=T0 - (25 + i) * DAY))


def test_cap_of_five_sends_five_then_the_other_three_next_hour():
    h = Harness()
    overdue_book(h)
    h.feed("control", event("control", at=T0 - DAY, **CAP5))

    first = h.tick(T0)
    second = h.tick(T0 + HOUR)

    approved1 = {a["target_id"] for a in h.actions(first, "approved")}
    deferred1 = {a["target_id"] for a in h.actions(first, "deferred")}
    approved2 = {a["target_id"] for a in h.actions(second, "approved", "send_email")}
    assert len(approved1) == 5 and len(deferred1) == 3
    assert approved2 == deferred1
    # The most overdue (oldest touch) go first.
    assert approved1 == {"p7", "p6", "p5", "p4", "p3"}


def test_kill_switch_stops_every_action_and_the_cycle_resumes_when_off():
    h = Harness()
    overdue_book(h, 3)
    h.feed("control", event("control", tenant="*", at=T0 - DAY, kill_switch=True))
    stopped = h.tick(T0)
    assert h.actions(stopped) and not h.actions(stopped, "approved")
    h.feed("control", event("control", tenant="*", at=T0 + 30 * 60_000, kill_switch=False))
    resumed = h.tick(T0 + 2 * DAY)
    assert {a["target_id"] for a in h.actions(resumed, "approved", "send_email")} == {"p0", "p1", "p2"}


def test_a_second_tick_for_the_same_hour_is_a_no_op():
    h = Harness()
    overdue_book(h, 2)
    assert h.tick(T0)
    assert h.tick(T0 + 10 * 60_000) == []


def test_an_approved_contact_is_not_mailed_again_within_a_week():
    h = Harness()
    overdue_book(h, 1)
    assert h.actions(h.tick(T0), "approved")
    assert not h.actions(h.tick(T0 + HOUR), kind="send_email")
    assert h.actions(h.tick(T0 + 8 * DAY), "approved", "send_email")


def test_explicit_client_request_becomes_a_task_with_its_time():
    h = Harness()
    h.feed("contact", contact("p1", email="pat@lender.example"))
    h.feed("gmail_message", event("gmail_message", at=T0 - HOUR, mailbox="ops@appraisals.example", message_id="m1",
                                  thread_id="th1", from_header="Pat <pat@lender.example>", subject="Re: order 1182",
                                  body_text="Thanks for the update. Can you call me Thursday at 2pm?\n\nPat"))
    [task] = h.actions(h.tick(T0), "approved", "create_task")
    assert task["target_id"] == "m1" and "thursday" in task["payload_json"].lower()


def test_a_third_person_statement_is_no_task():
    h = Harness()
    h.feed("contact", contact("p1", email="pat@lender.example"))
    h.feed("gmail_message", event("gmail_message", at=T0 - HOUR, mailbox="ops@appraisals.example", message_id="m2",
                                  thread_id="th2", from_header="pat@lender.example", subject="notes",
                                  body_text="We should call them about the backlog next week."))
    assert not h.actions(h.tick(T0), kind="create_task")


def test_order_exception_gets_a_proposed_fix_once():
    from tests.support.events import good_order
    h = Harness()
    h.feed("client", client("c1"))
    h.feed("order", good_order("o1", total_cents=40_000))
    first = h.actions(h.tick(T0), "approved", "propose_order_fix")
    assert len(first) == 1 and '"total_cents":47500' in first[0]["payload_json"]
    assert not h.actions(h.tick(T0 + HOUR), kind="propose_order_fix")


def test_run_record_reflects_the_hour():
    h = Harness()
    overdue_book(h, 8)
    h.feed("control", event("control", at=T0 - DAY, **CAP5))
    out = h.tick(T0)
    [run] = [e for t, e in out if t == "run_record"]
    assert run["actions"]["send_email:approved"] == 5 and run["actions"]["send_email:deferred"] == 3
    assert run["metrics"]["overdue"] == 8 and run["metrics"]["compliance_rate"] == 0.0
    assert run["changes"]["touch"] == 8
    assert any("deferred" in hint for hint in run["hints"])
    kinds = {e["kind"] for t, e in out if t == "alert"}
    assert "engagement_compliance_low" in kinds


def test_ten_blocks_in_an_hour_raise_an_alert():
    h = Harness()
    h.feed("control", event("control", at=T0 - DAY, send_mode="internal_only", allowlist=["ourfirm.example"]))
    for i in range(10):
        h.feed("contact", contact(f"p{i}", at=T0 - DAY))
    out = h.tick(T0)
    assert len([e for t, e in out if t == "policy_violation"]) == 10
    assert "policy_blocks_high" in {e["kind"] for t, e in out if t == "alert"}


def test_the_same_log_ticked_twice_gives_byte_identical_actions():
    def run():
        h = Harness()
        overdue_book(h)
        h.feed("control", event("control", at=T0 - DAY, event_id="ctl-1", **CAP5))
        h.tick(T0)
        h.tick(T0 + HOUR)
        return [h.codec.encode(t, e) for t, e in h.outputs if t == "action_decided"]

    first, second = run(), run()
    assert first and first == second


def test_a_backlog_is_worked_through_a_hundred_proposals_an_hour_most_urgent_first():
    from tests.support.events import good_order
    h = Harness()
    h.feed("client", client("c1", credit_limit_cents=10**12))
    for i in range(130):
        h.feed("order", good_order(f"o{i:03d}", property_address=None, at=T0 - DAY))
    first = h.actions(h.tick(T0), kind="escalate")
    second = h.actions(h.tick(T0 + HOUR), kind="escalate")
    assert len(first) == 100 and len(second) == 30
    assert not {a["target_id"] for a in first} & {a["target_id"] for a in second}
    [run] = [e for t, e in h.outputs if t == "run_record" and e["tick_id"].endswith(str(T0 - T0 % HOUR))]
    assert run["changes"]["proposals_held_back"] == 30


def test_a_suppressed_or_bounced_address_reaches_the_gate_and_is_blocked_on_the_record_once():
    h = Harness()
    overdue_book(h, 3)
    h.feed("email_outcome", event("email_outcome", at=T0 - DAY, outcome="bounced", bounce_type="hard",
                                  recipient="p0@lender.example"))
    h.feed("suppression", event("suppression", at=T0 - DAY, email="P1@lender.example", reason="opted_out",
                                evidence_message_id="m-77"))
    first = h.tick(T0)
    blocked = {a["target_id"]: a["policy"] for a in h.actions(first, "blocked") if a["rule"].startswith("engagement")}
    assert blocked == {"p0": "suppressed", "p1": "suppressed"}
    violations = {e["target_id"]: e["policy"] for t, e in first if t == "policy_violation" and e["policy"] == "suppressed"}
    assert violations == blocked
    assert {a["target_id"] for a in h.actions(first, "approved") if a["rule"].startswith("engagement")} == {"p2"}
    # Suppression is permanent: one block on the record is enough, the address is not proposed again.
    later = [a["target_id"] for t in (2, 30) for a in h.actions(h.tick(T0 + t * DAY))]
    assert "p0" not in later and "p1" not in later
