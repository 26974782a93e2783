"""The hourly tick producer (cron)."""
from __future__ import annotations

import sys

from revloop.streams.config import Settings


def _cmd_tick(args, settings: Settings) -> int:
    from revloop.streams.tick_producer import produce_ticks

    ticks = produce_ticks(settings, args.at, args.tenant)
    for tick in ticks:
        print(tick["tick_id"])
    if not ticks:
        print("no enabled tenant: send a control event with enabled=true, or pass --tenant", file=sys.stderr)
    return 0


def register(sub) -> None:
    tick = sub.add_parser("tick", help="produce the hourly tick for every enabled tenant (cron: every hour)")
    tick.add_argument("--at", help="a time in the hour to tick (ISO-8601; default: now)")
    tick.add_argument("--tenant", action="append", help="tick only this tenant (repeatable)")
    tick.set_defaults(func=_cmd_tick)
