"""Whose voice an email goes out in: the owner of the relationship, else the tenant's generic sender.

A contact or client may have an owner, a person of the tenant's directory (processors.people):
the contact's `owner`, else its client's `owner`, else the active person whose `accounts`
list the client. A client email then goes from the owner's name and address, and replies go
to the owner's mailbox when the Gmail connector reads it (so the answer comes back into the
loop); otherwise to the tenant's generic reply-to. An owner's address on a domain the tenant
does not send from (the provider signs only verified domains) is not used as From: the email
goes from the generic address in the owner's name ("Sam Ortiz via Acme Appraisals").
Internal mail (the operators' digest) and email with no owner go from the generic sender.

The tenant's sender identity is a control setting, `senders`: {"from": "Acme Appraisals
<team@acme.example>", "reply_to": "inbox@acme.example", "domains": ["acme.example"]},
checked when it is imported; without one, the sender's configured address (REVLOOP_FROM).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from revloop.processors.actions import CLIENT_EMAIL_KINDS

if TYPE_CHECKING:
    from revloop.processors.state import TenantState


@dataclass(frozen=True)
class Identity:
    from_address: str          # the From header: "Name <address>"
    reply_to: str | None       # the Reply-To address, None for none
    owner: str | None = None   # person_id of the owner it went out in the name of


def _address(text: str | None) -> tuple[str, str] | None:
    name, addr = parseaddr(text or "")
    if not addr or addr.count("@") != 1 or not addr.split("@")[1] or any(c in addr for c in " ,;<>"):
        return None
    return name, addr.lower()


def _domain(addr: str) -> str:
    return addr.rsplit("@", 1)[1].lower()


def senders_problem(spec) -> str | None:
    """None for a usable `senders` setting, else what is wrong with it (one line)."""
    if not isinstance(spec, dict):
        return "senders must be an object with from, reply_to and domains"
    generic = _address(spec.get("from"))
    if generic is None:
        return f"senders.from {str(spec.get('from'))[:80]!r} is not an address (Name <team@firm.example>)"
    if spec.get("reply_to") is not None and _address(spec["reply_to"]) is None:
        return f"senders.reply_to {str(spec['reply_to'])[:80]!r} is not an address"
    domains = spec.get("domains") or []
    if any(not isinstance(d, str) or not d or "@" in d or " " in d for d in domains):
        return "senders.domains lists the domains the tenant sends from (firm.example), not addresses"
    if domains and _domain(generic[1]) not in {d.lower() for d in domains}:
        return f"senders.from is on {_domain(generic[1])}, which is not one of senders.domains"
    return None


def owner_of(state: TenantState, recipient: str | None, client_id: str | None = None) -> dict | None:
    """The active person who owns the relationship with a recipient (their contact's, else client's)."""
    contact = state.contacts.get(state.contact_by_email.get((recipient or "").lower(), "")) or {}
    client_id = contact.get("client_id") or client_id
    client = state.clients.get(client_id or "") or {}
    for person_id in (contact.get("owner"), client.get("owner")):
        person = state.people.get(person_id or "")
        if person is not None and person["active"]:
            return person
    if client_id:
        for _, person in sorted(state.people.items()):
            if person["active"] and client_id in json.loads(person["accounts"]):
                return person
    return None


def identity(state: TenantState, action: dict, senders: dict | None, default_from: str,
             read_mailboxes: frozenset[str] = frozenset()) -> Identity:
    """The From and Reply-To of an approved email (`read_mailboxes`: the addresses the Gmail connector reads)."""
    spec = senders if senders_problem(senders) is None else {"from": default_from}
    gen_name, gen_addr = _address(spec["from"]) or ("", default_from)
    generic = Identity(formataddr((gen_name, gen_addr)) if gen_name else gen_addr,
                       (_address(spec.get("reply_to")) or ("", None))[1])
    if action.get("kind") not in CLIENT_EMAIL_KINDS:
        return generic
    payload = json.loads(action.get("payload_json") or "{}") if isinstance(action.get("payload_json"), str) else {}
    person = owner_of(state, action.get("recipient"), payload.get("client_id"))
    if person is None:
        return generic
    domains = {d.lower() for d in spec.get("domains") or [_domain(gen_addr)]}
    own = person["email"]
    if _domain(own) in domains:
        from_address = formataddr((person["name"], own))
    else:
        from_address = formataddr((f"{person['name']} via {gen_name or _domain(gen_addr)}", gen_addr))
    reply_to = own if own in read_mailboxes else generic.reply_to
    return Identity(from_address, reply_to, person["person_id"])
