"""The card queue: approved tasks, escalations, order fixes and stage advances, for people.

    GET  /t/{tenant}/cards[?kind=&status=]   the queue (cards projection), filtered
    POST /t/{tenant}/cards/{card_id}         (operator) accept / reject / done, with a note

An answer goes through processors.cards.decide, the one function the CLI and the console
share: it checks the answer (an unknown or closed card, an order or deal that changed since
the proposal) and returns the events to write (card_decided, and for an accepted order fix
or stage advance the corrected order or deal). decide works on a tenant's state; the console
rebuilds the little of it an answer needs from the projections (the card, its order and
exception, or its deal), converted back to the state's own shapes.
"""
from __future__ import annotations

import datetime as dt
import json

from aiohttp import web

from revloop.console.app import (AUDIT, RECENT, SINK, STORE, USER, _now, error_page, in_thread, read_form,
                                 render)
from revloop.console.queries import controls_now
from revloop.processors import cards as card_rules
from revloop.processors.state import TenantState
from revloop.processors.tables import TABLES
from revloop.schemas.codec import EventValidationError

KINDS = ("create_task", "escalate", "propose_order_fix", "propose_stage_advance")
STATUSES = ("open", "accepted", "rejected", "done")
NOTE_MAX = 1000


def _ms(value):
    return int(value.timestamp() * 1000) if isinstance(value, dt.datetime) else value


def _state_row(table: str, row: dict) -> dict:
    """A projection row back in the state's shapes: ts as epoch ms, json as the state keeps it."""
    kinds = dict(TABLES[table].columns)
    out = {}
    for name, value in row.items():
        kind = kinds.get(name)
        if kind == "ts":
            value = _ms(value)
        elif kind == "json" and table == "cards" and value is not None and not isinstance(value, str):
            value = json.dumps(value, sort_keys=True)      # the card keeps its details as JSON text
        out[name] = value
    return out


def queue(r, t: str, *, kind: str | None, status: str | None) -> dict:
    where, params = "k.tenant_id = ?", [t]
    if kind:
        where, params = where + " AND k.kind = ?", params + [kind]
    if status:
        where, params = where + " AND k.status = ?", params + [status]
    rows = r.fetch(t, f"""
        SELECT k.*, cl.name AS client_name, ct.name AS contact_name, ct.email AS contact_email
        FROM cards k
        LEFT JOIN clients cl ON cl.tenant_id = k.tenant_id AND cl.client_id = k.client_id
        LEFT JOIN contacts ct ON ct.tenant_id = k.tenant_id AND ct.contact_id = k.contact_id
        WHERE {where}
        ORDER BY CASE k.status WHEN 'open' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END, k.due_at, k.card_id
        LIMIT 200""", params)
    for row in rows:
        details = row.get("details") or {}
        row["fix"] = _fix_before_after(r, t, details) if row["kind"] == "propose_order_fix" else None
        row["stage_move"] = ((details.get("from_stage"), details.get("to_stage"))
                             if row["kind"] == "propose_stage_advance" else None)
    counts = r.fetch(t, "SELECT kind, status, count(*) AS n FROM cards WHERE tenant_id = ? GROUP BY kind, status "
                        "ORDER BY kind, status", (t,))
    return {"rows": rows, "counts": counts}


def _fix_before_after(r, t: str, details: dict) -> list[tuple[str, object, object]]:
    fix = details.get("fix") or {}
    order = r.one(t, "SELECT * FROM orders WHERE tenant_id = ? AND order_id = ?", (t, details.get("order_id"))) or {}
    return [(name, order.get(name), value) for name, value in sorted(fix.items())]


def card_state(r, t: str, card_id: str) -> TenantState | None:
    """The part of the tenant's state decide needs for this card (None: no such card here)."""
    card = r.one(t, "SELECT * FROM cards WHERE tenant_id = ? AND card_id = ?", (t, card_id))
    if card is None:
        return None
    state = TenantState(t)
    state.cards[card_id] = _state_row("cards", card)
    details = card.get("details") or {}
    if card["kind"] == "propose_order_fix" and details.get("order_id"):
        order = r.one(t, "SELECT * FROM orders WHERE tenant_id = ? AND order_id = ?", (t, details["order_id"]))
        if order:
            state.orders[order["order_id"]] = _state_row("orders", order)
        exc = r.one(t, "SELECT * FROM order_processing_exceptions WHERE tenant_id = ? AND order_id = ? AND code = ?",
                    (t, details["order_id"], details.get("code")))
        if exc:
            state.exceptions[(exc["order_id"], exc["code"])] = _state_row("order_processing_exceptions", exc)
    if card["kind"] == "propose_stage_advance" and details.get("deal_id"):
        deal = r.one(t, "SELECT * FROM deals WHERE tenant_id = ? AND deal_id = ?", (t, details["deal_id"]))
        if deal:
            state.deals[deal["deal_id"]] = _state_row("deals", deal)
    return state


async def cards_page(request: web.Request, *, error: str | None = None, status: int = 200) -> web.Response:
    t = request.match_info["tenant"]
    kind = request.query.get("kind") or None
    state = request.query.get("status") or None
    if kind not in (None, *KINDS) or state not in (None, *STATUSES):
        return error_page(request, 400, "Unknown filter", f"kind is one of {', '.join(KINDS)}; "
                          f"status one of {', '.join(STATUSES)}")
    data = await in_thread(queue, request.app[STORE], t, kind=kind, status=state)
    sent = [w for w in request.app[RECENT][t] if w["type"] == "card_decided"]
    if sent:
        from revloop.console.queries import applied
        done = await in_thread(applied, request.app[STORE], t, [w["event_id"] for w in sent])
        sent = [{**w, "applied": w["event_id"] in done} for w in sent]
    pending = {w["card_id"]: w for w in sent if not w["applied"]}
    answered = {w["card_id"]: w for w in sent}
    return render(request, "cards.html", status=status, data=data, kinds=KINDS, statuses=STATUSES, kind=kind,
                  status_filter=state, pending=pending, answered=answered, error=error,
                  refresh=3 if pending else None, page="cards")


async def decide_card(request: web.Request) -> web.Response:
    t, card_id = request.match_info["tenant"], request.match_info["card_id"]
    form = await read_form(request)
    user = request[USER]
    decision = form.get("decision", "")
    note = " ".join(str(form.get("note", "")).split()) or None
    audit = request.app[AUDIT]
    if note and len(note) > NOTE_MAX:
        return await cards_page(request, error=f"note: at most {NOTE_MAX} characters", status=400)
    reader = request.app[STORE]
    state = await in_thread(card_state, reader, t, card_id)
    if state is None:
        audit.record(user=user.login, tenant=t, action=f"card {card_id[:80]}", outcome="refused: no such card",
                     address=request.remote or "")
        return error_page(request, 404, "No such card", f"There is no card {card_id[:80]!r} in tenant {t!r}.")
    controls = (await in_thread(controls_now, reader, t))["effective"]
    try:
        events = card_rules.decide(state, controls, card_id, decision, user.login, note, int(_now(request) * 1000))
    except card_rules.CardError as exc:
        audit.record(user=user.login, tenant=t, action=f"card {card_id}", outcome=f"refused: {exc}",
                     address=request.remote or "")
        return await cards_page(request, error=str(exc), status=409)
    try:
        await in_thread(request.app[SINK].emit_many, events)
    except EventValidationError as exc:
        return error_page(request, 400, "Not accepted", f"{exc}: nothing was changed.")
    except Exception:
        audit.record(user=user.login, tenant=t, action=f"card {card_id}", outcome="failed: not delivered",
                     address=request.remote or "")
        return error_page(request, 503, "Not sent", "The answer could not be put on the log (the broker did not "
                          "answer): nothing was changed. Try again in a moment.")
    answer = events[0][1]
    audit.record(user=user.login, tenant=t, action=f"card {card_id}", outcome="sent", address=request.remote or "",
                 event_id=answer["event_id"], detail=f"{decision}" + (f" (note: {note})" if note else "")
                 + "".join(f"; {type_name} {e['event_id']}" for type_name, e in events[1:]))
    request.app[RECENT][t].appendleft({"event_id": answer["event_id"], "type": "card_decided", "card_id": card_id,
                                       "decision": decision, "summary": f"{decision} card {card_id}",
                                       "user": user.login, "reason": note, "at": answer["occurred_at"],
                                       "event": answer})
    raise web.HTTPSeeOther(f"/t/{t}/cards")


ROUTES = [("GET", "/t/{tenant}/cards", cards_page, "viewer"),
          ("POST", "/t/{tenant}/cards/{card_id}", decide_card, "operator")]
