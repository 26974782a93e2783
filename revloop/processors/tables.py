"""The projection tables: names, columns and keys, shared by every store.

The core tables are listed here; each registered engine (processors.engines) brings its
own. Column kinds and the rules every row follows: processors.table_def.
"""
from __future__ import annotations

from revloop.processors import engines
from revloop.processors.table_def import LAST, Table, table as _t  # noqa: F401  (Table, LAST: their old home)

CORE_TABLES: tuple[Table, ...] = (
    _t("clients", ("client_id",),
       ("client_id", "text"), ("name", "text"), ("active", "bool"), ("credit_limit_cents", "bigint"),
       ("client_type", "text"), ("revenue_band", "text"), ("region", "text"), ("domains", "json"),
       ("vendor_profile_status", "text"), ("vendor_profile_missing", "json"),
       ("outstanding_cents", "bigint"), ("available_credit_cents", "bigint"),
       ("state", "text"), ("zip", "text"), ("time_zone", "text"), ("tags", "json"), ("owner", "text")),
    _t("contacts", ("contact_id",),
       ("contact_id", "text"), ("email", "text"), ("client_id", "text"), ("name", "text"), ("title", "text"),
       ("role", "text"), ("phone", "text"), ("company", "text"), ("source", "text"), ("opted_out", "bool"),
       ("state", "text"), ("zip", "text"), ("time_zone", "text"), ("tags", "json"), ("owner", "text"),
       # The zone the contact's sending hours are read in, and how it was found (processors.local_time);
       # null: the tenant's own zone.
       ("local_time_zone", "text"), ("time_zone_source", "text")),
    _t("engagement_clocks", ("contact_id",),
       ("contact_id", "text"), ("email", "text"), ("name", "text"), ("client_id", "text"),
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
    _t("suppression_list", ("email",),
       ("email", "text"), ("reason", "text"), ("since", "ts")),
    _t("tenant_controls", (),
       ("kill_switch", "bool"), ("enabled", "bool"), ("send_mode", "text"), ("caps", "json"),
       ("allowlist", "json"), ("goals", "json"), ("actor", "text"), ("reason", "text"),
       ("time_zone", "text"), ("sending_window", "json"), ("holidays", "text"), ("sending_paused", "bool"),
       ("senders", "json")),
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
       ("requested_action", "text"), ("requested_time", "text"), ("order_refs", "json"), ("attachments", "bigint"),
       ("card", "text"), ("window_start", "text"), ("window_end", "text"), ("deadline", "text"),
       ("time_ambiguous", "bool"), ("undecided", "bool"), ("classifier_version", "text"), ("evidence", "json")),
    _t("warehouse_events", ("event_id",),
       ("event_id", "text"), ("topic", "text"), ("event_type", "text"), ("occurred_at", "ts"),
       ("entity_type", "text"), ("entity_id", "text"), ("payload", "json"), last=False),
)

TABLES: dict[str, Table] = {t.name: t for t in CORE_TABLES[:-1] + tuple(t for e in engines.ENGINES for t in e.tables)
                            + CORE_TABLES[-1:]}   # warehouse_events last, as it always was
