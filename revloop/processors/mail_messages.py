"""The inbox as analysts see it: one row per inbound message, classified, with link keys.

Every column is a function of the message alone, so the row is the same however
topics interleave. Linking is by keys analysts join on: the sender's address
(contacts.email), its domain (clients.domains) and order references found in the
subject and body (orders.order_id).
"""
from __future__ import annotations

import json
import re
from email.utils import parseaddr


# "Order 4411", "order #A-1182", "Ref: 2026-0042", "#4411": the shapes lenders use.
ORDER_REF = re.compile(r"(?i)(?:\border\s*(?:no\.?|number|#)?\s*:?\s*|\bref(?:erence)?\s*:?\s*#?|#)([A-Z0-9][A-Z0-9-]{2,19})\b")


def order_refs(text: str) -> list[str]:
    return sorted({m.group(1).upper() for m in ORDER_REF.finditer(text or "")})


def message_row(tenant_id: str, e: dict, classified: dict | None) -> dict:
    """The inbox row of a gmail_message event and its mail_classified event (None: not read yet)."""
    sender = parseaddr(e.get("from_header") or "")[1].lower()
    c = classified or {}
    return {
        "tenant_id": tenant_id, "message_id": e["message_id"], "thread_id": e["thread_id"], "mailbox": e["mailbox"],
        "sender": sender, "sender_domain": sender.rsplit("@", 1)[-1] if "@" in sender else None,
        "subject": e.get("subject") or "", "received_at": e["occurred_at"],
        "labels": json.dumps(list(c.get("labels") or [])), "requested_action": c.get("request_type"),
        "requested_time": c.get("requested_time"),
        "order_refs": json.dumps(order_refs(f"{e.get('subject') or ''}\n{e.get('body_text') or ''}")),
        "attachments": len(e.get("attachments") or []),
        "card": c.get("card"), "window_start": c.get("window_start"), "window_end": c.get("window_end"),
        "deadline": c.get("deadline"), "time_ambiguous": bool(c.get("time_ambiguous")),
        "undecided": bool(c.get("undecided")), "classifier_version": c.get("classifier_version"),
        "evidence": json.dumps([{k: ev.get(k) for k in ("label", "source", "start", "end", "text")}
                                for ev in c.get("evidence") or []]),
        "last_event_id": c.get("event_id") or e["event_id"],
        "last_event_at": max(e["occurred_at"], c.get("occurred_at") or 0),
    }
