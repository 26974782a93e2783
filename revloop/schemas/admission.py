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

import re
from datetime import datetime, timedelta, timezone

from revloop.schemas.codec import EventValidationError, check_storable

# Written only by revloop's own processes: the worker (decisions, violations, run records,
# alerts, dead letters), `revloop tick` (ticks). Kept equal to the output topics' types plus
# ticks by a test (tests/unit/test_admission.py), so a new output type cannot slip past.
DERIVED_TYPES = frozenset({"action_decided", "policy_violation", "run_record", "alert", "dead_letter", "tick"})
# email_outcome values that only an executor reports (it carried out, or chose not to carry
# out, an approved action): a "sent" counts as a touch. Delivered, bounced, complained and
# failed also come from the provider's webhooks, so they stay importable.
EXECUTOR_OUTCOMES = frozenset({"sent", "cancelled", "held", "dry_run"})


class NotAdmissible(EventValidationError):
    """A valid event that this edge must not put on the log."""


def check_not_derived(type_name: str, record: dict) -> None:
    """Refuse an event only revloop's own processes may write (see DERIVED_TYPES)."""
    if type_name in DERIVED_TYPES:
        raise NotAdmissible(f"{type_name}: written only by revloop itself (the policy gate and its worker, "
                            "`revloop tick`), never imported; `revloop restore` puts an export into empty topics")
    if type_name == "email_outcome" and record.get("outcome") in EXECUTOR_OUTCOMES:
        raise NotAdmissible(f"email_outcome: outcome {record['outcome']!r} is reported only by the sender")


# ---- one tenant-id grammar -----------------------------------------------------------------
# Lower-case ASCII letters and digits, then also '.', '_', '-': at most 63 characters, so an
# id is usable as it is in a file name, an environment variable's suffix (see
# connectors.secrets), a Postgres role or a URL, and two ids that look alike are the same id.
# Refused, never rewritten: " acme" and "ACME" are not quietly turned into "acme".
TENANT_ID_PATTERN = r"[a-z0-9][a-z0-9._-]{0,62}"
_TENANT_ID = re.compile(TENANT_ID_PATTERN + r"\Z")
GLOBAL_TENANT = "*"     # reserved: the global control, set only by `revloop control set --global`


def tenant_id_problem(tenant_id) -> str | None:
    """None for a conforming tenant id (not '*'), else what is wrong with it."""
    if not isinstance(tenant_id, str):
        return "tenant_id must be a string"
    if tenant_id == GLOBAL_TENANT:
        return "tenant_id '*' (global) is set only by `revloop control set --global`"
    if not _TENANT_ID.match(tenant_id):
        return (f"tenant_id {tenant_id[:80]!r} does not match {TENANT_ID_PATTERN} (lower-case letters, digits, "
                "'.', '_', '-'; refused, never rewritten)")
    return None


def check_tenant_id(tenant_id, *, allow_global: bool = False) -> None:
    if allow_global and tenant_id == GLOBAL_TENANT:
        return
    problem = tenant_id_problem(tenant_id)
    if problem:
        raise NotAdmissible(problem)


# ---- business time has bounds --------------------------------------------------------------
# A control or contact dated in the future would win last-writer-wins until that date; one
# dated before any real business would never win. So an edge refuses an occurred_at more
# than a small skew ahead of its own clock, or before 2000.
EARLIEST_MS = 946_684_800_000          # 2000-01-01T00:00:00Z
DEFAULT_MAX_SKEW_MS = 300_000          # 5 minutes: NTP-synced hosts agree far better than that


def time_problem(occurred_at, *, now_ms: int, max_skew_ms: int) -> str | None:
    if isinstance(occurred_at, bool) or not isinstance(occurred_at, int):
        return "occurred_at must be epoch milliseconds"
    if occurred_at < EARLIEST_MS:
        return f"occurred_at {_iso(occurred_at)} is before 2000"
    if occurred_at > now_ms + max_skew_ms:
        return (f"occurred_at {_iso(occurred_at)} is ahead of the clock ({_iso(now_ms)}) by more than "
                f"{max_skew_ms // 1000} s")
    return None


def check_time(type_name: str, record: dict, *, now_ms: int, max_skew_ms: int) -> None:
    problem = time_problem(record.get("occurred_at"), now_ms=now_ms, max_skew_ms=max_skew_ms)
    if problem:
        raise NotAdmissible(f"{type_name}: {problem}")


def _iso(millis: int) -> str:
    try:
        return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=millis)).isoformat(
            timespec="seconds").replace("+00:00", "Z")
    except OverflowError:
        return f"{millis} ms"


# ---- everything an edge checks -------------------------------------------------------------

def check_admissible(type_name: str, record: dict, *, now_ms: int, max_skew_ms: int = DEFAULT_MAX_SKEW_MS,
                     admin: bool = False) -> None:
    """Raise NotAdmissible (an EventValidationError) unless this (schema-valid) event may enter the
    log through an edge: the tenant grammar ('*' only for an admin's control event), business time
    within bounds, and, unless admin (`revloop restore`, `revloop control set`), no derived type.
    Storability (codec.check_storable) is checked too, so an edge needs only this one call."""
    check_tenant_id(record.get("tenant_id"), allow_global=admin and type_name == "control")
    if not admin:
        check_not_derived(type_name, record)
    check_time(type_name, record, now_ms=now_ms, max_skew_ms=max_skew_ms)
    check_storable(type_name, record)
