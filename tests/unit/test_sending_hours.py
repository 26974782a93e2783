"""Recipients' hours: given contacts where they are and a tick, then an email goes now or waits for 8:00 there.

The rule on its boundaries: 8:00 is inside and 17:00 outside (recipient-local), a Friday 16:59 email
goes and a Friday 17:00 one waits for Monday, a holiday waits for the next working day, Hawaii and
Maine at the same instant are on opposite sides of their windows, a daylight-saving week moves the
window with the recipient, and a contact whose zone cannot be inferred is judged in the tenant's zone.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.processors import local_time
from revloop.processors.sending_window import DEFAULT_WINDOW, calendar_problem, opens_at, window_of, window_problem
from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import tick_event
from tests.support.events import client, contact, event

NY, HONOLULU, LA = ZoneInfo("America/New_York"), ZoneInfo("Pacific/Honolulu"), ZoneInfo("America/Los_Angeles")
WINDOW = window_of(None)


def ms(year, month, day, hour, minute=0, tz=NY, second=0, micro=0) -> int:
    return int(datetime(year, month, day, hour, minute, second, micro, tzinfo=tz).timestamp() * 1000)


# -- the window itself, in one zone ----------------------------------------------------------------------
def test_eight_oclock_local_is_inside_and_a_moment_before_waits_for_it():
    assert opens_at("America/New_York", ms(2026, 9, 22, 8), WINDOW) is None
    assert opens_at("America/New_York", ms(2026, 9, 22, 7, 59, second=59, micro=999_000), WINDOW) \
        == ms(2026, 9, 22, 8)


def test_seventeen_oclock_local_is_outside_and_waits_for_the_next_morning():
    assert opens_at("America/New_York", ms(2026, 9, 22, 16, 59), WINDOW) is None
    assert opens_at("America/New_York", ms(2026, 9, 22, 17), WINDOW) == ms(2026, 9, 23, 8)


def test_a_friday_1659_email_goes_and_a_friday_1700_one_waits_for_monday():
    friday = datetime(2026, 9, 25).weekday()
    assert friday == 4
    assert opens_at("America/New_York", ms(2026, 9, 25, 16, 59), WINDOW) is None
    assert opens_at("America/New_York", ms(2026, 9, 25, 17), WINDOW) == ms(2026, 9, 28, 8)


def test_a_federal_holiday_waits_for_the_next_working_day_unless_the_tenant_keeps_no_calendar():
    columbus_day = ms(2026, 10, 12, 10)                  # a Monday, a US federal holiday
    assert opens_at("America/New_York", columbus_day, WINDOW) == ms(2026, 10, 13, 8)
    assert opens_at("America/New_York", columbus_day, WINDOW, "none") is None
    # The day before Thanksgiving at 17:00 waits past Thursday's holiday to Friday 8:00.
    assert opens_at("America/New_York", ms(2026, 11, 25, 17), WINDOW) == ms(2026, 11, 27, 8)
    # A state's own holiday, in a per-tenant calendar: Cesar Chavez Day is California's, not federal.
    chavez = ms(2026, 3, 31, 10, tz=LA)
    assert opens_at("America/Los_Angeles", chavez, WINDOW, "US") is None
    assert opens_at("America/Los_Angeles", chavez, WINDOW, "US-CA") == ms(2026, 4, 1, 8, tz=LA)


def test_a_daylight_saving_week_keeps_eight_oclock_local_while_utc_moves():
    # Clocks fall back on Sunday 1 Nov 2026: Friday 8:00 EDT is 12:00 UTC, Monday 8:00 EST is 13:00 UTC.
    friday_evening = ms(2026, 10, 30, 17, 30)
    monday_eight = opens_at("America/New_York", friday_evening, WINDOW)
    assert datetime.fromtimestamp(monday_eight / 1000, ZoneInfo("UTC")).hour == 13
    assert monday_eight == ms(2026, 11, 2, 8)
    noon_utc_monday = int(datetime(2026, 11, 2, 12, tzinfo=ZoneInfo("UTC")).timestamp() * 1000)
    noon_utc_friday = int(datetime(2026, 10, 30, 12, tzinfo=ZoneInfo("UTC")).timestamp() * 1000)
    assert opens_at("America/New_York", noon_utc_friday, WINDOW) is None            # 8:00 EDT
    assert opens_at("America/New_York", noon_utc_monday, WINDOW) == noon_utc_monday + 3_600_000   # 7:00 EST
    # Clocks spring forward on Sunday 8 Mar 2026: Monday 8:00 EDT is 12:00 UTC, an hour earlier than Friday's.
    assert opens_at("America/New_York", ms(2026, 3, 6, 18), WINDOW) == \
        int(datetime(2026, 3, 9, 12, tzinfo=ZoneInfo("UTC")).timestamp() * 1000)


def test_a_window_and_a_calendar_are_checked_before_they_are_used():
    assert window_problem(DEFAULT_WINDOW) is None
    assert "before its end" in window_problem({"days": ["mon"], "start": "17:00", "end": "08:00"})
    assert "not one of" in window_problem({"days": ["funday"], "start": "08:00", "end": "17:00"})
    assert "HH:MM" in window_problem({"days": ["mon"], "start": "8", "end": "17:00"})
    assert calendar_problem("US-CA") is None and calendar_problem("none") is None
    assert "not a calendar" in calendar_problem("Narnia")


# -- where each recipient is ---------------------------------------------------------------------------
def test_a_contacts_zone_comes_from_the_closest_thing_known_and_says_how():
    def infer(**kw):
        c = {k: v for k, v in kw.items() if not k.startswith("client_")}
        cl = {k[7:]: v for k, v in kw.items() if k.startswith("client_")}
        return local_time.infer_zone(c, cl or None)

    assert infer(time_zone="America/Denver", zip="04101") == ("America/Denver", "contact")
    assert infer(zip="96813", state="ME") == ("Pacific/Honolulu", "contact_zip")
    assert infer(state="Maine", client_zip="96813") == ("America/New_York", "contact_state")
    assert infer(client_time_zone="America/Phoenix", client_zip="04101") == ("America/Phoenix", "client")
    assert infer(client_zip="60601", client_state="CA") == ("America/Chicago", "client_zip")
    assert infer(client_state="TX") == ("America/Chicago", "client_state")       # two zones: the capital's
    assert infer(phone="(808) 555-0100") == ("Pacific/Honolulu", "phone")
    assert infer(phone="+1 800 555 0100") == (None, "tenant_default")             # toll-free: no one place
    assert infer(time_zone="CST", zip="00000", state="Atlantis") == (None, "tenant_default")


def feed_book(h: Harness, tenant="t1"):
    h.feed("contact", contact("maine", email="ann@lender.example", zip="04101", tenant=tenant))
    h.feed("contact", contact("hawaii", email="kai@lender.example", zip="96813", tenant=tenant))


def decisions(out) -> dict[str, dict]:
    return {a["target_id"]: a for t, a in out if t == "action_decided"}


def test_hawaii_waits_while_maine_is_emailed_at_the_same_instant():
    h = Harness()
    feed_book(h)
    at = ms(2026, 9, 22, 10)                    # Tuesday 10:00 in Maine is 4:00 in Honolulu
    got = decisions(h.feed("tick", tick_event(at)))
    assert got["maine"]["decision"] == "approved"
    assert (got["hawaii"]["decision"], got["hawaii"]["policy"]) == ("deferred", "sending_window")
    assert got["hawaii"]["not_before"] == ms(2026, 9, 22, 8, tz=HONOLULU)
    assert "Pacific/Honolulu" in got["hawaii"]["policy_reason"] and "04:00" in got["hawaii"]["policy_reason"]
    contacts = h.pipeline.state("t1").contacts
    assert (contacts["hawaii"]["local_time_zone"], contacts["hawaii"]["time_zone_source"]) == \
        ("Pacific/Honolulu", "contact_zip")


def test_a_waiting_email_is_decided_once_and_goes_at_the_first_hour_inside_the_window():
    h = Harness()
    feed_book(h)
    first = ms(2026, 9, 22, 10)
    runs = []
    for hour in range(0, 9):                    # 10:00 .. 18:00 in Maine: 4:00 .. 12:00 in Honolulu
        out = h.feed("tick", tick_event(first + hour * 3_600_000))
        runs.append((decisions(out).get("hawaii"), [e for t, e in out if t == "run_record"][0]))
    hawaii = [(d["decision"], d["occurred_at"]) for d, _ in runs if d]
    assert hawaii == [("deferred", first), ("approved", ms(2026, 9, 22, 8, tz=HONOLULU))]
    # The run record counts the email waiting for its recipient's hours every hour until they open.
    waiting = [r["changes"]["emails_waiting_for_window"] for _, r in runs]
    assert waiting == [1, 1, 1, 1, 0, 0, 0, 0, 0]
    assert any("wait for their recipients' hours" in hint for hint in runs[0][1]["hints"])


def test_at_the_gate_a_friday_1659_proposal_goes_and_a_1700_one_waits_for_monday_8_est_across_the_fall_back():
    """The same boundaries through a tick: Friday 30 Oct 2026 in Maine, clocks fall back that Sunday."""
    early, late = Harness(), Harness()
    for h in (early, late):
        h.feed("contact", contact("maine", email="ann@lender.example", zip="04101"))
    assert decisions(early.feed("tick", tick_event(ms(2026, 10, 30, 16, 59))))["maine"]["decision"] == "approved"
    friday_five = decisions(late.feed("tick", tick_event(ms(2026, 10, 30, 17))))["maine"]
    monday_eight_est = ms(2026, 11, 2, 8)
    assert datetime.fromtimestamp(monday_eight_est / 1000, ZoneInfo("UTC")).hour == 13     # EDT Friday was UTC-4
    assert (friday_five["decision"], friday_five["policy"], friday_five["not_before"]) == \
        ("deferred", "sending_window", monday_eight_est)
    # Hourly ticks in UTC over the weekend: nothing is decided again until Monday 13:00 UTC (8:00 EST);
    # 12:00 UTC, which was 8:00 a week earlier, is 7:00 now.
    utc_noon_monday = int(datetime(2026, 11, 2, 12, tzinfo=ZoneInfo("UTC")).timestamp() * 1000)
    first = ms(2026, 10, 30, 18)
    later = [(at, decisions(late.feed("tick", tick_event(at))).get("maine"))
             for at in range(first, utc_noon_monday + 2 * 3_600_000, 3_600_000)]
    assert [(at, d["decision"]) for at, d in later if d] == [(monday_eight_est, "approved")]


def test_a_reply_to_an_explicit_request_and_the_operators_digest_keep_the_tenants_hours():
    from revloop.processors.actions import Proposal
    from revloop.processors.controls import effective_controls
    from revloop.processors.sending_schedule import SENDING_WINDOW, Schedule

    h = Harness()
    feed_book(h)
    state = h.pipeline.state("t1")
    at = ms(2026, 9, 22, 10)                    # 10:00 in New York, the tenant's zone; 4:00 in Honolulu
    schedule = Schedule(state, effective_controls(None, state.controls), at)

    def to_kai(kind, rule):
        return Proposal(kind, rule, "contact", "hawaii", "r", recipient="kai@lender.example")

    answer, check_in, digest = schedule.hold([to_kai("send_email", "replies.answer"),
                                              to_kai("send_email", "engagement.overdue"),
                                              to_kai("send_digest", "people.digest")])
    assert answer is None and digest is None
    assert (check_in.policy, check_in.not_before) == (SENDING_WINDOW, ms(2026, 9, 22, 8, tz=HONOLULU))
    # At 18:00 in New York the tenant's own hours are closed for the answer too, until 8:00 there.
    [evening] = Schedule(state, effective_controls(None, state.controls), ms(2026, 9, 22, 18)).hold(
        [to_kai("send_email", "replies.answer")])
    assert evening.not_before == ms(2026, 9, 23, 8)


def test_a_contact_whose_zone_cannot_be_inferred_keeps_the_tenants_hours():
    h = Harness()
    h.feed("control", event("control", at=ms(2026, 9, 1, 9), time_zone="America/Los_Angeles"))
    h.feed("contact", contact("nowhere", email="someone@lender.example", phone="+1 800 555 0100"))
    row = h.pipeline.state("t1").contacts["nowhere"]
    assert (row["local_time_zone"], row["time_zone_source"]) == (None, "tenant_default")
    got = decisions(h.feed("tick", tick_event(ms(2026, 9, 22, 10))))     # 7:00 in Los Angeles
    assert (got["nowhere"]["decision"], got["nowhere"]["not_before"]) == ("deferred", ms(2026, 9, 22, 8, tz=LA))
    assert "America/Los_Angeles" in got["nowhere"]["policy_reason"]


def test_a_contact_takes_its_clients_zone_whichever_arrives_first():
    at = ms(2026, 9, 1, 9)
    forward, backward = Harness(), Harness()
    forward.feed("client", client("c1", zip="96813", at=at))
    forward.feed("contact", contact("p1", client_id="c1", at=at))
    backward.feed("contact", contact("p1", client_id="c1", at=at))
    assert backward.pipeline.state("t1").contacts["p1"]["time_zone_source"] == "tenant_default"
    backward.feed("client", client("c1", zip="96813", at=at))
    for h in (forward, backward):
        row = h.pipeline.state("t1").contacts["p1"]
        assert (row["local_time_zone"], row["time_zone_source"]) == ("Pacific/Honolulu", "client_zip")


@pytest.mark.parametrize("bad", ["CST", "Mars/Olympus_Mons", "America/Nowhere"])
def test_an_explicit_zone_zoneinfo_does_not_know_is_refused_at_the_edge(bad):
    from revloop.processors.event_checks import check

    with pytest.raises(ValueError, match="not an IANA zone name"):
        check("contact", contact("p1", time_zone=bad))


def test_the_operators_digest_keeps_the_tenants_hours_and_the_nights_cards_wait_for_the_morning_one():
    h = Harness()
    h.feed("control", event("control", at=ms(2026, 9, 1, 9), time_zone="America/Chicago"))
    h.feed("person", event("person", at=ms(2026, 9, 1, 9), person_id="u1", name="Sam Ops", email="sam@us.example",
                           roles=["operator"]))
    h.feed("client", client("c1", at=ms(2026, 9, 1, 9), domains=["lender.example"]))
    h.feed("contact", contact("p1", client_id="c1", at=ms(2026, 9, 1, 9)))
    asked = ms(2026, 9, 22, 21, tz=ZoneInfo("America/Chicago"))           # a request at 21:00, Chicago
    h.feed("gmail_message", event("gmail_message", at=asked, event_id="gmail:t1:m1", mailbox="ops@us.example",
                                  message_id="m1", thread_id="th1", from_header="P <p1@lender.example>",
                                  subject="14 Oak Ln", body_text="Can you call me Thursday at 2pm?"))
    digests, cards_opened = [], []
    for hour in range(1, 13):                                              # 22:00 .. 9:00 Chicago
        out = h.feed("tick", tick_event(asked + hour * 3_600_000))
        cards_opened += [a for t, a in out if t == "action_decided" and a["rule"] == "tasks.client_request"]
        digests += [a for t, a in out if t == "action_decided" and a["rule"] == "people.digest"]
    import json
    # The card opened at 22:00; no digest at night, and the first one, at 8:00 Chicago, carries it.
    assert [a["decision"] for a in cards_opened] == ["approved"]
    assert [(a["decision"], a["occurred_at"]) for a in digests] == [
        ("approved", ms(2026, 9, 23, 8, tz=ZoneInfo("America/Chicago")))]
    assert [c["card_id"] for c in json.loads(digests[0]["payload_json"])["cards"]] == [cards_opened[0]["action_id"]]
