"""Shared givens for the deal, bid, feedback and compliance engine specifications."""
from __future__ import annotations

from tests.support.cycle_harness import HOUR, Harness
from tests.support.events import T0, event

H0 = T0 - T0 % HOUR      # an hour boundary, so ticks land exactly where a test says


def tick_event(as_of: int, tenant: str = "t1") -> dict:
    """A tick standing for exactly `as_of` (the harness's tick() floors to the hour)."""
    return event("tick", tenant=tenant, at=as_of, event_id=f"tick:{tenant}:{as_of}", tick_id=f"{tenant}:{as_of}",
                 as_of=as_of)


def tick_at(h: Harness, as_of: int, tenant: str = "t1") -> list[tuple[str, dict]]:
    return h.feed("tick", tick_event(as_of, tenant))


def by_rule(h: Harness, out, rule: str, decision: str | None = None) -> list[dict]:
    return [a for a in h.actions(out, decision) if a["rule"] == rule]


def state(h: Harness, tenant: str = "t1"):
    return h.pipeline.state(tenant)


def engines_scenario(tenant: str) -> tuple[list[tuple[str, dict]], list[int]]:
    """A book that gives every engine work: (input events, tick times). Every input happens
    before the first tick, so each tick sees all of them however the topics interleave.

    At H0: deal d1 stalled (proposal, 10 days still), d2's contact replied (advance?),
    bid b1 due its first follow-up, b3 fresh (intel request), b2 lost to ValuCo on price,
    order o1 delivered exactly 7 days ago (feedback request), o2 with a complaint (case),
    client c1's vendor profile missing a W-9 (reminder). At H0 + 14 days: the escalation.
    """
    from tests.support.events import DAY, client, contact, good_order

    ev: list[tuple[str, dict]] = []
    add = lambda t, e: ev.append((t, e))
    kw = dict(tenant=tenant)
    add("client", client("c1", at=H0 - 30 * DAY, vendor_profile_status="missing_data",
                         vendor_profile_missing=["W-9"], **kw))
    add("client", client("c2", at=H0 - 30 * DAY, vendor_profile_status="complete", **kw))
    add("contact", contact("p1", client_id="c1", at=H0 - 30 * DAY, **kw))
    add("contact", contact("vm", client_id="c1", at=H0 - 30 * DAY, title="Vendor Manager", **kw))
    add("contact", contact("p2", client_id="c2", at=H0 - 30 * DAY, **kw))
    add("deal", event("deal", at=H0 - 10 * DAY, deal_id="d1", client_id="c1", contact_id="p1", name="Panel",
                      stage="proposal", next_step="send the fee schedule", **kw))
    add("deal", event("deal", at=H0 - 2 * DAY, deal_id="d2", client_id="c2", contact_id="p2", stage="qualified", **kw))
    add("deal", event("deal", at=H0 - 20 * DAY, deal_id="d3", client_id="c2", stage="lead", **kw))
    add("deal", event("deal", at=H0 - 3 * DAY, deal_id="d3", client_id="c2", stage="lost",
                      reason="no appraisal volume this year", **kw))
    add("email_outcome", event("email_outcome", at=H0 - DAY, outcome="replied", recipient="p2@lender.example", **kw))
    add("bid", event("bid", at=H0 - 4 * DAY, bid_id="b1", client_id="c1", submitter_email="quotes@lender.example",
                     status="submitted", amount_cents=50_000, **kw))
    add("bid", event("bid", at=H0 - 6 * DAY, bid_id="b2", client_id="c2", status="submitted", amount_cents=52_000,
                     **kw))
    add("bid", event("bid", at=H0 - 5 * DAY, bid_id="b2", client_id="c2", status="lost", amount_cents=52_000,
                     competitor="ValuCo", competitor_amount_cents=47_000, reason="Price", **kw))
    add("bid", event("bid", at=H0 - HOUR, bid_id="b3", client_id="c1", submitter_email="rfp@lender.example",
                     status="requested", **kw))
    # At c2: c1's primary contacts are busy on the day (one email a day per contact), and live, the
    # sender's reports can be read before the first tick runs, making vm (touched) c1's primary contact.
    add("order", good_order("o1", client_id="c2", at=H0 - 9 * DAY, **kw))
    add("order", good_order("o1", client_id="c2", at=H0 - 7 * DAY, change="delivered", **kw))
    add("order", good_order("o2", at=H0 - 6 * DAY, **kw))
    add("order", good_order("o2", at=H0 - 3 * DAY, change="delivered", **kw))
    add("feedback", event("feedback", at=H0 - 2 * DAY, event_id=f"fb:{tenant}:o2", order_id="o2", client_id="c1",
                          contact_id="p1", rating=2, text="The report was late and had errors in the comps.", **kw))
    return ev, [H0, H0 + HOUR, H0 + 14 * DAY]


def outcome_of(action: dict, outcome: str = "sent", at: int | None = None, **fields) -> dict:
    """The executor's report on an approved action, as the sender writes it."""
    return event("email_outcome", tenant=action["tenant_id"], at=at if at is not None else action["occurred_at"] + 60_000,
                 event_id=f"{outcome}:{action['action_id']}", outcome=outcome, recipient=action["recipient"] or "-",
                 action_id=action["action_id"], **fields)


def report(h: Harness, action: dict, outcome: str = "sent", at: int | None = None, **fields):
    return h.feed("email_outcome", outcome_of(action, outcome, at, **fields))


def engines_reports(tenant: str) -> list[tuple[str, dict]]:
    """What the sender reports, in the hour of the first tick of engines_scenario, of the emails that tick
    approved: the reminder, the intel request and the first follow-up went out (engines count outcomes)."""
    from revloop.processors.actions import action_id
    from revloop.processors.vendor_compliance import quarter_of

    tick_id, out = f"{tenant}:{H0}", []
    for rule, target, to in (("compliance.reminder", f"c1:{quarter_of(H0)}:reminder", "vm@lender.example"),
                             ("bids.intel_request", "b3:intel_request", "rfp@lender.example"),
                             ("bids.follow_up", "b1:follow_up:1", "quotes@lender.example")):
        aid = action_id(tenant, tick_id, rule, target)
        out.append(("email_outcome", event("email_outcome", tenant=tenant, at=H0, event_id=f"sent:{aid}",
                                           outcome="sent", recipient=to, action_id=aid)))
    return out
