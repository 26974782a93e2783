"""Order validation (the seed's P0.5): pricing, credit and requirements.

Pure checks over an order, its client, the catalog and the client's other
orders. Each failed check is a Finding with a stable code; the projector turns
findings into exception rows that open and resolve as later events arrive.
Safe auto-fixes (total, tech fee) are proposed in the finding, never applied.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"
OPEN_STATUSES = {"open", "created", "updated", "in_progress"}


@dataclass(frozen=True)
class Finding:
    code: str
    category: str            # pricing | credit | requirements
    severity: str
    message: str
    proposed_fix: dict = field(default_factory=dict)


def _money(cents: int | None) -> str:
    return "missing" if cents is None else f"${cents / 100:,.2f}"


def check_pricing(order: dict, catalog: dict[str, dict]) -> list[Finding]:
    fee, tech, total = order.get("fee_cents"), order.get("tech_fee_cents"), order.get("total_cents")
    out = []
    if fee is None or fee <= 0:
        out.append(Finding("PRICING_FEE_NOT_POSITIVE", "pricing", ERROR, f"fee is {_money(fee)}; it must be above zero"))
    if tech is not None and tech < 0:
        out.append(Finding("PRICING_TECH_FEE_NEGATIVE", "pricing", ERROR,
                           f"tech fee is {_money(tech)}; it cannot be negative", {"tech_fee_cents": 0}))
    expected_total = (fee or 0) + max(tech or 0, 0)
    if total is None:
        out.append(Finding("PRICING_TOTAL_MISSING", "pricing", ERROR, "total is missing",
                           {"total_cents": expected_total} if fee and fee > 0 else {}))
    elif fee is not None and total < fee:
        out.append(Finding("PRICING_TOTAL_BELOW_FEE", "pricing", ERROR,
                           f"total {_money(total)} is below the fee {_money(fee)}", {"total_cents": expected_total}))
    price = catalog.get(order.get("product_code") or "")
    if price is not None and fee is not None and fee > 0:
        tolerance = price["fee_cents"] * (price.get("tolerance_pct") or 0.0) / 100
        if abs(fee - price["fee_cents"]) > tolerance:
            out.append(Finding("PRICING_FEE_OFF_CATALOG", "pricing", WARNING,
                               f"fee {_money(fee)} differs from the catalog price {_money(price['fee_cents'])} "
                               f"for {order['product_code']}"))
    return out


def check_requirements(order: dict) -> list[Finding]:
    out = []
    if not (order.get("property_address") or "").strip():
        out.append(Finding("REQ_PROPERTY_ADDRESS_MISSING", "requirements", ERROR, "the property address is missing"))
    if not (order.get("borrower_name") or "").strip() or not (order.get("borrower_email") or order.get("borrower_phone")):
        out.append(Finding("REQ_BORROWER_CONTACT_MISSING", "requirements", ERROR,
                           "the borrower's name and an email or phone are required"))
    if order.get("inspection_required") and not (order.get("property_contact_name") and order.get("property_contact_phone")):
        out.append(Finding("REQ_PROPERTY_CONTACT_MISSING", "requirements", ERROR,
                           "an inspection needs a property contact with a phone number"))
    return out


def balance_of(order: dict) -> int:
    """What the client still owes on a bill order: total less payments (never below zero)."""
    if order.get("payment_method") != "bill" or order.get("status") == "cancelled":
        return 0
    return max((order.get("total_cents") or order.get("fee_cents") or 0) - (order.get("paid_cents") or 0), 0)


def credit_findings(client: dict | None, client_orders: list[dict],
                    balances: dict[str, int] | None = None) -> dict[str, list[Finding]]:
    """Credit checks for a client's open bill orders, by order id.

    Orders take credit in the order they were created (created_at, order_id), so
    the orders that pushed the client over its limit are the ones flagged, and a
    payment frees credit for the earliest waiting orders first. Delivered unpaid
    orders count toward the balance but are not flagged: the work is done.
    """
    out: dict[str, list[Finding]] = {}
    if balances is None:
        balances = {o["order_id"]: balance_of(o) for o in client_orders}
    ordered = sorted(client_orders, key=lambda o: (o.get("created_at") or 0, o["order_id"]))
    used = sum(balances[o["order_id"]] for o in ordered if o.get("status") not in OPEN_STATUSES)
    for order in ordered:
        if order.get("status") not in OPEN_STATUSES or order.get("payment_method") != "bill":
            continue
        findings = []
        if client is None:
            # Credit waits for the client: clients and orders travel on different
            # topics, so an order may simply arrive first. Raising here would make
            # the exception history depend on fetch order, not on the log.
            out[order["order_id"]] = findings
            continue
        if not client.get("active", True):
            findings.append(Finding("CREDIT_CLIENT_INACTIVE", "credit", ERROR,
                                    f"client {client.get('name') or order['client_id']} is inactive"))
        used += balances[order["order_id"]]
        limit = client.get("credit_limit_cents") or 0
        if used > limit:
            findings.append(Finding("CREDIT_LIMIT_EXCEEDED", "credit", ERROR,
                                    f"outstanding {_money(used)} would exceed the credit limit {_money(limit)}"))
        out[order["order_id"]] = findings
    return out


def outstanding_cents(client_orders: list[dict]) -> int:
    return sum(balance_of(o) for o in client_orders)
