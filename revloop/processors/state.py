"""A tenant's projected state: plain dicts of rows, the same rows the stores hold.

Processors mutate it through `apply` and report which rows they touched, so the
shell writes only what changed. Every row is a dict with the table's columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field


def newer(event: dict, row: dict | None) -> bool:
    """Last-writer-wins on (occurred_at, event_id): an event applies only if it is
    newer than the one the row last took. A duplicate or an older event changes nothing,
    so arrival order and redelivery do not matter for snapshot rows."""
    if row is None or row.get("last_event_at") is None:
        return True
    return (event["occurred_at"], event["event_id"]) > (row["last_event_at"], row["last_event_id"])


def stamp(row: dict, event: dict) -> dict:
    row["last_event_id"] = event["event_id"]
    row["last_event_at"] = event["occurred_at"]
    return row


@dataclass
class TenantState:
    tenant_id: str
    clients: dict[str, dict] = field(default_factory=dict)
    contacts: dict[str, dict] = field(default_factory=dict)
    contact_by_email: dict[str, str] = field(default_factory=dict)
    contacts_by_client: dict[str | None, set] = field(default_factory=dict)   # client id -> contact ids
    clocks: dict[str, dict] = field(default_factory=dict)
    # Touches for addresses not (yet) known as contacts: applied when the contact appears.
    pending_touches: dict[str, dict] = field(default_factory=dict)
    orders: dict[str, dict] = field(default_factory=dict)
    orders_by_client: dict[str, set] = field(default_factory=dict)
    exceptions: dict[tuple[str, str], dict] = field(default_factory=dict)
    exception_codes: dict[str, set] = field(default_factory=dict)   # order id -> codes ever raised
    catalog: dict[str, dict] = field(default_factory=dict)
    deals: dict[str, dict] = field(default_factory=dict)
    bids: dict[str, dict] = field(default_factory=dict)
    # The deal, bid, feedback and vendor-compliance engines (processors.deals, .bids, .feedback,
    # .vendor_compliance): rows, plus the facts they derive them from, so any arrival order of
    # the topics ends in the same rows.
    deal_stalls: dict[str, list] = field(default_factory=dict)      # deal id -> stall detections
    replies: dict[str, tuple] = field(default_factory=dict)          # email -> (at, event id) of the latest reply
    bid_acts: dict[str, dict] = field(default_factory=dict)          # bid id -> what the cycle decided for it
    bid_patterns: dict[tuple, dict] = field(default_factory=dict)
    bid_pattern_of: dict[str, tuple] = field(default_factory=dict)   # bid id -> its pattern key
    bid_pattern_members: dict[tuple, dict] = field(default_factory=dict)   # pattern key -> bid id -> price gap
    feedback: dict[str, dict] = field(default_factory=dict)
    feedback_by_order: dict[str, list] = field(default_factory=dict)
    feedback_cases: dict[str, dict] = field(default_factory=dict)
    client_history: dict[str, list] = field(default_factory=dict)    # client id -> sorted vendor-profile states
    quarter_checks: dict[str, int] = field(default_factory=dict)     # quarter -> latest tick in it
    compliance_steps: dict[tuple, tuple] = field(default_factory=dict)   # (client, quarter, step) -> (as_of, id)
    vendor_compliance: dict[tuple, dict] = field(default_factory=dict)
    suppression: dict[str, dict] = field(default_factory=dict)
    soft_bounces: dict[str, set] = field(default_factory=dict)
    controls: dict | None = None
    control_stamps: dict[str, tuple] = field(default_factory=dict)
    # The hourly cycle's memory, rebuilt from the action and run topics on replay.
    last_approved: dict[tuple[str, str], int] = field(default_factory=dict)   # (family, target) -> as_of
    last_blocked: dict[tuple[str, str], int] = field(default_factory=dict)
    messages: dict[str, dict] = field(default_factory=dict)    # message id -> mail_messages row
    requests: dict[str, dict] = field(default_factory=dict)    # message id -> an explicit client request
    ticks_done: set[str] = field(default_factory=set)
    last_tick_at: int | None = None
    last_metrics: dict = field(default_factory=dict)
    recent_runs: list[dict] = field(default_factory=list)       # the last 24 run summaries, oldest first
    since_last_tick: dict[str, int] = field(default_factory=dict)
    outcome_failures: list[int] = field(default_factory=list)   # times of failed sends (provider alerts)
    actions: dict[str, dict] = field(default_factory=dict)
    violations: dict[str, dict] = field(default_factory=dict)
    runs: dict[str, dict] = field(default_factory=dict)
    alerts: dict[str, dict] = field(default_factory=dict)


# Which state attribute holds each table's rows (tenant_controls is a single row).
ROWS_OF = {
    "clients": "clients", "contacts": "contacts", "engagement_clocks": "clocks", "orders": "orders",
    "order_processing_exceptions": "exceptions", "product_catalog": "catalog", "deals": "deals",
    "bids": "bids", "suppression_list": "suppression", "agent_actions": "actions",
    "agent_policy_violations": "violations", "agent_autonomous_runs": "runs", "agent_alerts": "alerts",
    "bid_patterns": "bid_patterns", "feedback": "feedback", "feedback_cases": "feedback_cases",
    "vendor_compliance": "vendor_compliance", "mail_messages": "messages",
}


def row_of(state: TenantState, table: str, key) -> dict | None:
    if table == "tenant_controls":
        return state.controls
    return getattr(state, ROWS_OF[table]).get(key)
