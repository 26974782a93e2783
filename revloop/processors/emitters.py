"""Stateless emitters: (tick, projected state) -> proposed actions.

Each emitter only proposes; the policy gate decides. Emitters skip targets
acted on recently (the cooldowns below) so one contact is not mailed every hour
while a dry run or a slow provider leaves its clock unmoved.
"""
from __future__ import annotations

import calendar
import heapq
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from revloop.processors import engagement
from revloop.processors.actions import (CONTACT_DISCOVERY, CREATE_TASK, ESCALATE, FOLLOW_UP, PROPOSE_ORDER_FIX, RESEARCH,
                                SEND_EMAIL, Proposal)
from revloop.processors.recipients import client_name
from revloop.processors.timeutil import DAY_MS

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

EMAIL_COOLDOWN_MS = 7 * DAY_MS          # one engagement email per contact per week at most
BLOCK_COOLDOWN_MS = DAY_MS              # a blocked proposal is not re-proposed for a day
MAX_ENGAGEMENT_PROPOSALS = 100          # per tick; the gate's cap takes the top of these
# At most this many proposals per emitter family and tick (processors.cycle.bounded).
MAX_PROPOSALS_PER_FAMILY = 100
CLOSED_DEAL_STAGES = {"won", "lost"}
CLOSED_BID_STATUSES = {"won", "lost", "withdrawn"}
THIN_PIPELINE = 3                       # fewer open deals + bids than this is a thin pipeline


def recently_acted(state: TenantState, kind: str, target_id: str, as_of: int, window_ms: int) -> bool:
    """Approved within window_ms, blocked within the block cooldown, or deferred to a time still
    ahead (its recipient's hours, a contact's cap: processors.sending_schedule)."""
    approved = state.last_approved.get((kind, target_id))
    blocked = state.last_blocked.get((kind, target_id))
    wait = state.send_waits.get((kind, target_id))
    return ((wait is not None and as_of < wait[0])
            or (approved is not None and as_of - approved < window_ms)
            or (blocked is not None and as_of - blocked < BLOCK_COOLDOWN_MS))


def open_pipeline_by_client(state: TenantState) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in state.deals.values():
        if d.get("stage") not in CLOSED_DEAL_STAGES:
            counts[d["client_id"]] = counts.get(d["client_id"], 0) + 1
    for b in state.bids.values():
        if b.get("status") not in CLOSED_BID_STATUSES:
            counts[b["client_id"]] = counts.get(b["client_id"], 0) + 1
    return counts


def recent_orders_by_client(state: TenantState, as_of: int) -> dict[str, int]:
    since = as_of - engagement.RECENT_ORDER_DAYS * DAY_MS
    counts: dict[str, int] = {}
    for o in state.orders.values():
        if (o.get("created_at") or 0) >= since:
            counts[o["client_id"]] = counts.get(o["client_id"], 0) + 1
    return counts


TEMPLATE = {engagement.OVERDUE: "check_in_overdue", engagement.NEVER: "introduction",
            engagement.DUE_SOON: "check_in"}


def engagement_proposals(state: TenantState, tick: dict) -> list[Proposal]:
    as_of = tick["as_of"]
    pipeline, recent = open_pipeline_by_client(state), recent_orders_by_client(state, as_of)
    # Score every due contact cheaply, then build proposals only for the top ones:
    # at 100k contacts, most are due and only MAX_ENGAGEMENT_PROPOSALS can matter.
    scored = []
    client_weight: dict[str, float] = {}
    clocks, suppression, suppressed_blocks = state.clocks, state.suppression, state.suppressed_blocks
    last_approved, last_blocked, send_waits = state.last_approved, state.last_blocked, state.send_waits
    # One pass over every contact (100k in the bench's tick), so the per-contact tests are
    # inline: engagement.status_name(clock, as_of) == COMPLIANT is due >= compliant_from;
    # recently_acted and status_weight follow, the same rules (test_engagement.py checks them).
    compliant_from = engagement.compliant_from(as_of)
    never_w, overdue_w = engagement.STATUS_BASE[engagement.NEVER], engagement.STATUS_BASE[engagement.OVERDUE]
    due_soon_w = engagement.STATUS_BASE[engagement.DUE_SOON]
    for contact_id, contact in state.contacts.items():
        clock = clocks.get(contact_id)
        due = clock.get("next_touch_due") if clock else None
        if due is not None and due >= compliant_from:
            continue
        if contact_id[:6] == "email:" and engagement.stands_aside(state, contact_id, contact):
            continue
        key = ("engagement", contact_id)
        # A suppressed or opted-out contact is proposed once more, so the gate blocks it on the
        # record (policy `suppressed`); after that block it is left alone: suppression is permanent.
        if (contact.get("opted_out") or contact["email"] in suppression) and key in suppressed_blocks:
            continue
        wait, approved, blocked = send_waits.get(key), last_approved.get(key), last_blocked.get(key)
        if ((wait is not None and as_of < wait[0])
                or (approved is not None and as_of - approved < EMAIL_COOLDOWN_MS)
                or (blocked is not None and as_of - blocked < BLOCK_COOLDOWN_MS)):
            continue
        client_id = contact.get("client_id") or ""
        score = client_weight.get(client_id)
        if score is None:
            band = (state.clients.get(client_id) or {}).get("revenue_band")
            score = client_weight[client_id] = engagement.client_weight(
                revenue_band=band, open_deals_and_bids=pipeline.get(client_id, 0),
                recent_orders=recent.get(client_id, 0))
        if due is None:
            score += never_w
        elif as_of > due:
            score += overdue_w + 2 * min(-(-(as_of - due) // DAY_MS), 30)
        else:       # due before compliant_from: due soon
            score += due_soon_w
        scored.append((-score, contact_id))
    out = []
    for neg_score, contact_id in heapq.nsmallest(MAX_ENGAGEMENT_PROPOSALS, scored):
        contact, clock = state.contacts[contact_id], state.clocks.get(contact_id) or {}
        status = engagement.status_as_of(clock, as_of)
        ours_unanswered = clock.get("last_touch_channel") == "email" and clock.get("last_touch_direction") == "outbound"
        reason = {engagement.OVERDUE: f"overdue by {status.days_overdue} day(s)",
                  engagement.NEVER: "never touched",
                  engagement.DUE_SOON: f"due in {status.days_until_due} day(s)"}[status.status]
        last_touch = clock.get("last_touch_at")
        out.append(Proposal(
            kind=FOLLOW_UP if ours_unanswered else SEND_EMAIL, rule=f"engagement.{status.status}",
            target_type="contact", target_id=contact_id, recipient=contact["email"],
            template="engagement_follow_up" if ours_unanswered else TEMPLATE[status.status],
            reason=reason, priority=-neg_score,
            payload={"contact_name": contact.get("name"), "client_id": contact.get("client_id") or None,
                     "client_name": client_name(state, contact.get("client_id")), "last_touch_at": last_touch,
                     "days_since_touch": (as_of - last_touch) // DAY_MS if last_touch is not None else None}))
    return out


def order_proposals(state: TenantState, tick: dict, limit: int | None = None) -> tuple[list[Proposal], int]:
    """A proposal per open order exception not acted on yet: a safe fix where one is known, else
    an escalation. limit: build only the first `limit` by (-priority, target), the order
    cycle.bounded keeps (a backlog of thousands is worked down hour by hour), and count the rest.
    Returns (proposals, how many were left out)."""
    as_of = tick["as_of"]
    ranked = []
    for (order_id, code), row in state.exceptions.items():
        if row["status"] != "open":
            continue
        # One proposal per opening of an exception: a reopened one is new work.
        target = f"{order_id}:{code}:{row['opened_at']}"
        if recently_acted(state, "orders", target, as_of, 10**15):
            continue
        priority = 40 if row.get("proposed_fix") else 50 if row["severity"] == "error" else 20
        ranked.append((-priority, target, order_id, code, row))
    kept = heapq.nsmallest(limit, ranked) if limit is not None and len(ranked) > limit else sorted(ranked)
    out = []
    for neg_priority, target, order_id, code, row in kept:
        if row.get("proposed_fix"):
            out.append(Proposal(PROPOSE_ORDER_FIX, f"orders.fix.{code}", "order_exception", target,
                                f"order {order_id}: {row['message']}; a safe fix is proposed, not applied",
                                priority=-neg_priority,
                                payload={"order_id": order_id, "code": code, "fix": json.loads(row["proposed_fix"]),
                                         "client_id": row.get("client_id"),
                                         # the order as judged: accepting the fix after it changed is refused
                                         "order_event_id": (state.orders.get(order_id) or {}).get("last_event_id")}))
        else:
            out.append(Proposal(ESCALATE, f"orders.escalate.{code}", "order_exception", target,
                                f"order {order_id}: {row['message']}", priority=-neg_priority,
                                payload={"order_id": order_id, "code": code, "severity": row["severity"],
                                         "client_id": row.get("client_id")}))
    return out, len(ranked) - len(kept)


def task_proposals(state: TenantState, tick: dict) -> list[Proposal]:
    """A human task only from an inbound email where the client explicitly asked for one."""
    out = []
    for message_id, req in sorted(state.requests.items()):
        if recently_acted(state, "tasks", message_id, tick["as_of"], 10**15):
            continue
        contact_id = state.contact_by_email.get(req["sender"])
        client_id = state.contacts[contact_id].get("client_id") if contact_id else None
        card = req.get("card")
        out.append(Proposal(CREATE_TASK, "tasks.client_request", "message", message_id,
                            (f"{card.replace('_', ' ')}: " if card else "")
                            + f"{req['sender']} asked: {req['requested_action'] or 'a human follow-up'}"
                            + (f" ({req['requested_time']})" if req.get("requested_time") else ""),
                            recipient=req["sender"], priority=80, task_basis="client_request",
                            payload={"requested_action": req["requested_action"],
                                     "requested_time": req["requested_time"], "subject": req["subject"],
                                     "message_id": message_id, "asked_at": req["at"],
                                     "contact_id": contact_id, "client_id": client_id,
                                     # How the request was read (mail_classified): its card, window, evidence.
                                     **{k: req[k] for k in ("request_type", "card", "window_start", "window_end",
                                                            "deadline", "time_ambiguous", "classifier_version",
                                                            "evidence") if k in req}}))
    return out


def goals_behind_pace(state: TenantState, goals: dict, as_of: int) -> bool:
    target = goals.get("orders_per_month")
    if not target:
        return False
    now = datetime.fromtimestamp(as_of / 1000, tz=timezone.utc)
    month_start = as_of - ((now.day - 1) * DAY_MS + now.hour * 3_600_000 + now.minute * 60_000
                           + now.second * 1000 + now.microsecond // 1000)
    days_in_month = calendar.monthrange(now.year, now.month)[1]
    elapsed = (as_of - month_start) / (days_in_month * DAY_MS)
    orders = sum(1 for o in state.orders.values() if (o.get("created_at") or 0) >= month_start)
    return orders < target * elapsed


def pipeline_thin(state: TenantState) -> bool:
    return sum(open_pipeline_by_client(state).values()) < THIN_PIPELINE


def research_proposals(state: TenantState, tick: dict, goals: dict) -> list[Proposal]:
    as_of = tick["as_of"]
    out = []
    day = str(as_of // DAY_MS)
    behind, thin = goals_behind_pace(state, goals, as_of), pipeline_thin(state)
    if (behind or thin) and not recently_acted(state, "research", day, as_of, DAY_MS):
        why = " and ".join(x for x, on in (("goals are behind pace", behind), ("the pipeline is thin", thin)) if on)
        out.append(Proposal(RESEARCH, "research.prospects", "tenant", day, f"research new prospects: {why}",
                            priority=10))
    by_client = state.contacts_by_client       # the projector's index: no pass over every contact
    for client_id, client in sorted(state.clients.items()):
        if client.get("active") and len(by_client.get(client_id, ())) < 2 \
                and not recently_acted(state, "discovery", client_id, as_of, 30 * DAY_MS):
            out.append(Proposal(CONTACT_DISCOVERY, "research.contact_discovery", "client", client_id,
                                f"{client.get('name') or client_id} has fewer than 2 known contacts", priority=5))
    return out[:6]


def family_of(rule: str, kind: str) -> str:
    """Cooldown memory is kept per emitter family, so one family's actions never mute another's."""
    if kind == CONTACT_DISCOVERY:
        return "discovery"
    return rule.split(".", 1)[0]
