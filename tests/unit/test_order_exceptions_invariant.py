"""Whatever order events, client changes and price changes arrive in, an order's open
exceptions are what validating it against the final state finds: the projector rechecks
only what a change can move (a price change: the pricing of that product's orders), and
this pins that the shortcut never leaves an exception open or missing. An order of a client
within its credit limit rechecks that order alone (the others' credit cannot have moved):
after every event, each client's balance and each order's open exceptions, messages included,
are what a full validation finds."""
from hypothesis import given, settings
from hypothesis import strategies as st

from revloop.processors import order_validation
from revloop.processors.projector import apply
from revloop.processors.state import TenantState
from tests.support.events import T0, client, event, good_order

PRODUCTS = ("FULL_1004", "DESK_1004", "FINAL_442")
ORDERS = ("o1", "o2", "o3", "o4", "o5")
CLIENTS = ("c1", "c2")

order_change = st.builds(
    lambda oid, cid, product, fee, tech, total, paid, method, status, address: good_order(
        oid, cid, product_code=product, fee_cents=fee, tech_fee_cents=tech, total_cents=total, paid_cents=paid,
        payment_method=method, change={"open": "updated", "delivered": "delivered", "cancelled": "cancelled"}[status],
        property_address=address),
    st.sampled_from(ORDERS), st.sampled_from(CLIENTS), st.sampled_from(PRODUCTS),
    st.sampled_from((0, 30_000, 45_000, 60_000)), st.sampled_from((None, -100, 2_500)),
    st.sampled_from((None, 20_000, 47_500, 90_000)), st.sampled_from((0, 10_000, 47_500)),
    st.sampled_from(("bill", "card")), st.sampled_from(("open", "open", "delivered", "cancelled")),
    st.sampled_from(("12 Elm St", None)))
client_change = st.builds(lambda cid, limit, active: client(cid, credit_limit_cents=limit, active=active),
                          st.sampled_from(CLIENTS), st.sampled_from((0, 50_000, 1_000_000)), st.booleans())
price_change = st.builds(lambda code, fee, tol: event("product_price", product_code=code, name=code, fee_cents=fee,
                                                      tolerance_pct=tol),
                         st.sampled_from(PRODUCTS), st.sampled_from((30_000, 45_000, 60_000)),
                         st.sampled_from((0.0, 10.0, 50.0)))
changes = st.lists(st.tuples(st.sampled_from(("order", "client", "product_price")), st.integers(0, 2**16)),
                   min_size=1, max_size=40)
# Mostly orders under one generous limit, so that runs within the limit (the one-order
# recheck) and crossings of it, both ways, are common.
order_heavy = st.lists(st.tuples(st.sampled_from(("order",) * 6 + ("client", "product_price")),
                                 st.integers(0, 2**16)), min_size=1, max_size=60)


def _build(draw_kinds, data):
    events = []
    for i, (kind, _) in enumerate(draw_kinds):
        strategy = {"order": order_change, "client": client_change, "product_price": price_change}[kind]
        e = data.draw(strategy)
        e["occurred_at"] = T0 + i * 60_000       # each later than the last: every one applies
        events.append((kind, e))
    return events


TOPIC = {"order": "orders", "client": "clients", "product_price": "catalog"}


@settings(max_examples=250, deadline=None)
@given(changes, st.data())
def test_open_exceptions_are_what_a_full_validation_finds(kinds, data):
    state = TenantState("t1")
    for kind, e in _build(kinds, data):
        apply(state, TOPIC[kind], kind, e)
    for client_id in CLIENTS:
        orders = [state.orders[o] for o in sorted(state.orders_by_client.get(client_id, ()))]
        credit = order_validation.credit_findings(state.clients.get(client_id), orders)
        for order in orders:
            expected = set() if order.get("status") == "cancelled" else {
                f.code for f in order_validation.check_pricing(order, state.catalog)
                + order_validation.check_requirements(order) + credit.get(order["order_id"], [])}
            open_now = {code for (oid, code), row in state.exceptions.items()
                        if oid == order["order_id"] and row["status"] == "open"}
            assert open_now == expected, (order["order_id"], order)


def _full_validation(state: TenantState, client_id: str):
    """(outstanding, available) and each order's open exceptions as {code: message}, as a
    validation of the client's orders from scratch finds them."""
    orders = [state.orders[o] for o in sorted(state.orders_by_client.get(client_id, ()))]
    client_row = state.clients.get(client_id)
    credit = order_validation.credit_findings(client_row, orders)
    outstanding = order_validation.outstanding_cents(orders)
    balance = None if client_row is None else (outstanding, (client_row.get("credit_limit_cents") or 0) - outstanding)
    expected = {}
    for order in orders:
        found = [] if order.get("status") == "cancelled" else (
            order_validation.check_pricing(order, state.catalog) + order_validation.check_requirements(order)
            + credit.get(order["order_id"], []))
        expected[order["order_id"]] = {f.code: f.message for f in found}
    return balance, expected


@settings(max_examples=250, deadline=None)
@given(order_heavy, st.data())
def test_after_every_event_balances_and_exceptions_are_a_full_validations(kinds, data):
    state = TenantState("t1")
    for kind, e in _build(kinds, data):
        if kind == "client":
            e["credit_limit_cents"] = data.draw(st.sampled_from((0, 100_000, 150_000, 1_000_000)))
        apply(state, TOPIC[kind], kind, e)
        for client_id in CLIENTS:
            balance, expected = _full_validation(state, client_id)
            row = state.clients.get(client_id)
            if row is not None:
                assert (row["outstanding_cents"], row["available_credit_cents"]) == balance, (kind, e)
            for order_id, codes in expected.items():
                open_now = {code: r["message"] for (oid, code), r in state.exceptions.items()
                            if oid == order_id and r["status"] == "open"}
                assert open_now == codes, (kind, e, order_id)
