"""Whether an event's cost grows with the book: the time to apply one more event when its
entity already has many, against when it has few (processors only, no Kafka).

A client's order rechecks what the order can move; credit depends on all of the client's
orders, so a naive recheck grows with them and a year of a busy lender's orders replays in
quadratic time. Measured: applying a client's orders up to its n-th, the mean over its last
`window` orders, for a small and a large n; and the same for a client's bids all lost to one
competitor for one reason (one win / loss pattern, whose mean price gap each bid updates).
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


def _mean_cost(state: TenantState, topic: str, kind: str, event_of, n: int, window: int) -> float:
    """Mean seconds to apply event_of(i) for i in n-window..n-1, once 0..n-window-1 are applied."""
    for i in range(n - window):
        apply(state, topic, kind, event_of(i))
    started = time.perf_counter()
    for i in range(n - window, n):
        apply(state, topic, kind, event_of(i))
    return (time.perf_counter() - started) / window


def order_cost(n: int, window: int = 500) -> float:
    """Mean seconds to apply each of a client's orders n-window+1..n (within its credit limit)."""
    state = TenantState(TENANT)
    apply(state, "clients", "client", {"event_id": f"{TENANT}-client", "tenant_id": TENANT, "occurred_at": T0,
                                       "client_id": "big-lender", "name": "Big Lender", "active": True,
                                       "credit_limit_cents": 10 ** 12})
    return _mean_cost(state, "orders", "order", lambda i: _order(i, "big-lender"), n, window)


def _bid(i: int, client_id: str) -> dict:
    # Every bid lost to the same competitor for the same reason: one win / loss pattern that grows.
    return {"event_id": f"{TENANT}-bid-{i}", "tenant_id": TENANT, "occurred_at": T0 + i * 60_000,
            "bid_id": f"b{i:07d}", "client_id": client_id, "contact_id": None, "submitter_email": "quotes@lender.example",
            "status": "lost", "amount_cents": 52_500 + i % 7 * 100, "competitor": "ValuCo",
            "competitor_amount_cents": 48_000, "reason": "price", "due_at": None}


def bid_cost(n: int, window: int = 500) -> float:
    """Mean seconds to apply each of a client's lost bids n-window+1..n, all in one win / loss pattern."""
    return _mean_cost(TenantState(TENANT), "bids", "bid", lambda i: _bid(i, "big-lender"), n, window)


def measure(small: int = 1_000, large: int = 16_000) -> dict:
    few, many = order_cost(small), order_cost(large)
    bids_few, bids_many = bid_cost(small), bid_cost(large)
    return {"orders_small": small, "orders_large": large, "us_per_order_small": round(few * 1e6, 1),
            "us_per_order_large": round(many * 1e6, 1), "ratio": round(many / few, 2),
            "us_per_bid_small": round(bids_few * 1e6, 1), "us_per_bid_large": round(bids_many * 1e6, 1),
            "bid_ratio": round(bids_many / bids_few, 2)}


def rows(figure: dict) -> list[tuple[str, ...]]:
    ratio, bids = figure["ratio"], figure["bid_ratio"]
    return [(f"one client's order, at its {figure['orders_small']:,}th vs {figure['orders_large']:,}th order",
             f"{figure['us_per_order_small']:.0f} vs {figure['us_per_order_large']:.0f} us", "",
             f"< 2 x ({ratio:.2f} x)", "[green]met" if ratio < 2 else "[red]missed"),
            (f"one client's lost bid, at its {figure['orders_small']:,}th vs {figure['orders_large']:,}th in one "
             f"win / loss pattern", f"{figure['us_per_bid_small']:.0f} vs {figure['us_per_bid_large']:.0f} us", "",
             f"< 2 x ({bids:.2f} x)", "[green]met" if bids < 2 else "[red]missed")]
