"""The policy gate (the seed's P0.3): approve, block (with the policy and reason) or defer.

Pure: given the proposals of one tick, the tenant's controls and a view of its
state, decide each one. Proposals are taken in priority order so the hourly
caps keep the most urgent work and defer the rest to the next tick; deferred
work is proposed again then, never dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from revloop.processors.actions import (APPROVED, BLOCKED, CLIENT_EMAIL_KINDS, CREATE_TASK, DEFERRED, EMAIL_KINDS,
                                        FOLLOW_UP, RESEARCH, SEND_DIGEST, Proposal)
from revloop.processors.controls import Controls
from revloop.processors.sending_schedule import ANSWERED, source_rank
from revloop.processors.threads import thread_of

# A human task only when the client explicitly asked, a compliance deadline is
# due, or safety demands it (the seed's guardrail: no task on our own hunch).
TASK_BASES = frozenset({"client_request", "compliance_deadline", "safety_escalation"})
CAP_OF_KIND = {"send_email": "emails", "follow_up": "emails", "research": "research", "sandbox_job": "sandbox_jobs",
               "send_digest": "digests"}

# Never put these in outbound mail or task text: SSNs, card numbers, credentials.
SENSITIVE = (
    ("ssn", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("card_number", re.compile(r"\b(?:\d[ -]?){15,16}\b")),
    ("credential", re.compile(r"\b(?i:password|passwd|api[_ -]?key|secret)\s*[:=]")),
)


@dataclass(frozen=True)
class GateView:
    """What the gate needs to know about the tenant, computed by the caller."""
    suppressed: dict            # email -> reason
    overdue_contacts: int
    goals_behind_pace: bool
    pipeline_thin: bool
    internal: frozenset = frozenset()   # the tenant's people's addresses: where internal mail may go
    # processors.sending_schedule.Schedule: the recipients' hours and the contacts' caps (None: no such rules).
    schedule: Any = None
    # (recipient, thread) -> when the recipient answered it, for the follow-ups proposed (processors.threads).
    answered: dict | None = None


@dataclass(frozen=True)
class Decision:
    proposal: Proposal
    decision: str
    policy: str | None = None
    reason: str | None = None
    not_before: int | None = None     # deferred: not proposed again before this time


def _on_allowlist(email: str, allowlist) -> bool:
    email = email.lower()
    domain = email.rsplit("@", 1)[-1]
    return email in allowlist or domain in allowlist


# One pass per field instead of one per pattern: the gate sees thousands of proposals a tick.
_ANY_SENSITIVE = re.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in SENSITIVE))


def _sensitive(p: Proposal) -> str | None:
    # Field by field: joined, two adjacent numbers (a timestamp and a day count) read as a card number.
    found = set()
    for value in (p.reason, p.template, *p.payload.values()):
        if value is not None:
            for match in _ANY_SENSITIVE.finditer(str(value)):
                found.add(match.lastgroup)
    return next((name for name, _ in SENSITIVE if name in found), None)


def check(p: Proposal, controls: Controls, view: GateView) -> tuple[str, str] | None:
    """The first policy that blocks the proposal, as (policy, reason); None if none does."""
    if controls.kill_switch:
        return "kill_switch", "the kill switch is on: nothing is approved"
    if not controls.enabled:
        return "tenant_disabled", "the tenant is not enabled"
    if p.kind == CREATE_TASK and p.task_basis not in TASK_BASES:
        return ("human_task_requires_basis",
                "a human task needs an explicit client request, a compliance deadline or a safety escalation")
    if p.kind == RESEARCH:
        if view.overdue_contacts:
            return "research_while_overdue", f"{view.overdue_contacts} contact(s) are overdue: touch them first"
        if not (view.goals_behind_pace or view.pipeline_thin):
            return "research_not_needed", "goals are on pace and the pipeline is not thin"
    found = _sensitive(p)
    if found:
        return "sensitive_content", f"the action carries a {found.replace('_', ' ')}"
    if p.kind in EMAIL_KINDS:
        if not p.recipient:
            return "no_recipient", "an email needs a recipient"
        reason = view.suppressed.get(p.recipient.lower())
        if reason:
            return "suppressed", f"{p.recipient} is suppressed ({reason})"
        if p.kind == SEND_DIGEST:
            # The operators' digest goes to the tenant's own people, never to a client; internal by
            # definition, so internal_only mode allows it without the allowlist.
            if p.recipient.lower() not in view.internal:
                return "not_internal", f"{p.recipient} is not one of the tenant's people: the digest is internal"
            return None
        if controls.send_mode == "internal_only" and not _on_allowlist(p.recipient, controls.allowlist):
            return "internal_only", f"{p.recipient} is not on the internal allowlist"
    if p.kind in CLIENT_EMAIL_KINDS:
        if controls.sending_paused:
            return "sending_paused", "email to clients is paused until a person resumes it"
        if p.kind == FOLLOW_UP and view.answered:
            replied = view.answered.get((p.recipient.lower(), thread_of(proposal_action(p))))
            if replied is not None:
                return ANSWERED, f"{p.recipient} replied in this thread: no follow-up in it"
    return None


def proposal_action(p: Proposal) -> dict:
    """The fields of a proposal that name its action (for rules written over actions)."""
    return {"kind": p.kind, "rule": p.rule, "target_id": p.target_id, "recipient": p.recipient, "payload": p.payload}


def _gate_order(p: Proposal) -> tuple:
    """Client email in the sources' order (sending_schedule.SOURCES: a client's request and a
    compliance deadline before routine touches, broadcasts last), then by priority: the hourly cap
    keeps what one voice per contact keeps. Each source scores on its own scale, so the
    scores of two sources never decide between them."""
    return (source_rank(p.rule) if p.kind in CLIENT_EMAIL_KINDS else 0, -p.priority, p.kind, p.target_id)


def decide(proposals: list[Proposal], controls: Controls, view: GateView) -> list[Decision]:
    used: dict[str, int] = {}
    out = []
    ordered = sorted(proposals, key=_gate_order)
    blocks = [check(p, controls, view) for p in ordered]
    # The recipients' hours and one voice per contact, over everything not blocked, before the hourly caps.
    free = [i for i, b in enumerate(blocks) if b is None]
    holds = dict(zip(free, view.schedule.hold([ordered[i] for i in free]))) if view.schedule is not None else {}
    for i, p in enumerate(ordered):
        if blocks[i]:
            out.append(Decision(p, BLOCKED, *blocks[i]))
            continue
        hold = holds.get(i)
        if hold is not None:
            out.append(Decision(p, DEFERRED, hold.policy, hold.reason, hold.not_before))
            continue
        cap_name = CAP_OF_KIND.get(p.kind)
        if cap_name is not None:
            cap = int(controls.caps.get(cap_name, 0))
            if used.get(cap_name, 0) >= cap:
                out.append(Decision(p, DEFERRED, "hourly_cap",
                                    f"{cap_name} cap of {cap} an hour reached: proposed again next hour"))
                continue
            used[cap_name] = used.get(cap_name, 0) + 1
        note = None
        if p.kind in EMAIL_KINDS and controls.send_mode == "dry_run":
            note = "dry_run: approved, recorded, not sent"
        out.append(Decision(p, APPROVED, None, note))
    return out
