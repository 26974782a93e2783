"""`revloop tenants check`: report tenant ids already on the log that break the grammar.

The edges now refuse such ids (revloop.schemas.admission); events written before that
stay on the log, and nothing rewrites them. This lists them, per topic, so an operator
can decide what to do (a tenant of its own, or a restore into a cluster without them).
"""
from __future__ import annotations

import sys
from collections import Counter

from revloop.streams.cli_support import command, group
from revloop.streams.config import Settings


def nonconforming_tenants(settings: Settings) -> Counter:
    """(tenant id, topic) -> events, for every id on the log the grammar refuses ('*' on
    control is the global setting and conforms)."""
    from revloop.schemas.admission import GLOBAL_TENANT, tenant_id_problem
    from revloop.streams.kafka_io import read_topic
    from revloop.streams.topics import TOPICS

    found: Counter = Counter()
    for spec in TOPICS:
        if spec.role == "dead_letter":
            continue                      # refused records, kept with their reason: not tenants
        try:
            messages = read_topic(settings, settings.topic(spec.name))
            for msg in messages:
                # The key is the tenant id on every topic (the worker dead-letters a mismatch).
                key = msg.key()
                tenant = key.decode("utf-8", "backslashreplace") if key is not None else ""
                if spec.name == "control" and tenant == GLOBAL_TENANT:
                    continue
                if tenant_id_problem(tenant):
                    found[(tenant, spec.name)] += 1
        except KeyError:
            continue                      # a topic not created yet holds no ids
    return found


def _cmd_check(args, settings: Settings) -> int:
    from revloop.schemas.admission import TENANT_ID_PATTERN

    found = nonconforming_tenants(settings)
    for (tenant, topic), n in sorted(found.items()):
        print(f"{tenant!r}\t{topic}\t{n} event(s)")
    tenants = len({t for t, _ in found})
    print(f"{tenants} tenant id(s) on the log do not match {TENANT_ID_PATTERN}" if tenants
          else f"every tenant id on the log matches {TENANT_ID_PATTERN}", file=sys.stderr)
    return 1 if found else 0


def _cmd_grant_reader(args, settings: Settings) -> int:
    """Provision the tenant's Postgres reader role; its new password goes to a 0600 file, never
    to the terminal or a log."""
    import os
    import secrets as pysecrets

    from revloop.projections.pg_tenants import provision_reader
    from revloop.projections.postgres_store import PostgresStore
    from revloop.schemas.admission import tenant_id_problem

    owner = args.store or settings.store_url
    admin = args.admin_url or settings.db_admin_url
    problem = tenant_id_problem(args.tenant)
    if not problem and not owner.startswith(("postgres://", "postgresql://")):
        problem = "needs a postgresql:// store (--store or REVLOOP_STORE)"
    if not problem and not admin:
        problem = "needs a role with CREATEROLE (--admin-url or DATABASE_URL_ADMIN)"
    if problem:
        print(f"revloop tenants grant-reader: {problem}", file=sys.stderr)
        return 2
    store = PostgresStore(owner, app_role=settings.app_role)
    try:
        store.ensure_schema()
    finally:
        store.close()
    password = pysecrets.token_urlsafe(24)
    fd = os.open(args.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    role = provision_reader(owner, admin, args.tenant, password, app_role=settings.app_role)
    print(role)
    print(f"tenant {args.tenant!r} reads as role {role}; its password is in {args.password_file} (mode 0600)",
          file=sys.stderr)
    return 0


def register(sub) -> None:
    tenants = group(sub, "tenants", help="tenant ids",
                    description="Tenant ids on the log, and per-tenant Postgres readers.", dest="tenants_command")
    command(tenants, "check", help="report tenant ids on the log that break the tenant-id grammar", kafka=True,
            description="Read every topic and list the tenant ids that break the grammar import enforces.",
            env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX"),
            example="revloop tenants check").set_defaults(func=_cmd_check)
    grant = command(tenants, "grant-reader", help="admin: a Postgres login role that reads one tenant's "
                                                  "rows and nothing else (SELECT only)",
                    description="Create (or update) TENANT's login role, map it to the tenant and write its new "
                                "password to --password-file (0600).",
                    env=("REVLOOP_STORE", "DATABASE_URL_ADMIN", "REVLOOP_APP_ROLE"),
                    example="revloop tenants grant-reader acme --password-file var/console/readers/acme")
    grant.add_argument("tenant")
    grant.add_argument("--password-file", required=True, help="where to write the new password (mode 0600)")
    grant.add_argument("--store", help="the Postgres store, as its owner (default: REVLOOP_STORE)")
    grant.add_argument("--admin-url", help="a role with CREATEROLE (default: DATABASE_URL_ADMIN)")
    grant.set_defaults(func=_cmd_grant_reader)
