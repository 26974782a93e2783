"""The hourly cycle for one tenant: Plan -> Act -> (React happens as events) -> Reflect.

run_tick(state, global_controls, tick) returns the output events of the tick:
every decided action, a violation per block, alerts, and one run record.
Pure and deterministic: the same state and tick give byte-identical events.
"""
from __future__ import annotations

import hashlib

from revloop.processors import (bids, cards, deals, emitters, engagement, engines, people, sending_schedule, threads,
                                vendor_compliance)
from revloop.processors.actions import (APPROVED, BLOCKED, CLIENT_EMAIL_KINDS, DEFERRED, FOLLOW_UP, SEND_DIGEST,
                                        Proposal, decided_event, violation_event)
from revloop.processors.controls import effective_controls
from revloop.processors.policy_gate import GateView, decide, proposal_action
from revloop.processors.sending_schedule import CONTACT_FREQUENCY, SENDING_WINDOW
from revloop.processors.state import TenantState

# Alert thresholds (the seed's P0.6 observability rules).
COMPLIANCE_FLOOR = 0.80
EXCEPTION_RATE_CEILING = 0.10
BLOCKS_PER_HOUR = 10
EMAIL_SPIKE_RATIO = 2.0
CYCLE_FAILURE_RATE = 0.20
PROVIDER_FAILURES = 5
PROVIDER_WINDOW_MS = 15 * 60_000


def metrics_of(state: TenantState, as_of: int, goals: dict | None = None) -> dict[str, float]:
    stats = engagement.tenant_stats(state, as_of)
    live_orders = [o for o in state.orders.values() if o.get("status") != "cancelled"]
    with_open = {oid for (oid, _), row in state.exceptions.items() if row["status"] == "open"}
    return {
        "contacts": float(stats.contacts), "overdue": float(stats.overdue),
        "never_touched": float(stats.never_touched), "compliance_rate": round(stats.compliance_rate, 4),
        "orders": float(len(live_orders)), "orders_with_open_exceptions": float(len(with_open)),
        "exception_rate": round(len(with_open) / len(live_orders), 4) if live_orders else 0.0,
        "deals_open": float(sum(1 for d in state.deals.values() if d["stage"] not in deals.CLOSED)),
        "deals_stalled": float(deals.stalled_count(state, as_of, goals)),
        "bids_open": float(sum(1 for b in state.bids.values() if b["status"] not in bids.CLOSED)),
        "feedback_cases_open": float(sum(1 for c in state.feedback_cases.values() if c["status"] == "open")),
        "vendor_profiles_noncompliant": float(vendor_compliance.noncompliant_count(state, as_of)),
    }


def _alert(tenant: str, tick: dict, kind: str, message: str, value: float, threshold: float,
           severity: str = "warning") -> dict:
    alert_id = hashlib.sha256(f"{tenant}\x1f{tick['tick_id']}\x1f{kind}".encode()).hexdigest()[:32]
    return {"event_id": f"alert:{alert_id}", "tenant_id": tenant, "occurred_at": tick["as_of"], "alert_id": alert_id,
            "kind": kind, "severity": severity, "message": message, "value": float(value),
            "threshold": float(threshold)}


def alerts_for(state: TenantState, tick: dict, metrics: dict, actions: dict, blocks: int) -> list[dict]:
    t, out = state.tenant_id, []
    if metrics["contacts"] and metrics["compliance_rate"] < COMPLIANCE_FLOOR:
        out.append(_alert(t, tick, "engagement_compliance_low",
                          f"engagement compliance {metrics['compliance_rate']:.0%} is below 80%",
                          metrics["compliance_rate"], COMPLIANCE_FLOOR))
    if metrics["orders"] and metrics["exception_rate"] > EXCEPTION_RATE_CEILING:
        out.append(_alert(t, tick, "order_exception_rate_high",
                          f"{metrics['exception_rate']:.0%} of orders have open exceptions (over 10%)",
                          metrics["exception_rate"], EXCEPTION_RATE_CEILING))
    if blocks >= BLOCKS_PER_HOUR:
        out.append(_alert(t, tick, "policy_blocks_high", f"{blocks} actions blocked this hour", blocks,
                          BLOCKS_PER_HOUR))
    emails = actions.get("emails_approved", 0)
    history = [r["emails_approved"] for r in state.recent_runs]
    if len(history) >= 3:
        normal = sum(history) / len(history)
        if normal > 0 and emails >= EMAIL_SPIKE_RATIO * normal:
            out.append(_alert(t, tick, "email_volume_spike",
                              f"{emails} emails approved, {emails / normal:.0%} of the normal {normal:.1f}",
                              emails / normal, EMAIL_SPIKE_RATIO))
    runs = state.recent_runs[-10:]
    if len(runs) >= 5:
        rate = sum(1 for r in runs if r["failed"]) / len(runs)
        if rate > CYCLE_FAILURE_RATE:
            out.append(_alert(t, tick, "cycle_failure_rate", f"{rate:.0%} of recent cycles failed", rate,
                              CYCLE_FAILURE_RATE, "critical"))
    failures = sum(1 for at, _ in state.outcome_failures if tick["as_of"] - PROVIDER_WINDOW_MS <= at <= tick["as_of"])
    if failures >= PROVIDER_FAILURES:
        out.append(_alert(t, tick, "provider_failures", f"{failures} send failures in the last 15 minutes",
                          failures, PROVIDER_FAILURES, "critical"))
    return out


def _hints(metrics: dict, deferred: int, blocked_by: dict[str, int], held_back: int = 0,
           waiting: dict[str, int] | None = None) -> list[str]:
    hints = []
    waiting = waiting or {}
    if waiting.get(SENDING_WINDOW):
        hints.append(f"{waiting[SENDING_WINDOW]} email(s) wait for their recipients' hours (the sending window, "
                     "recipient-local): they go when those open")
    if waiting.get(CONTACT_FREQUENCY):
        hints.append(f"{waiting[CONTACT_FREQUENCY]} email(s) wait for room under a contact's cap (emails a day and "
                     "a week per contact): the most important goes first")
    if blocked_by.get("sending_paused"):
        hints.append("sending is paused: client email waits until a person resumes it")
    if held_back:
        hints.append(f"{held_back} proposal(s) beyond {MAX_PROPOSALS_PER_FAMILY} per kind of work wait for the "
                     "next hours: a backlog is being worked through")
    if deferred:
        hints.append(f"{deferred} action(s) deferred by hourly caps are proposed again next hour; raise caps to send "
                     "sooner")
    if metrics["overdue"]:
        hints.append(f"{int(metrics['overdue'])} contact(s) overdue: research stays blocked until they are touched")
    if blocked_by.get("suppressed"):
        hints.append("suppressed recipients were proposed: check contact data for bounced or opted-out addresses")
    if blocked_by.get("kill_switch"):
        hints.append("the kill switch is on: no action will be approved until it is turned off")
    if metrics["exception_rate"] > EXCEPTION_RATE_CEILING:
        hints.append("many orders carry open exceptions: review pricing and credit before new work")
    return hints


# At most this many proposals per emitter family and tick. A backlog (thousands of
# order exceptions, every client's vendor profile at a quarter's start) is worked
# through hour by hour, most urgent first, instead of flooding people and the log;
# what waits is proposed again next hour because nothing recorded it as handled.
MAX_PROPOSALS_PER_FAMILY = emitters.MAX_PROPOSALS_PER_FAMILY


def bounded(proposals: list) -> tuple[list, int]:
    by_family: dict[str, list] = {}
    for p in proposals:
        by_family.setdefault(emitters.family_of(p.rule, p.kind), []).append(p)
    kept = []
    for family in sorted(by_family):
        ranked = sorted(by_family[family], key=lambda p: (-p.priority, p.target_id))
        kept += ranked[:MAX_PROPOSALS_PER_FAMILY]
    return kept, len(proposals) - len(kept)


def run_tick(state: TenantState, global_controls: dict | None, tick: dict) -> list[tuple[str, dict]]:
    if tick["tick_id"] in state.ticks_done or (state.last_tick_at is not None and tick["as_of"] <= state.last_tick_at):
        return []   # a second tick for an hour, or a late one for an hour already run, is a no-op
    tenant, as_of = state.tenant_id, tick["as_of"]
    controls = effective_controls(global_controls, state.controls)
    metrics = metrics_of(state, as_of, controls.goals)

    # Plan
    # Order exceptions can number thousands: only the ones bounded() would keep are built.
    orders, orders_left = emitters.order_proposals(state, tick, limit=MAX_PROPOSALS_PER_FAMILY)
    proposals = (emitters.engagement_proposals(state, tick) + orders
                 + emitters.task_proposals(state, tick) + emitters.research_proposals(state, tick, controls.goals)
                 + engines.proposals(state, tick, controls.goals))
    proposals, held_back = bounded(proposals)
    held_back += orders_left
    view = GateView(suppressed={e: r["reason"] for e, r in state.suppression.items()},
                    overdue_contacts=int(metrics["overdue"]),
                    goals_behind_pace=emitters.goals_behind_pace(state, controls.goals, as_of),
                    pipeline_thin=emitters.pipeline_thin(state), internal=people.internal_addresses(state),
                    schedule=sending_schedule.Schedule(state, controls, as_of),
                    answered=_answered(state, proposals))
    # Act
    outputs: list[tuple[str, dict]] = []
    counts: dict[str, int] = {}
    blocked_by: dict[str, int] = {}
    new_waits: dict[str, int] = {}

    def record(decisions) -> None:
        for d in decisions:
            event = decided_event(tenant, tick, d.proposal, d.decision, d.policy, d.reason, controls.send_mode,
                                  d.not_before)
            outputs.append(("action_decided", event))
            counts[f"{d.proposal.kind}:{d.decision}"] = counts.get(f"{d.proposal.kind}:{d.decision}", 0) + 1
            if d.decision == BLOCKED:
                outputs.append(("policy_violation", violation_event(event)))
                blocked_by[d.policy] = blocked_by.get(d.policy, 0) + 1
            if d.decision == DEFERRED and d.not_before is not None:
                new_waits[d.policy] = new_waits.get(d.policy, 0) + 1

    record(decide(proposals, controls, view))
    emails = sum(n for k, n in counts.items() if k.split(":")[0] in CLIENT_EMAIL_KINDS and k.endswith(APPROVED))
    deferred = sum(n for k, n in counts.items() if k.endswith(DEFERRED)) - sum(new_waits.values())
    blocks = sum(blocked_by.values())

    # Reflect
    moved = {f"delta.{k}": round(v - state.last_metrics.get(k, 0.0), 4)
             for k, v in metrics.items() if state.last_metrics and v != state.last_metrics.get(k)}
    alerts = alerts_for(state, tick, metrics, {"emails_approved": emails}, blocks)
    # People are told: new cards and alerts in one digest an hour to each operator (gated like all mail).
    record(decide(digest_proposals(state, tick, cards.opened_in(outputs), alerts, view.schedule), controls, view))
    outputs += [("alert", a) for a in alerts]
    # Emails waiting for a time (their recipients' hours, a contact's cap): this hour's and earlier ones'.
    waiting = {policy: new_waits.get(policy, 0) + sending_schedule.waiting_count(state, as_of, policy)
               for policy in (SENDING_WINDOW, CONTACT_FREQUENCY)}
    changes = dict(sorted(state.since_last_tick.items()))
    changes.update({"alerts": len(alerts), "emails_approved": emails, "proposals_held_back": held_back,
                    "emails_waiting_for_window": waiting[SENDING_WINDOW],
                    "emails_waiting_for_contact_cap": waiting[CONTACT_FREQUENCY]})
    outputs.append(("run_record", {
        "event_id": f"run:{tick['tick_id']}", "tenant_id": tenant, "occurred_at": as_of, "run_id": tick["tick_id"],
        "tick_id": tick["tick_id"], "as_of": as_of, "changes": changes, "metrics": {**metrics, **moved},
        "actions": dict(sorted(counts.items())), "blocks": dict(sorted(blocked_by.items())),
        "hints": _hints(metrics, deferred, blocked_by, held_back, waiting), "failed": False,
    }))
    return outputs


DIGEST_ITEMS = 50      # per list in one digest: the rest are in the queue (revloop cards list)


def digest_proposals(state: TenantState, tick: dict, opened: list[dict], alerts: list[dict],
                     schedule: sending_schedule.Schedule | None = None) -> list[Proposal]:
    """One digest per active operator of the cards opened and alerts raised since the last digest, in the
    tenant's own hours: outside them nothing is proposed, and the night's news is in the first digest after."""
    as_of = tick["as_of"]
    if schedule is not None and schedule.opens(schedule.tenant_zone) is not None:
        return []
    # Since the last digest approved (a first one: the last day), so what happened outside the tenant's
    # hours, or while a digest was held back, is in the next one.
    since = state.digests.get("sent_at", as_of - 24 * 3_600_000)
    earlier = [{"card_id": c["card_id"], "kind": c["kind"], "title": c["title"], "due": None}
               for c in sorted(state.cards.values(), key=lambda c: (c["opened_at"], c["card_id"]))
               if since < c["opened_at"] < as_of and c["status"] == cards.OPEN]
    raised = [a for a in sorted(state.alerts.values(), key=lambda a: (a["raised_at"], a["alert_id"]))
              if since < a["raised_at"] <= as_of] + alerts
    if not opened and not raised and not earlier:
        return []
    card_items = (earlier + [{"card_id": c["action_id"], "kind": c["kind"], "title": c["reason"], "due": None}
                             for c in opened])[:DIGEST_ITEMS]
    alert_items = [{"kind": a["kind"], "severity": a["severity"], "message": a["message"]}
                   for a in raised[:DIGEST_ITEMS]]
    out = []
    for person in people.with_role(state, people.OPERATOR):
        out.append(Proposal(
            SEND_DIGEST, "people.digest", "person", f"{person['person_id']}:{tick['tick_id']}",
            f"{len(earlier) + len(opened)} new card(s) and {len(raised)} alert(s) for {person['name']}",
            recipient=person["email"], template="operator_digest", priority=30,
            payload={"tenant": state.tenant_id, "as_of": as_of, "operator_name": person["name"],
                     "cards": card_items, "alerts": alert_items}))
    return out


def _answered(state: TenantState, proposals: list) -> dict:
    """(recipient, thread) -> when the recipient answered it, for this tick's follow-ups."""
    out = {}
    for p in proposals:
        if p.kind == FOLLOW_UP and p.recipient:
            thread = threads.thread_of(proposal_action(p))
            replied = threads.answered(state, p.recipient, thread)
            if replied is not None:
                out[(p.recipient.lower(), thread)] = replied
    return out


def failed_run(state: TenantState, tick: dict, error: str) -> tuple[str, dict]:
    """The run record of a cycle that raised: it counts toward the failure-rate alert."""
    return ("run_record", {
        "event_id": f"run:{tick['tick_id']}", "tenant_id": state.tenant_id, "occurred_at": tick["as_of"],
        "run_id": tick["tick_id"], "tick_id": tick["tick_id"], "as_of": tick["as_of"], "changes": {},
        "metrics": {}, "actions": {}, "blocks": {}, "hints": [f"the cycle failed: {error[:300]}"], "failed": True,
    })
