"""Conversations: a follow-up goes in the thread it follows, and an answer stops its follow-ups.

Every client email belongs to a thread: the conversation it is part of, named by what it
is about (`thread_of`: a contact's check-ins, a deal, a bid, an order's feedback). The
sender gives each email a Message-ID of ours (`message_id_for`, from its action id, so a
retried send has the same one), and its outcome records the Message-ID, the thread and the
subject. A follow-up in a thread that has an earlier email to the same recipient answers
it (RFC 5322 section 3.6.4): In-Reply-To the latest Message-ID, References the thread's
Message-IDs in order, and "Re: " the thread's first subject (`reply_headers`).

An inbound message (the Gmail connector's) whose In-Reply-To or References names one of
our Message-IDs is a reply in that email's thread; an auto-reply or a bounce is not.
A reply after our latest email in a thread answers the thread (`answered`): no follow-up
in it is proposed again (the gate blocks it, policy `answered_in_thread`) and one
already approved is cancelled by the sender. A new first email in the thread (not a
follow-up) starts the count again.

Kept per tenant, from outcomes and messages, in either order (a reply read before the
outcome of the email it answers counts once the outcome is read):
`thread_sends` (recipient, thread) -> our emails in it, `thread_refs` an inbound message ->
our emails it names, and `thread_replies` our action id -> the replies naming its email. A
message counts as a reply once its classification (mail_classified, in either order with the
message) says it is not automatic; a re-label as automatic withdraws it.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from revloop.processors.actions import CLIENT_EMAIL_KINDS, FOLLOW_UP
from revloop.processors.engine import Engine
from revloop.processors.rows import Touched

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

OURS = re.compile(r"<revloop\.([0-9a-f]{32})@[^<>\s]+>")
MAX_REFERENCES = 10           # the first and the latest nine: enough for any client to thread on
NOT_A_REPLY = frozenset({"bounce", "out_of_office", "auto_reply"})


def thread_of(action: dict) -> str | None:
    """The conversation a client email belongs to (None: not a client email)."""
    if action.get("kind") not in CLIENT_EMAIL_KINDS:
        return None
    family = (action.get("rule") or "").split(".", 1)[0]
    payload = action.get("payload")
    if payload is None:
        payload = action.get("payload_json") or "{}"
    if isinstance(payload, str):
        payload = json.loads(payload or "{}")
    about = {"engagement": ("contact", action.get("target_id")), "deals": ("deal", payload.get("deal_id")),
             "bids": ("bid", payload.get("bid_id")), "feedback": ("order", payload.get("order_id"))}.get(family)
    if about and about[1]:
        return f"{about[0]}:{about[1]}"
    return f"{family}:{action.get('target_id')}"


def message_id_for(action_id: str, domain: str) -> str:
    return f"<revloop.{action_id}@{domain}>"


def referenced_actions(in_reply_to: str | None, references: str | None) -> list[str]:
    """Our action ids named by a message's In-Reply-To and References headers."""
    return sorted(set(OURS.findall(f"{in_reply_to or ''} {references or ''}")))


def _header(headers: dict, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def sends(state: TenantState, recipient: str | None, thread: str | None) -> list[tuple]:
    """Our emails in a thread to a recipient: (at, message id, subject, action id), oldest first."""
    if not recipient or not thread:
        return []
    return state.thread_sends.get((recipient.lower(), thread), [])


def answered(state: TenantState, recipient: str | None, thread: str | None) -> int | None:
    """When the recipient's side last replied in the thread, if after our latest email in it."""
    ours = sends(state, recipient, thread)
    if not ours:
        return None
    replies = [at for _, _, _, aid in ours for at, _ in state.thread_replies.get(aid, {}).values()]
    latest = max(replies) if replies else None
    return latest if latest is not None and latest > ours[-1][0] else None


def reply_headers(state: TenantState, action: dict, subject: str) -> tuple[str, dict]:
    """(subject, extra headers) for an email: a follow-up answers the thread's latest email."""
    if action.get("kind") != FOLLOW_UP:
        return subject, {}
    ours = sends(state, action.get("recipient"), thread_of(action))
    if not ours:
        return subject, {}
    ids = [m for _, m, _, _ in ours if m]
    if not ids:
        return subject, {}
    chain = ids if len(ids) <= MAX_REFERENCES else ids[:1] + ids[-(MAX_REFERENCES - 1):]
    first = next((s for _, _, s, _ in ours if s), subject)
    subject = first if first.lower().startswith("re:") else f"Re: {first}"
    return subject, {"In-Reply-To": ids[-1], "References": " ".join(chain)}


def note_sent(state: TenantState, e: dict) -> Touched:
    """A sent outcome with our Message-ID: the email joins its thread."""
    if e.get("outcome") != "sent" or not e.get("thread") or not e.get("action_id"):
        return []
    key = (e["recipient"].lower(), e["thread"])
    entry = (e["occurred_at"], e.get("message_id"), e.get("subject"), e["action_id"])
    have = state.thread_sends.get(key, [])
    if any(aid == e["action_id"] for _, _, _, aid in have):
        return []
    state.thread_sends[key] = sorted(have + [entry], key=lambda x: (x[0], x[3]))
    return []


def note_message(state: TenantState, e: dict) -> Touched:
    """An inbound message naming one of our emails: a reply in its thread once its classification
    says it is not automatic (the message and its mail_classified event arrive in either order)."""
    named = referenced_actions(e.get("in_reply_to"), _header(e.get("headers") or {}, "References"))
    if named and e.get("message_id") in state.inbound:     # not our own mailbox's domain
        state.thread_refs[e["message_id"]] = (tuple(named), (e["occurred_at"], e["event_id"]))
        _count_reply(state, e["message_id"])
    return []


def note_classified(state: TenantState, e: dict) -> Touched:
    if e.get("message_id") in state.thread_refs:
        _count_reply(state, e["message_id"])
    return []


def _count_reply(state: TenantState, message_id: str) -> None:
    """A reply counts under its newest classification: a re-label as automatic withdraws it."""
    classified = state.mail_classified.get(message_id)
    if classified is None:
        return      # not read yet
    named, mark = state.thread_refs[message_id]
    automatic = bool(set(classified.get("labels") or ()) & NOT_A_REPLY)
    for action_id in named:
        replies = state.thread_replies.setdefault(action_id, {})
        if automatic:
            replies.pop(message_id, None)
        else:
            replies[message_id] = mark


ENGINE = Engine(
    name="threads",
    state={"thread_sends": dict,     # (recipient, thread) -> [(at, message id, subject, action id)], oldest first
           "thread_refs": dict,      # inbound message id -> (our action ids it names, (at, event id))
           "thread_replies": dict},  # our action id -> {message id: (at, event id)} of the replies naming its email
    apply={"email_outcome": note_sent, "gmail_message": note_message, "mail_classified": note_classified},
)
