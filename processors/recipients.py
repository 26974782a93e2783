"""Whom an engine writes to at a client: a named contact, or the client's best contact."""
from __future__ import annotations

from processors.state import TenantState


def email_of(state: TenantState, contact_id: str | None) -> str | None:
    contact = state.contacts.get(contact_id or "")
    return contact["email"] if contact else None


def primary_contact(state: TenantState, client_id: str | None, prefer: tuple[str, ...] = ()) -> str | None:
    """The reachable contact most recently in touch (then by id); one whose role or title
    names a `prefer` word first. Suppressed and opted-out addresses are not candidates."""
    if not client_id:
        return None
    reachable = [c for c in state.contacts.values() if c.get("client_id") == client_id
                 and not c.get("opted_out") and c["email"] not in state.suppression]
    preferred = [c for c in reachable
                 if any(w in f"{c.get('role') or ''} {c.get('title') or ''}".lower() for w in prefer)]
    pool = preferred or reachable
    if not pool:
        return None
    last_touch = lambda c: (state.clocks.get(c["contact_id"]) or {}).get("last_touch_at") or 0
    return min(pool, key=lambda c: (-last_touch(c), c["contact_id"]))["email"]
