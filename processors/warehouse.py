"""warehouse_events: every event, flattened for analysts."""
from __future__ import annotations

import base64
import json

# The entity an event is about, by type: (entity type, the field holding its id).
ENTITY = {
    "gmail_message": ("message", "message_id"), "order": ("order", "order_id"),
    "product_price": ("product", "product_code"), "client": ("client", "client_id"),
    "contact": ("contact", "contact_id"), "deal": ("deal", "deal_id"), "bid": ("bid", "bid_id"),
    "touch": ("contact", "contact_id"), "email_outcome": ("email", "recipient"),
    "feedback": ("order", "order_id"), "document": ("document", "document_id"), "control": ("tenant", "tenant_id"),
    "tick": ("tick", "tick_id"), "action_decided": ("action", "action_id"),
    "policy_violation": ("action", "action_id"), "run_record": ("run", "run_id"), "alert": ("alert", "alert_id"),
    "dead_letter": ("record", "source_topic"),
}


def _jsonable(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def warehouse_row(topic: str, type_name: str, event: dict) -> dict:
    entity_type, id_field = ENTITY.get(type_name, (type_name, "event_id"))
    entity_id = event.get(id_field) or event.get("contact_email") or event["event_id"]
    payload = {k: _jsonable(v) for k, v in event.items() if k not in ("event_id", "tenant_id", "occurred_at")}
    return {
        "tenant_id": event["tenant_id"], "event_id": event["event_id"], "topic": topic, "event_type": type_name,
        "occurred_at": event["occurred_at"], "entity_type": entity_type, "entity_id": str(entity_id),
        "payload": json.dumps(payload, sort_keys=True, ensure_ascii=False),
    }
