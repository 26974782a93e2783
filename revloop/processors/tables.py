"""The projection tables: names, columns and keys, shared by every store.

Column kinds: text, bigint, double, bool, ts (epoch millis, stored as a
timestamp), json (a JSON document: JSON in DuckDB, JSONB in Postgres).
Every table starts with tenant_id; every row remembers the last event applied
to it (last_event_id, last_event_at) so applying an event twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)


LAST = (("last_event_id", "text"), ("last_event_at", "ts"))


def _t(name, key, *columns, last=True):
    cols = (("tenant_id", "text"),) + tuple(columns) + (LAST if last else ())
    return Table(name, cols, ("tenant_id",) + key)


TABLES: dict[str, Table] = {t.name: t for t in (
    _t("clients", ("client_id",),
       ("client_id", "text"), ("name", "text"), ("active", "bool"), ("credit_limit_cents", "bigint"),
       ("client_type", "text"), ("revenue_band", "text"), ("region", "text"), ("domains", "json"),
       ("vendor_profile_status", "text"), ("vendor_profile_missing", "json"),
       ("outstanding_cents", "bigint"), ("available_credit_cents", "bigint")),
    _t("contacts", ("contact_id",),
       ("contact_id", "text"), ("email", "text"), ("client_id", "text"), ("name", "text"), ("title", "text"),
       ("role", "text"), ("phone", "text"), ("company", "text"), ("source", "text"), ("opted_out", "bool")),
    _t("engagement_clocks", ("contact_id",),
       ("contact_id", "text"), ("email", "text"), ("client_id", "text"),
       ("last_touch_at", "ts"), ("last_touch_channel", "text"), ("last_touch_direction", "text"),
       ("last_touch_by", "text"), ("next_touch_due", "ts")),
    _t("orders", ("order_id",),
       ("order_id", "text"), ("client_id", "text"), ("change", "text"), ("status", "text"),
       ("product_code", "text"), ("fee_cents", "bigint"), ("tech_fee_cents", "bigint"),
       ("total_cents", "bigint"), ("paid_cents", "bigint"), ("payment_method", "text"),
       ("property_address", "text"), ("borrower_name", "text"), ("borrower_email", "text"),
       ("borrower_phone", "text"), ("property_contact_name", "text"), ("property_contact_phone", "text"),
       ("inspection_required", "bool"), ("due_at", "ts"), ("created_at", "ts"), ("delivered_at", "ts")),
    _t("order_processing_exceptions", ("order_id", "code"),
       ("order_id", "text"), ("code", "text"), ("client_id", "text"), ("category", "text"),
       ("severity", "text"), ("message", "text"), ("status", "text"), ("proposed_fix", "json"),
       ("opened_at", "ts"), ("resolved_at", "ts")),
    _t("product_catalog", ("product_code",),
       ("product_code", "text"), ("name", "text"), ("fee_cents", "bigint"), ("tolerance_pct", "double")),
    _t("deals", ("deal_id",),
       ("deal_id", "text"), ("client_id", "text"), ("contact_id", "text"), ("name", "text"), ("stage", "text"),
       ("amount_cents", "bigint"), ("next_step", "text"), ("reason", "text"), ("stage_entered_at", "ts"),
       # Progression and outcome (processors.deals): movement = a stage or next-step change.
       ("stages", "json"), ("last_moved_at", "ts"), ("stalled", "bool"), ("stalled_since", "ts"),
       ("outcome", "text"), ("closed_at", "ts")),
    _t("bids", ("bid_id",),
       ("bid_id", "text"), ("client_id", "text"), ("contact_id", "text"), ("submitter_email", "text"),
       ("status", "text"), ("amount_cents", "bigint"), ("competitor", "text"),
       ("competitor_amount_cents", "bigint"), ("reason", "text"), ("due_at", "ts"), ("status_at", "ts"),
       # The bid engine (processors.bids): what we did and how it ended.
       ("submitted_at", "ts"), ("outcome", "text"), ("outcome_at", "ts"), ("intel_requested_at", "ts"),
       ("confirmed_at", "ts"), ("follow_ups", "bigint"), ("last_follow_up_at", "ts")),
    # Win / loss reasons per client and competitor: how many bids ended this way.
    _t("bid_patterns", ("client_id", "competitor", "outcome", "reason"),
       ("client_id", "text"), ("competitor", "text"), ("outcome", "text"), ("reason", "text"),
       ("bids", "bigint"), ("avg_price_gap_cents", "double")),
    _t("feedback", ("feedback_id",),
       ("feedback_id", "text"), ("order_id", "text"), ("client_id", "text"), ("contact_id", "text"),
       ("rating", "bigint"), ("text", "text"), ("sentiment", "text"), ("sentiment_score", "double"),
       ("received_at", "ts")),
    _t("feedback_cases", ("order_id",),
       ("order_id", "text"), ("client_id", "text"), ("status", "text"), ("opened_at", "ts"), ("resolved_at", "ts"),
       ("opened_by", "text"), ("rating", "bigint"), ("sentiment_score", "double"), ("summary", "text")),
    _t("vendor_compliance", ("client_id", "quarter"),
       ("client_id", "text"), ("quarter", "text"), ("profile_status", "text"), ("missing", "json"),
       ("compliant", "bool"), ("checked_at", "ts"), ("reminded_at", "ts"), ("escalated_at", "ts")),
    _t("suppression_list", ("email",),
       ("email", "text"), ("reason", "text"), ("since", "ts")),
    _t("tenant_controls", (),
       ("kill_switch", "bool"), ("enabled", "bool"), ("send_mode", "text"), ("caps", "json"),
       ("allowlist", "json"), ("goals", "json")),
    _t("agent_actions", ("action_id",),
       ("action_id", "text"), ("tick_id", "text"), ("kind", "text"), ("rule", "text"), ("target_type", "text"),
       ("target_id", "text"), ("recipient", "text"), ("template", "text"), ("reason", "text"), ("decision", "text"),
       ("policy", "text"), ("policy_reason", "text"), ("payload", "json"), ("decided_at", "ts")),
    _t("agent_policy_violations", ("action_id",),
       ("action_id", "text"), ("tick_id", "text"), ("kind", "text"), ("target_id", "text"), ("policy", "text"),
       ("reason", "text"), ("occurred_at", "ts")),
    _t("agent_autonomous_runs", ("run_id",),
       ("run_id", "text"), ("tick_id", "text"), ("as_of", "ts"), ("changes", "json"), ("metrics", "json"),
       ("actions", "json"), ("blocks", "json"), ("hints", "json"), ("failed", "bool")),
    _t("agent_alerts", ("alert_id",),
       ("alert_id", "text"), ("kind", "text"), ("severity", "text"), ("message", "text"), ("value", "double"),
       ("threshold", "double"), ("raised_at", "ts")),
    _t("mail_messages", ("message_id",),
       ("message_id", "text"), ("thread_id", "text"), ("mailbox", "text"), ("sender", "text"),
       ("sender_domain", "text"), ("subject", "text"), ("received_at", "ts"), ("labels", "json"),
       ("requested_action", "text"), ("requested_time", "text"), ("order_refs", "json"), ("attachments", "bigint")),
    _t("warehouse_events", ("event_id",),
       ("event_id", "text"), ("topic", "text"), ("event_type", "text"), ("occurred_at", "ts"),
       ("entity_type", "text"), ("entity_id", "text"), ("payload", "json"), last=False),
)}
