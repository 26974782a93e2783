"""Deals: given deal events, replies and ticks, then stall follow-ups, stage proposals and outcomes."""
from __future__ import annotations

import json

from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, state, tick_at
from tests.support.events import DAY, client, contact, event, touch


def deal_in_proposal(h: Harness, at: int = H0, **kw):
    h.feed("client", client("c1", at=at - 2 * DAY))
    h.feed("contact", contact("p1", client_id="c1", at=at - 2 * DAY))
    # In touch (a call): the stall follow-up is the only email p1 is due.
    h.feed("touch", touch("p1", at=at - DAY))
    fields = dict(deal_id="d1", client_id="c1", contact_id="p1", name="Lakeside CU panel", stage="proposal",
                  next_step="send the revised fee schedule", amount_cents=1_200_000)
    fields.update(kw)
    h.feed("deal", event("deal", at=at, **fields))


def test_a_deal_is_stalled_exactly_at_its_stage_threshold_and_not_one_ms_before():
    h = Harness()
    deal_in_proposal(h)                                   # proposal: 7 days without movement
    early = tick_at(h, H0 + 7 * DAY - 1)
    on_time = tick_at(h, H0 + 7 * DAY)

    assert by_rule(h, early, "deals.stalled") == []
    [follow_up] = by_rule(h, on_time, "deals.stalled", "approved")
    assert follow_up["kind"] == "follow_up" and follow_up["recipient"] == "p1@lender.example"
    assert "next step: send the revised fee schedule" in follow_up["reason"]
    row = state(h).deals["d1"]
    assert row["stalled"] is True and row["stalled_since"] == H0 + 7 * DAY


def test_the_stall_threshold_is_tunable_per_stage_through_control_goals():
    h = Harness()
    h.feed("control", event("control", at=H0 - DAY, goals={"deal_stall_days.proposal": 2}))
    deal_in_proposal(h)
    assert by_rule(h, tick_at(h, H0 + 2 * DAY), "deals.stalled", "approved")


def test_a_deal_that_moves_again_is_no_longer_stalled():
    h = Harness()
    deal_in_proposal(h)
    tick_at(h, H0 + 7 * DAY)
    h.feed("deal", event("deal", at=H0 + 8 * DAY, deal_id="d1", client_id="c1", contact_id="p1",
                         stage="negotiation", next_step="agree the panel terms"))

    row = state(h).deals["d1"]
    assert row["stalled"] is False and row["stalled_since"] is None and row["last_moved_at"] == H0 + 8 * DAY
    assert by_rule(h, tick_at(h, H0 + 8 * DAY + HOUR), "deals.stalled") == []


def test_a_stalled_deal_is_followed_up_again_a_week_later_not_every_hour():
    h = Harness()
    deal_in_proposal(h)
    assert by_rule(h, tick_at(h, H0 + 7 * DAY), "deals.stalled", "approved")
    assert by_rule(h, tick_at(h, H0 + 7 * DAY + HOUR), "deals.stalled") == []
    assert by_rule(h, tick_at(h, H0 + 14 * DAY), "deals.stalled", "approved")


def test_a_reply_from_the_deals_contact_proposes_the_next_stage_without_changing_it():
    h = Harness()
    deal_in_proposal(h)
    h.feed("gmail_message", event("gmail_message", at=H0 + DAY, mailbox="ops@appraisals.example", message_id="m1",
                                  thread_id="th1", from_header="Pat <p1@lender.example>", subject="Re: fees",
                                  body_text="Looks good, let's talk terms."))
    out = tick_at(h, H0 + DAY + HOUR)
    [advance] = by_rule(h, out, "deals.advance", "approved")
    assert advance["kind"] == "propose_stage_advance"
    payload = json.loads(advance["payload_json"])
    assert (payload["from_stage"], payload["to_stage"]) == ("proposal", "negotiation")
    assert state(h).deals["d1"]["stage"] == "proposal"           # a proposal, not a silent change
    assert by_rule(h, tick_at(h, H0 + DAY + 2 * HOUR), "deals.advance") == []   # once per reply


def test_an_email_outcome_reply_counts_as_a_reply_too():
    h = Harness()
    deal_in_proposal(h)
    h.feed("email_outcome", event("email_outcome", at=H0 + DAY, outcome="replied", recipient="p1@lender.example"))
    assert by_rule(h, tick_at(h, H0 + DAY + HOUR), "deals.advance", "approved")


def test_a_reply_before_the_last_movement_proposes_nothing():
    h = Harness()
    h.feed("email_outcome", event("email_outcome", at=H0 - HOUR, outcome="replied", recipient="p1@lender.example"))
    deal_in_proposal(h)
    assert by_rule(h, tick_at(h, H0 + HOUR), "deals.advance") == []


def test_a_lost_deal_keeps_its_outcome_and_reason_and_is_never_followed_up():
    h = Harness()
    deal_in_proposal(h)
    h.feed("deal", event("deal", at=H0 + DAY, deal_id="d1", client_id="c1", contact_id="p1", stage="lost",
                         reason="went with the incumbent AMC"))
    row = state(h).deals["d1"]
    assert (row["outcome"], row["reason"], row["closed_at"]) == ("lost", "went with the incumbent AMC", H0 + DAY)
    assert [s for s, _ in json.loads(row["stages"])] == ["proposal", "lost"]
    assert by_rule(h, tick_at(h, H0 + 30 * DAY), "deals.stalled") == []
