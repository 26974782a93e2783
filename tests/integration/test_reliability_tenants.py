"""Tenant isolation, fuzzed: awkward tenant ids through the pipeline into Postgres, read back by the app role.

Hypothesis draws sets of tenant ids (any unicode, quotes, '%', '_', ';', SQL
fragments, case and normalisation twins, trailing blanks, up to 512 bytes).
Each tenant gets the same book (same client, contact, order ids: only tenant_id
tells the rows apart), run through the Pipeline with a tick, so every table has
rows. A connection logged in as the tenant's own reader role then sees exactly its own
rows in every table, whatever the query; it writes nothing at all; and nothing it can
do inside the session (set_config of the old tenant setting, SET ROLE to another
tenant's role or to the reader group, RESET ROLE / RESET ALL, SET SESSION AUTHORIZATION)
moves it to another tenant's rows.
"""
from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from revloop.processors.tables import TABLES
from revloop.projections.pg_tenants import reader_group, reader_role
from revloop.projections.postgres_store import PostgresStore
from revloop.schemas.codec import MAX_ID_BYTES
from revloop.streams.pipeline import Pipeline, RawRecord
from revloop.streams.topics import topic_for
from revloop.schemas.codec import Codec
from tests.support.outage_services import tally, tally_attack
from tests.support.store_fixtures import tenant_reader  # noqa: F401  (fixture)
from tests.support.events import DAY, T0, client, contact, event, good_order, touch

pytestmark = pytest.mark.integration
CODEC = Codec()

SPECIALS = ["'", '"', "%", "_", ";", "\\", "--", "'; DROP TABLE clients; --", "%' OR '1'='1", "$$", "é", "e\u0301",
            "Ä", "ä", " ", "\t", "\u202e", "😀", "NULL", "null", "t1", "T1", "*x", "\n"]
CORE_TABLES = {"clients", "contacts", "engagement_clocks", "orders", "order_processing_exceptions", "product_catalog",
               "deals", "bids", "suppression_list", "tenant_controls", "agent_actions", "agent_policy_violations",
               "agent_autonomous_runs", "agent_alerts", "warehouse_events"}
tenant_ids = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40),
    st.lists(st.sampled_from(SPECIALS), min_size=1, max_size=6).map("".join),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), min_size=200, max_size=300),
).filter(lambda t: t.strip() != "" and t != "*" and len(t.encode()) <= MAX_ID_BYTES)


def book(tenant: str) -> list[tuple[str, dict]]:
    ev = [("control", event("control", tenant=tenant, at=T0 - 9 * DAY, enabled=True, send_mode="limited_live",
                            caps={"emails": 2, "research": 0})),
          ("client", client("c1", tenant=tenant, at=T0 - 9 * DAY, credit_limit_cents=10_000)),
          ("product_price", event("product_price", tenant=tenant, at=T0 - 9 * DAY, product_code="FULL_1004",
                                  fee_cents=40_000)),
          ("deal", event("deal", tenant=tenant, at=T0 - 5 * DAY, deal_id="d1", client_id="c1", stage="proposal")),
          ("bid", event("bid", tenant=tenant, at=T0 - 5 * DAY, bid_id="b1", client_id="c1", status="requested")),
          ("order", good_order("o1", tenant=tenant, at=T0 - 2 * DAY, property_address=None)),
          ("bid", event("bid", tenant=tenant, at=T0 - 3 * DAY, bid_id="b2", client_id="c1", status="lost",
                        amount_cents=90_000, competitor="Rival", competitor_amount_cents=80_000, reason="price")),
          ("feedback", event("feedback", tenant=tenant, at=T0 - DAY, order_id="o1", client_id="c1", rating=1,
                             text="The report was late and wrong.")),
          ("gmail_message", event("gmail_message", tenant=tenant, at=T0 - DAY, mailbox="agent@ourfirm.example",
                                  message_id="m1", thread_id="t1", from_header="Pat <p0@lender.example>",
                                  subject="Order o1", body_text="Can you call me Thursday?")),
          ("email_outcome", event("email_outcome", tenant=tenant, at=T0 - DAY, outcome="bounced",
                                  recipient="p3@lender.example"))]
    for i in range(4):
        ev.append(("contact", contact(f"p{i}", client_id="c1", tenant=tenant, at=T0 - 40 * DAY)))
        ev.append(("touch", touch(f"p{i}", tenant=tenant, at=T0 - (25 + i) * DAY)))
    ev.append(("tick", event("tick", tenant=tenant, at=T0, tick_id=f"{tenant}:{T0}", as_of=T0)))
    return ev


@pytest.fixture
def pg():
    owner, app = os.environ.get("DATABASE_URL"), os.environ.get("DATABASE_URL_APP")
    if not (owner and app):
        pytest.fail("DATABASE_URL / DATABASE_URL_APP are not set: run integration tests through `make test`")
    schema = f"iso_{uuid.uuid4().hex[:10]}"
    store = PostgresStore(owner, schema=schema)
    store.ensure_schema()
    yield store, app, schema
    store.close()
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _switch_attempts(conn, schema: str, other: str, visible) -> tuple[int, int]:
    """Every way a session might move itself to another tenant; (tried, refused). After each
    one the session still sees exactly its own rows (`visible()`), never the other's."""
    def others_rows() -> int:
        return conn.execute('SELECT count(*) FROM clients WHERE tenant_id = %s', [other]).fetchone()[0]

    tried = refused = 0
    mine = visible()
    # The old isolation rested on this setting: it now means nothing.
    conn.execute("SELECT set_config('revloop.tenant_id', %s, false)", [other])
    tried += 1
    refused += others_rows() == 0 and visible() == mine
    for statement in (f'SET ROLE "{reader_role(other)}"', f'SET SESSION AUTHORIZATION "{reader_role(other)}"'):
        tried += 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        refused += others_rows() == 0 and visible() == mine
    # The reader group is reachable (the role is its member), and maps to no tenant at all.
    conn.execute(f'SET ROLE "{reader_group()}"')
    tried += 1
    refused += others_rows() == 0 and conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0
    for statement in ("RESET ROLE", "RESET ALL"):
        conn.execute(statement)
        conn.execute(f'SET search_path TO "{schema}"')     # RESET ALL resets it too; it picks no tenant
        tried += 1
        refused += others_rows() == 0 and visible() == mine
    return tried, refused


def test_a_tenant_scoped_connection_never_returns_another_tenants_rows(pg, tenant_reader):
    store, app_url, schema = pg
    checked = {"tenants": 0, "queries": 0, "leaks": 0, "writes_refused": 0, "switches": 0, "switches_refused": 0}
    seen_tables: set[str] = set()

    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(tenant_ids, min_size=2, max_size=4, unique=True))
    def isolated(tenants):
        pipeline = Pipeline(CODEC, enrich=True, collect_ticks=True)
        records = [RawRecord(topic_for(t, e), 0, n, e["tenant_id"].encode(), CODEC.encode(t, e))
                   for n, (t, e) in enumerate(x for tenant in tenants for x in book(tenant))]
        result = pipeline.process(records)
        assert result.dead_letters == [] and result.applied == len(records)
        for tick, _, _ in pipeline.ticks_read:      # as the worker does once a tick's inputs are in
            pipeline.decide(tick)
        store.write_batch(*pipeline.take_changes())
        readers = {tenant: tenant_reader(tenant, schema) for tenant in tenants}   # every role exists first
        for tenant in tenants:
            others = [t for t in tenants if t != tenant]
            with readers[tenant] as conn:
                for name, table in TABLES.items():
                    key = ", ".join(f'"{c}"' for c in table.key)
                    mine = {tuple(r[c] for c in table.key) for r in store.rows(name, tenant)}
                    seen_tables.update([name] if mine else [])
                    visible = set(conn.execute(f'SELECT {key} FROM "{name}"').fetchall())
                    leaks = [
                        conn.execute(f'SELECT count(*) FROM "{name}" WHERE tenant_id <> %s', [tenant]).fetchone()[0],
                        conn.execute(f'SELECT count(*) FROM "{name}" WHERE tenant_id = ANY(%s)', [others]).fetchone()[0],
                        conn.execute(f'SELECT count(*) FROM "{name}" WHERE tenant_id LIKE %s OR true', ["%"]).fetchone()[0]
                        - len(mine),
                        conn.execute(f'SELECT count(DISTINCT tenant_id) FROM "{name}"').fetchone()[0] - bool(mine),
                    ]
                    checked["queries"] += 5
                    assert visible == mine, (name, tenant)
                    assert leaks == [0, 0, 0, 0], (name, tenant, leaks)
                joined = conn.execute('SELECT count(*) FROM contacts c JOIN engagement_clocks e '
                                      'ON e.contact_id = c.contact_id').fetchone()[0]
                assert joined == len(store.rows("contacts", tenant))
                # Readers write nothing: not another tenant's rows, not their own.
                for statement, args in [
                        ('UPDATE clients SET name = name WHERE tenant_id = ANY(%s)', [others]),
                        ('UPDATE clients SET name = name WHERE tenant_id = %s', [tenant]),
                        ('DELETE FROM clients WHERE tenant_id = %s', [tenant]),
                        ('INSERT INTO clients (tenant_id, client_id, name) VALUES (%s, %s, %s)',
                         [others[0], f"intruder-{uuid.uuid4().hex[:6]}", "x"])]:
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        conn.execute(statement, args)
                    checked["writes_refused"] += 1
                checked["queries"] += 5
                tried, refused = _switch_attempts(
                    conn, schema, others[0],
                    lambda: conn.execute('SELECT count(*) FROM clients WHERE tenant_id = %s', [tenant]).fetchone()[0])
                assert refused == tried
                checked["switches"] += tried
                checked["switches_refused"] += refused
            checked["tenants"] += 1

    isolated()
    # Every table had rows to protect (tables added later are checked too, filled or not).
    assert CORE_TABLES <= seen_tables, CORE_TABLES - seen_tables
    tally("tenant isolation", tenants=checked["tenants"], tables=len(TABLES), queries=checked["queries"],
          writes_refused=checked["writes_refused"], leaks=checked["leaks"])
    tally_attack("switch tenant in a Postgres session (set_config, SET ROLE, RESET)", tried=checked["switches"],
                 refused=checked["switches_refused"], written=checked["leaks"])
    tally_attack("write to the store as a reader", tried=checked["writes_refused"], refused=checked["writes_refused"],
                 written=0)
