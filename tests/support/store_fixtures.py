"""Fixtures for the projection-store contract tests (import them into the test module).

DuckDB: a fresh file in tmp_path. Postgres: DATABASE_URL (the owner role) with a fresh
schema per test, dropped afterwards; skipped with a reason when DATABASE_URL is unset.
"""
from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from revloop.projections.store import open_store

HOW_TO_START = 'start one: bash scripts/pg-local.sh up && eval "$(bash scripts/pg-local.sh env)"'


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.skip(f"DATABASE_URL is not set, no Postgres to test against ({HOW_TO_START})")
    return url


@pytest.fixture
def duckdb_factory(tmp_path):
    """Opens stores on one fresh DuckDB file (each call: a new store on the same file)."""
    url, opened = f"duckdb:{tmp_path / 'projections.duckdb'}", []

    def make():
        opened.append(open_store(url))
        return opened[-1]
    yield make
    for store in opened:
        store.close()


@pytest.fixture
def pg_schema():
    """(DATABASE_URL, a fresh schema name); the schema is dropped after the test."""
    url, schema = database_url(), f"test_store_{uuid.uuid4().hex[:12]}"
    yield url, schema
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '20s'")
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def pg_factory(pg_schema):
    """Opens Postgres stores on one fresh schema (each call: a new connection)."""
    from revloop.projections.postgres_store import PostgresStore
    url, schema = pg_schema
    opened = []

    def make(**kwargs):
        opened.append(PostgresStore(url, schema=schema, **kwargs))
        return opened[-1]
    yield make
    for store in opened:
        store.close()


@pytest.fixture
def tenant_reader():
    """reader(tenant, schema=None) -> a connection logged in as the tenant's own reader role
    (provisioned here with a random password, as `revloop tenants grant-reader` does); every
    role made is dropped afterwards."""
    from revloop.projections.pg_tenants import drop_reader, provision_reader, reader_role, tenant_connection

    owner = database_url()
    admin = os.environ.get("DATABASE_URL_ADMIN")
    if not admin:
        pytest.fail(f"DATABASE_URL_ADMIN (a CREATEROLE role) is not set ({HOW_TO_START})")
    made, conns = [], []

    def reader(tenant: str, schema: str | None = None, **connect_kwargs):
        password = uuid.uuid4().hex
        provision_reader(owner, admin, tenant, password, schema=schema)
        made.append((tenant, schema))
        conns.append(tenant_connection(owner, tenant, password=password, schema=schema, **connect_kwargs))
        return conns[-1]
    yield reader
    for conn in conns:
        conn.close()
    for tenant, schema in made:
        try:
            drop_reader(owner, admin, tenant, schema=schema)
        except psycopg.Error:     # the schema is gone already: drop the role alone
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP ROLE IF EXISTS "{reader_role(tenant)}"')
