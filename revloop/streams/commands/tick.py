"""The hourly tick producer (cron)."""
from __future__ import annotations

import sys

from revloop.streams.cli_support import command, iso_time, print_json, tenant_id
from revloop.streams.config import Settings


def _cmd_tick(args, settings: Settings) -> int:
    from revloop.schemas.jsonl import format_time
    from revloop.streams.tick_producer import produce_ticks

    ticks = produce_ticks(settings, args.at, args.tenant)
    if args.json:
        print_json([{"tenant_id": t["tenant_id"], "tick_id": t["tick_id"], "as_of": format_time(t["as_of"])}
                    for t in ticks])
    elif not args.quiet:
        for tick in ticks:
            print(tick["tick_id"])
        if not ticks:
            print("no enabled tenant: send a control event with enabled=true, or pass --tenant", file=sys.stderr)
    return 0


def register(sub) -> None:
    tick = command(sub, "tick", help="produce the hourly tick for every enabled tenant (cron: every hour)", kafka=True,
                   description="Produce one tick per enabled tenant (the latest control event with enabled=true) "
                               "for the hour containing --at. A second run in the same hour is a no-op for the "
                               "worker, so two cron hosts are harmless. A tenant with no control event is not "
                               "enabled: it gets no tick unless named with --tenant.",
                   env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX"),
                   example="0 * * * * revloop tick -q          # crontab: silent unless it fails\n"
                           "revloop tick --at 2026-11-25T09:00:00Z --tenant acme --json")
    tick.add_argument("--at", type=iso_time, help="a time in the hour to tick (ISO-8601; default: now)")
    tick.add_argument("--tenant", action="append", type=tenant_id, help="tick only this tenant (repeatable)")
    out = tick.add_mutually_exclusive_group()
    out.add_argument("-q", "--quiet", action="store_true", help="print nothing on success (cron)")
    out.add_argument("--json", action="store_true", help="the ticks as a JSON array on stdout")
    tick.set_defaults(func=_cmd_tick)
