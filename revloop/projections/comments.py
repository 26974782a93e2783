"""What every projection table and column means, for analysts: ensure_schema writes these as
COMMENT ON TABLE / COLUMN (DuckDB's duckdb_tables() and duckdb_columns() show them, as
Postgres' \\d+ does). A test fails when a table or column has none.

Times are TIMESTAMPTZ (UTC); money is whole cents (BIGINT); JSON columns hold documents.
"""
from __future__ import annotations

TABLES = {
    "clients": "Lender clients: credit, vendor-profile status and what they owe, one row per client.",
    "contacts": "People at clients (and prospects): one row per contact.",
    "engagement_clocks": "The 21-day touch clock per contact: last touch and when the next one is due.",
    "orders": "Appraisal / inspection orders as of their latest change.",
    "order_processing_exceptions": "Problems found on orders (pricing, credit, requirements), open or resolved.",
    "product_catalog": "Products and their list fees, with the tolerance a quoted fee may differ by.",
    "suppression_list": "Addresses never to email (opt-out, bounce, complaint), with why and since when.",
    "tenant_controls": "Each tenant's control settings as of its latest control event ('*': the global ones).",
    "agent_actions": "Every decision of the policy gate: approved, blocked or deferred, one row per action id.",
    "agent_policy_violations": "Proposals the policy gate blocked, with the policy and its reason.",
    "agent_autonomous_runs": "One run record per tenant and hourly tick: changes, metrics, actions, blocks, hints.",
    "agent_alerts": "Alerts raised by the hourly cycle (a metric past its threshold).",
    "mail_messages": "Ingested Gmail messages (headers and what the classifier read in them; no bodies).",
    "deals": "Sales deals: stage history, movement, stalls and outcome.",
    "bids": "Bids on client work: status, follow-ups and outcome.",
    "bid_patterns": "Won / lost bids counted per client, competitor, outcome and reason.",
    "feedback": "Feedback received on delivered orders, with its sentiment.",
    "feedback_cases": "Service-recovery cases opened by negative feedback.",
    "vendor_compliance": "Each active client's vendor-profile compliance per calendar quarter.",
    "templates": "Email templates, one row per template version.",
    "people": "The tenant's own people (directory): roles and accounts.",
    "cards": "The work queue for people: tasks, escalations, order fixes, stage advances, and their answers.",
    "warehouse_events": "Every applied event, flattened: the audit trail analysts join against.",
    "consumer_offsets": "The worker's position on each input partition (written with the rows it covers).",
    "tick_positions": "The input positions each hourly tick was decided on (rebuild the state as of a tick "
                      "from the nearest earlier checkpoint).",
}

# Columns that mean the same in every table they appear in.
COMMON = {
    "tenant_id": "The tenant (the firm this row belongs to); also the Kafka key of its events.",
    "last_event_id": "Id of the last event applied to this row (applying it again changes nothing).",
    "last_event_at": "Business time of the last event applied to this row.",
    "client_id": "The client (lender) this row is about.",
    "contact_id": "The contact this row is about.",
    "order_id": "The order this row is about.",
    "deal_id": "The deal this row is about.",
    "message_id": "Gmail message id.",
    "action_id": "Deterministic action id: sha256 of tenant, tick, rule and target (stable across replays).",
    "tick_id": "The hourly tick that decided it: '<tenant>:<hour, ISO-8601>'.",
    "email": "Email address (lower-cased).",
    "name": "Display name.",
    "title": "Title or headline.",
    "active": "Whether it is active.",
    "kind": "What kind it is (see the table's values).",
    "rule": "The rule that proposed it.",
    "reason": "Why, in words.",
    "status": "Current status.",
    "severity": "How serious: info, warning or critical.",
    "message": "Human-readable message.",
    "policy": "The policy that blocked it (NULL when approved).",
    "target_id": "Id of the target (a contact, client, order, deal or bid).",
    "decided_at": "When it was decided.",
    "opened_at": "When it was opened.",
    "resolved_at": "When it was resolved (NULL while open).",
    "received_at": "When it was received.",
    "occurred_at": "Business time of the event.",
    "due_at": "When it is due.",
    "outcome": "Final outcome (won, lost, withdrawn...; NULL while undecided).",
    "amount_cents": "Amount in cents.",
    "fee_cents": "Fee in cents.",
    "product_code": "Product code (product_catalog).",
    "competitor": "Competing firm.",
    "rating": "Rating given (1-5).",
    "sentiment_score": "Sentiment score, -1 (negative) to 1 (positive).",
    "subject": "Email subject.",
    "payload": "Further fields as a JSON document.",
    "topic": "Kafka topic (logical name, without prefix).",
    "opted_out": "The contact opted out of email.",
}

COLUMNS = {
    "clients": {
        "credit_limit_cents": "Credit limit in cents.", "client_type": "Kind of client (bank, credit union, AMC...).",
        "revenue_band": "Revenue band.", "region": "Region.", "domains": "Email domains of the client (JSON array).",
        "vendor_profile_status": "Vendor profile: complete, missing_data or no_access.",
        "vendor_profile_missing": "What the vendor profile lacks (JSON array).",
        "outstanding_cents": "Billed and unpaid, in cents.", "available_credit_cents": "Credit limit minus outstanding.",
        "state": "Office state (two-letter code): its contacts' zone when theirs is unknown.",
        "zip": "Office ZIP code: its contacts' zone when theirs is unknown.",
        "time_zone": "IANA time zone of the office, when given (e.g. America/Chicago).",
        "tags": "Labels (JSON array).", "owner": "person_id of the tenant's person who owns the client: its email's sender.",
    },
    "contacts": {
        "role": "Role at the client (e.g. vendor manager).", "phone": "Phone number.", "company": "Company name.",
        "source": "Where the contact came from (import, gmail signature, discovery...).",
        "state": "The contact's state (two-letter code), as imported.", "zip": "The contact's ZIP code, as imported.",
        "time_zone": "IANA time zone given for the contact (explicit; e.g. America/Chicago).",
        "tags": "Labels: audiences, segments (JSON array).",
        "owner": "person_id of the tenant's person who owns the relationship: emails go in their name.",
        "local_time_zone": "The zone the contact's sending hours are read in (NULL: the tenant's own zone).",
        "time_zone_source": "How local_time_zone was found: contact, contact_zip, contact_state, client, client_zip, "
                            "client_state, phone or tenant_default.",
    },
    "engagement_clocks": {
        "name": "The contact's name, as on its contacts row (kept here so a search by name needs no join).",
        "last_touch_at": "When the contact was last touched (NULL: never).",
        "last_touch_channel": "Channel of the last touch (email, call, meeting...).",
        "last_touch_direction": "Direction of the last touch: inbound or outbound.",
        "last_touch_by": "Who made the last touch.",
        "next_touch_due": "When the next touch is due (last touch + 21 days; NULL: never touched, due now).",
    },
    "orders": {
        "change": "The latest change: created, updated, delivered, cancelled...", "tech_fee_cents": "Technology fee.",
        "total_cents": "Total billed.", "paid_cents": "Paid so far.", "payment_method": "bill, card or cod.",
        "property_address": "Property address.", "borrower_name": "Borrower's name.",
        "borrower_email": "Borrower's email.", "borrower_phone": "Borrower's phone.",
        "property_contact_name": "Who gives access to the property.",
        "property_contact_phone": "Their phone.", "inspection_required": "Whether an inspection is required.",
        "created_at": "When the order was created.", "delivered_at": "When the report was delivered.",
    },
    "order_processing_exceptions": {
        "code": "Exception code (e.g. fee_mismatch, over_credit_limit).", "category": "pricing, credit or requirements.",
        "proposed_fix": "A correction a person can accept (JSON), if one is known.",
    },
    "product_catalog": {"tolerance_pct": "How far (percent) a quoted fee may differ from the list fee."},
    "suppression_list": {"since": "Since when the address is suppressed."},
    "tenant_controls": {
        "kill_switch": "Stop every action.", "enabled": "Ticks run and actions may be approved (NULL/false: off).",
        "send_mode": "dry_run, internal_only or limited_live.", "caps": "Hourly caps by kind (JSON).",
        "allowlist": "Addresses and domains for internal_only (JSON array).", "goals": "Goals and tuning numbers (JSON).",
        "actor": "Who made the latest setting.",
        "time_zone": "The tenant's own zone: its digests' hours, and contacts whose zone is unknown.",
        "sending_window": "Days and hours client email may go, recipient-local (JSON; NULL: Mon-Fri 08:00-17:00).",
        "holidays": "Holiday calendar no client email goes on (US, US-CA..., none; NULL: US).",
        "sending_paused": "Client email paused (the sending brake or a person) until a person resumes it.",
        "senders": "The generic sender identity: from, reply_to, domains (JSON).",
    },
    "agent_actions": {
        "target_type": "contact, client, order, deal or bid.", "recipient": "Email recipient, for email actions.",
        "template": "Email template id.", "decision": "approved, blocked or deferred.",
        "policy_reason": "The policy's reason, in words.",
    },
    "agent_autonomous_runs": {
        "run_id": "Run id (one per tenant and tick).", "as_of": "The hour the run stands for.",
        "changes": "What changed since the last tick (JSON).", "metrics": "Metrics as of the run (JSON; v_run_metrics).",
        "actions": "Actions decided, by kind and decision (JSON).", "blocks": "Blocks by policy (JSON).",
        "hints": "Hints for the next hour (JSON array).", "failed": "The run failed.",
    },
    "agent_alerts": {
        "alert_id": "Alert id.", "value": "The metric's value.", "threshold": "The threshold it crossed.",
        "raised_at": "When it was raised.",
    },
    "mail_messages": {
        "thread_id": "Gmail thread id.", "mailbox": "The mailbox it was read from.", "sender": "Sender address.",
        "sender_domain": "Sender's domain.", "labels": "Classifier labels (JSON array).",
        "requested_action": "What the sender asked for, if anything (call, quote, ...).",
        "requested_time": "When they asked for it, as written.", "order_refs": "Order ids mentioned (JSON array).",
        "attachments": "Number of attachments.",
        "card": "The card kind the request opened, if any.",
        "window_start": "Start of the requested time window (\"Thursday afternoon\"), resolved in the sender's zone.",
        "window_end": "End of the requested time window.", "deadline": "A deadline the message states.",
        "time_ambiguous": "The requested time could be read more than one way.",
        "undecided": "The classifier could not decide (a person should look).",
        "classifier_version": "The classifier version whose labels these are (the newest wins).",
        "evidence": "The sentences the labels rest on (JSON).",
    },
    "deals": {
        "stage": "lead, qualified, proposal, negotiation or closed.", "next_step": "The agreed next step.",
        "stage_entered_at": "When the current stage was entered.", "stages": "Stage history (JSON).",
        "last_moved_at": "Last stage or next-step change.", "stalled": "No movement for the stage's stall days.",
        "stalled_since": "When it stalled.", "closed_at": "When it closed.",
        "followed_up_at": "Last stall follow-up.",
    },
    "bids": {
        "bid_id": "Bid id.", "submitter_email": "Who submitted the bid.", "competitor_amount_cents": "Competitor's price.",
        "status_at": "When the status last changed.", "submitted_at": "When it was submitted.",
        "outcome_at": "When the outcome was known.", "intel_requested_at": "When intel was asked of the submitter.",
        "confirmed_at": "When the submission was confirmed.", "follow_ups": "Follow-ups sent.",
        "last_follow_up_at": "Last follow-up.",
    },
    "bid_patterns": {"bids": "How many bids.", "avg_price_gap_cents": "Mean of our price minus the competitor's."},
    "feedback": {"feedback_id": "Feedback id.", "text": "What they wrote.", "sentiment": "positive, neutral or negative."},
    "feedback_cases": {"opened_by": "The feedback that opened the case.", "summary": "What went wrong, in short."},
    "vendor_compliance": {
        "quarter": "Calendar quarter (YYYY-Qn).", "profile_status": "The vendor profile's status that quarter.",
        "missing": "What is missing (JSON array).", "compliant": "Whether the profile is complete.",
        "checked_at": "When it was last judged.", "reminded_at": "When the reminder went out.",
        "escalated_at": "When it was escalated to a task.",
    },
    "templates": {
        "template_id": "Template id.", "version": "Version (1: the shipped default).", "text_body": "Plain-text body.",
        "html_body": "HTML body.", "variables": "Variables it uses (JSON array).", "description": "What it is for.",
        "loaded_at": "When this version was loaded.",
    },
    "people": {"person_id": "Person id.", "roles": "Roles (JSON array).", "accounts": "Accounts (JSON)."},
    "cards": {
        "card_id": "Card id.", "asked": "What the client asked, in their words.", "asked_at": "When they asked.",
        "assignee_role": "Who should answer (operator, account manager...).", "decided_by": "Who answered.",
        "note": "The answer's note.", "details": "Further details (JSON).",
    },
    "warehouse_events": {
        "event_id": "The event's id.", "event_type": "Event type (schema name).",
        "entity_type": "What it is about.", "entity_id": "Id of what it is about.",
    },
    "consumer_offsets": {"topic": "Kafka topic (its full name, with any prefix).", "partition": "Partition number.", "next_offset": "Next offset the worker will apply."},
    "tick_positions": {
        "tick_id": "The tick.", "as_of": "The hour it decided.", "partition": "Partition of the tenant's events.",
        "positions": "Next offset applied per input partition when it was decided (JSON, 'topic:partition').",
        "decided_at": "When the worker decided it (wall clock).",
    },
}


def table_comment(table: str) -> str:
    return TABLES[table]


def column_comment(table: str, column: str) -> str | None:
    return COLUMNS.get(table, {}).get(column) or COMMON.get(column)
