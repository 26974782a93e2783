"""Quarterly vendor-manager compliance (the seed's P1.7).

Lenders keep an approved-vendor profile of the firm (licences, E&O insurance, W-9, portal
access); a client's `vendor_profile_status` says how ours stands with it. Every calendar
quarter (UTC, from the tick's as_of) each client's status is checked:
- complete: compliant. unknown: recorded, nothing proposed (nothing to act on yet).
- missing_data / no_access at an active client: one reminder email per quarter to its
  vendor-manager contact (role or title naming "vendor", else its primary contact) listing
  what is missing.
- still not complete `compliance_escalation_days` (default 14, control goals) after the
  reminder was sent: a human task, create_task with task_basis "compliance_deadline",
  which the policy gate accepts as a basis for a task. An approved reminder not yet sent
  holds the escalation back; one that failed or was cancelled is proposed again. A
  reminder blocked because nobody can be reached (no contact, or only suppressed ones)
  starts the clock too: a reminder nobody can receive is unanswered.

vendor_compliance holds one row per client per quarter in which a tick ran: the profile
status as of the quarter's latest tick, when the reminder went out and the escalation was decided.
It is derived from the client's status history, the ticks and the cycle's decisions, so it
is the same whatever order the client, tick and action topics are read in.
"""
from __future__ import annotations

import bisect
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from revloop.processors.actions import APPROVED, BLOCKED, CREATE_TASK, DONE_OUTCOMES, SEND_EMAIL, Proposal
from revloop.processors.emitters import MAX_PROPOSALS_PER_FAMILY, recently_acted
from revloop.processors.recipients import name_of, primary_contact
from revloop.processors.timeutil import DAY_MS
from revloop.processors.tuning import setting
from revloop.processors.engine import Engine
from revloop.processors.table_def import table

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

NONCOMPLIANT = frozenset({"missing_data", "no_access"})
COMPLIANT = {"complete": True, "missing_data": False, "no_access": False}   # unknown: None
ESCALATION_DAYS = 14
ONCE = 10 ** 15
REMINDER, ESCALATION = "reminder", "escalation"

Touched = list[tuple[str, object]]


def quarter_of(ms: int) -> str:
    at = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return f"{at.year}-Q{(at.month - 1) // 3 + 1}"


def status_as_of(state: TenantState, client_id: str, at: int) -> tuple | None:
    """(occurred_at, event_id, status, missing) of the client's latest snapshot at or before `at`."""
    history = state.client_history.get(client_id, [])
    i = bisect.bisect_right(history, (at, "\U0010ffff"))
    return history[i - 1] if i else None


def record_client(state: TenantState, e: dict) -> Touched:
    """Every client snapshot, stale ones included: the quarter rows need the status as of a time."""
    entry = (e["occurred_at"], e["event_id"], e.get("vendor_profile_status") or "unknown",
             tuple(e.get("vendor_profile_missing") or ()))
    history = state.client_history.setdefault(e["client_id"], [])
    i = bisect.bisect_left(history, entry[:2])
    if i < len(history) and history[i][:2] == entry[:2]:
        return []
    history.insert(i, entry)
    return [t for q in sorted(state.quarter_checks) for t in _refresh(state, e["client_id"], q)]


def apply_tick(state: TenantState, e: dict) -> Touched:
    quarter = quarter_of(e["as_of"])
    if e["as_of"] <= state.quarter_checks.get(quarter, -1):
        return []
    state.quarter_checks[quarter] = e["as_of"]
    return [t for client_id in sorted(state.client_history) for t in _refresh(state, client_id, quarter)]


# A reminder blocked for one of these reached nobody: unanswered all the same, so it starts the clock.
UNREACHABLE = frozenset({"no_recipient", "suppressed"})


def note_decision(state: TenantState, e: dict) -> Touched:
    """A reminder blocked because nobody can be reached, or an escalation approved (it becomes a card)."""
    step = {"compliance.reminder": REMINDER, "compliance.escalation": ESCALATION}.get(e["rule"])
    if step == REMINDER and e["decision"] == BLOCKED and e.get("policy") in UNREACHABLE:
        return _mark(state, json.loads(e["payload_json"]), step, (e["occurred_at"], e["event_id"]))
    if step == ESCALATION and e["decision"] == APPROVED:
        return _mark(state, json.loads(e["payload_json"]), step, (e["occurred_at"], e["event_id"]))
    return []


def note_outcome(state: TenantState, action: dict, outcome: dict) -> Touched:
    """A reminder is sent (or dry-run): the escalation clock starts then, not at its approval."""
    if action["rule"] != "compliance.reminder" or outcome["outcome"] not in DONE_OUTCOMES:
        return []
    return _mark(state, json.loads(action["payload"]), REMINDER, (outcome["occurred_at"], outcome["event_id"]))


def _mark(state: TenantState, p: dict, step: str, mark: tuple) -> Touched:
    """Each step at its earliest time, whichever fact arrives first."""
    key = (p["client_id"], p["quarter"], step)
    if key in state.compliance_steps and state.compliance_steps[key] <= mark:
        return []
    state.compliance_steps[key] = mark
    return _refresh(state, p["client_id"], p["quarter"])


def _refresh(state: TenantState, client_id: str, quarter: str) -> Touched:
    checked = state.quarter_checks.get(quarter)
    entry = status_as_of(state, client_id, checked) if checked is not None else None
    if entry is None:
        return []
    reminder = state.compliance_steps.get((client_id, quarter, REMINDER))
    escalation = state.compliance_steps.get((client_id, quarter, ESCALATION))
    last_at, last_id = max(m for m in (entry[:2], reminder, escalation) if m)
    row = {"tenant_id": state.tenant_id, "client_id": client_id, "quarter": quarter, "profile_status": entry[2],
           "missing": json.dumps(list(entry[3])), "compliant": COMPLIANT.get(entry[2]), "checked_at": checked,
           "reminded_at": reminder[0] if reminder else None, "escalated_at": escalation[0] if escalation else None,
           "last_event_id": last_id, "last_event_at": last_at}
    if state.vendor_compliance.get((client_id, quarter)) == row:
        return []
    state.vendor_compliance[(client_id, quarter)] = row
    return [("vendor_compliance", (client_id, quarter))]


def _noncompliant(state: TenantState, client_id: str, as_of: int) -> tuple | None:
    client = state.clients.get(client_id) or {}
    entry = status_as_of(state, client_id, as_of)
    return entry if client.get("active") and entry and entry[2] in NONCOMPLIANT else None


def compliance_proposals(state: TenantState, tick: dict, goals: dict | None) -> list[Proposal]:
    as_of, quarter, out = tick["as_of"], quarter_of(tick["as_of"]), []
    wait = int(setting(goals, "compliance_escalation_days", ESCALATION_DAYS) * DAY_MS)
    for client_id in sorted(state.clients):
        if len(out) >= MAX_PROPOSALS_PER_FAMILY:
            break   # equal priority, taken in client order: the cycle would keep just these
        entry = _noncompliant(state, client_id, as_of)
        target = f"{client_id}:{quarter}:{REMINDER}"
        if entry is None or (client_id, quarter, REMINDER) in state.compliance_steps \
                or recently_acted(state, "compliance", target, as_of, ONCE):
            continue
        name = state.clients[client_id].get("name") or client_id
        missing = list(entry[3]) or (["access to your vendor portal"] if entry[2] == "no_access" else [])
        to = primary_contact(state, client_id, prefer=("vendor",))
        out.append(Proposal(
            SEND_EMAIL, "compliance.reminder", "client_quarter", target,
            f"{quarter} vendor profile check at {name}: {entry[2].replace('_', ' ')}"
            + (f" ({', '.join(missing)})" if missing else ""),
            recipient=to, template="vendor_profile_reminder",
            priority=45, payload={"client_id": client_id, "quarter": quarter, "profile_status": entry[2],
                                  "missing": missing, "client_name": name, "contact_name": name_of(state, to)}))
    for (client_id, q, step), (reminded, _) in sorted(state.compliance_steps.items()):
        target = f"{client_id}:{q}:{ESCALATION}"
        if step != REMINDER or (client_id, q, ESCALATION) in state.compliance_steps or as_of < reminded + wait:
            continue
        entry = _noncompliant(state, client_id, as_of)
        if entry is None or recently_acted(state, "compliance", target, as_of, ONCE):
            continue
        name = (state.clients.get(client_id) or {}).get("name") or client_id
        out.append(Proposal(
            CREATE_TASK, "compliance.escalation", "client_quarter", target,
            f"{q} vendor profile at {name} still {entry[2].replace('_', ' ')} "
            f"{(as_of - reminded) // DAY_MS} day(s) after the reminder: the compliance deadline is due",
            priority=90, task_basis="compliance_deadline",
            payload={"client_id": client_id, "quarter": q, "profile_status": entry[2], "missing": list(entry[3]),
                     "reminded_at": reminded}))
    return out


def noncompliant_count(state: TenantState, as_of: int) -> int:
    return sum(1 for client_id in state.clients if _noncompliant(state, client_id, as_of))


ENGINE = Engine(
    name="vendor_compliance",
    state={"client_history": dict,     # client id -> sorted vendor-profile states
           "quarter_checks": dict,     # quarter -> latest tick in it
           "compliance_steps": dict,   # (client, quarter, step) -> (as_of, event id)
           "vendor_compliance": dict},
    tables=(table("vendor_compliance", ("client_id", "quarter"),
                  ("client_id", "text"), ("quarter", "text"), ("profile_status", "text"), ("missing", "json"),
                  ("compliant", "bool"), ("checked_at", "ts"), ("reminded_at", "ts"), ("escalated_at", "ts")),),
    rows_of={"vendor_compliance": "vendor_compliance"},
    # Stale client snapshots too: the quarter rows need the status as of a time.
    apply={"client": record_client, "tick": apply_tick},
    note_decision=note_decision,
    note_outcome=note_outcome,
    propose=compliance_proposals,
)
