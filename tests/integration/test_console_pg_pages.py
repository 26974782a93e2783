"""The console's contact pages over real Postgres through each tenant's reader role: a search
by a substring of name or address (ddl.search_statements: the owner-run search function, with
trigram indexes when the server has pg_trgm) finds the tenant's own contacts only, and nothing
for a login that maps to no tenant; the "next" links (keyset paging) agree with the offset pages."""
from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from revloop.console import queries
from revloop.projections.pg_tenants import drop_reader, provision_reader
from revloop.projections.postgres_store import PostgresStore
from revloop.projections.reader import PostgresReader
from tests.support.console_fixtures import found_in_mail, paging_book, write_books
from tests.support.store_fixtures import pg_schema  # noqa: F401  (fixture)


@pytest.fixture
def book(pg_schema):  # noqa: F811
    url, schema = pg_schema
    admin = os.environ.get("DATABASE_URL_ADMIN")
    if not admin:
        pytest.fail("DATABASE_URL_ADMIN (a CREATEROLE role) is not set: run through `make test`")
    tag = uuid.uuid4().hex[:8]
    tenants = {f"acme-{tag}": "ACME", f"keystone-{tag}": "KEYSTONE"}
    with PostgresStore(url, schema=schema) as store:
        store.ensure_schema()
        write_books(store, tenants)
    passwords = {t: uuid.uuid4().hex for t in tenants}
    for t, password in passwords.items():
        provision_reader(url, admin, t, password, schema=schema)
    reader = PostgresReader(url, schema=schema, password_for=passwords.get)
    try:
        yield reader, list(tenants), url, schema
    finally:
        reader.close()
        for t in tenants:
            drop_reader(url, admin, t, schema=schema)


def ids(rows) -> list[str]:
    return [r["contact_id"] for r in rows]


def test_search_finds_the_readers_own_contacts_by_name_or_address_with_counts(book):
    reader, (acme, keystone), _, _ = book
    found = queries.contacts(reader, acme, search="person 1")
    assert found["counts"] == {"total": 30, "never_touched": 0, "overdue": 30}
    assert len(found["rows"]) == 30 and all(r["name"].startswith("ACME Person 1") for r in found["rows"])
    # Most overdue first: the higher ids were due earlier, two a day (a tie goes by id).
    assert ids(found["rows"]) == [f"c{i:03}" for pair in range(128, 98, -2) for i in (pair, pair + 1)]
    by_address = queries.contacts(reader, acme, search="P007@ACME")
    assert ids(by_address["rows"]) == ["c007"] and by_address["counts"]["never_touched"] == 1
    # keystone's reader, searching acme's addresses, finds none of them.
    other = queries.contacts(reader, keystone, search="@acme.example")
    assert other["rows"] == [] and other["counts"]["total"] == 0
    assert queries.contacts(reader, keystone, search="@keystone.example")["counts"]["total"] == 130


def test_the_search_function_returns_nothing_to_a_login_with_no_tenant(book):
    _, _, url, schema = book
    with psycopg.connect(url, autocommit=True) as conn:          # the owner: in no tenant_roles row
        conn.execute(f'SET search_path TO "{schema}"')
        assert conn.execute("SELECT count(*) FROM contact_search('%')").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 260
        has_trgm = conn.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone()[0]
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", (schema,))}
    if has_trgm:     # the server ships the contrib module: the search has its indexes
        assert {"clocks_name_trgm", "clocks_email_trgm"} <= indexes


def test_next_links_on_postgres_walk_the_book_in_the_offset_pages_order(book):
    reader, (acme, _), _, _ = book
    walked, page, after = [], 0, None
    while True:
        data = queries.contacts(reader, acme, page=page, after=after)
        assert ids(data["rows"]) == ids(queries.contacts(reader, acme, page=page)["rows"])
        walked += ids(data["rows"])
        if not data["next_after"]:
            break
        page, after = page + 1, data["next_after"]
    assert len(walked) == 130 and len(set(walked)) == 130 and walked[:60] == [f"c{i:03}" for i in range(60)]
    back = queries.contacts(reader, acme, page=1, before=data["prev_before"])
    assert ids(back["rows"]) == walked[50:100]


def test_a_person_found_in_mail_is_listed_once_on_postgres(book):
    """views.standing_aside under the reader's row-level security: the found double of c005 is
    neither on a page nor in a search; a found contact with an address of its own is on both."""
    reader, (acme, _), url, schema = book
    with PostgresStore(url, schema=schema) as store:
        store.write_batch(found_in_mail(acme, "ACME"), {})
    walked, page, after = [], 0, None
    while True:
        data = queries.contacts(reader, acme, page=page, after=after)
        walked += ids(data["rows"])
        if not data["next_after"]:
            break
        page, after = page + 1, data["next_after"]
    assert "email:p005@acme.example" not in walked and "email:solo@acme.example" in walked
    assert len(walked) == len(set(walked)) == 131
    assert ids(queries.contacts(reader, acme, search="p005@")["rows"]) == ["c005"]
    assert ids(queries.contacts(reader, acme, search="solo@")["rows"]) == ["email:solo@acme.example"]
