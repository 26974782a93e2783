"""Replies close the loop: what an inbound message's classification makes happen.

react(state, message, labels, requested_action, requested_time) -> (rows touched, output events)

Given one classified inbound message (however the labels were found: the rule classifier
today, a recorded classification event tomorrow), this is everything it sets in motion:
- opt_out: the sender goes on the suppression list, as a `suppression` event with the
  message id as evidence (so the record says why, and every executor sees it);
- complaint or urgent, from a client (a known contact, or an address at a client's
  domain): an escalation for a person, proposed at the next tick and opened as a card;
- explicit_request: a task for a person (the client asked: "Can you call me Thursday?");
- a reply from someone we asked for feedback on an order (a sent feedback request, within
  the feedback window): a `feedback` event on that order, scored as any feedback is;
- anything but an auto-reply or a bounce: an inbound touch, and a reply for the deals.

Output events have ids derived from the message, so the same message read twice yields
the same events; the shell produces them live and replay reads them back from their topics.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from revloop.processors import deals, engagement
from revloop.processors.actions import DONE_OUTCOMES, ESCALATE, Proposal
from revloop.processors.emitters import recently_acted
from revloop.processors.engine import Engine
from revloop.processors.mail_text import split_body
from revloop.processors.rows import Touched
from revloop.processors.timeutil import DAY_MS

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

FEEDBACK_REPLY_DAYS = 30       # a reply this long after our feedback request still answers it
EXCERPT_CHARS = 300
ONCE = 10 ** 15
ESCALATING = ("complaint", "urgent")


def client_of_sender(state: TenantState, sender: str) -> tuple[str | None, str | None]:
    """(contact id, client id) of an address: a known contact, else a client by email domain."""
    contact_id = state.contact_by_email.get(sender)
    if contact_id is not None:
        return contact_id, state.contacts[contact_id].get("client_id")
    domain = sender.rsplit("@", 1)[-1]
    for client_id, client in sorted(state.clients.items()):
        if domain in (client.get("domains") or ()):
            return None, client_id
    return None, None


def react(state: TenantState, message: dict, labels, requested_action: str | None = None,
          requested_time: str | None = None) -> tuple[Touched, list[tuple[str, dict]]]:
    """`message`: event_id, message_id, occurred_at, sender (lower-case address), subject, body_text."""
    labels = set(labels)
    sender, message_id, at = message["sender"], message["message_id"], message["occurred_at"]
    subject, body = message.get("subject") or "", message.get("body_text") or ""
    touched: Touched = []
    outputs: list[tuple[str, dict]] = []
    if "opt_out" in labels:
        outputs.append(("suppression", {
            "event_id": f"suppression:{state.tenant_id}:{message_id}", "tenant_id": state.tenant_id,
            "occurred_at": at, "email": sender, "reason": "opted_out", "evidence_message_id": message_id,
            "source": "reply"}))
    # Who the sender is (contact, client) is looked up when the tick proposes, not here: the contact
    # may be read after the message (another topic), and the proposal must not depend on that order.
    if "explicit_request" in labels:
        state.requests[message_id] = {"sender": sender, "requested_action": requested_action,
                                      "requested_time": requested_time, "subject": subject, "at": at}
    if labels & set(ESCALATING):
        state.escalations[message_id] = {
            "sender": sender, "labels": sorted(labels & set(ESCALATING)), "subject": subject, "at": at,
            "excerpt": " ".join(split_body(body, subject).own.split())[:EXCERPT_CHARS]}
    if "bounce" in labels or "out_of_office" in labels:
        return touched, outputs       # an auto-reply is not the client engaging
    asked = feedback_request_answered(state, sender, at)
    if asked is not None and "opt_out" not in labels:
        outputs.append(("feedback", {
            "event_id": f"feedback:{state.tenant_id}:{message_id}", "tenant_id": state.tenant_id, "occurred_at": at,
            "order_id": asked["order_id"], "client_id": asked["client_id"] or "",
            "contact_id": state.contact_by_email.get(sender), "rating": None, "text": split_body(body, subject).own.strip() or subject}))
    deals.note_reply(state, sender, message)
    touched += engagement.touch_contact(state, sender, None, at=at, event_id=message["event_id"], channel="email",
                                        direction="inbound", by="client")
    return touched, outputs


def feedback_request_answered(state: TenantState, sender: str, at: int) -> dict | None:
    """The latest feedback request sent to this address before `at`, within the window, whose
    order has no feedback since the request."""
    best = None
    for sent_at, order_id, client_id in state.feedback_asked.get(sender, ()):
        if sent_at <= at < sent_at + FEEDBACK_REPLY_DAYS * DAY_MS and (best is None or sent_at > best[0]):
            best = (sent_at, order_id, client_id)
    if best is None:
        return None
    if any(f_at >= best[0] for f_at, _ in state.feedback_by_order.get(best[1], ())):
        return None
    return {"order_id": best[1], "client_id": best[2]}


def note_outcome(state: TenantState, action: dict, outcome: dict) -> Touched:
    """A feedback request that went out: a reply from its recipient is feedback on that order."""
    if action["rule"] != "feedback.request" or outcome["outcome"] not in ("sent", "delivered"):
        return []
    p = json.loads(action["payload"])
    asked = state.feedback_asked.setdefault((action.get("recipient") or "").lower(), [])
    entry = (outcome["occurred_at"], p["order_id"], p.get("client_id"))
    if not any(a[1] == entry[1] for a in asked):
        asked.append(entry)
        asked.sort()
    return []


def escalation_proposals(state: TenantState, tick: dict, goals: dict | None) -> list[Proposal]:
    """A client's complaint or urgent message: a person looks at it (a card), once per message."""
    out = []
    for message_id, esc in sorted(state.escalations.items()):
        if esc["at"] > tick["as_of"] or recently_acted(state, "replies", message_id, tick["as_of"], ONCE):
            continue
        contact_id, client_id = client_of_sender(state, esc["sender"])
        if client_id is None:
            continue      # not (yet) known as a client's: complaints from strangers are not escalated
        what = " and ".join(esc["labels"])
        out.append(Proposal(
            ESCALATE, "replies.escalation", "message", message_id,
            f"{what} from {esc['sender']}: {esc['subject'] or '(no subject)'}", recipient=esc["sender"],
            priority=95, task_basis="safety_escalation",
            payload={"message_id": message_id, "contact_id": contact_id, "client_id": client_id,
                     "labels": esc["labels"], "subject": esc["subject"], "asked_at": esc["at"],
                     "excerpt": esc["excerpt"]}))
    return out


def note_decision(state: TenantState, e: dict) -> Touched:
    """An approved escalation is a card now: the message no longer waits."""
    if e["rule"] == "replies.escalation" and e["decision"] == "approved":
        state.escalations.pop(e["target_id"], None)
    return []


ENGINE = Engine(
    name="replies",
    state={"escalations": dict,      # message id -> a client's complaint or urgent message awaiting a card
           "feedback_asked": dict},  # email -> [(sent at, order id, client id)] feedback requests that went out
    note_decision=note_decision,
    note_outcome=note_outcome,
    propose=escalation_proposals,
)
