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
def app_url() -> str:
    database_url()
    url = os.environ.get("DATABASE_URL_APP")
    if not url:
        pytest.skip(f"DATABASE_URL_APP (the {os.environ.get('REVLOOP_APP_ROLE', 'revloop_app')} role) is not set "
                    f"({HOW_TO_START})")
    return url
