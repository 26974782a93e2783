"""Email content for engagement actions: short, plain, and honest about who is writing.

The emitters choose a template name; this fills it in from the action's payload.
"""
from __future__ import annotations

import json

TEMPLATES = {
    "introduction": ("Introducing our appraisal team",
                     "Hi {name},\n\nWe handle appraisals and inspections for lenders in your region and would be "
                     "glad to be a resource on your next order. Reply here with any questions about turn "
                     "times or coverage.\n"),
    "check_in": ("Checking in",
                 "Hi {name},\n\nA quick check-in: is there anything we can help with on current or upcoming "
                 "orders?\n"),
    "check_in_overdue": ("It has been a while",
                         "Hi {name},\n\nIt has been a few weeks since we last spoke. Anything we can help with on "
                         "your pipeline? We can usually confirm turn times within the hour.\n"),
}
FOLLOW_UP = ("Following up", "Hi {name},\n\nFollowing up on my last note, in case it got buried.\n")


def render(action: dict) -> dict | None:
    """subject/text for an approved email action, or None when no template fits."""
    payload = json.loads(action.get("payload_json") or "{}")
    if action.get("kind") == "follow_up":
        subject, body = FOLLOW_UP
    elif action.get("template") in TEMPLATES:
        subject, body = TEMPLATES[action["template"]]
    else:
        return None
    name = (payload.get("contact_name") or "there").split(" ")[0]
    return {"subject": subject, "text": body.format(name=name)}
