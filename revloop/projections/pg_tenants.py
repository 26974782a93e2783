"""Per-tenant Postgres reader roles: the tenant of a session comes from its login.

Why login roles (and not a signed token checked by a SECURITY DEFINER function): the
tenant is then fixed by Postgres authentication before the session runs a statement, and
nothing the session can do (set_config, RESET, SET ROLE, a function it writes) changes
who it logged in as. The policy is plain SQL over a small mapping table, evaluated once
per query, with no cryptography in the database and no key for the database to hold. The
price is one role per tenant, which an admin provisions here (`revloop tenants
grant-reader`), and one password per tenant, which the console keeps in its secret store.

Roles: the worker writes as the owner (DATABASE_URL). Readers log in as
``reader_role(tenant)``, a member of the reader group (REVLOOP_APP_ROLE, default
revloop_app) that holds SELECT and nothing else; the group itself maps to no tenant and
sees no rows. An admin role with CREATEROLE (DATABASE_URL_ADMIN) creates the tenants' roles.
"""
from __future__ import annotations

import hashlib

import psycopg
from psycopg import sql as pgsql
from psycopg.conninfo import make_conninfo

from revloop.projections import ddl

ROLE_PREFIX = "revloop_t_"


class TenantRoleError(RuntimeError):
    """Provisioning refused (a mapping that would give a role another tenant's rows)."""


DEFAULT_APP_ROLE = "revloop_app"


def reader_group(app_role: str | None = None) -> str:
    """The group every tenant reader joins: the store's app role (REVLOOP_APP_ROLE)."""
    return app_role or DEFAULT_APP_ROLE


def reader_role(tenant_id: str) -> str:
    """The tenant's login role: a digest, so any tenant id (quotes, unicode, 512 bytes) gives a
    valid role name of fixed length, and the console can name it without a lookup."""
    digest = hashlib.sha256(tenant_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return ROLE_PREFIX + digest


def _owner(owner_url: str, schema: str | None) -> psycopg.Connection:
    conn = psycopg.connect(owner_url, autocommit=True)
    if schema:
        conn.execute(pgsql.SQL("SET search_path TO {}").format(pgsql.Identifier(schema)))
    return conn


def provision_reader(owner_url: str, admin_url: str, tenant_id: str, password: str, *,
                     schema: str | None = None, app_role: str | None = None) -> str:
    """Create (or update) the tenant's login role and map it to the tenant; return the role name.
    The store's schema must exist (ensure_schema)."""
    role = reader_role(tenant_id)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        ident = pgsql.Identifier(role)
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        # Only a superuser may name the superuser, replication or bypass-RLS attributes in an
        # ALTER; a role this function created has none of them anyway.
        statement = ("ALTER ROLE {} WITH LOGIN INHERIT PASSWORD {}" if exists else
                     "CREATE ROLE {} WITH LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                     "NOBYPASSRLS PASSWORD {}")
        admin.execute(pgsql.SQL(statement).format(ident, pgsql.Literal(password)))
        admin.execute(pgsql.SQL("GRANT {} TO {}").format(pgsql.Identifier(reader_group(app_role)), ident))
    with _owner(owner_url, schema) as owner:
        owner.execute(f"INSERT INTO {ddl.q(ddl.TENANT_ROLES.name)} (role_name, tenant_id) VALUES (%s, %s) "
                      "ON CONFLICT DO NOTHING", [role, tenant_id])
        mapped = owner.execute(f"SELECT tenant_id FROM {ddl.q(ddl.TENANT_ROLES.name)} WHERE role_name = %s",
                               [role]).fetchone()
    if mapped is None or mapped[0] != tenant_id:
        raise TenantRoleError(f"role {role} is already mapped to another tenant (digest collision): refused")
    return role


def drop_reader(owner_url: str, admin_url: str, tenant_id: str, *, schema: str | None = None) -> None:
    role = reader_role(tenant_id)
    with _owner(owner_url, schema) as owner:
        owner.execute(f"DELETE FROM {ddl.q(ddl.TENANT_ROLES.name)} WHERE role_name = %s", [role])
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(pgsql.SQL("DROP ROLE IF EXISTS {}").format(pgsql.Identifier(role)))


def tenant_connection(url: str, tenant_id: str, *, password: str, schema: str | None = None,
                      **connect_kwargs) -> psycopg.Connection:
    """A reader's connection: logged in as the tenant's role (host and database from url), so
    row-level security shows that tenant's rows and only them, whatever the session does.
    Autocommit by default (pass autocommit=False for explicit transactions)."""
    connect_kwargs.setdefault("autocommit", True)
    conn = psycopg.connect(make_conninfo(url, user=reader_role(tenant_id), password=password), **connect_kwargs)
    conn.execute("SET TIME ZONE 'UTC'")
    if schema:
        conn.execute(pgsql.SQL("SET search_path TO {}").format(pgsql.Identifier(schema)))
    return conn
