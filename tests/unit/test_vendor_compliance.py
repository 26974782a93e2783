"""Quarterly vendor-manager compliance: given client profiles and ticks, then reminders and escalations."""
from __future__ import annotations

import json

from revloop.processors.vendor_compliance import quarter_of
from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, state, tick_at
from tests.support.events import DAY, client, contact

Q = quarter_of(H0)


def missing_profile(h: Harness, **kw):
    h.feed("client", client("c1", at=H0 - DAY, vendor_profile_status="missing_data",
                            vendor_profile_missing=["E&O certificate", "W-9"], **kw))
    h.feed("contact", contact("p1", client_id="c1", at=H0 - DAY))
    h.feed("contact", contact("vm", client_id="c1", at=H0 - DAY, title="Vendor Manager"))


def test_a_missing_profile_gets_one_reminder_a_quarter_to_the_vendor_manager():
    h = Harness()
    missing_profile(h)
    [reminder] = by_rule(h, tick_at(h, H0), "compliance.reminder", "approved")
    assert reminder["recipient"] == "vm@lender.example" and "W-9" in reminder["reason"]
    assert by_rule(h, tick_at(h, H0 + DAY), "compliance.reminder") == []
    row = state(h).vendor_compliance[("c1", Q)]
    assert (row["profile_status"], row["compliant"], row["reminded_at"]) == ("missing_data", False, H0)
    assert json.loads(row["missing"]) == ["E&O certificate", "W-9"]


def test_an_unanswered_reminder_escalates_to_an_approved_compliance_deadline_task():
    h = Harness()
    missing_profile(h)
    tick_at(h, H0)                                                   # the reminder
    early = tick_at(h, H0 + 14 * DAY - HOUR)
    due = tick_at(h, H0 + 14 * DAY)                                  # 14 days after, still missing

    assert by_rule(h, early, "compliance.escalation") == []
    [task] = by_rule(h, due, "compliance.escalation")
    assert (task["kind"], task["decision"], task["policy"]) == ("create_task", "approved", None)
    assert json.loads(task["payload_json"])["task_basis"] == "compliance_deadline"
    assert state(h).vendor_compliance[("c1", Q)]["escalated_at"] == H0 + 14 * DAY
    assert by_rule(h, tick_at(h, H0 + 15 * DAY), "compliance.escalation") == []


def test_a_profile_completed_after_the_reminder_is_not_escalated():
    h = Harness()
    missing_profile(h)
    tick_at(h, H0)
    h.feed("client", client("c1", at=H0 + 3 * DAY, vendor_profile_status="complete"))
    tick_at(h, H0 + 4 * DAY)
    assert by_rule(h, tick_at(h, H0 + 14 * DAY), "compliance.escalation") == []
    row = state(h).vendor_compliance[("c1", quarter_of(H0 + 4 * DAY))]
    assert (row["compliant"], row["reminded_at"], row["escalated_at"]) == (True, H0, None)


def test_a_complete_or_unknown_profile_is_recorded_and_nothing_is_proposed():
    h = Harness()
    h.feed("client", client("c1", at=H0 - DAY, vendor_profile_status="complete"))
    h.feed("client", client("c2", at=H0 - DAY))                      # unknown by default
    out = tick_at(h, H0)
    assert by_rule(h, out, "compliance.reminder") == []
    rows = state(h).vendor_compliance
    assert rows[("c1", Q)]["compliant"] is True and rows[("c2", Q)]["compliant"] is None


def test_every_calendar_quarter_is_checked_again():
    h = Harness()
    missing_profile(h)
    tick_at(h, H0)
    next_quarter = H0 + 100 * DAY
    [reminder] = by_rule(h, tick_at(h, next_quarter), "compliance.reminder", "approved")
    assert quarter_of(next_quarter) != Q and reminder["target_id"].startswith(f"c1:{quarter_of(next_quarter)}")


def test_an_inactive_client_is_not_reminded():
    h = Harness()
    missing_profile(h, active=False)
    assert by_rule(h, tick_at(h, H0), "compliance.reminder") == []
