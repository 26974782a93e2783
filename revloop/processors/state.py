"""A tenant's projected state: plain dicts of rows, the same rows the stores hold.

Processors mutate it through `apply` and report which rows they touched, so the
shell writes only what changed. Every row is a dict with the table's columns.
TenantState is the core fields below plus each registered engine's own
(processors.engines): plain data only (dicts, lists, sets, tuples).
"""
from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass

from revloop.processors import engines
from revloop.processors.rows import newer, stamp  # noqa: F401  (their home before processors.rows)


@dataclass
class CoreState:
    tenant_id: str
    clients: dict[str, dict] = field(default_factory=dict)
    contacts: dict[str, dict] = field(default_factory=dict)
    contact_by_email: dict[str, str] = field(default_factory=dict)   # address -> the contact that speaks for it
    contacts_by_email: dict[str, set] = field(default_factory=dict)  # address -> every contact with it
    contacts_by_client: dict[str | None, set] = field(default_factory=dict)   # client id -> contact ids
    clocks: dict[str, dict] = field(default_factory=dict)
    # The latest touch to each address (kept: a contact with it may appear later), and touches
    # to contact ids not known yet ("id:<contact id>"): applied when the contact appears.
    pending_touches: dict[str, dict] = field(default_factory=dict)
    orders: dict[str, dict] = field(default_factory=dict)
    orders_by_client: dict[str, set] = field(default_factory=dict)
    exceptions: dict[tuple[str, str], dict] = field(default_factory=dict)
    exception_codes: dict[str, set] = field(default_factory=dict)   # order id -> codes ever raised
    catalog: dict[str, dict] = field(default_factory=dict)
    suppression: dict[str, dict] = field(default_factory=dict)
    soft_bounces: dict[str, set] = field(default_factory=dict)
    controls: dict | None = None
    control_stamps: dict[str, tuple] = field(default_factory=dict)
    # The hourly cycle's memory, rebuilt from the action and run topics on replay.
    last_approved: dict[tuple[str, str], int] = field(default_factory=dict)   # (family, target) -> as_of
    last_blocked: dict[tuple[str, str], int] = field(default_factory=dict)
    suppressed_blocks: set[tuple[str, str]] = field(default_factory=set)   # blocked as suppressed: on record
    # What became of approved actions (processors.action_ledger): engines count outcomes.
    approvals: dict[tuple[str, str], dict] = field(default_factory=dict)   # (family, target) -> action id -> at
    action_key: dict[str, tuple] = field(default_factory=dict)             # approved action id -> (family, target)
    action_outcomes: dict[str, dict] = field(default_factory=dict)         # action id -> outcome -> its report
    messages: dict[str, dict] = field(default_factory=dict)    # message id -> mail_messages row
    inbound: dict[str, dict] = field(default_factory=dict)     # message id -> its gmail_message event
    mail_classified: dict[str, dict] = field(default_factory=dict)   # message id -> newest mail_classified event
    requests: dict[str, dict] = field(default_factory=dict)    # message id -> an explicit client request
    # Events an apply derived (a suppression from an opt-out reply, ...): the shell produces them
    # live and replay reads them back, so it takes them out after every event (empty between events).
    outbox: list[tuple[str, dict]] = field(default_factory=list)
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


TenantState = make_dataclass("TenantState", [(name, object, field(default_factory=factory))
                                            for name, factory in engines.state_fields()], bases=(CoreState,))
TenantState.__module__ = __name__    # so a pickled state finds its class by name
TenantState.__doc__ = "A tenant's projected state: the core fields and every registered engine's."

# Which state attribute holds each table's rows (tenant_controls is a single row).
CORE_ROWS_OF = {
    "clients": "clients", "contacts": "contacts", "engagement_clocks": "clocks", "orders": "orders",
    "order_processing_exceptions": "exceptions", "product_catalog": "catalog", "suppression_list": "suppression",
    "agent_actions": "actions", "agent_policy_violations": "violations", "agent_autonomous_runs": "runs",
    "agent_alerts": "alerts", "mail_messages": "messages",
}
ROWS_OF = {**CORE_ROWS_OF, **{t: attr for e in engines.ENGINES for t, attr in e.rows_of.items()}}


def row_of(state: TenantState, table: str, key) -> dict | None:
    if table == "tenant_controls":
        return state.controls
    return getattr(state, ROWS_OF[table]).get(key)
