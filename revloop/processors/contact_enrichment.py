"""Contacts from mail: every external person on a message, enriched from signatures.

Information-hungry but careful: a message fills in what we do not know yet
(name, title, role, phone, company, the client by email domain) and never
overwrites what a CRM import or a person already recorded.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from revloop.processors.rows import newer
from revloop.processors.signature import people_from_message

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

# Machine senders are not people to keep in touch with.
MACHINE_LOCALPARTS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply",
                      "notifications", "bounce")
FILLABLE = ("name", "title", "role", "phone", "company")


def _is_machine(email: str) -> bool:
    local = email.split("@", 1)[0]
    return any(local.startswith(p) for p in MACHINE_LOCALPARTS)


def client_for_domain(state: TenantState, email: str) -> str | None:
    domain = email.rsplit("@", 1)[-1]
    matches = sorted(cid for cid, c in state.clients.items() if domain in (c.get("domains") or []))
    return matches[0] if matches else None


def contact_events(state: TenantState, message: dict) -> list[dict]:
    """Contact events (new contacts, or known ones with fields filled in) for one message."""
    mailbox_domain = (message.get("mailbox") or "").rsplit("@", 1)[-1].lower()
    people = people_from_message(message.get("from_header") or "", message.get("to_header") or "",
                                 message.get("cc_header") or "", message.get("reply_to_header") or "",
                                 message.get("body_text") or "", mailbox_domain)
    out = []
    for person in people:
        email = person.email.lower()
        if _is_machine(email):
            continue
        existing = state.contacts.get(state.contact_by_email.get(email, ""))
        event = {"event_id": f"contact:{message['event_id']}:{email}", "tenant_id": state.tenant_id,
                 "occurred_at": message["occurred_at"]}
        if existing is None:
            record = {"contact_id": f"email:{email}", "email": email, "client_id": client_for_domain(state, email),
                      "opted_out": False}
            record.update({f: getattr(person, f) for f in FILLABLE})
        else:
            fills = {f: getattr(person, f) for f in FILLABLE if getattr(person, f) and not existing.get(f)}
            client = existing.get("client_id") or client_for_domain(state, email)
            if not fills and client == existing.get("client_id"):
                continue
            if not newer(event, existing):
                continue   # an old message must not roll back a newer record
            record = {k: existing.get(k) for k in ("contact_id", "email", "client_id", "opted_out", *FILLABLE)}
            record.update(fills, client_id=client)
        record["source"] = "gmail_signature" if (person.title or person.phone or person.company) else "gmail_header"
        out.append({**event, **record})
    return out
