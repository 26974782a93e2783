"""Broadcasts, minimally: one email from a template to every contact carrying one of the audience's tags.

A `broadcast` event names a template and the tags of its audience, and goes from its
occurred_at on. Each recipient is one proposal (rule `broadcast.send`, target
"<broadcast>:<contact>"), proposed once and done when its email went (counted by outcome
like every engine's); opted-out and suppressed contacts are left out. The per-contact cap
(processors.sending_schedule) ranks broadcasts below every other source, so a broadcast
never crowds out mail a contact is waiting for; the cycle's bound on proposals per
family (processors.cycle.bounded) spreads a large audience over the hours.

This is the part a broadcast needs to compete for a contact's day; audiences of their
own, scheduling, approval before sending and per-broadcast reporting are for later.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from revloop.processors import engagement
from revloop.processors.actions import SEND_EMAIL, Proposal
from revloop.processors.emitters import MAX_PROPOSALS_PER_FAMILY, recently_acted
from revloop.processors.engine import Engine
from revloop.processors.recipients import client_name
from revloop.processors.rows import Touched, newer, stamp

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

RULE = "broadcast.send"
ONCE = 10 ** 15


def apply_broadcast(state: TenantState, e: dict) -> Touched:
    row = state.broadcasts.get(e["broadcast_id"])
    if not newer(e, row):
        return []
    state.broadcasts[e["broadcast_id"]] = stamp({
        "broadcast_id": e["broadcast_id"], "name": e.get("name") or e["broadcast_id"], "template": e["template"],
        "tags": sorted(set(e.get("tags") or [])), "cancelled": bool(e.get("cancelled")),
        # The first event's time: when the broadcast goes from.
        "starts_at": row["starts_at"] if row else e["occurred_at"]}, e)
    return []


def broadcast_proposals(state: TenantState, tick: dict, goals: dict | None) -> list[Proposal]:
    as_of, out = tick["as_of"], []
    for broadcast_id, b in sorted(state.broadcasts.items()):
        if b["cancelled"] or b["starts_at"] > as_of or not b["tags"]:
            continue
        audience = set(b["tags"])
        for contact_id, c in sorted(state.contacts.items()):
            if len(out) >= MAX_PROPOSALS_PER_FAMILY:
                return out      # the rest next hour: nothing records them as done
            if not audience & set(c.get("tags") or ()) or c.get("opted_out") or c["email"] in state.suppression \
                    or engagement.stands_aside(state, contact_id, c):
                continue
            target = f"{broadcast_id}:{contact_id}"
            if recently_acted(state, "broadcast", target, as_of, ONCE):
                continue
            out.append(Proposal(SEND_EMAIL, RULE, "contact", target, f"broadcast {b['name']}", recipient=c["email"],
                                template=b["template"], priority=1,
                                payload={"broadcast_id": broadcast_id, "contact_name": c.get("name"),
                                         "client_id": c.get("client_id"),
                                         "client_name": client_name(state, c.get("client_id"))}))
    return out


ENGINE = Engine(
    name="broadcasts",
    state={"broadcasts": dict},     # broadcast id -> {name, template, tags, cancelled, starts_at}
    apply={"broadcast": apply_broadcast},
    propose=broadcast_proposals,
)
