"""`revloop templates defaults --tenant T`: the shipped email templates as version-1 template events.

Without them the sender falls back to the same shipped text, recorded as version 1; loading
them puts that version on the log, where an edit (`revloop import` of a template event with
a higher version) is the next one.
"""
from __future__ import annotations

import sys
import time

from revloop.streams.cli_support import command, group
from revloop.streams.config import Settings


def _cmd_defaults(args, settings: Settings) -> int:
    from revloop.processors.template_defaults import DEFAULTS
    from revloop.processors.templates import default_event
    from revloop.schemas.admission import check_admissible
    from revloop.streams import kafka_clients
    from revloop.streams.kafka_io import flush_or_raise, producer

    codec, p, now = kafka_clients.codec(settings), producer(settings), int(time.time() * 1000)
    for template_id in sorted(DEFAULTS):
        event = default_event(template_id, args.tenant, now)
        check_admissible("template", event, now_ms=now, max_skew_ms=settings.max_clock_skew_ms)
        p.produce(settings.topic("templates"), key=args.tenant.encode(), value=codec.encode("template", event))
        print(f"{template_id} v1")
    flush_or_raise(p)
    print(f"{len(DEFAULTS)} template(s) for {args.tenant}", file=sys.stderr)
    return 0


def register(sub) -> None:
    templates = group(sub, "templates", help="email templates (events, versioned)",
                      description="Email templates are events, versioned.", dest="templates_command")
    defaults = command(templates, "defaults", help="put the shipped templates on the log as version 1", kafka=True,
                       description="Produce the shipped templates for TENANT as version 1.",
                       env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX"),
                       example="revloop templates defaults --tenant acme")
    defaults.add_argument("--tenant", required=True)
    defaults.set_defaults(func=_cmd_defaults)
