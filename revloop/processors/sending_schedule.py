"""When an approved email may go: the recipient's hours, and one voice per contact.

The policy gate asks `Schedule.hold(proposals)` for the emails it would otherwise approve:

- **Recipients' hours.** An email to a client goes out inside the tenant's sending window
  (default Mon-Fri 08:00-17:00, not on a holiday of its calendar) in the recipient's local
  time (their contact's zone, processors.local_time; else their client's; else the
  tenant's). Internal digests and replies to an explicit request keep the tenant's own
  hours. Outside them the email is deferred, policy `sending_window`, to the first moment
  inside them (`not_before` on the decision), not dropped.
- **One voice per contact.** Every source of client email together sends a recipient at
  most `contact_emails_per_day` (1) a day and `contact_emails_per_week` (3) in any 7 days,
  days in their local time (control goals, per tenant). When sources compete, SOURCES is
  the order: explicit requests and compliance deadlines first, broadcasts last; within a
  source the proposal's own priority. What loses is deferred, policy `contact_frequency`,
  with the reason and the first day the contact has room again.

A target deferred with a `not_before` is not proposed again before then (the emitters ask
emitters.recently_acted), so a night's wait is one decision, not one an hour;
at that time it is proposed and judged afresh, against whatever else wants the contact then.

The engine keeps, from the decisions and the executors' outcomes (replay rebuilds both):
the deferrals still standing (`send_waits`) and each recipient's approved client emails of
the last days (`contact_sends`); an approval whose email failed, was cancelled or held is
taken off again, since it never reached the contact.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from revloop.processors.actions import (APPROVED, BLOCKED, CLIENT_EMAIL_KINDS, DEFERRED, SEND_DIGEST,
                                        UNDONE_OUTCOMES, Proposal)
from revloop.processors.engine import Engine
from revloop.processors.local_time import infer_zone, valid_zone, zone
from revloop.processors.rows import Touched
from revloop.processors.sending_window import describe_local, local_date, opens_at, window_of
from revloop.processors.timeutil import DAY_MS
from revloop.processors.tuning import setting

if TYPE_CHECKING:
    from revloop.processors.controls import Controls
    from revloop.processors.state import TenantState

SENDING_WINDOW, CONTACT_FREQUENCY = "sending_window", "contact_frequency"
ANSWERED = "answered_in_thread"    # processors.threads: a follow-up whose thread the contact answered
PER_DAY, PER_WEEK = 1, 3
WEEK_DAYS = 7
# Which source's email goes first when several want one contact on one day. A person asked
# (a reply to an explicit request) and a compliance deadline cannot wait; a bid has a due
# date; a stalled deal is money in motion; feedback and routine check-ins can; a broadcast
# is for everyone and so for no one in particular. Rule families map to sources; a family
# not listed ranks with engagement.
SOURCES = ("request", "compliance", "bids", "deals", "feedback", "engagement", "broadcast")
SOURCE_OF_FAMILY = {"requests": "request", "replies": "request", "compliance": "compliance", "bids": "bids",
                    "deals": "deals", "feedback": "feedback", "engagement": "engagement",
                    "broadcast": "broadcast", "broadcasts": "broadcast"}
# Own-hours sources: the tenant's people, or a client who asked and is waiting for the answer.
OWN_HOURS_SOURCES = frozenset({"request"})
FOREVER = 2 ** 62


def source_of(rule: str) -> str:
    return SOURCE_OF_FAMILY.get(rule.split(".", 1)[0], "engagement")


def source_rank(rule: str) -> int:
    return SOURCES.index(source_of(rule))


@dataclass(frozen=True)
class Hold:
    policy: str
    reason: str
    not_before: int


def waiting_count(state: TenantState, as_of: int, policy: str) -> int:
    return sum(1 for at, p in state.send_waits.values() if p == policy and as_of < at < FOREVER)


class Schedule:
    """The recipients' hours and the contacts' caps as of one tick, for the gate."""

    def __init__(self, state: TenantState, controls: Controls, as_of: int):
        self.state, self.controls, self.as_of = state, controls, as_of
        self.window = window_of(controls.sending_window)
        self.calendar = controls.holidays
        self.tenant_zone = controls.time_zone
        self.per_day = int(setting(controls.goals, "contact_emails_per_day", PER_DAY))
        self.per_week = int(setting(controls.goals, "contact_emails_per_week", PER_WEEK))
        self._opens: dict[str, int | None] = {}

    def zone_of(self, p: Proposal) -> tuple[str, str]:
        """(zone, how it was found) for the proposal's recipient."""
        if p.kind == SEND_DIGEST or source_of(p.rule) in OWN_HOURS_SOURCES:
            return self.tenant_zone, "tenant"
        st = self.state
        contact = st.contacts.get(st.contact_by_email.get((p.recipient or "").lower(), ""))
        if contact is not None and contact.get("local_time_zone"):
            return contact["local_time_zone"], contact["time_zone_source"]
        client = st.clients.get(str(p.payload.get("client_id") or ""))
        if contact is None and client is not None:
            found, source = infer_zone({}, client)
            if found:
                return found, source
        return self.tenant_zone, "tenant_default"

    def opens(self, zone_name: str) -> int | None:
        if zone_name not in self._opens:     # one answer per zone and tick: a book has few zones
            self._opens[zone_name] = opens_at(zone_name, self.as_of, self.window, self.calendar)
        return self._opens[zone_name]

    def hold(self, proposals: list[Proposal]) -> list[Hold | None]:
        """For proposals the gate would approve (in its order): a Hold for each that must wait."""
        out: list[Hold | None] = [None] * len(proposals)
        competing: dict[str, list[tuple]] = {}
        for i, p in enumerate(proposals):
            if p.kind not in CLIENT_EMAIL_KINDS and p.kind != SEND_DIGEST:
                continue
            zone_name, _ = self.zone_of(p)
            opens = self.opens(zone_name)
            if opens is not None:
                out[i] = Hold(SENDING_WINDOW, f"outside {p.recipient}'s hours ({self.window.describe()} "
                                              f"{zone_name}; it is {describe_local(zone_name, self.as_of)} there): "
                                              f"waits until {describe_local(zone_name, opens)} their time", opens)
                continue
            if p.kind in CLIENT_EMAIL_KINDS and p.recipient:
                competing.setdefault(p.recipient.lower(), []).append(
                    (source_rank(p.rule), -p.priority, p.kind, p.target_id, i, zone_name))
        for recipient, entries in competing.items():
            entries.sort()
            zone_name = entries[0][5]
            sent = self._sent_days(recipient, zone_name)
            today = local_date(zone_name, self.as_of)
            room = self._room(sent, today)
            if len(entries) <= room:
                continue
            winners = [proposals[e[4]] for e in entries[:room]]
            after = sent + [today] * len(winners)
            free = self._next_free_day(after, today)
            not_before = self._first_open(zone_name, free)
            because = f"; {winners[0].rule} goes first" if winners else ""
            for e in entries[room:]:
                out[e[4]] = Hold(CONTACT_FREQUENCY,
                                 f"{recipient} gets at most {self.per_day} email(s) a day and {self.per_week} in "
                                 f"{WEEK_DAYS} days from us ({self._tally(sent, today)}{because}): waits until "
                                 f"{describe_local(zone_name, not_before)} their time", not_before)
        return out

    # -- the contact's days ------------------------------------------------------------------------
    def _sent_days(self, recipient: str, zone_name: str) -> list:
        """Local dates of the client emails approved for the recipient in the last week (not undone)."""
        horizon = self.as_of - (WEEK_DAYS + 1) * DAY_MS
        return sorted(local_date(zone_name, at) for at in self.state.contact_sends.get(recipient, {}).values()
                      if horizon <= at <= self.as_of)

    def _counts(self, days: list, day) -> tuple[int, int]:
        week_start = day - timedelta(days=WEEK_DAYS - 1)
        return sum(1 for d in days if d == day), sum(1 for d in days if week_start <= d <= day)

    def _room(self, days: list, day) -> int:
        on_day, in_week = self._counts(days, day)
        return max(0, min(self.per_day - on_day, self.per_week - in_week))

    def _next_free_day(self, days: list, today):
        for ahead in range(1, WEEK_DAYS + 2):
            day = today + timedelta(days=ahead)
            if self._room(days, day) > 0:
                return day
        return today + timedelta(days=WEEK_DAYS + 1)

    def _first_open(self, zone_name: str, day) -> int:
        midnight = int(datetime.combine(day, time(0), zone(zone_name if valid_zone(zone_name) else "UTC"))
                       .timestamp() * 1000)
        return opens_at(zone_name, midnight, self.window, self.calendar) or midnight

    def _tally(self, days: list, today) -> str:
        on_day, in_week = self._counts(days, today)
        return f"{on_day} today, {in_week} in 7 days"


# -- the engine's memory: from decisions and outcomes ------------------------------------------------
def note_decision(state: TenantState, e: dict) -> Touched:
    from revloop.processors.emitters import family_of

    key = (family_of(e["rule"], e["kind"]), e["target_id"])
    if e["decision"] == DEFERRED and e.get("not_before"):
        if e["not_before"] >= state.send_waits.get(key, (0,))[0]:     # the latest deferral stands
            state.send_waits[key] = (e["not_before"], e.get("policy"))
    elif e["decision"] == BLOCKED and e.get("policy") == ANSWERED:
        state.send_waits[key] = (FOREVER, ANSWERED)
    elif e["decision"] == APPROVED and e["kind"] == SEND_DIGEST:
        # The operators' digest tells of what happened since the last one (processors.cycle.digest_proposals).
        state.digests["sent_at"] = max(state.digests.get("sent_at", e["occurred_at"]), e["occurred_at"])
    elif e["decision"] == APPROVED and e["kind"] in CLIENT_EMAIL_KINDS and e.get("recipient"):
        sends = state.contact_sends.setdefault(e["recipient"].lower(), {})
        sends[e["action_id"]] = e["occurred_at"]
        # The cap looks back a week: older approvals can never count again.
        for aid in [a for a, at in sends.items() if at < e["occurred_at"] - (WEEK_DAYS + 1) * DAY_MS]:
            del sends[aid]
    return []


def note_outcome(state: TenantState, action: dict, outcome: dict) -> Touched:
    """An approval whose email never went (failed, cancelled, held) did not use the contact's day."""
    if outcome["outcome"] in UNDONE_OUTCOMES and action.get("recipient"):
        sends = state.contact_sends.get(action["recipient"].lower())
        if sends is not None:
            sends.pop(action["action_id"], None)
    return []

ENGINE = Engine(
    name="sending_schedule",
    # Kept per target like the cycle's other memory (last_approved): a target's entry is overwritten.
    state={"send_waits": dict,      # (family, target) -> (not before, policy): deferrals
           "contact_sends": dict,   # recipient -> approved client email action id -> decided at
           "digests": dict},        # "sent_at": when the operators' digest was last approved
    note_decision=note_decision,
    note_outcome=note_outcome,
)
