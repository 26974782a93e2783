"""A requested time across a change to or from daylight time. The Date header gives the offset
the sender had when they wrote; the firm's zone (mail_timezone) knows the offset on the day
they name. Read by the real classifier (bundled model, shipped head and rules)."""
from datetime import datetime
from zoneinfo import ZoneInfo

from revloop.processors.mail_classifier import sender_timezone
from tests.support.mail import classify_text

DENVER = ZoneInfo("America/Denver")
SENDER = "Teodora Vasquez <teodora@frontrangecu.example>"


def window(sent: datetime, date_header: str, body: str, zone: str | None = "America/Denver"):
    got = classify_text("Monday", body, SENDER, {"Date": date_header},
                        received_at_ms=int(sent.timestamp() * 1000), default_timezone=zone)
    assert "explicit_request" in got.labels, got
    w = got.requested_time
    return w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes")


def test_a_monday_after_clocks_go_forward_is_at_that_mondays_offset():
    # Friday 12 March 2027 at -07:00; daylight time starts Sunday the 14th.
    sent = datetime(2027, 3, 12, 15, 5, tzinfo=DENVER)
    assert window(sent, "Fri, 12 Mar 2027 15:05:00 -0700", "Can you call me Monday at 10?") == \
        ("2027-03-15T10:00-06:00", "2027-03-15T11:00-06:00")


def test_a_monday_after_clocks_go_back_is_at_that_mondays_offset():
    # Friday 5 November 2027 at -06:00; standard time is back on Sunday the 7th.
    sent = datetime(2027, 11, 5, 11, 30, tzinfo=DENVER)
    assert window(sent, "Fri, 5 Nov 2027 11:30:00 -0600", "Could you call me Monday morning?") == \
        ("2027-11-08T09:00-07:00", "2027-11-08T12:00-07:00")


def test_a_sender_in_another_zone_keeps_their_own_offset():
    # Written at -05:00, New York's offset (not Denver's at that instant): the header is all we know.
    sent = datetime(2027, 3, 12, 17, 5, tzinfo=ZoneInfo("America/New_York"))
    assert window(sent, "Fri, 12 Mar 2027 17:05:00 -0500", "Can you call me Monday at 10?") == \
        ("2027-03-15T10:00-05:00", "2027-03-15T11:00-05:00")


def test_the_zone_is_taken_only_when_the_header_agrees_with_it():
    assert sender_timezone({"Date": "Fri, 12 Mar 2027 15:05:00 -0700"}, "America/Denver") == "America/Denver"
    assert sender_timezone({"Date": "Fri, 12 Mar 2027 15:05:00 -0500"}, "America/Denver") == "-05:00"
    assert sender_timezone({"Date": "Fri, 12 Mar 2027 15:05:00 -0700"}, None) == "-07:00"
    assert sender_timezone({"Date": "Fri, 12 Mar 2027 15:05:00 -0700"}, "-06:00") == "-07:00"
    assert sender_timezone({}, "America/Denver") == "America/Denver"
