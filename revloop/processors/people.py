"""The tenant's people: one directory for notifications, the console's sign-in and account ownership.

A `person` event is the whole record of one person (last writer wins). Roles say what
reaches them: operators get the hourly digest of new cards and alerts; a card names the
role it is for. Nothing secret lives here: login secrets are kept outside the log.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from revloop.processors.engine import Engine
from revloop.processors.rows import Touched, newer, stamp
from revloop.processors.table_def import table

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

OPERATOR, ADMIN, ACCOUNT_OWNER = "operator", "admin", "account_owner"


def apply_person(state: TenantState, e: dict) -> Touched:
    row = state.people.get(e["person_id"])
    if not newer(e, row):
        return []
    state.people[e["person_id"]] = stamp({
        "tenant_id": state.tenant_id, "person_id": e["person_id"], "name": e["name"], "email": e["email"].lower(),
        "roles": json.dumps(sorted(set(e.get("roles") or []))), "accounts": json.dumps(sorted(set(e.get("accounts") or []))),
        "active": bool(e.get("active", True))}, e)
    return [("people", e["person_id"])]


def with_role(state: TenantState, role: str) -> list[dict]:
    """Active people holding a role, by id."""
    return [p for _, p in sorted(state.people.items()) if p["active"] and role in json.loads(p["roles"])]


def internal_addresses(state: TenantState) -> frozenset[str]:
    """Every active person's address: the only places internal mail (the digest) may go."""
    return frozenset(p["email"] for p in state.people.values() if p["active"])


ENGINE = Engine(
    name="people",
    state={"people": dict},
    tables=(table("people", ("person_id",),
                  ("person_id", "text"), ("name", "text"), ("email", "text"), ("roles", "json"),
                  ("accounts", "json"), ("active", "bool")),),
    rows_of={"people": "people"},
    apply={"person": apply_person},
)
