"""Each guardrail of the policy gate: the case it must allow and the case it must block."""
from __future__ import annotations

import pytest

from revloop.processors.actions import CONTACT_DISCOVERY, CREATE_TASK, RESEARCH, SEND_EMAIL, Proposal
from revloop.processors.controls import Controls, effective_controls
from revloop.processors.policy_gate import GateView, check, decide

VIEW = GateView(suppressed={}, overdue_contacts=0, goals_behind_pace=True, pipeline_thin=False)


def email(to="pat@lender.example", **kw):
    return Proposal(SEND_EMAIL, "engagement.overdue", "contact", kw.pop("target", to), "overdue", recipient=to, **kw)


def blocked_by(p, controls=Controls(), view=VIEW):
    found = check(p, controls, view)
    return found[0] if found else None


def test_kill_switch_blocks_everything_and_off_allows():
    assert blocked_by(email(), Controls(kill_switch=True)) == "kill_switch"
    assert blocked_by(email(), Controls(kill_switch=False)) is None


def test_global_kill_switch_overrides_a_tenant_that_is_on():
    controls = effective_controls({"kill_switch": True}, {"kill_switch": False})
    assert blocked_by(email(), controls) == "kill_switch"


def test_disabled_tenant_is_blocked_enabled_is_not():
    assert blocked_by(email(), Controls(enabled=False)) == "tenant_disabled"
    assert blocked_by(email(), Controls(enabled=True)) is None


@pytest.mark.parametrize("basis", ["client_request", "compliance_deadline", "safety_escalation"])
def test_human_task_allowed_on_request_deadline_or_safety(basis):
    assert blocked_by(Proposal(CREATE_TASK, "tasks.x", "message", "m1", "asked", task_basis=basis)) is None


def test_human_task_without_an_explicit_basis_is_blocked():
    assert blocked_by(Proposal(CREATE_TASK, "tasks.x", "message", "m1", "we should call them")) == \
        "human_task_requires_basis"


def test_research_blocked_while_any_contact_is_overdue():
    p = Proposal(RESEARCH, "research.prospects", "tenant", "d1", "behind")
    assert blocked_by(p, view=GateView({}, 1, True, True)) == "research_while_overdue"
    assert blocked_by(p, view=GateView({}, 0, True, False)) is None


def test_research_needs_goals_behind_or_a_thin_pipeline():
    p = Proposal(RESEARCH, "research.prospects", "tenant", "d1", "x")
    assert blocked_by(p, view=GateView({}, 0, False, False)) == "research_not_needed"
    assert blocked_by(p, view=GateView({}, 0, False, True)) is None


def test_contact_discovery_is_always_allowed_even_with_overdue_contacts():
    p = Proposal(CONTACT_DISCOVERY, "research.contact_discovery", "client", "c1", "few contacts")
    assert blocked_by(p, view=GateView({}, 12, False, False)) is None


@pytest.mark.parametrize("reason", ["bounced", "complained", "unsubscribed", "opted_out"])
def test_never_email_a_suppressed_address(reason):
    view = GateView({"pat@lender.example": reason}, 0, False, False)
    assert blocked_by(email("Pat@Lender.example"), view=view) == "suppressed"
    assert blocked_by(email("sam@lender.example"), view=view) is None


def test_internal_only_sends_to_the_allowlist_only():
    controls = Controls(send_mode="internal_only", allowlist=("ourfirm.example", "boss@partner.example"))
    assert blocked_by(email("ann@ourfirm.example"), controls) is None
    assert blocked_by(email("boss@partner.example"), controls) is None
    assert blocked_by(email("pat@lender.example"), controls) == "internal_only"


def test_dry_run_approves_but_says_it_will_not_send():
    [d] = decide([email()], Controls(send_mode="dry_run"), VIEW)
    assert d.decision == "approved" and "dry_run" in d.reason


@pytest.mark.parametrize("text, ok", [
    ("borrower SSN 123-45-6789", False), ("card 4111 1111 1111 1111", False), ("password: hunter2", False),
    ("order 12345 ready, closing 2026-12-01", True),
])
def test_sensitive_patterns_are_blocked(text, ok):
    p = email(payload={"body": text})
    assert (blocked_by(p) is None) == ok


def test_numbers_in_separate_payload_fields_are_not_read_as_one_card_number():
    p = email(payload={"active_since": 1790604000000, "days_without_movement": 14})
    assert blocked_by(p) is None


def test_hourly_cap_defers_the_lowest_priorities_never_drops():
    proposals = [email(f"p{i}@lender.example", priority=float(i)) for i in range(8)]
    decisions = decide(proposals, Controls(send_mode="limited_live", caps={"emails": 5}), VIEW)
    approved = [d.proposal.recipient for d in decisions if d.decision == "approved"]
    deferred = [d for d in decisions if d.decision == "deferred"]
    assert approved == [f"p{i}@lender.example" for i in (7, 6, 5, 4, 3)]
    assert len(deferred) == 3 and all(d.policy == "hourly_cap" for d in deferred)


def test_the_hourly_cap_serves_sources_in_their_order_not_by_each_sources_own_score():
    # Overdue engagement mail scores 100-205 on its own scale; a deal's next step 55, a feedback
    # request 25, a broadcast 1. Under the cap the sources' order decides (as one voice per
    # contact does), then the score within a source.
    def mail(rule, to, priority):
        return Proposal(SEND_EMAIL, rule, "contact", to, "x", recipient=to, priority=priority)

    proposals = [mail("engagement.overdue", "e1@x.example", 205.0), mail("engagement.overdue", "e2@x.example", 100.0),
                 mail("broadcasts.send", "b1@x.example", 1.0), mail("deals.next_step", "d1@x.example", 55.0),
                 mail("feedback.request", "f1@x.example", 25.0)]
    decisions = decide(proposals, Controls(send_mode="limited_live", caps={"emails": 3}), VIEW)
    approved = [d.proposal.recipient for d in decisions if d.decision == "approved"]
    assert approved == ["d1@x.example", "f1@x.example", "e1@x.example"]
    assert {d.proposal.recipient for d in decisions if d.policy == "hourly_cap"} == {"e2@x.example", "b1@x.example"}
