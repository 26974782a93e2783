"""The settings a tenant runs under: its own control events over the global ones."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from revloop.processors.local_time import DEFAULT_TENANT_ZONE, valid_zone
from revloop.processors.sending_window import DEFAULT_CALENDAR

# Default hourly caps (the seed's P0.6 rate limits): conservative until raised by a control event.
DEFAULT_CAPS = {"emails": 50, "research": 5, "sandbox_jobs": 2, "digests": 4}
GLOBAL = "*"


@dataclass(frozen=True)
class Controls:
    kill_switch: bool = False          # global OR tenant kill switch
    enabled: bool = True
    send_mode: str = "dry_run"
    caps: dict = field(default_factory=lambda: dict(DEFAULT_CAPS))
    allowlist: tuple[str, ...] = ()
    goals: dict = field(default_factory=dict)
    # Sending etiquette (processors.sending_window, processors.sending_schedule).
    time_zone: str = DEFAULT_TENANT_ZONE     # the tenant's own hours, and an unplaced contact's
    sending_window: dict | None = None       # None: Mon-Fri 08:00-17:00 recipient-local
    holidays: str = DEFAULT_CALENDAR
    sending_paused: bool = False             # client email paused (the sending brake), until a person resumes
    senders: dict | None = None              # the generic sender identity (processors.sender_identity)


def _decode(value):
    return json.loads(value) if isinstance(value, str) else value


def is_enabled(global_row: dict | None, tenant_row: dict | None) -> bool:
    """The one rule for `enabled`, shared by `revloop tick` (which tenants get a tick) and the
    policy gate and executors (whether anything is approved or carried out): a tenant is
    enabled only by its own control event with enabled=true. A tenant that no control event
    enabled is off: no tick, and every proposal blocked (tenant_disabled) if ticked by hand.
    The global control (tenant '*') can switch every tenant off (enabled=false), never on:
    tick cannot know of a tenant that has no control event of its own."""
    return bool((tenant_row or {}).get("enabled")) and (global_row or {}).get("enabled") is not False


def effective_controls(global_row: dict | None, tenant_row: dict | None) -> Controls:
    g, t = global_row or {}, tenant_row or {}

    def pick(name, default):
        for row in (t, g):
            if row.get(name) is not None:
                return row[name]
        return default

    caps = dict(DEFAULT_CAPS)
    caps.update(_decode(g.get("caps")) or {})
    caps.update(_decode(t.get("caps")) or {})
    return Controls(
        kill_switch=bool(g.get("kill_switch")) or bool(t.get("kill_switch")),
        enabled=is_enabled(g, t),
        send_mode=pick("send_mode", "dry_run"),
        caps=caps,
        allowlist=tuple(a.lower() for a in (_decode(pick("allowlist", None)) or [])),
        goals=_decode(pick("goals", None)) or {},
        time_zone=zone if valid_zone(zone := pick("time_zone", None)) else DEFAULT_TENANT_ZONE,
        sending_window=_decode(pick("sending_window", None)),
        holidays=pick("holidays", DEFAULT_CALENDAR),
        # Either level pauses: a global pause is an admin's, a tenant's is its brake's or a person's.
        sending_paused=bool(g.get("sending_paused")) or bool(t.get("sending_paused")),
        senders=_decode(pick("senders", None)),
    )
