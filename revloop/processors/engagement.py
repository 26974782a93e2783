"""The 21-day engagement engine: a clock per contact, status as of any time, priority.

Rule (the seed's P0.4): every contact is touched at least every 21 days. A touch
is any touch event (call, meeting, email, ...), an outbound email that was sent,
or an inbound reply. The clock keeps the latest touch, so touches arriving out
of order or twice leave the same clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from revloop.processors.rows import newer
from revloop.processors.timeutil import DAY_MS, days_between

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

TOUCH_INTERVAL_DAYS = 21
DUE_SOON_DAYS = 3          # "due soon" = due within the next 3 days

COMPLIANT, DUE_SOON, OVERDUE, NEVER = "compliant", "due_soon", "overdue", "never_touched"


def new_clock(tenant_id: str, contact: dict) -> dict:
    return {
        "tenant_id": tenant_id, "contact_id": contact["contact_id"], "email": contact["email"],
        "name": contact.get("name"), "client_id": contact.get("client_id"), "last_touch_at": None, "last_touch_channel": None,
        "last_touch_direction": None, "last_touch_by": None, "next_touch_due": None,
        "last_event_id": None, "last_event_at": None,
    }


def record_touch(clock: dict, *, at: int, event_id: str, channel: str, direction: str, by: str) -> bool:
    """Move the clock to this touch if it is the latest; return whether it moved."""
    if not newer({"occurred_at": at, "event_id": event_id}, clock):
        return False
    clock.update(last_touch_at=at, last_touch_channel=channel, last_touch_direction=direction,
                 last_touch_by=by, next_touch_due=at + TOUCH_INTERVAL_DAYS * DAY_MS,
                 last_event_id=event_id, last_event_at=at)
    return True


def touch_contact(state: TenantState, email: str | None, contact_id: str | None, *, at: int, event_id: str,
                  channel: str, direction: str, by: str) -> list[tuple[str, object]]:
    """Apply one touch; returns the rows touched.

    A touch to an address touches every contact with that address, and is kept for contacts
    that get it later: touches and contacts travel on different topics, and two contacts may
    share an address (a CRM record and one found in mail first), so which contacts the
    address names when the touch is read must not decide where it lands (replay equals live).
    A touch to an unknown contact id waits until that contact appears."""
    if contact_id is None:
        if not email:
            return []
        email = email.lower()
        seen = state.pending_touches.setdefault(email, {"last_event_at": None, "last_event_id": None})
        if not record_touch(seen, at=at, event_id=event_id, channel=channel, direction=direction, by=by):
            return []     # every contact with this address already has this touch or a later one
        ids = sorted(state.contacts_by_email.get(email, ()))
    elif contact_id not in state.contacts:
        pending = state.pending_touches.setdefault(f"id:{contact_id}", {"last_event_at": None, "last_event_id": None})
        record_touch(pending, at=at, event_id=event_id, channel=channel, direction=direction, by=by)
        return []
    else:
        ids = [contact_id]
    touched: list[tuple[str, object]] = []
    for cid in ids:
        clock = state.clocks.setdefault(cid, new_clock(state.tenant_id, state.contacts[cid]))
        if record_touch(clock, at=at, event_id=event_id, channel=channel, direction=direction, by=by):
            touched.append(("engagement_clocks", cid))
    return touched


def adopt_pending_touch(state: TenantState, contact: dict) -> None:
    """A contact just became known (or changed): give its clock the latest touch to its address
    (kept: other contacts may share it) and any touch to its id seen before it was."""
    clock = state.clocks.setdefault(contact["contact_id"], new_clock(state.tenant_id, contact))
    # The clock carries who it is for, so the console finds and orders contacts from it alone.
    clock.update(email=contact["email"], name=contact.get("name"), client_id=contact.get("client_id"))
    for seen in (state.pending_touches.get(contact["email"].lower()),
                 state.pending_touches.pop(f"id:{contact['contact_id']}", None)):
        if seen and seen.get("last_touch_at") is not None:
            record_touch(
                clock, at=seen["last_touch_at"], event_id=seen["last_event_id"],
                channel=seen["last_touch_channel"], direction=seen["last_touch_direction"],
                by=seen["last_touch_by"])


def owner_of(contact_ids) -> str | None:
    """Which of the contacts sharing an address speaks for it: one a person recorded before one
    found in mail ("email:..."), then the smallest id; the same whatever order they arrived in."""
    if len(contact_ids) == 1:         # nearly every address: no key tuple to build
        return next(iter(contact_ids))
    return min(contact_ids, key=lambda c: (c.startswith("email:"), c), default=None)


def stands_aside(state: TenantState, contact_id: str, contact: dict) -> bool:
    """A contact found in mail whose address a recorded contact now speaks for: the same person,
    found first only because the message was read before the record. Counting or working both
    would make the figures depend on which topic was read first."""
    return contact_id.startswith("email:") and state.contact_by_email.get(contact["email"]) != contact_id


@dataclass(frozen=True)
class ClockStatus:
    status: str
    days_overdue: int        # 0 unless overdue
    days_until_due: int | None


def status_as_of(clock: dict, as_of: int) -> ClockStatus:
    """Status at a moment. Touched exactly 21 days ago is due today, not overdue."""
    due = clock.get("next_touch_due")
    if due is None:
        return ClockStatus(NEVER, 0, None)
    if as_of > due:
        return ClockStatus(OVERDUE, max(1, -(-(as_of - due) // DAY_MS)), None)
    until = days_between(as_of, due)
    return ClockStatus(DUE_SOON if until < DUE_SOON_DAYS else COMPLIANT, 0, until)


def compliant_from(as_of: int) -> int:
    """The earliest next_touch_due that is COMPLIANT at as_of: (due - as_of) // DAY_MS >=
    DUE_SOON_DAYS holds exactly when due - as_of >= DUE_SOON_DAYS * DAY_MS (integers)."""
    return as_of + DUE_SOON_DAYS * DAY_MS


def status_name(clock: dict | None, as_of: int) -> str:
    """status_as_of(...).status without building the details: the hot path of every tick."""
    due = clock.get("next_touch_due") if clock else None
    if due is None:
        return NEVER
    if as_of > due:
        return OVERDUE
    return DUE_SOON if (due - as_of) // DAY_MS < DUE_SOON_DAYS else COMPLIANT


# Priority weights. Overdue contacts always outrank the rest (base 100), then
# never-touched ones (base 60), then those due soon (base 30).
BAND_WEIGHT = {"A": 20, "B": 12, "C": 6, "D": 2}
STATUS_BASE = {OVERDUE: 100, NEVER: 60, DUE_SOON: 30, COMPLIANT: 0}
RECENT_ORDER_DAYS = 30


def priority(status: ClockStatus, *, revenue_band: str | None, open_deals_and_bids: int,
             recent_orders: int) -> float:
    """Whom to touch next; higher first.

    score = status base (overdue 100, never touched 60, due soon 30, compliant 0)
          + 2 x days overdue (capped at 30 days, so one ancient contact cannot starve the rest)
          + revenue band weight (A 20, B 12, C 6, D 2)
          + 5 x open deals and bids of the contact's client (at most 15)
          + 1 x the client's orders in the last 30 days (at most 10)
    """
    return (STATUS_BASE[status.status] + 2 * min(status.days_overdue, 30)
            + client_weight(revenue_band=revenue_band, open_deals_and_bids=open_deals_and_bids,
                            recent_orders=recent_orders))


def client_weight(*, revenue_band: str | None, open_deals_and_bids: int, recent_orders: int) -> float:
    """The part of the priority that comes from the contact's client."""
    return BAND_WEIGHT.get(revenue_band or "", 0) + 5 * min(open_deals_and_bids, 3) + min(recent_orders, 10)


def status_weight(clock: dict | None, as_of: int) -> float:
    """The part of the priority that comes from the clock: same as priority() without the client."""
    due = clock.get("next_touch_due") if clock else None
    if due is None:
        return STATUS_BASE[NEVER]
    if as_of > due:
        return STATUS_BASE[OVERDUE] + 2 * min(-(-(as_of - due) // DAY_MS), 30)
    return STATUS_BASE[DUE_SOON if (due - as_of) // DAY_MS < DUE_SOON_DAYS else COMPLIANT]


@dataclass(frozen=True)
class EngagementStats:
    contacts: int
    compliant: int
    due_soon: int
    overdue: int
    never_touched: int

    @property
    def compliance_rate(self) -> float:
        """Share of contacts touched within the last 21 days (due soon counts as within)."""
        return (self.compliant + self.due_soon) / self.contacts if self.contacts else 1.0


def tenant_stats(state: TenantState, as_of: int, client_id: str | None = None) -> EngagementStats:
    counts = {COMPLIANT: 0, DUE_SOON: 0, OVERDUE: 0, NEVER: 0}
    clocks, compliant = state.clocks, compliant_from(as_of)
    if client_id is None:
        contacts = state.contacts.items()
    else:       # one account: the projector's index, not a pass over every contact
        contacts = [(cid, state.contacts[cid]) for cid in state.contacts_by_client.get(client_id, ())]
    for contact_id, contact in contacts:
        if contact.get("opted_out") or (contact_id[:6] == "email:" and stands_aside(state, contact_id, contact)):
            continue
        clock = clocks.get(contact_id)
        due = clock.get("next_touch_due") if clock else None
        # status_name inline for the common case (once per contact per tick)
        counts[COMPLIANT if due is not None and due >= compliant else status_name(clock, as_of)] += 1
    return EngagementStats(sum(counts.values()), counts[COMPLIANT], counts[DUE_SOON], counts[OVERDUE], counts[NEVER])


def account_rollup(state: TenantState, as_of: int) -> dict[str, EngagementStats]:
    """Per client account: its contacts' statuses."""
    by_client: dict[str, dict[str, int]] = {}
    for contact_id, contact in state.contacts.items():
        if contact.get("opted_out") or not contact.get("client_id") or stands_aside(state, contact_id, contact):
            continue
        counts = by_client.setdefault(contact["client_id"], {COMPLIANT: 0, DUE_SOON: 0, OVERDUE: 0, NEVER: 0})
        counts[status_as_of(state.clocks.get(contact_id) or {}, as_of).status] += 1
    return {cid: EngagementStats(sum(c.values()), c[COMPLIANT], c[DUE_SOON], c[OVERDUE], c[NEVER])
            for cid, c in by_client.items()}
