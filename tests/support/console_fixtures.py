"""A console over a small DuckDB projection file, a recording event sink and a users file.

Two tenants (acme, keystone) whose rows differ by name, so a page that leaked the other
tenant's data would show it. Users: ana (operator, acme), vic (viewer, acme), ada (admin,
acme + keystone), kim (operator, keystone). Every password is PASSWORD.
"""
from __future__ import annotations

import os
import time
import shutil
import tempfile

from revloop.console.app import ConsoleConfig, create_app
from revloop.console.passwords import hash_password
from revloop.console.users import FileUsers, write_user
from revloop.processors.tables import TABLES
from revloop.projections.reader import DuckDBReader
from revloop.projections.store import open_store
from revloop.console.sink import admissible
from revloop.streams.config import Settings

PASSWORD = "correct horse battery"
HOUR = 3_600_000
DAY = 24 * HOUR
T0 = 1_795_600_800_000            # 2026-11-25 10:00 UTC
USERS = {"ana": ("operator", ["acme"]), "vic": ("viewer", ["acme"]), "ada": ("admin", ["acme", "keystone"]),
         "kim": ("operator", ["keystone"])}


def row(table: str, **values) -> dict:
    unknown = set(values) - set(TABLES[table].column_names)
    assert not unknown, f"{table} has no column(s) {unknown}"
    return {c: values.get(c) for c in TABLES[table].column_names}


def tenant_rows(t: str, label: str, contacts: int = 6, at: int = T0) -> dict[str, list[dict]]:
    """A small book for tenant t; every name carries `label` (ACME / KEYSTONE)."""
    last = dict(last_event_id=f"{t}-e", last_event_at=at)
    rows: dict[str, list[dict]] = {
        "clients": [row("clients", tenant_id=t, client_id="cl1", name=f"{label} Lending", active=True, **last)],
        "contacts": [row("contacts", tenant_id=t, contact_id=f"c{i}", email=f"p{i}@{label.lower()}.example",
                         client_id="cl1", name=f"{label} Person {i}", opted_out=False, **last) for i in range(contacts)],
        # A clock carries its contact's address and name, as the projector writes it.
        "engagement_clocks": [row("engagement_clocks", tenant_id=t, contact_id=f"c{i}", email=f"p{i}@{label.lower()}.example",
                                  name=f"{label} Person {i}", client_id="cl1", last_touch_at=None if i == 0 else at - (20 + i * 3) * DAY,
                                  next_touch_due=None if i == 0 else at - (20 + i * 3) * DAY + 21 * DAY, **last)
                              for i in range(contacts)],
        "agent_autonomous_runs": [row("agent_autonomous_runs", tenant_id=t, run_id=f"{t}:{h}", tick_id=f"{t}:{h}",
                                      as_of=at + h * HOUR, changes={"touch": h}, metrics={"compliance_rate": 0.5 + h / 20,
                                      "overdue": 3.0}, actions={"send_email:approved": 1}, blocks={},
                                      hints=[f"{label} hint {h}"], failed=False, **last) for h in range(3)],
        "agent_actions": [
            row("agent_actions", tenant_id=t, action_id=f"{t}-a{h}", tick_id=f"{t}:{h}", kind="send_email",
                rule="engagement.overdue", target_type="contact", target_id="c5", recipient=f"p5@{label.lower()}.example",
                decision="deferred", policy="hourly_cap", policy_reason="emails cap reached", payload={},
                decided_at=at + h * HOUR, **last) for h in range(3)] + [
            row("agent_actions", tenant_id=t, action_id=f"{t}-b", tick_id=f"{t}:2", kind="research",
                rule="research", target_type="client", target_id="cl1", decision="blocked",
                policy="research_while_overdue", policy_reason="contacts overdue", payload={},
                decided_at=at + 2 * HOUR, **last)],
        "agent_alerts": [row("agent_alerts", tenant_id=t, alert_id=f"{t}-al", kind="engagement_compliance_low",
                             severity="warning", message=f"{label} compliance low", value=0.6, threshold=0.8,
                             raised_at=at + 2 * HOUR, **last)],
        "order_processing_exceptions": [row("order_processing_exceptions", tenant_id=t, order_id=f"{label}-o1",
                                            code="PRICING_FEE_OFF_CATALOG", client_id="cl1", category="pricing",
                                            severity="error", message=f"{label} fee off catalog", status="open",
                                            proposed_fix={"fee_cents": 45000}, opened_at=at - 2 * DAY, **last)],
        "orders": [row("orders", tenant_id=t, order_id=f"{label}-o1", client_id="cl1", change="created", status="open",
                       product_code="URAR", fee_cents=45000, tech_fee_cents=0, total_cents=40000, paid_cents=0,
                       payment_method="invoice", property_address="1 Main St", borrower_name="B. Owner",
                       borrower_email="b@owner.example", inspection_required=False, created_at=at - 2 * DAY,
                       last_event_id=f"{t}-order-1", last_event_at=at - 2 * DAY)],
        "cards": [
            row("cards", tenant_id=t, card_id=f"{t}-task", kind="create_task", rule="mail.request",
                title=f"{label}: call the client back", asked="call me Thursday", asked_at=at - HOUR,
                due_at=at + DAY, assignee_role="operator", status="open", opened_at=at, contact_id="c1",
                client_id="cl1", message_id=f"{label}-m1", details={"requested_action": "call"}, **last),
            row("cards", tenant_id=t, card_id=f"{t}-fix", kind="propose_order_fix", rule="orders.fix",
                title=f"{label}: order fee off catalog", due_at=at + DAY, assignee_role="operator", status="open",
                opened_at=at, client_id="cl1", order_id=f"{label}-o1",
                details={"order_id": f"{label}-o1", "code": "PRICING_FEE_OFF_CATALOG", "fix": {"fee_cents": 45000,
                         "total_cents": 45000}, "order_event_id": f"{t}-order-1"}, **last),
            row("cards", tenant_id=t, card_id=f"{t}-closed", kind="escalate", rule="mail.complaint",
                title=f"{label}: complaint handled", due_at=at, assignee_role="operator", status="done",
                opened_at=at - DAY, decided_by="someone", decided_at=at - HOUR, details={}, **last)],
        "people": [row("people", tenant_id=t, person_id="dee", name=f"Dee of {label}", email="dee@firm.example",
                       roles=["operator", "account_owner"], accounts=[], active=True, **last),
                   row("people", tenant_id=t, person_id="gus", name="Gus Gone", email="gus@firm.example",
                       roles=["operator"], accounts=[], active=False, **last)] if t == "acme" else [],
        "tenant_controls": [row("tenant_controls", tenant_id=t, kill_switch=False, enabled=True, send_mode="dry_run",
                                caps={"emails": 40}, **last)],
        "warehouse_events": [{"tenant_id": t, "event_id": f"{t}-control-1", "topic": "control", "event_type": "control",
                              "occurred_at": at - DAY, "entity_type": "tenant", "entity_id": t,
                              "payload": {"tenant_id": t, "enabled": True, "send_mode": "dry_run", "caps": {"emails": 40}}}],
    }
    return rows


def build_store(path: str) -> str:
    store = open_store(f"duckdb:{path}")
    store.ensure_schema()
    batch: dict[str, list] = {}
    for t, label in (("acme", "ACME"), ("keystone", "KEYSTONE")):
        for table, rows in tenant_rows(t, label).items():
            batch.setdefault(table, []).extend(rows)
    inserts = {"warehouse_events": batch.pop("warehouse_events")}
    store.write_batch(batch, inserts)
    store.close()
    return path


_HASH = None


def write_users(path: str) -> str:
    global _HASH
    # A cheaper cost than the default keeps a test's sign-ins fast; the hash states its cost,
    # so verification is the same code either way.
    _HASH = _HASH or hash_password(PASSWORD, log2_n=12)
    for login, (role, tenants) in USERS.items():
        write_user(path, login, role=role, tenants=tenants, password_hash=_HASH, name=login.title())
    # Directory-backed: name and role from the tenants' people (dee is in acme's only; gus inactive).
    for login in ("dee@firm.example", "gus@firm.example"):
        write_user(path, login, role=None, tenants=["acme", "keystone"], password_hash=_HASH)
    return path


class RecordingSink:
    """Validates like the Kafka sink does, and keeps what it was given."""

    def __init__(self):
        self.events: list[tuple[str, dict]] = []

    def emit(self, type_name: str, record: dict) -> None:
        self.emit_many([(type_name, record)])

    def emit_many(self, events: list[tuple[str, dict]]) -> None:
        for type_name, record in events:
            admissible(type_name, record, Settings().max_clock_skew_ms)
        self.events.extend(events)


class Clock:
    """The console's clock (sessions); starts at the real time, tests move it on."""

    def __init__(self, now: float | None = None):
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now


_BUILT: str | None = None


def store_copy(path: str) -> str:
    """A fresh copy of the two-tenant store (built once per test run)."""
    global _BUILT
    if _BUILT is None:
        _BUILT = build_store(os.path.join(tempfile.mkdtemp(prefix="console-store-"), "p.duckdb"))
    shutil.copy(_BUILT, path)
    return path


def console_app(tmp_path, *, sink=None, clock=None, session_minutes: int = 60, health=None, **overrides):
    store_path = str(tmp_path / "p.duckdb")
    if not os.path.exists(store_path):
        store_copy(store_path)
    users = write_users(str(tmp_path / "users.json"))
    config = ConsoleConfig(users=FileUsers(users), session_key=b"k" * 32, session_minutes=session_minutes,
                           audit_path=str(tmp_path / "audit.jsonl"), clock=clock or Clock(), **overrides)
    return create_app(Settings(), DuckDBReader(store_path), sink or RecordingSink(), config=config, health=health)


def paging_book(t: str, label: str, at: int = T0) -> dict[str, list[dict]]:
    """A book bigger than a page, for the pagers: 130 contacts (60 never touched, so the
    never-touched run crosses a page edge; then pairs due on the same day, so ties are broken by
    id), 60 deals (20 closed, 10 of the open ones stalled), 30 bids (10 closed), 30 recovery
    cases (12 open) and 30 vendors this quarter (10 not compliant) plus one of an older quarter."""
    last = dict(last_event_id=f"{t}-e", last_event_at=at)
    lo = label.lower()
    rows: dict[str, list[dict]] = {
        "clients": [row("clients", tenant_id=t, client_id="cl1", name=f"{label} Lending", active=True, **last)],
        "contacts": [row("contacts", tenant_id=t, contact_id=f"c{i:03}", email=f"p{i:03}@{lo}.example", client_id="cl1",
                         name=f"{label} Person {i:03}", opted_out=False, **last) for i in range(130)],
        "engagement_clocks": [row("engagement_clocks", tenant_id=t, contact_id=f"c{i:03}", client_id="cl1",
                                  email=f"p{i:03}@{lo}.example", name=f"{label} Person {i:03}",
                                  last_touch_at=None if i < 60 else at - (30 + (i - 60) // 2) * DAY,
                                  next_touch_due=None if i < 60 else at - (9 + (i - 60) // 2) * DAY, **last)
                              for i in range(130)],
        "agent_autonomous_runs": [row("agent_autonomous_runs", tenant_id=t, run_id=f"{t}:0", tick_id=f"{t}:0", as_of=at,
                                      changes={}, metrics={"compliance_rate": 0.5}, actions={}, blocks={}, hints=[],
                                      failed=False, **last)],
        "deals": [row("deals", tenant_id=t, deal_id=f"d{i:03}", client_id="cl1", name=f"{label} deal {i:03}",
                      stage="won" if i < 20 else "proposal", outcome="won" if i < 20 else None,
                      stalled=20 <= i < 30, last_moved_at=at - (i % 7) * DAY, amount_cents=1000 * i, **last)
                  for i in range(60)],
        "bids": [row("bids", tenant_id=t, bid_id=f"b{i:03}", client_id="cl1", status="lost" if i < 10 else "requested",
                     outcome="lost" if i < 10 else None, due_at=at + i * DAY, follow_ups=0, **last) for i in range(30)],
        "feedback_cases": [row("feedback_cases", tenant_id=t, order_id=f"{label}-f{i:03}", client_id="cl1",
                               status="open" if i < 12 else "resolved", opened_at=at - i * DAY, rating=2,
                               summary=f"{label} case {i:03}", **last) for i in range(30)],
        "vendor_compliance": [row("vendor_compliance", tenant_id=t, client_id=f"v{i:03}", quarter="2026Q4",
                                  profile_status="complete" if i >= 10 else "incomplete", missing=[] if i >= 10 else ["W-9"],
                                  compliant=i >= 10, **last) for i in range(30)]
        + [row("vendor_compliance", tenant_id=t, client_id="v-old", quarter="2026Q3", profile_status="incomplete",
               missing=["W-9"], compliant=False, **last)],
    }
    return rows


def write_books(store, books: dict[str, str], rows_of=paging_book) -> None:
    """Write rows_of(tenant, label) for each tenant -> label into an open store."""
    batch: dict[str, list] = {}
    for t, label in books.items():
        for table, rows in rows_of(t, label).items():
            batch.setdefault(table, []).extend(rows)
    store.write_batch(batch, {})


def found_in_mail(t: str, label: str, at: int = T0) -> dict[str, list[dict]]:
    """Two contacts found in mail (never touched, so on the first pages): one whose address
    paging_book's c005 also has (the same person, listed once as c005) and one of its own."""
    lo, last = label.lower(), dict(last_event_id=f"{t}-m", last_event_at=at)
    found = [(f"email:p005@{lo}.example", f"p005@{lo}.example"), (f"email:solo@{lo}.example", f"solo@{lo}.example")]
    return {"contacts": [row("contacts", tenant_id=t, contact_id=cid, email=email, source="gmail_header",
                             opted_out=False, **last) for cid, email in found],
            "engagement_clocks": [row("engagement_clocks", tenant_id=t, contact_id=cid, email=email, **last)
                                  for cid, email in found]}
