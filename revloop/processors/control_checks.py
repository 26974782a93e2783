"""What a control event may say: the cap kinds and goal names revloop acts on.

A cap or goal under a name nothing reads is a setting that silently does nothing (`email`
for `emails`, `deal_stall_day`): import refuses it by name, with the names it knows, and
the worker dead-letters it (processors.event_checks).
"""
from __future__ import annotations

from revloop.processors.controls import DEFAULT_CAPS
from revloop.processors.deals import STAGES
from revloop.processors.local_time import valid_zone
from revloop.processors.sending_window import calendar_problem, window_problem

# Hourly caps by kind (processors.policy_gate.CAP_OF_KIND maps action kinds onto these).
CAP_KINDS = tuple(sorted(DEFAULT_CAPS))

# Goals and tuning numbers, by the module that reads them (through processors.tuning.setting).
GOAL_NAMES = tuple(sorted({
    "orders_per_month",                                    # emitters: research when behind pace
    "deal_stall_days", *(f"deal_stall_days.{stage}" for stage in STAGES),   # deals
    "bid_follow_up_days", "bid_max_follow_ups",            # bids
    "feedback_delay_days",                                 # feedback
    "compliance_escalation_days",                          # vendor compliance
    "contact_emails_per_day", "contact_emails_per_week",   # sending_schedule: the per-contact cap
}))


def check_control(event: dict) -> None:
    caps, goals = event.get("caps") or {}, event.get("goals") or {}
    unknown = sorted(set(caps) - set(CAP_KINDS))
    if unknown:
        raise ValueError(f"control: caps: unknown kind(s) {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(CAP_KINDS)}")
    negative = sorted(k for k, v in caps.items() if v < 0)
    if negative:
        raise ValueError(f"control: caps.{negative[0]}: {caps[negative[0]]} is negative (0 stops that kind)")
    unknown = sorted(set(goals) - set(GOAL_NAMES))
    if unknown:
        raise ValueError(f"control: goals: unknown name(s) {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(GOAL_NAMES)}")
    _check_sending(event)


def _check_sending(event: dict) -> None:
    """The sending settings a control event sets must be usable: refused at import, not guessed at a tick."""
    if event.get("time_zone") is not None and not valid_zone(event["time_zone"]):
        raise ValueError(f"control: time_zone {str(event['time_zone'])[:60]!r} is not an IANA zone name "
                         "(e.g. America/Chicago)")
    if event.get("sending_window") is not None:
        problem = window_problem(event["sending_window"])
        if problem:
            raise ValueError(f"control: {problem}")
    if event.get("senders") is not None:
        from revloop.processors.sender_identity import senders_problem

        problem = senders_problem(event["senders"])
        if problem:
            raise ValueError(f"control: {problem}")
    if event.get("holidays") is not None:
        problem = calendar_problem(event["holidays"])
        if problem:
            raise ValueError(f"control: {problem}")
