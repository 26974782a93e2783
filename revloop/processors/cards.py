"""Cards: the work queue for people. Approved tasks, escalations, order fixes and stage advances.

An approved create_task, escalate, propose_order_fix or propose_stage_advance action is a
card (id = the action id) with what a person needs: a title, what the client asked and
when, a due time, the role it is for, and links to the contact, client, order, deal and
message. People answer with `card_decided` events (accept, reject, done), from the CLI
(`revloop cards`) or the console; nothing a person does edits a row directly.

An answer's effect is a further event on the normal path: an accepted order fix is the
corrected `order` event (the exception then resolves as any order update resolves it), an
accepted stage advance the `deal` event. `decide` checks an answer before anything is
written (an unknown card, a closed one, an order or deal that changed since the proposal)
and returns the events to write; it is the one function both the CLI and the console call.

Status: open -> accepted -> done, or open / accepted -> rejected; open -> done for a card
finished without an explicit accept. The row is recomputed from the action and every
answer in (time, id) order, so any read order of the topics gives the same row.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from revloop.processors.actions import (APPROVED, CARD_KINDS, CREATE_TASK, ESCALATE, PROPOSE_ORDER_FIX,
                                        PROPOSE_STAGE_ADVANCE)
from revloop.processors import sending_brake
from revloop.processors.controls import Controls
from revloop.processors.engine import Engine
from revloop.processors.rows import Touched
from revloop.processors.table_def import table
from revloop.processors.timeutil import DAY_MS, instant

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

OPEN, ACCEPTED, REJECTED, DONE = "open", "accepted", "rejected", "done"
CLOSED = frozenset({REJECTED, DONE})
NEXT = {(OPEN, "accept"): ACCEPTED, (OPEN, "reject"): REJECTED, (OPEN, "done"): DONE,
        (ACCEPTED, "done"): DONE, (ACCEPTED, "reject"): REJECTED}
HOUR_MS = 3_600_000
# Who a card is for, and how soon: a safety escalation within hours, a client's request within a day.
ASSIGNEE = {CREATE_TASK: "operator", ESCALATE: "operator", PROPOSE_ORDER_FIX: "operator",
            PROPOSE_STAGE_ADVANCE: "account_owner"}
DUE_MS = {CREATE_TASK: DAY_MS, ESCALATE: 4 * HOUR_MS, PROPOSE_ORDER_FIX: DAY_MS, PROPOSE_STAGE_ADVANCE: 2 * DAY_MS}
LINKS = ("contact_id", "client_id", "order_id", "deal_id", "message_id")


class CardError(ValueError):
    """An answer that cannot be taken; nothing is written."""


def _asked(p: dict) -> str | None:
    """What the client asked, in their words where we have them."""
    if p.get("requested_action"):
        when = f" ({p['requested_time']})" if p.get("requested_time") else ""
        about = f" re: {p['subject']}" if p.get("subject") else ""
        return f"{p['requested_action']}{when}{about}"
    if p.get("excerpt"):
        return p["excerpt"]
    return p.get("summary")


def _due(e: dict, p: dict) -> int:
    """A client's request is due when they asked for it: the deadline they named, else the end of the
    window they named ("call me Thursday at 2pm": Thursday 15:00), even when that has passed by the
    time the card opens (it is late, and sorts first); anything else within DUE_MS of opening."""
    if e["kind"] == CREATE_TASK:
        for key in ("deadline", "window_end"):
            at = _epoch_ms(p.get(key))
            if at is not None:
                return at
    return e["occurred_at"] + DUE_MS[e["kind"]]


def _epoch_ms(iso) -> int | None:
    """An ISO 8601 instant with its offset (as mail_classified records windows), in epoch ms."""
    at = instant(iso)
    return int(at.timestamp() * 1000) if at is not None and at.tzinfo is not None else None


def card_of(state: TenantState, e: dict) -> dict:
    """The card an approved action opens (no answers applied yet)."""
    p = json.loads(e["payload_json"])
    row = {"tenant_id": state.tenant_id, "card_id": e["action_id"], "kind": e["kind"], "rule": e["rule"],
           "title": e["reason"], "asked": _asked(p), "asked_at": p.get("asked_at"),
           "due_at": _due(e, p), "assignee_role": ASSIGNEE[e["kind"]], "status": OPEN,
           "opened_at": e["occurred_at"], "decided_by": None, "decided_at": None, "note": None,
           "details": e["payload_json"], "last_event_id": e["event_id"], "last_event_at": e["occurred_at"]}
    for link in LINKS:
        row[link] = p.get(link)
    return row


def _refresh(state: TenantState, card_id: str) -> Touched:
    action = state.card_actions.get(card_id)
    if action is None:
        return []      # an answer read before its card: applied when the card is
    row = card_of(state, action)
    for at, event_id, decision, by, note in sorted(state.card_answers.get(card_id, ())):
        status = NEXT.get((row["status"], decision))
        if status is None:
            continue   # e.g. a second answer to a closed card: kept on the log, changes nothing
        row.update(status=status, decided_by=by, decided_at=at, note=note, last_event_id=event_id, last_event_at=at)
    if state.cards.get(card_id) == row:
        return []
    state.cards[card_id] = row
    return [("cards", card_id)]


def note_decision(state: TenantState, e: dict) -> Touched:
    if e["decision"] != APPROVED or e["kind"] not in CARD_KINDS or e["action_id"] in state.card_actions:
        return []
    state.card_actions[e["action_id"]] = e
    return _refresh(state, e["action_id"])


def apply_card_decided(state: TenantState, e: dict) -> Touched:
    answers = state.card_answers.setdefault(e["card_id"], [])
    answer = (e["occurred_at"], e["event_id"], e["decision"], e["by"], e.get("note"))
    if any(a[1] == e["event_id"] for a in answers):
        return []
    answers.append(answer)
    return _refresh(state, e["card_id"])


# ---- answering a card ----------------------------------------------------------------------------

def decide(state: TenantState, controls: Controls, card_id: str, decision: str, by: str, note: str | None,
           at: int) -> list[tuple[str, dict]]:
    """The events that answer a card: card_decided, and for an accepted order fix or stage advance its
    effect. Raises CardError with a one-line reason when the answer cannot be taken."""
    card = state.cards.get(card_id)
    if card is None:
        raise CardError(f"no card {card_id} for tenant {state.tenant_id}")
    if decision not in ("accept", "reject", "done"):
        raise CardError(f"a card is answered accept, reject or done, not {decision!r}")
    if card["status"] in CLOSED:
        raise CardError(f"card {card_id} is already {card['status']} (by {card['decided_by']})")
    if (card["status"], decision) not in NEXT:
        raise CardError(f"card {card_id} is already {card['status']}: it can be done or rejected now")
    if not by.strip():
        raise CardError("say who decides (--by)")
    at = max(at, card["last_event_at"] + 1)
    events: list[tuple[str, dict]] = []
    if decision == "accept" and card["kind"] in (PROPOSE_ORDER_FIX, PROPOSE_STAGE_ADVANCE):
        if controls.kill_switch or not controls.enabled:
            raise CardError("the kill switch is on or the tenant is disabled: accepting would change "
                            f"{'an order' if card['kind'] == PROPOSE_ORDER_FIX else 'a deal'}; nothing written")
        events.append(_order_fix(state, card, at) if card["kind"] == PROPOSE_ORDER_FIX
                      else _stage_advance(state, card, at))
    if decision == "accept" and card["rule"] == sending_brake.RULE:
        # The sending brake's card: accepting it is the person's decision to resume client email.
        events.append(sending_brake.resume_event(state.tenant_id, card, by.strip(), note, at))
    answer = {"event_id": f"card:{card_id}:{decision}", "tenant_id": state.tenant_id, "occurred_at": at,
              "card_id": card_id, "decision": decision, "by": by.strip(), "note": note}
    return [("card_decided", answer)] + events


ORDER_FIELDS = ("order_id", "client_id", "product_code", "status", "fee_cents", "tech_fee_cents", "total_cents",
                "paid_cents", "payment_method", "property_address", "borrower_name", "borrower_email",
                "borrower_phone", "property_contact_name", "property_contact_phone", "inspection_required",
                "due_at")
DEAL_FIELDS = ("deal_id", "client_id", "contact_id", "name", "stage", "amount_cents", "next_step", "reason")


def _order_fix(state: TenantState, card: dict, at: int) -> tuple[str, dict]:
    p = json.loads(card["details"])
    order = state.orders.get(p["order_id"])
    if order is None:
        raise CardError(f"order {p['order_id']} is not known")
    if p.get("order_event_id") and order["last_event_id"] != p["order_event_id"]:
        raise CardError(f"order {p['order_id']} changed since the fix was proposed "
                        f"(now at event {order['last_event_id']}): reject this card and let the next check decide")
    exception = state.exceptions.get((p["order_id"], p["code"]))
    if exception is None or exception["status"] != "open":
        raise CardError(f"order {p['order_id']} no longer has an open {p['code']} exception")
    fixed = {name: order.get(name) for name in ORDER_FIELDS}
    fixed.update(p["fix"])
    at = max(at, order["last_event_at"] + 1)
    return ("order", {"event_id": f"order-fix:{card['card_id']}", "tenant_id": state.tenant_id, "occurred_at": at,
                      "change": "updated", **fixed})


def _stage_advance(state: TenantState, card: dict, at: int) -> tuple[str, dict]:
    p = json.loads(card["details"])
    deal = state.deals.get(p["deal_id"])
    if deal is None:
        raise CardError(f"deal {p['deal_id']} is not known")
    if deal["stage"] != p["from_stage"]:
        raise CardError(f"deal {p['deal_id']} is at {deal['stage']} now, not {p['from_stage']}: nothing to advance")
    moved = {name: deal.get(name) for name in DEAL_FIELDS}
    moved["stage"] = p["to_stage"]
    at = max(at, deal["last_event_at"] + 1)
    return ("deal", {"event_id": f"deal-advance:{card['card_id']}", "tenant_id": state.tenant_id,
                     "occurred_at": at, **moved})


def opened_in(outputs: list[tuple[str, dict]]) -> list[dict]:
    """The cards a tick's decisions open, for the operators' digest."""
    return [e for t, e in outputs if t == "action_decided" and e["decision"] == APPROVED and e["kind"] in CARD_KINDS]


ENGINE = Engine(
    name="cards",
    state={"cards": dict,
           "card_actions": dict,     # card id -> the approved action that opened it
           "card_answers": dict},    # card id -> [(at, event id, decision, by, note)]
    tables=(table("cards", ("card_id",),
                  ("card_id", "text"), ("kind", "text"), ("rule", "text"), ("title", "text"), ("asked", "text"),
                  ("asked_at", "ts"), ("due_at", "ts"), ("assignee_role", "text"), ("status", "text"),
                  ("opened_at", "ts"), ("decided_by", "text"), ("decided_at", "ts"), ("note", "text"),
                  ("contact_id", "text"), ("client_id", "text"), ("order_id", "text"), ("deal_id", "text"),
                  ("message_id", "text"), ("details", "json")),),
    rows_of={"cards": "cards"},
    apply={"card_decided": apply_card_decided},
    note_decision=note_decision,
)
