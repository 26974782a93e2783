"""Whether an event's cost grows with the book: the time to apply one more event when its
entity already has many, against when it has few (processors only, no Kafka).

A client's order rechecks what the order can move; credit depends on all of the client's
orders, so a naive recheck grows with them and a year of a busy lender's orders replays in
quadratic time. Measured: applying a client's orders up to its n-th, the mean over its last
`window` orders, for a small and a large n.
"""
from __future__ import annotations

import time

from revloop.processors.projector import apply
from revloop.processors.state import TenantState

TENANT = "growth-bench"
T0 = 1_790_000_000_000


def _order(i: int, client_id: str) -> dict:
    return {"event_id": f"{TENANT}-order-{i}", "tenant_id": TENANT, "occurred_at": T0 + i * 60_000,
            "order_id": f"o{i:07d}", "client_id": client_id, "change": "created", "status": "open",
            "product_code": "FULL_1004", "fee_cents": 45_000, "tech_fee_cents": 2_500, "total_cents": 47_500,
            "paid_cents": 0, "payment_method": "bill", "property_address": f"{i} Elm St",
            "borrower_name": "Dana Borrower", "borrower_email": "dana@home.example", "inspection_required": False}


def order_cost(n: int, window: int = 500) -> float:
    """Mean seconds to apply each of a client's orders n-window+1..n (within its credit limit)."""
    state = TenantState(TENANT)
    apply(state, "clients", "client", {"event_id": f"{TENANT}-client", "tenant_id": TENANT, "occurred_at": T0,
                                       "client_id": "big-lender", "name": "Big Lender", "active": True,
                                       "credit_limit_cents": 10 ** 12})
    for i in range(n - window):
        apply(state, "orders", "order", _order(i, "big-lender"))
    started = time.perf_counter()
    for i in range(n - window, n):
        apply(state, "orders", "order", _order(i, "big-lender"))
    return (time.perf_counter() - started) / window


def measure(small: int = 1_000, large: int = 16_000) -> dict:
    few, many = order_cost(small), order_cost(large)
    return {"orders_small": small, "orders_large": large, "us_per_order_small": round(few * 1e6, 1),
            "us_per_order_large": round(many * 1e6, 1), "ratio": round(many / few, 2)}


def rows(figure: dict) -> list[tuple[str, ...]]:
    ratio = figure["ratio"]
    return [(f"one client's order, at its {figure['orders_small']:,}th vs {figure['orders_large']:,}th order",
             f"{figure['us_per_order_small']:.0f} vs {figure['us_per_order_large']:.0f} us", "",
             f"< 2 x ({ratio:.2f} x)", "[green]met" if ratio < 2 else "[red]missed")]
