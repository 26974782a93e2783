"""Feedback (the seed's P1.3): ask after delivery, read the reply, recover from a bad one.

Rules
- FEEDBACK_DELAY_DAYS (7; control goal `feedback_delay_days`) after an order's delivered_at,
  propose one feedback request to the client's primary contact, unless the order is
  cancelled, a feedback case is open for it, feedback on it already arrived since delivery,
  or more than FEEDBACK_WINDOW_DAYS have passed (a historical book is not surveyed on day one).
  Once per order: an approved request is never proposed again.
- Every feedback event is stored against its order and client with a rule-based sentiment
  (processors.sentiment).
- A negative one opens a case for the order (feedback_cases, one row per order: a later
  negative after resolution reopens it) and proposes service recovery: an escalation to a
  person, once per opening. A later non-negative feedback on the order resolves the case.

Feedback for one tenant arrives in one partition, but the case is still recomputed from the
order's feedback sorted by (occurred_at, event_id), so late or repeated events end the same.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from revloop.processors.actions import ESCALATE, SEND_EMAIL, Proposal
from revloop.processors.emitters import recently_acted
from revloop.processors.recipients import name_of, primary_contact
from revloop.processors.rows import stamp
from revloop.processors.sentiment import NEGATIVE, analyse
from revloop.processors.timeutil import DAY_MS
from revloop.processors.tuning import setting
from revloop.processors.engine import Engine
from revloop.processors.table_def import table

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

FEEDBACK_DELAY_DAYS = 7
FEEDBACK_WINDOW_DAYS = 30
SUMMARY_CHARS = 200
ONCE = 10 ** 15
RECOVERY_STEPS = ("call the client within one business day", "review the report with quality control",
                  "offer a revision or a fee credit where the complaint holds")

Touched = list[tuple[str, object]]


def apply_feedback(state: TenantState, e: dict) -> Touched:
    feedback_id = e["event_id"]
    if feedback_id in state.feedback:
        return []
    found = analyse(e.get("text"), e.get("rating"))
    state.feedback[feedback_id] = stamp({
        "tenant_id": state.tenant_id, "feedback_id": feedback_id, "order_id": e["order_id"],
        "client_id": e["client_id"], "contact_id": e.get("contact_id"), "rating": e.get("rating"),
        "text": e.get("text") or "", "sentiment": found.label, "sentiment_score": found.score,
        "received_at": e["occurred_at"]}, e)
    state.feedback_by_order.setdefault(e["order_id"], []).append((e["occurred_at"], feedback_id))
    return [("feedback", feedback_id)] + _refresh_case(state, e["order_id"])


def _refresh_case(state: TenantState, order_id: str) -> Touched:
    case = None
    for at, feedback_id in sorted(state.feedback_by_order[order_id]):
        f = state.feedback[feedback_id]
        if f["sentiment"] == NEGATIVE and (case is None or case["status"] == "resolved"):
            case = stamp({"tenant_id": state.tenant_id, "order_id": order_id, "client_id": f["client_id"],
                          "status": "open", "opened_at": at, "resolved_at": None, "opened_by": feedback_id,
                          "rating": f["rating"], "sentiment_score": f["sentiment_score"],
                          "summary": f["text"][:SUMMARY_CHARS]}, _stamp_of(f))
        elif f["sentiment"] != NEGATIVE and case is not None and case["status"] == "open":
            stamp(case, _stamp_of(f)).update(status="resolved", resolved_at=at)
    if case is None or case == state.feedback_cases.get(order_id):
        return []
    state.feedback_cases[order_id] = case
    return [("feedback_cases", order_id)]


def _stamp_of(f: dict) -> dict:
    return {"occurred_at": f["received_at"], "event_id": f["feedback_id"]}


def feedback_proposals(state: TenantState, tick: dict, goals: dict | None) -> list[Proposal]:
    as_of, out = tick["as_of"], []
    delay = int(setting(goals, "feedback_delay_days", FEEDBACK_DELAY_DAYS) * DAY_MS)
    for order_id, order in sorted(state.orders.items()):
        delivered = order.get("delivered_at")
        if delivered is None or order.get("status") == "cancelled":
            continue
        if not delivered + delay <= as_of < delivered + FEEDBACK_WINDOW_DAYS * DAY_MS:
            continue
        if (state.feedback_cases.get(order_id) or {}).get("status") == "open":
            continue
        if any(at >= delivered for at, _ in state.feedback_by_order.get(order_id, ())):
            continue
        if recently_acted(state, "feedback", order_id, as_of, ONCE):
            continue
        to = primary_contact(state, order.get("client_id"))
        out.append(Proposal(
            SEND_EMAIL, "feedback.request", "order", order_id,
            f"order {order_id} was delivered {(as_of - delivered) // DAY_MS} day(s) ago: ask how it went",
            recipient=to, template="feedback_request", priority=25,
            payload={"order_id": order_id, "client_id": order.get("client_id"), "delivered_at": delivered,
                     "product_code": order.get("product_code"), "property_address": order.get("property_address"),
                     "contact_name": name_of(state, to)}))
    for order_id, case in sorted(state.feedback_cases.items()):
        target = f"{order_id}:{case['opened_at']}"
        if case["status"] != "open" or recently_acted(state, "feedback", target, as_of, ONCE):
            continue
        out.append(Proposal(
            ESCALATE, "feedback.service_recovery", "feedback_case", target,
            f"negative feedback on order {order_id} (score {case['sentiment_score']:+.0f}): recover the client",
            priority=85, payload={"order_id": order_id, "client_id": case["client_id"],
                                  "feedback_id": case["opened_by"], "rating": case["rating"],
                                  "summary": case["summary"], "steps": list(RECOVERY_STEPS)}))
    return out


ENGINE = Engine(
    name="feedback",
    state={"feedback": dict, "feedback_by_order": dict, "feedback_cases": dict},
    tables=(
        table("feedback", ("feedback_id",),
              ("feedback_id", "text"), ("order_id", "text"), ("client_id", "text"), ("contact_id", "text"),
              ("rating", "bigint"), ("text", "text"), ("sentiment", "text"), ("sentiment_score", "double"),
              ("received_at", "ts")),
        table("feedback_cases", ("order_id",),
              ("order_id", "text"), ("client_id", "text"), ("status", "text"), ("opened_at", "ts"),
              ("resolved_at", "ts"), ("opened_by", "text"), ("rating", "bigint"), ("sentiment_score", "double"),
              ("summary", "text")),
    ),
    rows_of={"feedback": "feedback", "feedback_cases": "feedback_cases"},
    apply={"feedback": apply_feedback},
    propose=feedback_proposals,
)
