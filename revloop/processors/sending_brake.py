"""A brake on bad signals: a tenant whose mail starts bouncing or drawing complaints stops itself.

Over the tenant's last SENDS_WINDOW (200) sends since a person last resumed sending, and
once there are at least MIN_SENDS (50): if more than 5 % hard-bounced, or at least 2 drew a
complaint and complaints pass 0.1 %, the tenant's client email pauses at once. Mailbox
providers' bulk-sender rules (Gmail's and Yahoo's, 2024) hold senders under 0.3 % spam
complaints and ask them to stay under 0.1 %; a hard-bounce rate of a few percent is what
their guidance and the sending services' account reviews treat as a list gone stale.

The pause is a control event written by the system (actor BRAKE_ACTOR, `sending_paused`
true, the figures as its reason), an alert, and, at the next tick, a card for the tenant's
operators. It is derived from the outcome that tripped it (its id and time come from it),
so it is the same event however often that outcome is read; while sending is paused the
brake does not trip again. Only a person resumes sending: `revloop control set --tenant T
--sending-paused off --reason ...`, or accepting the card. The count then starts afresh
from that moment, so the old burst does not trip the brake again the minute it is resumed.

Suppression on the first hard bounce stays as it is (processors.projector); the brake
judges the list as a whole.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from revloop.processors.actions import ESCALATE, Proposal
from revloop.processors.engine import Engine
from revloop.processors.rows import Touched

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

SENDS_WINDOW, MIN_SENDS = 200, 50
HARD_BOUNCE_RATE = 0.05
COMPLAINT_RATE, MIN_COMPLAINTS = 0.001, 2
BRAKE_ACTOR = "system:sending-brake"
RULE = "brake.paused"
HARD = frozenset({"hard", "permanent", "hardbounce"})     # as processors.projector.HARD_BOUNCES
ONCE = 10 ** 15
PRUNE_AT = 4 * SENDS_WINDOW     # ids remembered per kind before those of sends no longer kept are let go


def _memory(state: TenantState) -> dict:
    if not state.brake:
        state.brake.update(sends=[], hard={}, complained={}, resumed_at=0, paused=None)
    return state.brake


def figures(state: TenantState) -> dict:
    """The last sends since the last resume, and how many of them hard-bounced or drew a complaint."""
    m = _memory(state)
    window = [aid for at, aid in m["sends"] if at > m["resumed_at"]][-SENDS_WINDOW:]
    sends = len(window)
    hard = sum(1 for aid in window if aid in m["hard"])
    complaints = sum(1 for aid in window if aid in m["complained"])
    return {"sends": sends, "hard_bounces": hard, "complaints": complaints}


def verdict(f: dict) -> str | None:
    """Why sending must pause, in figures (None: it need not)."""
    if f["sends"] < MIN_SENDS:
        return None
    hard_rate, complaint_rate = f["hard_bounces"] / f["sends"], f["complaints"] / f["sends"]
    if hard_rate > HARD_BOUNCE_RATE:
        return (f"{f['hard_bounces']} hard bounces in the last {f['sends']} sends ({hard_rate:.1%}, "
                f"over {HARD_BOUNCE_RATE:.0%})")
    if f["complaints"] >= MIN_COMPLAINTS and complaint_rate > COMPLAINT_RATE:
        return (f"{f['complaints']} spam complaints in the last {f['sends']} sends ({complaint_rate:.2%}, "
                f"over {COMPLAINT_RATE:.1%})")
    return None


def tripped(state: TenantState) -> str | None:
    """The brake's reason while its condition holds (the sender checks this before the pause arrives)."""
    return verdict(figures(state))


def note_outcome(state: TenantState, e: dict) -> Touched:
    """A sender's or provider's report: count it, and pause the tenant when the figures say so."""
    m = _memory(state)
    action_id, outcome = e.get("action_id"), e["outcome"]
    if not action_id:
        return []
    if outcome == "sent":
        if any(aid == action_id for _, aid in m["sends"][-SENDS_WINDOW:]):
            return []
        m["sends"] = sorted(m["sends"] + [(e["occurred_at"], action_id)])[-2 * SENDS_WINDOW:]
    elif outcome == "bounced" and (e.get("bounce_type") or "hard").lower() in HARD:
        _remember(m, "hard", action_id)
    elif outcome == "complained":
        _remember(m, "complained", action_id)
    else:
        return []
    paused = (state.controls or {}).get("sending_paused")
    reason = None if paused else tripped(state)
    if reason:
        state.outbox += pause_events(state.tenant_id, e, reason, figures(state))
    return []


def _remember(m: dict, key: str, action_id: str) -> None:
    """Note a bounced or complained-of send (ids in arrival order: a dict used as an ordered set).
    Only sends still kept (the last 2 x SENDS_WINDOW) can count, so once PRUNE_AT ids are held the
    rest are let go, except the newest SENDS_WINDOW whose sends are not reported (yet): a bounce
    can be logged before its send's outcome. The tenant's state, and each of its snapshots, stays
    bounded however long it sends."""
    ids = m[key]
    ids.pop(action_id, None)
    ids[action_id] = None
    if len(ids) > PRUNE_AT:
        kept = {aid for _, aid in m["sends"]}
        pending = set([aid for aid in ids if aid not in kept][-SENDS_WINDOW:])
        m[key] = {aid: None for aid in ids if aid in kept or aid in pending}


def pause_events(tenant: str, cause: dict, reason: str, f: dict) -> list[tuple[str, dict]]:
    ref = hashlib.sha256(f"{tenant}\x1f{cause['event_id']}".encode()).hexdigest()[:24]
    at = cause["occurred_at"]
    control = {"event_id": f"brake:{ref}", "tenant_id": tenant, "occurred_at": at, "sending_paused": True,
               "actor": BRAKE_ACTOR, "reason": f"the sending brake: {reason}; a person resumes it"}
    alert = {"event_id": f"alert:brake:{ref}", "tenant_id": tenant, "occurred_at": at, "alert_id": f"brake:{ref}",
             "kind": "sending_paused", "severity": "critical",
             "message": f"client email paused by the sending brake: {reason}. Check the list and the content, "
                        "then resume (revloop control set --sending-paused off, or accept the card)",
             "value": float(f["hard_bounces"] if "bounce" in reason else f["complaints"]) / f["sends"],
             "threshold": HARD_BOUNCE_RATE if "bounce" in reason else COMPLAINT_RATE}
    return [("control", control), ("alert", alert)]


def note_control(state: TenantState, e: dict) -> Touched:
    """A pause by the brake is remembered for its card; a resume (by anyone but the brake) restarts the count."""
    m = _memory(state)
    if e.get("sending_paused") is True and e.get("actor") == BRAKE_ACTOR:
        if m["paused"] is None or (e["occurred_at"], e["event_id"]) > (m["paused"]["at"], m["paused"]["event_id"]):
            m["paused"] = {"event_id": e["event_id"], "at": e["occurred_at"], "reason": e.get("reason")}
    elif e.get("sending_paused") is False:
        m["resumed_at"] = max(m["resumed_at"], e["occurred_at"])
    return []


def paused_by_brake(state: TenantState) -> dict | None:
    """The brake's pause still standing: not resumed since."""
    m = _memory(state)
    pause = m["paused"]
    if pause is None or m["resumed_at"] >= pause["at"] or not (state.controls or {}).get("sending_paused"):
        return None
    return pause


def propose(state: TenantState, tick: dict, goals: dict | None) -> list[Proposal]:
    """A card for the tenant's operators once per pause: a safety escalation."""
    from revloop.processors.emitters import recently_acted

    pause = paused_by_brake(state)
    if pause is None or recently_acted(state, "brake", pause["event_id"], tick["as_of"], ONCE):
        return []
    return [Proposal(ESCALATE, RULE, "control", pause["event_id"],
                     f"client email is paused: {pause['reason']}. Find what bounced or complained (a stale list, "
                     "a bad import, content), fix it, then accept this card to resume sending",
                     priority=95, task_basis="safety_escalation",
                     payload={"paused_at": pause["at"], "control_event_id": pause["event_id"]})]


def resume_event(tenant: str, card: dict, by: str, note: str | None, at: int) -> tuple[str, dict]:
    """Accepting the brake's card resumes sending: the person's own control event."""
    details = json.loads(card["details"])
    return ("control", {"event_id": f"resume:{card['card_id']}", "tenant_id": tenant, "occurred_at": at,
                        "sending_paused": False, "actor": by,
                        "reason": f"resumed from card {card['card_id']} (paused by "
                                  f"{details.get('control_event_id')})" + (f": {note}" if note else "")})


ENGINE = Engine(
    name="sending_brake",
    # sends: [(at, action id)] of the latest sent outcomes; hard / complained: action ids; resumed_at: the
    # latest resume by a person; paused: the brake's latest pause {event_id, at, reason}.
    state={"brake": dict},
    apply={"email_outcome": note_outcome, "control": note_control},
    propose=propose,
)
