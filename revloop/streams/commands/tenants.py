"""`revloop tenants check`: report tenant ids already on the log that break the grammar.

The edges now refuse such ids (revloop.schemas.admission); events written before that
stay on the log, and nothing rewrites them. This lists them, per topic, so an operator
can decide what to do (a tenant of its own, or a restore into a cluster without them).
"""
from __future__ import annotations

import sys
from collections import Counter

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


def register(sub) -> None:
    tenants = sub.add_parser("tenants", help="tenant ids")
    tenants_sub = tenants.add_subparsers(dest="tenants_command", required=True)
    tenants_sub.add_parser("check", help="report tenant ids on the log that break the tenant-id grammar"
                           ).set_defaults(func=_cmd_check)
