"""Checks beyond the schema, by event type: what `revloop import` refuses and the worker dead-letters.

check(type_name, event) raises ValueError with a one-line reason. A schema says what
shape an event has; these say whether its content can be used at all (a template that
would fail at send time is refused when it is loaded).
"""
from __future__ import annotations

from revloop.processors import control_checks, local_time, templates

CHECKS = {"template": templates.check_template, "control": control_checks.check_control,
          "contact": lambda e: local_time.check_zone_field("contact", e),
          "client": lambda e: local_time.check_zone_field("client", e)}


def check(type_name: str, event: dict) -> None:
    rule = CHECKS.get(type_name)
    if rule is not None:
        rule(event)
