"""Every email an engine approves, through the real sender (EmailSink -> resend SDK -> the local
Resend-shaped server): its template filled with the specific facts, or held, not sent and not done."""
from __future__ import annotations

import json

import pytest

from revloop.connectors.resend_local import LocalResend
from revloop.streams.email_sink import EmailSink, SenderConfig
from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, state, tick_at
from tests.support.events import DAY, client, contact, event, good_order, touch

pytestmark = pytest.mark.integration


@pytest.fixture
def resend():
    with LocalResend() as server:
        yield server


@pytest.fixture
def world(kafka, resend, tmp_path, monkeypatch):
    """A live tenant (limited_live) and a sender judging from the same projected state."""
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    h = Harness()
    h.feed("control", event("control", at=H0 - 30 * DAY, enabled=True, send_mode="limited_live",
                            caps={"emails": 100}))
    clock = {"now": H0}
    sink = EmailSink(kafka, SenderConfig(api_key="re_test_key", sent_log_path=str(tmp_path / "sent.sqlite"),
                                         api_url=resend.url), clock=lambda: clock["now"], view=h.pipeline)
    return h, sink, clock


def send(world, action) -> dict:
    """Execute one approved action, feed its outcome back, return the outcome."""
    h, sink, clock = world
    clock["now"] = action["occurred_at"] + 5 * 60_000
    results = sink.execute(action)
    for type_name, e in results:
        h.feed(type_name, e)
    [outcome] = [e for t, e in results if t == "email_outcome"]
    return outcome


def only_email(resend) -> dict:
    [email] = resend.emails
    return email


def book(h: Harness) -> None:
    h.feed("client", client("c1", at=H0 - 60 * DAY, name="Harbor Credit Union"))
    h.feed("contact", contact("p1", client_id="c1", at=H0 - 60 * DAY, name="Pat Lee"))


def test_an_overdue_contacts_check_in_names_the_days_since_we_spoke(world, resend):
    h, _, _ = world
    book(h)
    h.feed("touch", touch("p1", at=H0 - 30 * DAY))
    [action] = by_rule(h, tick_at(h, H0), "engagement.overdue", "approved")
    outcome = send(world, action)
    email = only_email(resend)
    assert (outcome["outcome"], outcome["template_id"], outcome["template_version"]) == ("sent", "check_in_overdue", 1)
    assert email["subject"] == "It has been a while"
    assert "Hi Pat," in email["text"] and "30 days since we last spoke" in email["text"]
    assert state(h).clocks["p1"]["last_touch_at"] == outcome["occurred_at"]     # a sent email is a touch


def test_a_never_touched_contact_gets_an_introduction_naming_the_client(world, resend):
    h, _, _ = world
    book(h)
    [action] = by_rule(h, tick_at(h, H0), "engagement.never_touched", "approved")
    outcome = send(world, action)
    assert (outcome["outcome"], outcome["template_id"]) == ("sent", "introduction")
    assert only_email(resend)["subject"] == "Introducing our appraisal team to Harbor Credit Union"


def test_a_contact_due_soon_gets_a_check_in(world, resend):
    h, _, _ = world
    book(h)
    h.feed("touch", touch("p1", at=H0 - 19 * DAY))
    [action] = by_rule(h, tick_at(h, H0), "engagement.due_soon", "approved")
    assert (send(world, action)["template_id"], only_email(resend)["subject"]) == ("check_in", "Checking in")


def test_an_unanswered_email_gets_a_follow_up_naming_when_we_wrote(world, resend):
    h, _, _ = world
    book(h)
    h.feed("touch", touch("p1", at=H0 - 25 * DAY, channel="email", direction="outbound", by="agent"))
    [action] = by_rule(h, tick_at(h, H0), "engagement.overdue", "approved")
    assert action["kind"] == "follow_up"
    outcome = send(world, action)
    assert outcome["template_id"] == "engagement_follow_up"
    assert "Following up on my note of Thu 27 Aug 2026" in only_email(resend)["text"]


def test_a_stalled_deals_follow_up_names_its_stage_and_next_step_and_counts_when_sent(world, resend):
    h, _, _ = world
    book(h)
    h.feed("deal", event("deal", at=H0 - 10 * DAY, deal_id="d1", client_id="c1", contact_id="p1",
                         name="Panel expansion", stage="proposal", next_step="send the fee schedule"))
    [action] = by_rule(h, tick_at(h, H0), "deals.stalled", "approved")
    outcome = send(world, action)
    email = only_email(resend)
    assert (outcome["outcome"], outcome["template_id"]) == ("sent", "deal_next_step")
    assert email["subject"] == "Panel expansion: next step"
    assert "proposal stage" in email["text"] and "send the fee schedule" in email["text"]
    assert state(h).deals["d1"]["followed_up_at"] == outcome["occurred_at"]


def test_a_stalled_deal_with_no_next_step_is_held_with_an_alert_and_not_followed_up(world, resend):
    h, _, _ = world
    book(h)
    h.feed("deal", event("deal", at=H0 - 10 * DAY, deal_id="d1", client_id="c1", contact_id="p1",
                         name="Panel expansion", stage="proposal"))
    [action] = by_rule(h, tick_at(h, H0), "deals.stalled", "approved")
    outcome = send(world, action)
    assert outcome["outcome"] == "held" and "next_step missing or empty" in outcome["detail"]
    assert resend.requests == []
    [alert] = [r for r in state(h).alerts.values() if r["kind"] == "email_held"]
    assert "deal_next_step" in alert["message"]
    assert state(h).deals["d1"]["followed_up_at"] is None
    # Not done: proposed again once the retry wait is over.
    assert by_rule(h, tick_at(h, H0 + DAY + HOUR), "deals.stalled", "approved")


def test_a_bid_intel_request_names_the_client_and_due_date(world, resend):
    h, _, _ = world
    book(h)
    h.feed("bid", event("bid", at=H0 - HOUR, bid_id="b7", client_id="c1", submitter_email="rfp@lender.example",
                        status="requested", due_at=H0 + 10 * DAY))
    [action] = by_rule(h, tick_at(h, H0), "bids.intel_request", "approved")
    outcome = send(world, action)
    email = only_email(resend)
    assert email["subject"] == "Your request for a quote (b7)"
    assert "Harbor Credit Union" in email["text"] and "Thu 01 Oct 2026" in email["text"]
    assert state(h).bids["b7"]["intel_requested_at"] == outcome["occurred_at"]


def test_a_bid_confirmation_names_the_amount_and_decision_date(world, resend):
    h, _, _ = world
    book(h)
    h.feed("bid", event("bid", at=H0 - HOUR, bid_id="b7", client_id="c1", submitter_email="rfp@lender.example",
                        status="submitted", amount_cents=52_500, due_at=H0 + 10 * DAY))
    [action] = by_rule(h, tick_at(h, H0), "bids.confirmation", "approved")
    outcome = send(world, action)
    email = only_email(resend)
    assert email["subject"] == "Our quote b7 is in: $525.00"
    assert "decision expected by Thu 01 Oct 2026" in email["text"]
    assert state(h).bids["b7"]["confirmed_at"] == outcome["occurred_at"]


def test_a_bid_follow_up_names_the_amount_and_when_it_was_submitted(world, resend):
    h, _, _ = world
    book(h)
    h.feed("bid", event("bid", at=H0 - 3 * DAY, bid_id="b7", client_id="c1", submitter_email="rfp@lender.example",
                        status="submitted", amount_cents=52_500))
    [action] = by_rule(h, tick_at(h, H0), "bids.follow_up", "approved")
    outcome = send(world, action)
    email = only_email(resend)
    assert email["subject"] == "Following up on our quote b7 ($525.00)"
    assert "on Fri 18 Sep 2026" in email["text"]
    assert state(h).bids["b7"]["follow_ups"] == 1 and state(h).bids["b7"]["last_follow_up_at"] == outcome["occurred_at"]


def test_a_bid_without_an_amount_is_held_and_its_confirmation_is_not_done(world, resend):
    h, _, _ = world
    book(h)
    h.feed("bid", event("bid", at=H0 - HOUR, bid_id="b7", client_id="c1", submitter_email="rfp@lender.example",
                        status="submitted"))
    [action] = by_rule(h, tick_at(h, H0), "bids.confirmation", "approved")
    outcome = send(world, action)
    assert outcome["outcome"] == "held" and "amount missing or empty" in outcome["detail"]
    assert resend.requests == [] and state(h).bids["b7"]["confirmed_at"] is None


def test_a_feedback_request_names_the_order_property_and_delivery_date(world, resend):
    h, _, _ = world
    book(h)
    h.feed("order", good_order("o1", at=H0 - 9 * DAY))
    h.feed("order", good_order("o1", at=H0 - 7 * DAY, change="delivered"))
    [action] = by_rule(h, tick_at(h, H0), "feedback.request", "approved")
    outcome = send(world, action)
    email = only_email(resend)
    assert (outcome["outcome"], email["subject"]) == ("sent", "How did order o1 go?")
    assert "12 Elm St, Springfield" in email["text"] and "Mon 14 Sep 2026" in email["text"]


def test_a_vendor_profile_reminder_lists_the_missing_items_and_starts_the_escalation_clock(world, resend):
    h, _, _ = world
    h.feed("client", client("c1", at=H0 - DAY, name="Harbor Credit Union", vendor_profile_status="missing_data",
                            vendor_profile_missing=["E&O certificate", "W-9"]))
    h.feed("contact", contact("vm", client_id="c1", at=H0 - DAY, title="Vendor Manager", name="Vic Mars"))
    [action] = by_rule(h, tick_at(h, H0), "compliance.reminder", "approved")
    outcome = send(world, action)
    email = only_email(resend)
    assert email["subject"].startswith("Our vendor profile with Harbor Credit Union")
    assert "- E&O certificate\n- W-9\n" in email["text"] and "Hi Vic," in email["text"]
    [row] = state(h).vendor_compliance.values()
    assert row["reminded_at"] == outcome["occurred_at"]


def test_a_reminder_with_nothing_listed_as_missing_is_held_and_not_reminded(world, resend):
    h, _, _ = world
    h.feed("client", client("c1", at=H0 - DAY, vendor_profile_status="missing_data"))
    h.feed("contact", contact("vm", client_id="c1", at=H0 - DAY, title="Vendor Manager"))
    [action] = by_rule(h, tick_at(h, H0), "compliance.reminder", "approved")
    outcome = send(world, action)
    assert outcome["outcome"] == "held" and "missing_items" in outcome["detail"]
    assert resend.requests == []
    [row] = state(h).vendor_compliance.values()
    assert row["reminded_at"] is None
    assert by_rule(h, tick_at(h, H0 + 20 * DAY), "compliance.escalation") == []


def test_an_edited_template_is_a_new_version_and_the_email_records_it(world, resend):
    h, _, _ = world
    book(h)
    h.feed("template", event("template", at=H0 - DAY, template_id="introduction", version=2, kind="send_email",
                             subject="Hello from the appraisal desk, {{ contact_first_name or 'there' }}",
                             text_body="We would be glad to help {{ client_name }} with its next order.\n",
                             variables=[{"name": "contact_first_name", "required": False},
                                        {"name": "client_name", "required": True}]))
    [action] = by_rule(h, tick_at(h, H0), "engagement.never_touched", "approved")
    outcome = send(world, action)
    assert (outcome["template_id"], outcome["template_version"]) == ("introduction", 2)
    assert only_email(resend)["subject"] == "Hello from the appraisal desk, Pat"
    assert json.loads(state(h).templates[("introduction", 2)]["variables"])[1]["name"] == "client_name"


def test_the_operators_digest_lists_new_cards_and_goes_out_in_internal_only_without_the_allowlist(world, resend):
    h, _, _ = world
    h.feed("control", event("control", at=H0 - DAY, send_mode="internal_only", allowlist=["nobody.example"]))
    h.feed("person", event("person", at=H0 - DAY, person_id="u1", name="Sam Ops", email="sam@us.example",
                           roles=["operator"]))
    book(h)
    h.feed("gmail_message", event("gmail_message", at=H0 - HOUR, event_id="gmail:t1:m1", mailbox="ops@us.example",
                                  message_id="m1", thread_id="th1", from_header="p1@lender.example",
                                  to_header="ops@us.example", subject="Re: 14 Oak Ln",
                                  body_text="Can you call me Thursday at 2pm to go over the comps?"))
    out = tick_at(h, H0)
    [task] = by_rule(h, out, "tasks.client_request", "approved")
    [digest] = by_rule(h, out, "people.digest", "approved")
    outcome = send(world, digest)
    assert (outcome["outcome"], outcome["template_id"], outcome["detail"]) == ("sent", "operator_digest", None)
    email = only_email(resend)
    assert email["to"] == ["sam@us.example"] and email["subject"].startswith("revloop: 1 new card(s)")
    assert "Hi Sam Ops," in email["text"] and f"revloop cards accept {task['action_id']}" in email["text"]
    assert "p1@lender.example asked: call" in email["text"]
