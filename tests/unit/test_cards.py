"""Cards: approved tasks, escalations, order fixes and stage advances wait for people, who answer with events."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.processors import cards
from revloop.processors.controls import Controls
from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, state, tick_at
from tests.support.events import DAY, client, contact, event, good_order

LIVE = Controls(send_mode="limited_live")


def answer(h: Harness, card_id: str, decision: str, by: str = "sam", at: int = H0 + 2 * HOUR, controls=LIVE,
           note=None) -> list[tuple[str, dict]]:
    events = cards.decide(state(h), controls, card_id, decision, by, note, at)
    for type_name, e in events:
        h.feed(type_name, e)
    return events


def client_asks_for_a_call(h: Harness) -> dict:
    h.feed("client", client("c1", at=H0 - 30 * DAY, domains=["lender.example"]))
    h.feed("contact", contact("p1", client_id="c1", at=H0 - 30 * DAY, name="Pat Lee"))
    h.feed("gmail_message", event("gmail_message", at=H0 - HOUR, event_id="gmail:t1:m1", mailbox="ops@us.example",
                                  message_id="m1", thread_id="th1", from_header="Pat Lee <p1@lender.example>",
                                  to_header="ops@us.example", subject="Re: 14 Oak Ln appraisal",
                                  body_text="Can you call me Thursday at 2pm to go over the comps?"))
    [task] = by_rule(h, tick_at(h, H0), "tasks.client_request", "approved")
    return task


def test_an_explicit_client_request_becomes_an_open_card_saying_what_they_asked():
    h = Harness()
    task = client_asks_for_a_call(h)
    card = state(h).cards[task["action_id"]]
    assert (card["kind"], card["status"], card["assignee_role"]) == ("create_task", "open", "operator")
    assert "call" in card["asked"] and "Thursday" in card["asked"] and "14 Oak Ln" in card["asked"]
    # due when the client asked: the end of "Thursday at 2pm" (no Date header: the mailbox's New York time)
    assert card["asked_at"] == H0 - HOUR
    assert card["due_at"] == _ms(datetime(2026, 9, 24, 15, 0, tzinfo=ZoneInfo("America/New_York")))
    assert (card["contact_id"], card["client_id"], card["message_id"]) == ("p1", "c1", "m1")


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def client_writes(h: Harness, body: str) -> dict:
    h.feed("client", client("c1", at=H0 - 30 * DAY, domains=["lender.example"]))
    h.feed("contact", contact("p1", client_id="c1", at=H0 - 30 * DAY, name="Pat Lee"))
    h.feed("gmail_message", event("gmail_message", at=H0 - HOUR, event_id="gmail:t1:m2", mailbox="ops@us.example",
                                  message_id="m2", thread_id="th2", from_header="Pat Lee <p1@lender.example>",
                                  to_header="ops@us.example", subject="Re: 14 Oak Ln appraisal", body_text=body))
    [task] = by_rule(h, tick_at(h, H0), "tasks.client_request", "approved")
    return state(h).cards[task["action_id"]]


def test_the_card_says_the_requested_time_as_a_person_reads_it():
    card = client_writes(Harness(), "Can you resend the signed engagement letter by Wednesday at noon?")
    assert "deadline Wed 23 Sep 12:00 (UTC-04:00)" in card["asked"]
    assert "Mon 21 Sep 09:00 - Wed 23 Sep 12:00 (UTC-04:00)" in card["asked"]
    card = client_writes(Harness(), "Can you call me Thursday at 2pm?")
    assert "Thu 24 Sep 14:00-15:00 (UTC-04:00)" in card["asked"]


def test_a_request_with_a_deadline_is_due_at_the_deadline_and_one_without_a_time_within_a_day():
    # Monday 21 September 2026, 09:00 in New York: "by Wednesday at noon" is the card's due time
    card = client_writes(Harness(), "Can you resend the signed engagement letter by Wednesday at noon?")
    assert card["due_at"] == _ms(datetime(2026, 9, 23, 12, 0, tzinfo=ZoneInfo("America/New_York")))
    card = client_writes(Harness(), "Can you resend the signed engagement letter?")
    assert card["due_at"] == H0 + DAY


def test_accept_then_done_are_recorded_as_card_decided_events_and_a_closed_card_takes_no_more():
    h = Harness()
    task = client_asks_for_a_call(h)
    [(t, accepted)] = answer(h, task["action_id"], "accept", note="calling Thursday")
    assert (t, accepted["decision"], accepted["by"]) == ("card_decided", "accept", "sam")
    assert state(h).cards[task["action_id"]]["status"] == "accepted"
    answer(h, task["action_id"], "done", at=H0 + DAY)
    card = state(h).cards[task["action_id"]]
    assert (card["status"], card["decided_at"]) == ("done", H0 + DAY)
    with pytest.raises(cards.CardError, match=f"card {task['action_id']} is already done"):
        answer(h, task["action_id"], "reject")


def test_an_unknown_card_is_a_clear_error():
    with pytest.raises(cards.CardError, match="no card nope for tenant t1"):
        cards.decide(state(Harness()), LIVE, "nope", "accept", "sam", None, H0)


def order_with_a_bad_total(h: Harness) -> dict:
    h.feed("client", client("c1", at=H0 - 30 * DAY))
    h.feed("order", good_order("o1", at=H0 - DAY, total_cents=40_000))       # below the fee: a safe fix exists
    [fix] = by_rule(h, tick_at(h, H0), "orders.fix.PRICING_TOTAL_BELOW_FEE", "approved")
    return fix


def test_an_accepted_order_fix_writes_the_corrected_order_and_the_exception_resolves_through_it():
    h = Harness()
    fix = order_with_a_bad_total(h)
    card = state(h).cards[fix["action_id"]]
    assert (card["kind"], card["order_id"], card["client_id"]) == ("propose_order_fix", "o1", "c1")
    events = answer(h, fix["action_id"], "accept")
    [(_, order)] = [(t, e) for t, e in events if t == "order"]
    assert (order["change"], order["total_cents"], order["fee_cents"]) == ("updated", 47_500, 45_000)
    assert state(h).exceptions[("o1", "PRICING_TOTAL_BELOW_FEE")]["status"] == "resolved"
    assert state(h).orders["o1"]["total_cents"] == 47_500


def test_an_order_fix_is_refused_when_the_order_changed_since_it_was_proposed():
    h = Harness()
    fix = order_with_a_bad_total(h)
    h.feed("order", good_order("o1", at=H0 + HOUR, total_cents=41_000, change="updated"))
    with pytest.raises(cards.CardError, match="order o1 changed since the fix was proposed"):
        answer(h, fix["action_id"], "accept")
    assert state(h).cards[fix["action_id"]]["status"] == "open"


def test_an_order_fix_is_not_applied_while_the_kill_switch_is_on():
    h = Harness()
    fix = order_with_a_bad_total(h)
    with pytest.raises(cards.CardError, match="kill switch"):
        answer(h, fix["action_id"], "accept", controls=Controls(kill_switch=True))


def test_an_accepted_stage_advance_moves_the_deal_through_a_deal_event():
    h = Harness()
    h.feed("client", client("c2", at=H0 - 30 * DAY))
    h.feed("contact", contact("p2", client_id="c2", at=H0 - 30 * DAY))
    h.feed("deal", event("deal", at=H0 - 2 * DAY, deal_id="d2", client_id="c2", contact_id="p2", name="Panel",
                         stage="qualified", amount_cents=900_000))
    h.feed("email_outcome", event("email_outcome", at=H0 - DAY, outcome="replied", recipient="p2@lender.example"))
    [advance] = by_rule(h, tick_at(h, H0), "deals.advance", "approved")
    assert state(h).cards[advance["action_id"]]["assignee_role"] == "account_owner"
    events = answer(h, advance["action_id"], "accept")
    [deal] = [e for t, e in events if t == "deal"]
    assert (deal["stage"], deal["amount_cents"], deal["name"]) == ("proposal", 900_000, "Panel")
    assert state(h).deals["d2"]["stage"] == "proposal"


def test_a_card_row_is_the_same_whichever_arrives_first_the_answer_or_the_card():
    h = Harness()
    task = client_asks_for_a_call(h)
    [(_, accepted)] = answer(h, task["action_id"], "accept")
    late = Harness()
    late.feed("card_decided", accepted)
    late.feed("action_decided", task)
    assert state(late).cards[task["action_id"]] == state(h).cards[task["action_id"]]


def test_operators_get_one_digest_an_hour_of_new_cards_and_alerts_never_a_client():
    h = Harness()
    h.feed("person", event("person", at=H0 - DAY, person_id="u1", name="Sam Ops", email="Sam@Us.example",
                           roles=["operator"]))
    h.feed("person", event("person", at=H0 - DAY, person_id="u2", name="Ann Owner", email="ann@us.example",
                           roles=["account_owner"]))
    h.feed("control", event("control", at=H0 - DAY, send_mode="internal_only", allowlist=["nobody.example"]))
    task = client_asks_for_a_call(h)
    [digest] = by_rule(h, h.outputs, "people.digest")
    assert (digest["decision"], digest["kind"], digest["recipient"]) == ("approved", "send_digest", "sam@us.example")
    payload = json.loads(digest["payload_json"])
    assert [c["card_id"] for c in payload["cards"]] == [task["action_id"]]
    assert by_rule(h, tick_at(h, H0 + HOUR), "people.digest") == []        # nothing new: no digest


def test_the_gate_blocks_a_digest_to_anyone_outside_the_tenants_people():
    from revloop.processors.actions import SEND_DIGEST, Proposal
    from revloop.processors.policy_gate import GateView, decide

    view = GateView(suppressed={}, overdue_contacts=0, goals_behind_pace=False, pipeline_thin=False,
                    internal=frozenset({"sam@us.example"}))
    proposals = [Proposal(SEND_DIGEST, "people.digest", "person", f"u{n}:h", "digest", recipient=to,
                          template="operator_digest") for n, to in enumerate(("sam@us.example", "p1@lender.example"))]
    got = {d.proposal.recipient: (d.decision, d.policy) for d in decide(proposals, Controls(send_mode="internal_only"),
                                                                        view)}
    assert got == {"sam@us.example": ("approved", None), "p1@lender.example": ("blocked", "not_internal")}


def test_digests_have_their_own_hourly_cap_apart_from_client_email():
    from revloop.processors.actions import SEND_DIGEST, SEND_EMAIL, Proposal
    from revloop.processors.policy_gate import GateView, decide

    people = frozenset(f"op{n}@us.example" for n in range(3))
    view = GateView(suppressed={}, overdue_contacts=0, goals_behind_pace=False, pipeline_thin=False, internal=people)
    digests = [Proposal(SEND_DIGEST, "people.digest", "person", f"op{n}:h", "digest", recipient=f"op{n}@us.example",
                        template="operator_digest") for n in range(3)]
    emails = [Proposal(SEND_EMAIL, "engagement.overdue", "contact", f"p{n}", "overdue", recipient=f"p{n}@c.example",
                       template="check_in") for n in range(2)]
    decided = {d.proposal.target_id: d.decision for d in decide(digests + emails, Controls(
        send_mode="limited_live", caps={"emails": 2, "digests": 2}), view)}
    assert [decided[f"p{n}"] for n in range(2)] == ["approved", "approved"]
    assert sorted(decided[f"op{n}:h"] for n in range(3)) == ["approved", "approved", "deferred"]
