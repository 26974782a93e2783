"""apply(state, topic, type, event) -> rows touched: the projection processor.

One function per event type; each mutates the tenant's state and names the
rows it changed as (table, key). Every rule is idempotent: applying an event
twice, or applying a stale one late, changes nothing.
"""
from __future__ import annotations

import json
from datetime import datetime
from email.utils import parseaddr

from revloop.processors import action_ledger, deals, engagement, engines, local_time, order_validation, replies
from revloop.processors.emitters import family_of
from revloop.processors.mail_messages import message_row
from revloop.processors.rows import newer, stamp
from revloop.processors.state import TenantState
from revloop.processors.timeutil import instant
from revloop.processors.warehouse import warehouse_tuple

Touched = list[tuple[str, object]]


def _copy_fields(row: dict, event: dict, names) -> None:
    for name in names:
        row[name] = event.get(name)


def apply_client(state: TenantState, e: dict) -> Touched:
    row = state.clients.get(e["client_id"])
    if not newer(e, row):
        return []
    row = row or {"tenant_id": state.tenant_id, "outstanding_cents": 0, "available_credit_cents": 0}
    _copy_fields(row, e, ("client_id", "name", "active", "credit_limit_cents", "client_type", "revenue_band",
                          "region", "vendor_profile_status") + ADDRESS_FIELDS)
    row["domains"] = sorted(d.lower() for d in e.get("domains") or [])
    row["vendor_profile_missing"] = list(e.get("vendor_profile_missing") or [])
    row["tags"] = sorted(set(e.get("tags") or []))
    state.clients[e["client_id"]] = stamp(row, e)
    # Its contacts may take their zone from the client's address: whichever arrived first.
    zones = [("contacts", cid) for cid in sorted(state.contacts_by_client.get(e["client_id"], ()))
             if _refresh_zone(state, state.contacts[cid])]
    # A client's fields bear on its orders' credit only (pricing and requirements are the orders' own).
    return [("clients", e["client_id"])] + zones + revalidate_client(state, e["client_id"], e, recheck=None)


ADDRESS_FIELDS = ("state", "zip", "time_zone", "owner")


def _refresh_zone(state: TenantState, contact: dict) -> bool:
    """The contact's zone from what is known now (local_time.infer_zone); True if it changed."""
    found = local_time.infer_zone(contact, state.clients.get(contact.get("client_id") or ""))
    if (contact.get("local_time_zone"), contact.get("time_zone_source")) == found:
        return False
    contact["local_time_zone"], contact["time_zone_source"] = found
    return True


def apply_contact(state: TenantState, e: dict) -> Touched:
    row = state.contacts.get(e["contact_id"])
    if not newer(e, row):
        return []
    if row is not None and row["email"] != e["email"].lower():
        _file_under_email(state, row["email"], e["contact_id"], add=False)
    if row is not None and row.get("client_id") != e.get("client_id"):
        state.contacts_by_client.get(row.get("client_id"), set()).discard(e["contact_id"])
    row = row or {"tenant_id": state.tenant_id}
    _copy_fields(row, e, ("contact_id", "client_id", "name", "title", "role", "phone", "company", "source", "opted_out")
                 + ADDRESS_FIELDS)
    row["email"] = e["email"].lower()
    row["tags"] = sorted(set(e.get("tags") or []))
    _refresh_zone(state, row)
    state.contacts[e["contact_id"]] = stamp(row, e)
    _file_under_email(state, row["email"], e["contact_id"], add=True)
    state.contacts_by_client.setdefault(row.get("client_id"), set()).add(e["contact_id"])
    # A contact moving clients takes its clock along: the roll-up follows the contact.
    engagement.adopt_pending_touch(state, row)
    touched: Touched = [("contacts", e["contact_id"]), ("engagement_clocks", e["contact_id"])]
    if e.get("opted_out"):
        touched += suppress(state, row["email"], "opted_out", e)
    return touched


def _file_under_email(state: TenantState, email: str, contact_id: str, *, add: bool) -> None:
    """Keep the address's contacts and which of them speaks for it (engagement.owner_of)."""
    ids = state.contacts_by_email.setdefault(email, set())
    (ids.add if add else ids.discard)(contact_id)
    if ids:
        state.contact_by_email[email] = engagement.owner_of(ids)
    else:
        del state.contacts_by_email[email]
        state.contact_by_email.pop(email, None)


def apply_touch(state: TenantState, e: dict) -> Touched:
    return engagement.touch_contact(state, e.get("contact_email"), e.get("contact_id"), at=e["occurred_at"],
                                    event_id=e["event_id"], channel=e["channel"], direction=e["direction"],
                                    by=e["by"])


HARD_BOUNCES = {"hard", "permanent", "hardbounce"}
SOFT_BOUNCE_LIMIT = 3   # repeated soft bounces suppress too; one transient failure must not


def apply_email_outcome(state: TenantState, e: dict) -> Touched:
    # The executor's report on an approved action: the engines count it done, or not (action_ledger).
    return _email_outcome(state, e) + action_ledger.note_outcome(state, e)


def _email_outcome(state: TenantState, e: dict) -> Touched:
    email = e["recipient"].lower()
    outcome = e["outcome"]
    if outcome == "sent":   # a dry run, a cancelled or held email is no touch
        return engagement.touch_contact(state, email, None, at=e["occurred_at"], event_id=e["event_id"],
                                        channel="email", direction="outbound", by="agent")
    if outcome == "replied":
        deals.note_reply(state, email, e)
        return engagement.touch_contact(state, email, None, at=e["occurred_at"], event_id=e["event_id"],
                                        channel="email", direction="inbound", by="client")
    if outcome == "failed":
        state.outcome_failures = sorted(set(state.outcome_failures) | {(e["occurred_at"], e["event_id"])})[-50:]
        return []
    if outcome in ("complained", "unsubscribed"):
        return suppress(state, email, outcome, e)
    if outcome == "bounced":
        if (e.get("bounce_type") or "hard").lower() in HARD_BOUNCES:
            return suppress(state, email, "bounced", e)
        soft = state.soft_bounces.setdefault(email, set())
        soft.add(e["event_id"])
        if len(soft) >= SOFT_BOUNCE_LIMIT:
            return suppress(state, email, "bounced", e)
    return []


def suppress(state: TenantState, email: str, reason: str, e: dict) -> Touched:
    """Suppression is permanent and keeps the earliest cause."""
    row = state.suppression.get(email)
    if row is not None and (row["since"], row["last_event_id"]) <= (e["occurred_at"], e["event_id"]):
        return []
    state.suppression[email] = stamp({"tenant_id": state.tenant_id, "email": email, "reason": reason,
                                      "since": e["occurred_at"]}, e)
    return [("suppression_list", email)]


def apply_suppression(state: TenantState, e: dict) -> Touched:
    return suppress(state, e["email"].lower(), e["reason"], e)


# An inbound message is kept this long for its reaction (escalation excerpt, feedback text).
INBOUND_BODY_CHARS = 8000


def apply_gmail_message(state: TenantState, e: dict) -> Touched:
    """An inbound message waits for its classification (a mail_classified event, made once where mail
    enters) and is applied with it, whichever of the two is read first."""
    sender = parseaddr(e.get("from_header") or "")[1].lower()
    if not sender or sender.split("@")[-1] == (e.get("mailbox") or "").split("@")[-1].lower():
        return []
    if e["message_id"] in state.inbound:
        return []   # a re-ingest of the same message
    kept = {k: e.get(k) for k in ("event_id", "message_id", "thread_id", "mailbox", "from_header", "subject",
                                  "occurred_at", "attachments")}
    kept["body_text"] = (e.get("body_text") or "")[:INBOUND_BODY_CHARS]
    state.inbound[e["message_id"]] = kept
    return _apply_reading(state, e["message_id"])


def apply_mail_classified(state: TenantState, e: dict) -> Touched:
    """The newest classification of a message wins: a re-label (a newer classifier's run) replaces it."""
    current = state.mail_classified.get(e["message_id"])
    if current is not None and (current["occurred_at"], current["event_id"]) >= (e["occurred_at"], e["event_id"]):
        return []
    previous_labels = set(current["labels"]) if current else set()
    state.mail_classified[e["message_id"]] = e
    return _apply_reading(state, e["message_id"], previous_labels)


def _apply_reading(state: TenantState, message_id: str, previous_labels: set | None = None) -> Touched:
    message = state.inbound.get(message_id)
    classified = state.mail_classified.get(message_id)
    if message is None:
        return []   # a classification read before its message: applied when the message is
    state.messages[message_id] = message_row(state.tenant_id, message, classified)
    touched: Touched = [("mail_messages", message_id)]
    if classified is None:
        return touched   # not read yet: no labels, no reaction
    labels = list(classified["labels"])
    # A re-label that drops a request or an escalation withdraws what has not been acted on yet.
    if previous_labels and "explicit_request" in previous_labels and "explicit_request" not in labels:
        state.requests.pop(message_id, None)
    if previous_labels and previous_labels & {"complaint", "urgent"} and not set(labels) & {"complaint", "urgent"}:
        state.escalations.pop(message_id, None)
    sender = parseaddr(message.get("from_header") or "")[1].lower()
    facts = {"event_id": message["event_id"], "message_id": message_id, "occurred_at": message["occurred_at"],
             "sender": sender, "subject": message.get("subject") or "", "body_text": message.get("body_text") or ""}
    # What the message sets in motion (suppression, escalation, task, feedback, touch): processors.replies.
    reacted, outputs = replies.react(state, facts, labels, classified.get("request_type"),
                                     time_words(classified))
    if message_id in state.requests:
        state.requests[message_id].update(request_details(classified))
    state.outbox += outputs
    return touched + reacted


def time_words(c: dict) -> str | None:
    """The requested time as a card shows it: the words, the window, and whether it is ambiguous."""
    if not c.get("requested_time") and not c.get("deadline"):
        return None
    parts = [c.get("requested_time") or ""]
    if c.get("window_start"):
        parts.append(_span(c["window_start"], c.get("window_end")))
    if c.get("deadline"):
        parts.append(f"deadline {_when(c['deadline'])}")
    if c.get("time_ambiguous"):
        parts.append(f"ambiguous: {c.get('time_note') or 'check with the client'}")
    return "; ".join(p for p in parts if p)


def _zone(at: datetime) -> str:
    z = at.strftime("%z")
    return f" (UTC{z[:3]}:{z[3:]})" if z else ""


def _when(iso: str) -> str:
    """An ISO instant as a person reads it, in the sender's time: "Wed 23 Sep 12:00 (UTC-04:00)"."""
    at = instant(iso)
    return f"{at:%a %d %b %H:%M}{_zone(at)}" if at else str(iso)


def _span(start: str, end: str | None) -> str:
    """A window: "Thu 24 Sep 14:00-15:00 (UTC-04:00)"; across days "Thu 12 Nov 12:00 - Fri 13 Nov 17:00 (...)"."""
    a, b = instant(start), instant(end)
    if a is None:
        return f"{start} to {end}" if end else str(start)
    if b is None:
        return _when(start)
    if a.date() == b.date():
        return f"{a:%a %d %b %H:%M}-{b:%H:%M}{_zone(a)}"
    return f"{a:%a %d %b %H:%M} - {b:%a %d %b %H:%M}{_zone(b)}"


def request_details(c: dict) -> dict:
    return {"request_type": c.get("request_type"), "card": c.get("card"), "window_start": c.get("window_start"),
            "window_end": c.get("window_end"), "deadline": c.get("deadline"),
            "time_ambiguous": bool(c.get("time_ambiguous")), "classifier_version": c.get("classifier_version"),
            "evidence": [ev["text"] for ev in c.get("evidence") or [] if ev.get("label") == "explicit_request"][:2]}


def apply_product_price(state: TenantState, e: dict) -> Touched:
    row = state.catalog.get(e["product_code"])
    if not newer(e, row):
        return []
    row = {"tenant_id": state.tenant_id}
    _copy_fields(row, e, ("product_code", "name", "fee_cents", "tolerance_pct"))
    state.catalog[e["product_code"]] = stamp(row, e)
    touched: Touched = [("product_catalog", e["product_code"])]
    # Only pricing reads the catalog, and only for orders of this product: their pricing is
    # judged again and their other exceptions stand (credit and requirements read no price).
    # Rechecking every order of those clients found what it found before, at a cost that
    # grew with the book on every price change.
    priced = sorted((o["client_id"], o["order_id"]) for o in state.orders.values()
                    if o.get("product_code") == e["product_code"])
    for _, order_id in priced:
        order = state.orders[order_id]
        findings = [] if order.get("status") == "cancelled" else order_validation.check_pricing(order, state.catalog)
        touched += _record_findings(state, order, findings, e, only=PRICING)
    return touched


def _order_status(e: dict) -> str:
    return {"delivered": "delivered", "cancelled": "cancelled"}.get(e["change"], e.get("status") or "open")


def apply_order(state: TenantState, e: dict) -> Touched:
    row = state.orders.get(e["order_id"])
    if not newer(e, row):
        return []
    previous_client = row["client_id"] if row else None
    # What this order owed its client before: its client's outstanding moves by the difference.
    owed_before = order_validation.balance_of(row) if row is not None and previous_client == e.get("client_id") else 0
    created_at = row["created_at"] if row and row.get("created_at") is not None else None
    row = row or {"tenant_id": state.tenant_id}
    _copy_fields(row, e, ("order_id", "client_id", "change", "product_code", "fee_cents", "tech_fee_cents",
                          "total_cents", "paid_cents", "payment_method", "property_address", "borrower_name",
                          "borrower_email", "borrower_phone", "property_contact_name", "property_contact_phone",
                          "inspection_required", "due_at"))
    row["status"] = _order_status(e)
    # created_at is the earliest event seen for the order, whatever order they arrive in.
    row["created_at"] = min(x for x in (created_at, e["occurred_at"]) if x is not None)
    if row["status"] == "delivered" and row.get("delivered_at") is None:
        row["delivered_at"] = e["occurred_at"]
    row.setdefault("delivered_at", None)
    state.orders[e["order_id"]] = stamp(row, e)
    state.orders_by_client.setdefault(row["client_id"], set()).add(e["order_id"])
    touched: Touched = [("orders", e["order_id"])]
    if previous_client and previous_client != row["client_id"]:
        state.orders_by_client.get(previous_client, set()).discard(e["order_id"])
        touched += revalidate_client(state, previous_client, e, recheck=None)
    owed_change = order_validation.balance_of(row) - owed_before
    return touched + revalidate_client(state, row["client_id"], e, recheck=e["order_id"], owed_change=owed_change)


def revalidate_client(state: TenantState, client_id: str, e: dict, recheck, owed_change: int | None = None) -> Touched:
    """Re-run the checks a change can move for a client's orders: credit for all of them (it
    depends on all of them), pricing and requirements for `recheck` (an order id; None when only
    credit can have moved). An order's pricing and requirements depend on that order and the
    catalog alone, so re-running them for the others would find what they found before:
    skipping that keeps an order's cost from growing with its client's order count, and the
    rows are the same.

    owed_change: how much `recheck`'s change moved what the client owes. Given, and the client
    within its credit limit before and after (or not known yet: credit waits for it), no order
    of the client is flagged for credit now or was before, so the others are left alone: a
    client's order costs the same at its 10,000th order as at its first."""
    client = state.clients.get(client_id)
    if recheck is not None and owed_change is not None and _within_credit(client, owed_change):
        return _revalidate_one(state, client, client_id, state.orders[recheck], e, owed_change)
    orders = [state.orders[oid] for oid in sorted(state.orders_by_client.get(client_id, ()))]
    touched: Touched = []
    balances = {o["order_id"]: order_validation.balance_of(o) for o in orders}
    if client is not None:
        outstanding = sum(balances.values())
        available = (client.get("credit_limit_cents") or 0) - outstanding
        if (client["outstanding_cents"], client["available_credit_cents"]) != (outstanding, available):
            client["outstanding_cents"], client["available_credit_cents"] = outstanding, available
            touched.append(("clients", client_id))
    credit = order_validation.credit_findings(client, orders, balances)
    for order in orders:
        whole = recheck == order["order_id"]
        if order.get("status") == "cancelled":
            findings = []
        elif whole:
            findings = (order_validation.check_pricing(order, state.catalog)
                        + order_validation.check_requirements(order) + credit.get(order["order_id"], []))
        else:
            findings = credit.get(order["order_id"], [])
        touched += _record_findings(state, order, findings, e, only=None if whole else CREDIT)
    return touched


def _within_credit(client: dict | None, owed_change: int) -> bool:
    """Whether no order of the client is flagged for credit before a change moving what it
    owes by owed_change, nor after (order_validation.credit_findings: an active client whose
    whole outstanding is within its limit flags none; orders wait for a client not known yet).
    Relies on the client row's outstanding_cents being the sum of its orders' balances, as
    every revalidation leaves it."""
    if client is None:
        return True
    if not client.get("active", True):
        return False
    limit = client.get("credit_limit_cents") or 0
    return client["outstanding_cents"] <= limit and client["outstanding_cents"] + owed_change <= limit


def _revalidate_one(state: TenantState, client: dict | None, client_id: str, order: dict, e: dict,
                    owed_change: int) -> Touched:
    """revalidate_client's rows when _within_credit holds: the client's balance and the one
    order's own checks (its credit findings are none, as every other order's were and stay)."""
    touched: Touched = []
    if client is not None:
        outstanding = client["outstanding_cents"] + owed_change
        available = (client.get("credit_limit_cents") or 0) - outstanding
        if (client["outstanding_cents"], client["available_credit_cents"]) != (outstanding, available):
            client["outstanding_cents"], client["available_credit_cents"] = outstanding, available
            touched.append(("clients", client_id))
    findings = [] if order.get("status") == "cancelled" else (
        order_validation.check_pricing(order, state.catalog) + order_validation.check_requirements(order))
    return touched + _record_findings(state, order, findings, e, only=None)


CREDIT = "credit"
PRICING = "pricing"


def _record_findings(state: TenantState, order: dict, findings, e: dict, only: str | None = None) -> Touched:
    """Open an exception per finding; resolve the order's open ones no finding backs any more
    (only: judge the exceptions of this category alone, the others stand)."""
    if not findings and order["order_id"] not in state.exception_codes:
        return []           # nothing found now, nothing ever raised: nothing to open or resolve
    touched: Touched = []
    failing = {f.code: f for f in findings}
    # An exception's times are business times: never earlier than the order
    # state it judges, whichever event (order, client, catalog) arrived last.
    if (order["last_event_at"], order["last_event_id"]) > (e["occurred_at"], e["event_id"]):
        e = {"occurred_at": order["last_event_at"], "event_id": order["last_event_id"]}
    for finding in findings:
        key = (order["order_id"], finding.code)
        row = state.exceptions.get(key)
        fix = json.dumps(finding.proposed_fix, sort_keys=True) if finding.proposed_fix else None
        if row is None or row["status"] == "resolved":
            state.exceptions[key] = stamp({
                "tenant_id": state.tenant_id, "order_id": order["order_id"], "code": finding.code,
                "client_id": order["client_id"], "category": finding.category, "severity": finding.severity,
                "message": finding.message, "status": "open", "proposed_fix": fix,
                "opened_at": e["occurred_at"], "resolved_at": None}, e)
            touched.append(("order_processing_exceptions", key))
        elif (row["message"], row["proposed_fix"]) != (finding.message, fix):
            stamp(row, e).update(message=finding.message, proposed_fix=fix)
            touched.append(("order_processing_exceptions", key))
    codes = state.exception_codes.setdefault(order["order_id"], set())
    codes.update(failing)
    for code in sorted(codes - set(failing)):
        key = (order["order_id"], code)
        row = state.exceptions[key]
        if row["status"] == "open" and (only is None or row["category"] == only):
            stamp(row, e).update(status="resolved", resolved_at=e["occurred_at"])
            touched.append(("order_processing_exceptions", key))
    return touched


CONTROL_FIELDS = ("kill_switch", "enabled", "send_mode", "caps", "allowlist", "goals", "time_zone", "sending_window",
                  "holidays", "sending_paused", "senders")
DEFAULT_CONTROLS = {"kill_switch": False, "enabled": None, "send_mode": "dry_run", "caps": None,
                    "allowlist": None, "goals": None, "time_zone": None, "sending_window": None, "holidays": None,
                    "sending_paused": False, "senders": None}


def apply_control(state: TenantState, e: dict) -> Touched:
    """Control events are partial: each set field wins if it is the newest for that field."""
    row = state.controls or dict(DEFAULT_CONTROLS, tenant_id=state.tenant_id, last_event_id=None, last_event_at=None)
    changed = False
    for name in CONTROL_FIELDS:
        if e.get(name) is None:
            continue
        mark = (e["occurred_at"], e["event_id"])
        if name in state.control_stamps and state.control_stamps[name] >= mark:
            continue
        state.control_stamps[name] = mark
        value = e[name]
        row[name] = json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value
        changed = True
    if not changed:
        return []
    if newer(e, row):
        stamp(row, e)
        row["actor"], row["reason"] = e.get("actor"), e.get("reason")   # who made the newest change, and why
    state.controls = row
    return [("tenant_controls", ())]


def apply_action_decided(state: TenantState, e: dict) -> Touched:
    if e["decision"] == "blocked":
        key = (family_of(e["rule"], e["kind"]), e["target_id"])
        state.last_blocked[key] = max(state.last_blocked.get(key, e["occurred_at"]), e["occurred_at"])
        if e.get("policy") == "suppressed":
            state.suppressed_blocks.add(key)
    if e["decision"] == "approved" and e["kind"] == "create_task":
        state.requests.pop(e["target_id"], None)
    row = {c: e.get(c) for c in ("tenant_id", "action_id", "tick_id", "kind", "rule", "target_type", "target_id",
                                 "recipient", "template", "reason", "decision", "policy", "policy_reason")}
    row.update(payload=e["payload_json"], decided_at=e["occurred_at"])
    state.actions[e["action_id"]] = stamp(row, e)
    # The engines keep what the cycle decided (a stall seen, a reminder blocked) on their rows; what an
    # approved action came to reaches them through the ledger, once its executor reports.
    return ([("agent_actions", e["action_id"])] + engines.note_decision(state, e)
            + action_ledger.note_approval(state, e))


def apply_policy_violation(state: TenantState, e: dict) -> Touched:
    row = {c: e.get(c) for c in ("tenant_id", "action_id", "tick_id", "kind", "target_id", "policy", "reason",
                                 "occurred_at")}
    state.violations[e["action_id"]] = stamp(row, e)
    return [("agent_policy_violations", e["action_id"])]


def apply_run_record(state: TenantState, e: dict) -> Touched:
    state.ticks_done.add(e["tick_id"])
    if state.last_tick_at is None or e["as_of"] > state.last_tick_at:
        state.last_tick_at = e["as_of"]
        state.last_metrics = {k: v for k, v in e["metrics"].items() if not k.startswith("delta.")}
        state.since_last_tick = {}
    summary = {"as_of": e["as_of"], "failed": e["failed"], "emails_approved": e["changes"].get("emails_approved", 0)}
    state.recent_runs = sorted(state.recent_runs + [summary], key=lambda r: r["as_of"])[-24:]
    row = {c: e.get(c) for c in ("tenant_id", "run_id", "tick_id", "as_of", "failed")}
    for name in ("changes", "metrics", "actions", "blocks", "hints"):
        row[name] = json.dumps(e[name], sort_keys=True)
    state.runs[e["run_id"]] = stamp(row, e)
    return [("agent_autonomous_runs", e["run_id"])]


def apply_alert(state: TenantState, e: dict) -> Touched:
    row = {c: e.get(c) for c in ("tenant_id", "alert_id", "kind", "severity", "message", "value", "threshold")}
    row["raised_at"] = e["occurred_at"]
    state.alerts[e["alert_id"]] = stamp(row, e)
    return [("agent_alerts", e["alert_id"])]


APPLY = {
    "client": apply_client, "contact": apply_contact, "touch": apply_touch, "email_outcome": apply_email_outcome,
    "gmail_message": apply_gmail_message, "mail_classified": apply_mail_classified,
    "product_price": apply_product_price, "order": apply_order,
    "control": apply_control, "action_decided": apply_action_decided, "suppression": apply_suppression,
    "policy_violation": apply_policy_violation, "run_record": apply_run_record, "alert": apply_alert,
}


OUTPUT_TYPES = frozenset({"action_decided", "policy_violation", "run_record", "alert", "dead_letter", "tick"})


def apply(state: TenantState, topic: str, type_name: str, event: dict) -> tuple[Touched, dict]:
    """Apply one event; return (rows touched, its warehouse_events row as a tuple in column order,
    processors.warehouse.COLUMNS)."""
    handler = APPLY.get(type_name)
    touched = handler(state, event) if handler else []
    if type_name in engines.APPLY:     # the registered engines listening to this type, after the core
        touched += engines.apply(state, type_name, event)
    # What arrived since the last tick, for the run record's Reflect step.
    if type_name not in OUTPUT_TYPES:
        state.since_last_tick[type_name] = state.since_last_tick.get(type_name, 0) + 1
    return touched, warehouse_tuple(topic, type_name, event)
