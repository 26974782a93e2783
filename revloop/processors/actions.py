"""Proposals, decisions and their deterministic ids."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

SEND_EMAIL, FOLLOW_UP, CREATE_TASK = "send_email", "follow_up", "create_task"
RESEARCH, CONTACT_DISCOVERY = "research", "contact_discovery"
PROPOSE_ORDER_FIX, ESCALATE = "propose_order_fix", "escalate"
# A deal's contact replied: move the deal on? A proposal for a person; the stage never changes silently.
PROPOSE_STAGE_ADVANCE = "propose_stage_advance"
# The hourly digest of new cards and alerts to the tenant's operators: internal mail, never to clients.
SEND_DIGEST = "send_digest"
CLIENT_EMAIL_KINDS = frozenset({SEND_EMAIL, FOLLOW_UP})
EMAIL_KINDS = CLIENT_EMAIL_KINDS | {SEND_DIGEST}
# Approved, these become cards: work for a person (processors.cards).
CARD_KINDS = frozenset({CREATE_TASK, ESCALATE, PROPOSE_ORDER_FIX, PROPOSE_STAGE_ADVANCE})

APPROVED, BLOCKED, DEFERRED = "approved", "blocked", "deferred"

# What an executor reports of an approved action (processors.action_ledger): done, or it did not happen.
DONE_OUTCOMES = frozenset({"sent", "delivered", "dry_run"})
UNDONE_OUTCOMES = frozenset({"failed", "cancelled", "held"})


@dataclass(frozen=True)
class Proposal:
    kind: str
    rule: str                 # the emitter rule that proposed it, e.g. "engagement.overdue"
    target_type: str
    target_id: str
    reason: str
    recipient: str | None = None
    template: str | None = None
    priority: float = 0.0
    # Why a human task is warranted: "client_request" | "compliance_deadline" | "safety_escalation".
    task_basis: str | None = None
    payload: dict = field(default_factory=dict)


def action_id(tenant_id: str, tick_id: str, rule: str, target_id: str) -> str:
    """sha256 of (tenant, tick, rule, target): the same log always yields the same ids,
    and the sender uses it as its idempotency key, so a replay never sends twice."""
    return hashlib.sha256("\x1f".join((tenant_id, tick_id, rule, target_id)).encode()).hexdigest()[:32]


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def decided_event(tenant_id: str, tick: dict, p: Proposal, decision: str, policy: str | None,
                  policy_reason: str | None, send_mode: str | None = None, not_before: int | None = None) -> dict:
    aid = action_id(tenant_id, tick["tick_id"], p.rule, p.target_id)
    payload = dict(p.payload)
    if p.task_basis:
        payload["task_basis"] = p.task_basis
    return {
        "event_id": aid, "tenant_id": tenant_id, "occurred_at": tick["as_of"], "action_id": aid,
        "tick_id": tick["tick_id"], "kind": p.kind, "rule": p.rule, "target_type": p.target_type,
        "target_id": p.target_id, "recipient": p.recipient, "template": p.template, "reason": p.reason,
        "decision": decision, "policy": policy, "policy_reason": policy_reason,
        "payload_json": canonical_json(payload),
        # Set by the shell that emits the decision (it holds the key; processors hold no secrets).
        "auth_tag": None,
        # The mode an email was approved under binds its executor (processors.execution).
        "send_mode": send_mode if decision == APPROVED and p.kind in EMAIL_KINDS else None,
        # Deferred to a time (the recipient's hours, the contact's cap): not proposed again before it.
        "not_before": not_before if decision == DEFERRED else None,
    }


def violation_event(decided: dict) -> dict:
    return {
        "event_id": f"violation:{decided['action_id']}", "tenant_id": decided["tenant_id"],
        "occurred_at": decided["occurred_at"], "action_id": decided["action_id"], "tick_id": decided["tick_id"],
        "kind": decided["kind"], "target_id": decided["target_id"], "policy": decided["policy"],
        "reason": decided["policy_reason"] or "",
    }
