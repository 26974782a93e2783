"""One voice per contact: given every source wanting one contact, then one email a day, three a week,
the most important first, and what loses waits for the contact's next free day, with the reason."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from revloop.processors.sending_schedule import SOURCES, source_of
from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import report, tick_event
from tests.support.events import client, contact, event, good_order

NY = ZoneInfo("America/New_York")
DAY = 86_400_000


def ms(year, month, day, hour, minute=0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=NY).timestamp() * 1000)


MONDAY = ms(2026, 9, 21, 10)


def one_contact_everyone_wants(h: Harness, at: int = MONDAY) -> None:
    """Ann, in Maine, is wanted on Monday by a bid (ask for its scope), a stalled deal (follow up),
    a delivered order (ask for feedback) and her overdue engagement clock (check in)."""
    h.feed("client", client("c1", zip="04101", at=at - 30 * DAY))
    h.feed("contact", contact("ann", email="ann@lender.example", client_id="c1", at=at - 30 * DAY))
    h.feed("touch", event("touch", contact_id="ann", channel="call", at=at - 25 * DAY))   # overdue: 21 days
    h.feed("bid", event("bid", bid_id="b1", client_id="c1", submitter_email="ann@lender.example",
                        status="requested", amount_cents=52_500, at=at - 3_600_000))
    h.feed("deal", event("deal", deal_id="d1", client_id="c1", contact_id="ann", stage="negotiation",
                         name="Panel", at=at - 6 * DAY))
    h.feed("order", good_order("o1", at=at - 9 * DAY))
    h.feed("order", good_order("o1", at=at - 7 * DAY, change="delivered"))


def emails_to_ann(out) -> list[dict]:
    return [a for t, a in out if t == "action_decided" and a["recipient"] == "ann@lender.example"]


def test_sources_rank_requests_and_compliance_first_and_broadcasts_last():
    assert SOURCES[0] == "request" and SOURCES[1] == "compliance" and SOURCES[-1] == "broadcast"
    assert [source_of(r) for r in ("compliance.reminder", "bids.confirmation", "deals.stalled",
                                   "feedback.request", "engagement.overdue", "broadcast.send")] == \
        ["compliance", "bids", "deals", "feedback", "engagement", "broadcast"]


def test_competing_sources_send_one_email_a_day_in_priority_order_and_the_rest_wait_with_the_reason():
    h = Harness()
    one_contact_everyone_wants(h)
    monday = emails_to_ann(h.feed("tick", tick_event(MONDAY)))
    assert {a["rule"]: a["decision"] for a in monday} == {
        "bids.intel_request": "approved", "deals.stalled": "deferred", "feedback.request": "deferred",
        "engagement.overdue": "deferred"}
    waiting = [a for a in monday if a["decision"] == "deferred"]
    assert {a["policy"] for a in waiting} == {"contact_frequency"}
    assert {a["not_before"] for a in waiting} == {ms(2026, 9, 22, 8)}        # Tuesday, 8:00 her time
    assert all("at most 1 email(s) a day and 3 in 7 days" in a["policy_reason"]
               and "bids.intel_request goes first" in a["policy_reason"] for a in waiting)
    # Dry run: done for the engines, not a touch, so the engagement check-in is still due later.
    for a in monday:
        if a["decision"] == "approved":
            report(h, a, "dry_run", at=MONDAY + 60_000)

    order = []
    for day in range(1, 8):                       # hourly ticks from Tuesday 8:00 to the next Tuesday 7:00
        for hour in range(0, 24):
            at = MONDAY + day * DAY + (hour - 2) * 3_600_000
            for a in emails_to_ann(h.feed("tick", tick_event(at))):
                if a["decision"] == "approved":
                    order.append((a["rule"], datetime.fromtimestamp(a["occurred_at"] / 1000, NY).strftime("%a %H:%M")))
                    report(h, a, "dry_run", at=at + 60_000)
    # One a day at 8:00 her time, in priority order; the week's third email fills her three in 7 days,
    # so the check-in waits until the Monday's email is 7 days old.
    assert order == [("deals.stalled", "Tue 08:00"), ("feedback.request", "Wed 08:00"),
                     ("engagement.overdue", "Mon 08:00")]


def test_an_email_that_never_went_does_not_use_the_contacts_day():
    h = Harness()
    one_contact_everyone_wants(h)
    [winner] = [a for a in emails_to_ann(h.feed("tick", tick_event(MONDAY))) if a["decision"] == "approved"]
    report(h, winner, "failed", at=MONDAY + 60_000)      # the provider refused it
    later = emails_to_ann(h.feed("tick", tick_event(MONDAY + 2 * 3_600_000)))
    assert [a["rule"] for a in later if a["decision"] == "approved"] == []   # the others still wait for Tuesday
    state = h.pipeline.state("t1")
    assert state.contact_sends["ann@lender.example"] == {}


def test_the_caps_are_tenant_settings():
    h = Harness()
    h.feed("control", event("control", at=MONDAY - 40 * DAY, goals={"contact_emails_per_day": 2}))
    one_contact_everyone_wants(h)
    monday = emails_to_ann(h.feed("tick", tick_event(MONDAY)))
    assert sorted(a["rule"] for a in monday if a["decision"] == "approved") == ["bids.intel_request",
                                                                                  "deals.stalled"]
