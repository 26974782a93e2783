"""`revloop control set`: change a control setting, an admin act with a name and a reason.

Global settings (tenant '*': the kill switch for everyone, the default send mode and caps)
enter the log only here (and through the console's admin role), never through import.
Every control event says who made it (`actor`) and why (`reason`).
"""
from __future__ import annotations

import getpass
import sys
import time
import uuid

from revloop.processors.sending_window import parse_window
from revloop.streams.cli_support import command, group
from revloop.streams.config import Settings

ON_OFF = {"on": True, "off": False, "true": True, "false": False}
SETTINGS = ("kill_switch", "enabled", "send_mode", "caps", "allowlist", "goals", "time_zone", "sending_window",
            "holidays", "sending_paused", "senders")


def _pairs(items: list[str], convert, what: str) -> dict | None:
    if not items:
        return None
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--{what} takes NAME=VALUE, not {item!r}")
        try:
            out[name] = convert(value)
        except ValueError:
            raise ValueError(f"--{what} {item!r}: {value!r} is not a number") from None
    return out


def control_event(args, now_ms: int) -> dict:
    """The control event the arguments describe (validated by the caller)."""
    tenant = "*" if args.is_global else args.tenant
    event = {
        "event_id": f"control:{uuid.uuid4().hex}", "tenant_id": tenant, "occurred_at": now_ms,
        "kill_switch": None if args.kill_switch is None else ON_OFF[args.kill_switch],
        "enabled": None if args.enabled is None else ON_OFF[args.enabled],
        "send_mode": args.send_mode,
        "caps": _pairs(args.cap, int, "cap"),
        "allowlist": args.allow or None,
        "goals": _pairs(args.goal, float, "goal"),
        "actor": args.actor or getpass.getuser(),
        "reason": args.reason.strip(),
        # Sending etiquette: the recipients' hours, the holiday calendar, the tenant's zone, the pause.
        "time_zone": args.time_zone,
        "sending_window": parse_window(args.sending_window) if args.sending_window else None,
        "holidays": args.holidays,
        "sending_paused": None if args.sending_paused is None else ON_OFF[args.sending_paused],
        "senders": None if args.sender_from is None else {"from": args.sender_from, "reply_to": args.sender_reply_to,
                                                         "domains": args.sender_domain},
    }
    if args.sender_from is None and (args.sender_reply_to or args.sender_domain):
        raise ValueError("--sender-reply-to and --sender-domain go with --sender-from (the whole identity is set)")
    if all(event[k] is None for k in SETTINGS):
        raise ValueError("nothing to set: give at least one of --kill-switch, --enabled, --send-mode, --cap, "
                         "--allow, --goal, --time-zone, --sending-window, --holidays, --sending-paused, --sender-from")
    if not event["reason"]:
        raise ValueError("--reason must say why")
    return event


def _cmd_control_set(args, settings: Settings) -> int:
    from revloop.processors.event_checks import check as check_content
    from revloop.schemas.admission import check_admissible
    from revloop.schemas.codec import validate
    from revloop.streams import kafka_clients
    from revloop.schemas.jsonl import to_line
    from revloop.streams.kafka_io import flush_or_raise, producer

    now = int(time.time() * 1000)
    try:
        event = control_event(args, now)
        validate("control", event)
        check_admissible("control", event, now_ms=now, max_skew_ms=settings.max_clock_skew_ms, admin=True)
        check_content("control", event)          # cap kinds, goal names; a zone, window or calendar that cannot be used
    except ValueError as exc:
        print(f"revloop control set: {exc}", file=sys.stderr)
        return 2
    p = producer(settings)
    p.produce(settings.topic("control"), key=event["tenant_id"].encode(),
              value=kafka_clients.codec(settings).encode("control", event))
    flush_or_raise(p)
    print(to_line("control", event))
    return 0


def register(sub) -> None:
    control = group(sub, "control", help="control settings (admin)",
                    description="Control settings are events on the control topic (kill switch, enabled, send "
                                "mode, caps, allowlist, goals, sending hours and pause), with who and why.", dest="control_command")
    s = command(control, "set", help="set controls for one tenant or, with --global, for every tenant", kafka=True,
                description="Produce one control event. Only the fields given change.",
                env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_MAX_CLOCK_SKEW_S"),
                example="revloop control set --tenant acme --enabled on --send-mode dry_run --cap emails=20 "
                        "--reason 'pilot'")
    which = s.add_mutually_exclusive_group(required=True)
    which.add_argument("--global", dest="is_global", action="store_true", help="the global settings (tenant '*')")
    which.add_argument("--tenant", help="one tenant's settings")
    s.add_argument("--kill-switch", choices=sorted(ON_OFF), help="stop (on) or allow (off) every action")
    s.add_argument("--enabled", choices=sorted(ON_OFF), help="whether ticks run for the tenant")
    s.add_argument("--send-mode", choices=["dry_run", "internal_only", "limited_live"])
    s.add_argument("--cap", action="append", default=[], metavar="KIND=N", help="hourly cap, e.g. emails=20")
    s.add_argument("--allow", action="append", default=[], metavar="ADDRESS_OR_DOMAIN",
                   help="internal_only allowlist entry (repeat; replaces the list)")
    s.add_argument("--goal", action="append", default=[], metavar="NAME=X", help="a goal or tuning number")
    s.add_argument("--time-zone", metavar="ZONE", help="the tenant's own zone, e.g. America/Chicago")
    s.add_argument("--sending-window", metavar="DAYS HH:MM-HH:MM",
                   help="when email may go, recipient-local, e.g. 'mon-fri 08:00-17:00'")
    s.add_argument("--holidays", metavar="CALENDAR", help="holiday calendar: US, US-CA, ... or none")
    s.add_argument("--sending-paused", choices=sorted(ON_OFF),
                   help="pause (on) or resume (off) client email; the sending brake pauses by itself")
    s.add_argument("--sender-from", metavar="'NAME <ADDRESS>'", help="the tenant's generic sender")
    s.add_argument("--sender-reply-to", metavar="ADDRESS", help="where replies to generic mail go (a read mailbox)")
    s.add_argument("--sender-domain", action="append", default=[], metavar="DOMAIN",
                   help="a domain the tenant sends from (repeat; default: the sender's)")
    s.add_argument("--reason", required=True, help="why (recorded on the event)")
    s.add_argument("--actor", help="who (default: the login name)")
    s.set_defaults(func=_cmd_control_set)
