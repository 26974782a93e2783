"""What became of each approved action: engines count outcomes, not approvals.

An approved action is pending until its executor reports. Reported `sent`, `delivered`
or `dry_run`, it is done: the engines mark their step (requested, confirmed, reminded,
followed up) at the outcome's time (engine.note_outcome). Reported `failed`, `cancelled`
or `held`, it did not happen: its approval stops counting for the emitters' cooldowns,
so the work is proposed again once the retry wait (the block cooldown, a day) has passed.
A dry run is done for the engines (they must not re-propose every hour) but is not a
touch: only `sent` moves an engagement clock (processors.projector).

Action and outcome travel on different topics, so either may be read first: each is
kept, and the engines hear of the pair when both are known. The cooldown memory is a
max over the approvals still standing, so it is the same in any read order.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from revloop.processors import engines
from revloop.processors.actions import APPROVED, DONE_OUTCOMES as DONE, UNDONE_OUTCOMES as UNDONE
from revloop.processors.emitters import family_of
from revloop.processors.rows import Touched

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

def is_done(state: TenantState, action_id: str) -> bool:
    return any(o in DONE for o in state.action_outcomes.get(action_id, ()))


def is_undone(state: TenantState, action_id: str) -> bool:
    seen = state.action_outcomes.get(action_id, {})
    return not any(o in DONE for o in seen) and any(o in UNDONE for o in seen)


def note_approval(state: TenantState, e: dict) -> Touched:
    """An approved decision: counts for the cooldowns until an outcome says it did not happen."""
    if e["decision"] != APPROVED:
        return []
    key = (family_of(e["rule"], e["kind"]), e["target_id"])
    state.approvals.setdefault(key, {})[e["action_id"]] = e["occurred_at"]
    state.action_key[e["action_id"]] = key
    _refresh(state, key)
    touched: Touched = []
    for outcome in sorted(state.action_outcomes.get(e["action_id"], {}).values(), key=lambda o: o["occurred_at"]):
        touched += engines.note_outcome(state, state.actions[e["action_id"]], outcome)
    return touched


def note_outcome(state: TenantState, e: dict) -> Touched:
    """An executor's report (email_outcome with an action_id)."""
    action_id, outcome = e.get("action_id"), e["outcome"]
    if not action_id or outcome not in DONE | UNDONE:
        return []
    seen = state.action_outcomes.setdefault(action_id, {})
    if outcome in seen and (seen[outcome]["occurred_at"], seen[outcome]["event_id"]) <= (e["occurred_at"],
                                                                                         e["event_id"]):
        return []     # the same report again (a re-read), or a later copy of it: the first one counts
    seen[outcome] = {"outcome": outcome, "occurred_at": e["occurred_at"], "event_id": e["event_id"],
                     "detail": e.get("detail")}
    key = state.action_key.get(action_id)
    if key is None:
        return []     # the action is not read yet: note_approval picks this up
    _refresh(state, key)
    return engines.note_outcome(state, state.actions[action_id], seen[outcome])


def _refresh(state: TenantState, key: tuple) -> None:
    standing = [at for aid, at in state.approvals.get(key, {}).items() if not is_undone(state, aid)]
    if standing:
        state.last_approved[key] = max(standing)
    else:
        state.last_approved.pop(key, None)
    for aid in state.approvals.get(key, {}):
        if is_undone(state, aid):
            at = min(o["occurred_at"] for o in state.action_outcomes[aid].values())
            retry = state.last_blocked.get(key)
            state.last_blocked[key] = max(retry, at) if retry is not None else at
