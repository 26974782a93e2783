"""What may enter the log from outside: the rules every edge applies (import, webhooks,
Gmail, the console), beyond what the schemas and the stores require.

The log is the control plane: a decision on `actions` is carried out, a control
event switches sending on or off. So the edges that take events from people and
providers refuse what only revloop's own processes may write (the policy gate's
decisions and everything derived from them, ticks, the executors' outcomes).
Putting an export back into a fresh cluster is a separate admin act
(`revloop restore`), not an import.
"""
from __future__ import annotations

from revloop.schemas.codec import EventValidationError

# Written only by revloop's own processes: the worker (decisions, violations, run records,
# alerts, dead letters), `revloop tick` (ticks). Kept equal to the output topics' types plus
# ticks by a test (tests/unit/test_admission.py), so a new output type cannot slip past.
DERIVED_TYPES = frozenset({"action_decided", "policy_violation", "run_record", "alert", "dead_letter", "tick"})
# email_outcome values that only an executor reports (it carried out, or did not carry out,
# an approved action). Delivered, bounced, complained, ... come from the provider's webhooks.
EXECUTOR_OUTCOMES = frozenset({"sent", "failed", "cancelled"})


class NotAdmissible(EventValidationError):
    """A valid event that this edge must not put on the log."""


def check_not_derived(type_name: str, record: dict) -> None:
    """Refuse an event only revloop's own processes may write (see DERIVED_TYPES)."""
    if type_name in DERIVED_TYPES:
        raise NotAdmissible(f"{type_name}: written only by revloop itself (the policy gate and its worker, "
                            "`revloop tick`), never imported; `revloop restore` puts an export into empty topics")
    if type_name == "email_outcome" and record.get("outcome") in EXECUTOR_OUTCOMES:
        raise NotAdmissible(f"email_outcome: outcome {record['outcome']!r} is reported only by the sender")
