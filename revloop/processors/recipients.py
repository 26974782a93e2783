"""Whom an engine writes to at a client: a named contact, or the client's best contact."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from revloop.processors.state import TenantState



def email_of(state: TenantState, contact_id: str | None) -> str | None:
    contact = state.contacts.get(contact_id or "")
    return contact["email"] if contact else None


def name_of(state: TenantState, email: str | None) -> str | None:
    """The name we hold for an address, for a greeting."""
    contact = state.contacts.get(state.contact_by_email.get((email or "").lower(), ""))
    return contact.get("name") if contact else None


def client_name(state: TenantState, client_id: str | None) -> str | None:
    return (state.clients.get(client_id or "") or {}).get("name") or None


def primary_contact(state: TenantState, client_id: str | None, prefer: tuple[str, ...] = ()) -> str | None:
    """The reachable contact most recently in touch (then by id); one whose role or title
    names a `prefer` word first. Suppressed and opted-out addresses are not candidates."""
    if not client_id:
        return None
    best, best_key = None, None
    for contact_id in state.contacts_by_client.get(client_id, ()):
        c = state.contacts[contact_id]
        if c.get("opted_out") or c["email"] in state.suppression:
            continue
        words = f"{c.get('role') or ''} {c.get('title') or ''}".lower() if prefer else ""
        preferred = any(w in words for w in prefer)
        last_touch = (state.clocks.get(contact_id) or {}).get("last_touch_at") or 0
        key = (not preferred, -last_touch, contact_id)
        if best_key is None or key < best_key:
            best, best_key = c["email"], key
    return best
