"""Forms a person submits, turned into events (or refused with a message naming the field).

Pure: the caller passes the clock, the actor and the form's fields; nothing here produces.
"""
from __future__ import annotations

import re
import uuid

from revloop.processors.controls import DEFAULT_CAPS
from revloop.schemas.registry import event_type

SEND_MODES = ("dry_run", "internal_only", "limited_live")
# An hourly cap above 10,000 is no cap: more mail than one sending domain's reputation
# survives in an hour, and more research or sandbox jobs than a tenant's budget runs.
MAX_CAP = 10_000
MAX_ALLOWLIST = 200
REASON_MIN, REASON_MAX = 3, 500
_ADDRESS = re.compile(r"^(?:[A-Za-z0-9._%+'-]+@)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$")


class FormError(ValueError):
    """The form cannot become an event: the message names the field and what it accepts."""


def reason_of(form) -> str:
    reason = " ".join(str(form.get("reason", "")).split())
    if len(reason) < REASON_MIN:
        raise FormError("reason: say why (at least 3 characters); it goes into the control history")
    if len(reason) > REASON_MAX:
        raise FormError(f"reason: at most {REASON_MAX} characters")
    return reason


def _on_off(value, field: str) -> bool:
    if value in ("on", "true", "1"):
        return True
    if value in ("off", "false", "0"):
        return False
    raise FormError(f"{field}: want on or off")


def _cap(value, name: str) -> int:
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,6}", text):
        raise FormError(f"caps.{name}: want a whole number from 0 to {MAX_CAP:,}")
    n = int(text)
    if n > MAX_CAP:
        raise FormError(f"caps.{name}: {n:,} is out of range (0 to {MAX_CAP:,} an hour)")
    return n


def _allowlist(text: str) -> list[str]:
    items = [i.strip().lower() for i in re.split(r"[\s,]+", text or "") if i.strip()]
    if len(items) > MAX_ALLOWLIST:
        raise FormError(f"allowlist: at most {MAX_ALLOWLIST} addresses or domains")
    for item in items:
        if len(item) > 254 or not _ADDRESS.match(item):
            raise FormError(f"allowlist: {item[:60]!r} is not an email address or a domain")
    return sorted(set(items))


def _event(tenant: str, now_ms: int, actor: str, reason: str, fields: dict) -> dict:
    event = {"event_id": f"console:control:{uuid.uuid4().hex}", "tenant_id": tenant, "occurred_at": now_ms,
             "kill_switch": None, "enabled": None, "send_mode": None, "caps": None, "allowlist": None, "goals": None}
    event.update(fields)
    # Who and why travel in the event where the schema has them (the control history shows
    # them); the audit trail records them in any case.
    names = event_type("control").field_names
    if "actor" in names:
        event["actor"] = actor
    if "reason" in names:
        event["reason"] = reason
    return event


def kill_switch_event(tenant: str, form, *, now_ms: int, actor: str) -> dict:
    """The kill switch, thrown or released: always with a reason."""
    on = _on_off(form.get("kill_switch"), "kill_switch")
    return _event(tenant, now_ms, actor, reason_of(form), {"kill_switch": on})


def settings_event(tenant: str, form, *, now_ms: int, actor: str) -> dict:
    """Tenant enabled, send mode, hourly caps and the allowlist, with a reason."""
    mode = form.get("send_mode")
    if mode not in SEND_MODES:
        raise FormError(f"send_mode: {str(mode)[:40]!r} is not one of {', '.join(SEND_MODES)}")
    caps = {name: _cap(form.get(f"cap_{name}", ""), name) for name in DEFAULT_CAPS}
    fields = {"enabled": _on_off(form.get("enabled", "off"), "enabled"), "send_mode": mode, "caps": caps,
              "allowlist": _allowlist(form.get("allowlist", ""))}
    return _event(tenant, now_ms, actor, reason_of(form), fields)


def describe_control(event: dict) -> str:
    """One line for a person: what a control event sets."""
    parts = []
    if event.get("kill_switch") is not None:
        parts.append("kill switch " + ("ON" if event["kill_switch"] else "off"))
    if event.get("enabled") is not None:
        parts.append("enabled" if event["enabled"] else "disabled")
    if event.get("send_mode"):
        parts.append("send mode " + event["send_mode"])
    if event.get("caps"):
        parts.append("caps " + ", ".join(f"{k} {v}" for k, v in sorted(event["caps"].items())))
    if event.get("allowlist") is not None:
        parts.append(f"allowlist of {len(event['allowlist'])}")
    if event.get("goals"):
        parts.append("goals " + ", ".join(f"{k} {v:g}" for k, v in sorted(event["goals"].items())))
    return "; ".join(parts) or "no change"
