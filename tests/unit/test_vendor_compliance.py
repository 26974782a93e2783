"""Quarterly vendor-manager compliance: given client profiles and ticks, then reminders and escalations."""
from __future__ import annotations

import json

from revloop.processors.vendor_compliance import quarter_of
from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, report, state, tick_at
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
    report(h, reminder, "sent", at=H0 + 60_000)
    assert by_rule(h, tick_at(h, H0 + DAY), "compliance.reminder") == []
    row = state(h).vendor_compliance[("c1", Q)]
    assert (row["profile_status"], row["compliant"], row["reminded_at"]) == ("missing_data", False, H0 + 60_000)
    assert json.loads(row["missing"]) == ["E&O certificate", "W-9"]


def test_an_unanswered_reminder_escalates_to_an_approved_compliance_deadline_task():
    h = Harness()
    missing_profile(h)
    [reminder] = by_rule(h, tick_at(h, H0), "compliance.reminder")   # the reminder
    report(h, reminder, "sent", at=H0)
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
    report(h, by_rule(h, tick_at(h, H0), "compliance.reminder")[0], "sent", at=H0)
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


def test_the_escalation_waits_while_the_reminder_is_approved_but_not_sent():
    h = Harness()
    missing_profile(h)
    [reminder] = by_rule(h, tick_at(h, H0), "compliance.reminder", "approved")
    assert by_rule(h, tick_at(h, H0 + 15 * DAY), "compliance.escalation") == []
    assert by_rule(h, tick_at(h, H0 + 15 * DAY + HOUR), "compliance.reminder") == []   # still pending
    report(h, reminder, "sent", at=H0 + 16 * DAY)
    assert by_rule(h, tick_at(h, H0 + 29 * DAY), "compliance.escalation") == []
    [task] = by_rule(h, tick_at(h, H0 + 30 * DAY), "compliance.escalation", "approved")
    assert json.loads(task["payload_json"])["reminded_at"] == H0 + 16 * DAY


def test_a_cancelled_reminder_is_not_a_reminder_and_is_proposed_again():
    h = Harness()
    missing_profile(h)
    [reminder] = by_rule(h, tick_at(h, H0), "compliance.reminder", "approved")
    report(h, reminder, "cancelled", at=H0 + 60_000, detail="the kill switch is on")
    assert state(h).vendor_compliance[("c1", Q)]["reminded_at"] is None
    [again] = by_rule(h, tick_at(h, H0 + DAY + HOUR), "compliance.reminder", "approved")
    assert again["action_id"] != reminder["action_id"]
    assert by_rule(h, tick_at(h, H0 + 20 * DAY), "compliance.escalation") == []


def test_a_reminder_nobody_can_receive_starts_the_escalation_clock():
    h = Harness()
    h.feed("client", client("c1", at=H0 - DAY, vendor_profile_status="no_access"))     # no contact at all
    [blocked] = by_rule(h, tick_at(h, H0), "compliance.reminder", "blocked")
    assert blocked["policy"] == "no_recipient"
    assert state(h).vendor_compliance[("c1", Q)]["reminded_at"] == H0
    assert by_rule(h, tick_at(h, H0 + 14 * DAY), "compliance.escalation", "approved")
