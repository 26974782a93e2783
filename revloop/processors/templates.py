"""Email templates as events: checked when loaded, rendered sandboxed, never sent half filled.

A `template` event is one version of one template (processors.template_defaults ships
version 1 of each). Loading refuses a template whose text uses a variable it does not
declare, or that does not parse, so a broken edit fails at once, not at send time
(processors.event_checks). Rendering runs Jinja2's SandboxedEnvironment with
StrictUndefined: a required variable that is absent or empty, or any use of an
undefined name, makes the email unfillable, and the sender holds it with the reason.

Variables come from the approved action's payload (the facts the engine put there:
the deal's next step, the bid's amount, the order's delivery date, ...), formatted for
people: money as $1,234.50, dates as "Mon 21 Sep 2026" (UTC, from the event's time).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from revloop.processors.engine import Engine
from revloop.processors.rows import Touched, newer, stamp
from revloop.processors.table_def import table
from revloop.processors.template_defaults import DEFAULTS

if TYPE_CHECKING:
    from revloop.processors.state import TenantState

DEFAULT_VERSION = 1
_TEXT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_HTML = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)


class TemplateRefused(ValueError):
    """A template that must not be loaded: it does not parse or uses an undeclared variable."""


class Unfillable(ValueError):
    """This email cannot be filled from its action: it is held, never sent half filled."""


@dataclass(frozen=True)
class Rendered:
    template_id: str
    version: int
    subject: str
    text: str
    html: str | None


def check_template(e: dict) -> None:
    """Raise TemplateRefused naming what is wrong with a template event."""
    label = f"template {e['template_id']} v{e['version']}"
    if e["version"] < 1:
        raise TemplateRefused(f"{label}: versions start at 1")
    declared = [v["name"] for v in e["variables"]]
    if len(set(declared)) != len(declared):
        raise TemplateRefused(f"{label}: a variable is declared twice")
    if not e["subject"].strip() or not e["text_body"].strip():
        raise TemplateRefused(f"{label}: needs a subject and a text body")
    used: set[str] = set()
    for name, source in (("subject", e["subject"]), ("text_body", e["text_body"]), ("html_body", e.get("html_body"))):
        if source is None:
            continue
        try:
            used |= meta.find_undeclared_variables((_HTML if name == "html_body" else _TEXT).parse(source))
        except TemplateError as exc:
            raise TemplateRefused(f"{label}: {name} does not parse: {exc}") from None
    unknown = sorted(used - set(declared))
    if unknown:
        raise TemplateRefused(f"{label} uses undeclared variable(s): {', '.join(unknown)}")


def default_event(template_id: str, tenant_id: str, at: int) -> dict:
    """The shipped default of a template as its version-1 event."""
    d = DEFAULTS[template_id]
    return {"event_id": f"template:{tenant_id}:{template_id}:v{DEFAULT_VERSION}", "tenant_id": tenant_id,
            "occurred_at": at, "template_id": template_id, "version": DEFAULT_VERSION, "kind": d["kind"],
            "subject": d["subject"], "text_body": d["text_body"], "html_body": d.get("html_body"),
            "variables": [dict(v) for v in d["variables"]], "description": d.get("description")}


def apply_template(state: TenantState, e: dict) -> Touched:
    key = (e["template_id"], e["version"])
    if not newer(e, state.templates.get(key)):
        return []
    state.template_latest[e["template_id"]] = max(state.template_latest.get(e["template_id"], 0), e["version"])
    state.templates[key] = stamp({
        "tenant_id": state.tenant_id, "template_id": e["template_id"], "version": e["version"], "kind": e["kind"],
        "subject": e["subject"], "text_body": e["text_body"], "html_body": e.get("html_body"),
        "variables": json.dumps(e["variables"], sort_keys=True), "description": e.get("description"),
        "loaded_at": e["occurred_at"]}, e)
    return [("templates", key)]


def current(state: TenantState, template_id: str) -> dict | None:
    """The highest version the log holds, else the shipped default (version 1), else None."""
    latest = state.template_latest.get(template_id)
    if latest is not None:
        return state.templates[(template_id, latest)]
    if template_id in DEFAULTS:
        e = default_event(template_id, state.tenant_id, 0)
        return {**e, "variables": json.dumps(e["variables"], sort_keys=True)}
    return None


# ---- variables from an action's payload ------------------------------------------------------------

def money(cents) -> str | None:
    return None if cents is None else f"${cents / 100:,.2f}"


def day(ms) -> str | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%a %d %b %Y")


def hour(ms) -> str | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%a %d %b %Y %H:%M UTC")


def first_name(name) -> str | None:
    return name.split()[0] if isinstance(name, str) and name.split() else None


def variables_of(action: dict, payload: dict) -> dict:
    """Every variable any template may use, from the payload's facts (None where unknown)."""
    v = dict(payload)
    v.update(contact_first_name=first_name(payload.get("contact_name")),
             amount=money(payload.get("amount_cents")), due_date=day(payload.get("due_at")),
             submitted_date=day(payload.get("submitted_at")), delivered_date=day(payload.get("delivered_at")),
             last_email_date=day(payload.get("last_touch_at")), missing_items=payload.get("missing"),
             hour=hour(payload.get("as_of")))
    return v


def _empty(value) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value) \
        or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=512)
def _compiled(source: str, html: bool):
    return (_HTML if html else _TEXT).from_string(source)


def render(template: dict, variables: dict) -> Rendered:
    """Fill a template row (or default) from variables; raise Unfillable with the reason."""
    label = f"template {template['template_id']} v{template['version']}"
    declared = json.loads(template["variables"]) if isinstance(template["variables"], str) else template["variables"]
    missing = [d["name"] for d in declared if d["required"] and _empty(variables.get(d["name"]))]
    if missing:
        raise Unfillable(f"{label} cannot be filled: {', '.join(missing)} missing or empty")
    values = {d["name"]: variables.get(d["name"]) for d in declared}
    try:
        subject = " ".join(_compiled(template["subject"], False).render(values).split())
        text = _compiled(template["text_body"], False).render(values)
        html = _compiled(template["html_body"], True).render(values) if template.get("html_body") else None
    except TemplateError as exc:
        raise Unfillable(f"{label} cannot be filled: {exc}") from None
    if not subject or not text.strip():
        raise Unfillable(f"{label} rendered an empty subject or body")
    return Rendered(template["template_id"], template["version"], subject, text, html)


def render_action(state: TenantState, action: dict) -> Rendered:
    """The email an approved action stands for, from the tenant's current template of its name."""
    template_id = action.get("template")
    if not template_id:
        raise Unfillable(f"a {action.get('kind')} action ({action.get('rule')}) names no template")
    template = current(state, template_id)
    if template is None:
        raise Unfillable(f"no template named {template_id}")
    if template["kind"] != action.get("kind"):
        raise Unfillable(f"template {template_id} is for {template['kind']}, not {action.get('kind')}")
    payload = json.loads(action.get("payload_json") or action.get("payload") or "{}")
    return render(template, variables_of(action, payload))


ENGINE = Engine(
    name="templates",
    state={"templates": dict,          # (template id, version) -> row
           "template_latest": dict},   # template id -> its highest version
    tables=(table("templates", ("template_id", "version"),
                  ("template_id", "text"), ("version", "bigint"), ("kind", "text"), ("subject", "text"),
                  ("text_body", "text"), ("html_body", "text"), ("variables", "json"), ("description", "text"),
                  ("loaded_at", "ts")),),
    rows_of={"templates": "templates"},
    apply={"template": apply_template},
)
