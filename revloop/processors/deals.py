"""Deals (the seed's P1.4): stage progression, stalled deals, next-step follow-ups,
reply-driven stage proposals, win / loss with reasons.

Rules
- Movement is a deal event that changes the stage or the next step (a re-synced identical
  snapshot is not movement). `stages` lists each stage entered, with when.
- A deal is stalled when it is open and nothing moved it, and its contact did not reply,
  for STALL_DAYS[stage] days; exactly at the threshold counts. Later stages go cold faster,
  hence the shorter waits. Tune per tenant with control goals `deal_stall_days.<stage>`
  (or `deal_stall_days` for every stage).
- A stalled deal gets a follow-up email to its contact (else the client's primary contact)
  naming the next step, and another every FOLLOW_UP_EVERY_DAYS while it stays stalled.
  followed_up_at is when one went out (the sender's outcome); one that failed or was
  cancelled is proposed again.
- A reply from the deal's contact after the last movement proposes advancing the deal to
  the next stage, once per reply: a proposal for a person, never a silent stage change.
- won / lost close the deal: outcome, closed_at and the reason stay on the row.

The row's stalled flag is taken from the cycle's own decisions: each stall proposal carries
the activity time it measured from, and a movement after that time clears it. So the flag
is the same whatever order the deal and action topics are read in (live or replay).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from revloop.processors.actions import DONE_OUTCOMES, FOLLOW_UP, PROPOSE_STAGE_ADVANCE, Proposal
from revloop.processors.emitters import recently_acted
from revloop.processors.recipients import email_of, name_of, primary_contact
from revloop.processors.rows import newer, stamp
from revloop.processors.timeutil import DAY_MS
from revloop.processors.tuning import setting
from revloop.processors.engine import Engine
from revloop.processors.table_def import table

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

STAGES = ("lead", "qualified", "proposal", "negotiation")
CLOSED = frozenset({"won", "lost"})
NEXT_STAGE = {"lead": "qualified", "qualified": "proposal", "proposal": "negotiation", "negotiation": "won"}
STALL_DAYS = {"lead": 14, "qualified": 10, "proposal": 7, "negotiation": 5}
DEFAULT_STALL_DAYS = 14               # a stage outside the ladder
FOLLOW_UP_EVERY_DAYS = 7
ONCE = 10 ** 15                       # a cooldown that never ends: once per target
FIELDS = ("deal_id", "client_id", "contact_id", "name", "stage", "amount_cents", "next_step", "reason")

Touched = list[tuple[str, object]]


def stall_ms(stage: str, goals: dict | None) -> int:
    default = setting(goals, "deal_stall_days", STALL_DAYS.get(stage, DEFAULT_STALL_DAYS))
    return int(setting(goals, f"deal_stall_days.{stage}", default) * DAY_MS)


def apply_deal(state: TenantState, e: dict) -> Touched:
    row = state.deals.get(e["deal_id"])
    if not newer(e, row):
        return []
    new_stage = row is None or row["stage"] != e["stage"]
    moved = new_stage or row.get("next_step") != e.get("next_step")
    row = row or {"tenant_id": state.tenant_id, "stages": "[]",
                  "followed_up_at": state.deal_follow_ups.get(e["deal_id"])}
    for name in FIELDS:
        row[name] = e.get(name)
    if new_stage:
        row["stage_entered_at"] = e["occurred_at"]
        row["stages"] = json.dumps(json.loads(row["stages"]) + [[e["stage"], e["occurred_at"]]])
    if moved:
        row["last_moved_at"] = e["occurred_at"]
    closed = e["stage"] in CLOSED
    row["outcome"] = e["stage"] if closed else None
    row["closed_at"] = row["stage_entered_at"] if closed else None
    state.deals[e["deal_id"]] = stamp(row, e)
    _refresh_stall(state, e["deal_id"])
    return [("deals", e["deal_id"])]


def _refresh_stall(state: TenantState, deal_id: str) -> bool:
    row = state.deals.get(deal_id)
    if row is None:
        return False
    since = None
    if row["stage"] not in CLOSED:
        current = [s for active, s in state.deal_stalls.get(deal_id, ()) if active >= row["last_moved_at"]]
        since = min(current) if current else None
    before = (row.get("stalled"), row.get("stalled_since"))
    row["stalled"], row["stalled_since"] = since is not None, since
    return before != (row["stalled"], row["stalled_since"])


def note_reply(state: TenantState, email: str, e: dict) -> None:
    """An inbound reply (Gmail or an email outcome): the latest per address is kept."""
    mark = (e["occurred_at"], e["event_id"])
    if email and mark > state.replies.get(email, (0, "")):
        state.replies[email] = mark


def note_decision(state: TenantState, e: dict) -> Touched:
    """Any decision on a stall proposal (approved, blocked or deferred) records the stall."""
    if e["rule"] != "deals.stalled":
        return []
    p = json.loads(e["payload_json"])
    seen = state.deal_stalls.setdefault(p["deal_id"], [])
    detection = (p["active_since"], p["stalled_since"])
    if detection in seen:
        return []
    seen.append(detection)
    return [("deals", p["deal_id"])] if _refresh_stall(state, p["deal_id"]) else []


def note_outcome(state: TenantState, action: dict, outcome: dict) -> Touched:
    """A stall follow-up sent (or dry-run): the deal was followed up then."""
    if action["rule"] != "deals.stalled" or outcome["outcome"] not in DONE_OUTCOMES:
        return []
    deal_id, at = json.loads(action["payload"])["deal_id"], outcome["occurred_at"]
    state.deal_follow_ups[deal_id] = max(state.deal_follow_ups.get(deal_id, at), at)
    row = state.deals.get(deal_id)
    if row is None or row.get("followed_up_at") == state.deal_follow_ups[deal_id]:
        return []
    row["followed_up_at"] = state.deal_follow_ups[deal_id]
    return [("deals", deal_id)]


def _reply_since(state: TenantState, deal: dict, as_of: int) -> tuple | None:
    email = email_of(state, deal.get("contact_id"))
    reply = state.replies.get(email) if email else None
    if reply and deal["last_moved_at"] < reply[0] <= as_of:
        return reply
    return None


def deal_proposals(state: TenantState, tick: dict, goals: dict | None) -> list[Proposal]:
    as_of, out = tick["as_of"], []
    for deal_id, deal in sorted(state.deals.items()):
        stage = deal["stage"]
        if stage in CLOSED:
            continue
        label = deal.get("name") or deal_id
        reply = _reply_since(state, deal, as_of)
        if reply and stage in NEXT_STAGE:
            target = f"{deal_id}:{reply[1]}"
            if not recently_acted(state, "deals", target, as_of, ONCE):
                out.append(Proposal(
                    PROPOSE_STAGE_ADVANCE, "deals.advance", "deal", target,
                    f"{label}: the contact replied after the last movement; advance {stage} -> {NEXT_STAGE[stage]}?",
                    priority=65, payload={"deal_id": deal_id, "client_id": deal.get("client_id"), "from_stage": stage,
                                          "to_stage": NEXT_STAGE[stage], "reply_at": reply[0],
                                          "reply_event_id": reply[1], "contact_id": deal.get("contact_id"),
                                          "asked_at": reply[0]}))
        active_since = max(deal["last_moved_at"], reply[0]) if reply else deal["last_moved_at"]
        wait = stall_ms(stage, goals)
        if as_of - active_since < wait:
            continue
        target = f"{deal_id}:{active_since}"
        if recently_acted(state, "deals", target, as_of, FOLLOW_UP_EVERY_DAYS * DAY_MS):
            continue
        days = (as_of - active_since) // DAY_MS
        step = deal.get("next_step")
        recipient = email_of(state, deal.get("contact_id")) or primary_contact(state, deal.get("client_id"))
        out.append(Proposal(
            FOLLOW_UP, "deals.stalled", "deal", target,
            f"{label} has not moved in {stage} for {days} day(s); "
            + (f"next step: {step}" if step else "no next step recorded: agree one"),
            recipient=recipient, template="deal_next_step", priority=55,
            payload={"deal_id": deal_id, "client_id": deal.get("client_id"), "stage": stage, "next_step": step,
                     "active_since": active_since, "stalled_since": active_since + wait,
                     "days_without_movement": days, "deal_name": deal.get("name") or deal_id,
                     "contact_name": name_of(state, recipient)}))
    return out


def stalled_count(state: TenantState, as_of: int, goals: dict | None) -> int:
    return sum(1 for d in state.deals.values() if d["stage"] not in CLOSED
               and as_of - max(d["last_moved_at"], (_reply_since(state, d, as_of) or (0,))[0])
               >= stall_ms(d["stage"], goals))


ENGINE = Engine(
    name="deals",
    state={"deals": dict,
           "deal_stalls": dict,     # deal id -> stall detections (active since, stalled since)
           "deal_follow_ups": dict,  # deal id -> when a stall follow-up last went out
           "replies": dict},        # email -> (at, event id) of the latest inbound reply
    tables=(table("deals", ("deal_id",),
                  ("deal_id", "text"), ("client_id", "text"), ("contact_id", "text"), ("name", "text"),
                  ("stage", "text"), ("amount_cents", "bigint"), ("next_step", "text"), ("reason", "text"),
                  ("stage_entered_at", "ts"),
                  # Progression and outcome: movement = a stage or next-step change.
                  ("stages", "json"), ("last_moved_at", "ts"), ("stalled", "bool"), ("stalled_since", "ts"),
                  ("outcome", "text"), ("closed_at", "ts"),
                  # When a stall follow-up last went out (sent or dry-run), not when one was approved.
                  ("followed_up_at", "ts")),),
    rows_of={"deals": "deals"},
    apply={"deal": apply_deal},
    note_decision=note_decision,
    note_outcome=note_outcome,
    propose=deal_proposals,
)
