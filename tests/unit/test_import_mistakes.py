"""Import catches the mistakes people make, by name; and a tenant no control event enabled is
off for `revloop tick` and for the policy gate alike."""
from __future__ import annotations

import ast
import json
import pathlib

import pytest

from revloop.processors.control_checks import CAP_KINDS, GOAL_NAMES
from revloop.processors.controls import effective_controls, is_enabled
from revloop.processors.event_checks import check as check_content
from revloop.schemas.jsonl import parse_line
from tests.support.cycle_harness import Harness
from tests.support.events import DAY, T0, client, contact, event, touch

ROOT = pathlib.Path(__file__).resolve().parents[2]
AT = "2026-11-25T09:00:00Z"


def judged(obj: dict) -> str:
    """What import says about one line (parse, then the content checks)."""
    try:
        type_name, record = parse_line(json.dumps(obj))
        check_content(type_name, record)
    except ValueError as exc:
        return str(exc)
    return "ok"


def control(**fields):
    return {"type": "control", "event_id": "c1", "tenant_id": "acme", "occurred_at": AT, **fields}


@pytest.mark.parametrize("fields, message", [
    ({"caps": {"email": 10}}, "control: caps: unknown kind(s) 'email'; known: digests, emails, research, sandbox_jobs"),
    ({"caps": {"emails": 10, "sms": 1, "calls": 2}}, "unknown kind(s) 'calls', 'sms'"),
    ({"goals": {"orders_per_months": 40}}, "control: goals: unknown name(s) 'orders_per_months'; known: "),
    ({"goals": {"deal_stall_days.closing": 3}}, "unknown name(s) 'deal_stall_days.closing'"),
    ({"caps": {"emails": -5}}, "control: caps.emails: -5 is negative"),
    ({"caps": {"emails": 2.5}}, "control: caps.emails: want a whole number; got 2.5"),
    ({"send_mode": "live"}, "control: send_mode: 'live' is not one of dry_run, internal_only, limited_live"),
    ({"enabled": "yes"}, 'control: enabled: want true or false; got "yes"'),
])
def test_control_mistakes_are_named(fields, message):
    assert message in judged(control(**fields))


def test_every_known_cap_and_goal_is_accepted():
    assert judged(control(caps={k: 1 for k in CAP_KINDS}, goals={g: 2.0 for g in GOAL_NAMES})) == "ok"


def test_epoch_seconds_are_refused_with_what_to_write_instead():
    line = {"type": "touch", "event_id": "t1", "tenant_id": "acme", "occurred_at": 1764000000, "contact_id": "p1",
            "channel": "call"}
    assert judged(line) == ("touch: occurred_at: 1764000000 looks like epoch seconds; give milliseconds "
                            "(1764000000000) or ISO-8601 (2025-11-24T16:00:00Z)")
    assert judged(dict(line, occurred_at=1764000000000)) == "ok"


@pytest.mark.parametrize("value", [450.5, 450.0, "45000", True])
def test_money_as_a_float_or_text_names_the_field_and_the_unit(value):
    line = {"type": "order", "event_id": "o1", "tenant_id": "acme", "occurred_at": AT, "order_id": "o1",
            "client_id": "c1", "change": "created", "fee_cents": value}
    assert judged(line) == f"order: fee_cents: want money in whole cents, e.g. 45000 for $450.00; got {json.dumps(value)}"


def test_goal_names_are_the_ones_the_processors_read():
    """Every name passed to tuning.setting (or goals.get) in processors is a known goal, so
    the list cannot drift from what the engines read."""
    read = set()
    for path in (ROOT / "revloop/processors").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[1], (ast.Constant,
                                                                                                  ast.JoinedStr)):
                fn = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if fn == "setting" and isinstance(node.args[1], ast.Constant):
                    read.add(node.args[1].value)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "goals" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                read.add(node.args[0].value)
    assert read and read <= set(GOAL_NAMES), read - set(GOAL_NAMES)


# ---- a tenant with no control event ---------------------------------------------------------

def test_enabled_only_by_the_tenants_own_control_and_the_global_one_can_only_switch_off():
    assert not is_enabled(None, None)                                   # no control event at all
    assert not is_enabled({"enabled": True}, None)                      # the global one cannot enable
    assert not is_enabled(None, {"enabled": None, "send_mode": "dry_run"})   # a control without `enabled`
    assert is_enabled(None, {"enabled": True})
    assert not is_enabled({"enabled": False}, {"enabled": True})        # the global one switches everyone off
    assert effective_controls(None, None).enabled is False


def overdue_book(tenant: str) -> list[tuple[str, dict]]:
    return [("client", client("c1", tenant=tenant, at=T0 - 50 * DAY)),
            ("contact", contact("p1", client_id="c1", tenant=tenant, at=T0 - 40 * DAY)),
            ("touch", touch("p1", tenant=tenant, at=T0 - 30 * DAY))]


def test_a_tenant_without_a_control_event_ticked_by_hand_has_every_proposal_blocked():
    h = Harness(enable_all=False)
    for type_name, record in overdue_book("acme"):
        h.feed(type_name, record)
    out = h.tick(T0, tenant="acme")
    decided = h.actions(out)
    assert decided and {a["decision"] for a in decided} == {"blocked"}
    assert {v["policy"] for t, v in out if t == "policy_violation"} == {"tenant_disabled"}


def test_the_same_tenant_once_enabled_gets_its_overdue_contact_proposed():
    h = Harness(enable_all=False)
    for type_name, record in overdue_book("acme"):
        h.feed(type_name, record)
    h.feed("control", event("control", tenant="acme", at=T0 - DAY, enabled=True))
    assert h.actions(h.tick(T0, tenant="acme"), decision="approved")
