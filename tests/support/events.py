"""Small builders for events in tests: whole, valid records with readable defaults."""
from __future__ import annotations

import itertools

from revloop.schemas.codec import validate
from revloop.schemas.registry import event_type

DAY = 86_400_000
T0 = 1_790_000_000_000   # 2026-09-21, a fixed business time
_ids = itertools.count(1)


def event(type_name: str, *, at: int = T0, tenant: str = "t1", event_id: str | None = None, **fields) -> dict:
    record = {"event_id": event_id or f"{type_name}-{next(_ids)}", "tenant_id": tenant, "occurred_at": at}
    for field in event_type(type_name).schema["fields"]:
        if field["name"] not in record and "default" in field:
            record[field["name"]] = field["default"]
    record.update(fields)
    validate(type_name, record)
    return record


def client(client_id="c1", **kw):
    kw.setdefault("name", f"Client {client_id}")
    kw.setdefault("credit_limit_cents", 1_000_000)
    return event("client", client_id=client_id, **kw)


def contact(contact_id="p1", email=None, **kw):
    return event("contact", contact_id=contact_id, email=email or f"{contact_id}@lender.example", **kw)


def touch(contact_id="p1", channel="call", **kw):
    return event("touch", contact_id=contact_id, channel=channel, **kw)


def good_order(order_id="o1", client_id="c1", **kw):
    fields = dict(order_id=order_id, client_id=client_id, change="created", product_code="FULL_1004",
                  fee_cents=45_000, tech_fee_cents=2_500, total_cents=47_500, payment_method="bill",
                  property_address="12 Elm St, Springfield", borrower_name="Dana Borrower",
                  borrower_email="dana@home.example")
    fields.update(kw)
    return event("order", **fields)
