"""processors.mail_time: a requested time as a window in the sender's local time, relative to the message."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.processors.mail_time import resolve_requested_time

# Tuesday 10 November 2026, 10:05 in Chicago.
SENT = int(datetime(2026, 11, 10, 10, 5, tzinfo=ZoneInfo("America/Chicago")).timestamp() * 1000)


def window(text: str, tz: str = "America/Chicago", other=()):
    w = resolve_requested_time([text], list(other), SENT, tz)
    return None if w is None else (w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes"),
                                   w.deadline.isoformat(timespec="minutes") if w.deadline else None)


@pytest.mark.parametrize("text, expected", [
    ("Can you call me tomorrow at 3pm?", ("2026-11-11T15:00-06:00", "2026-11-11T16:00-06:00", None)),
    ("cud u ring me tmrw 10", ("2026-11-11T10:00-06:00", "2026-11-11T11:00-06:00", None)),
    ("Call me Thursday.", ("2026-11-12T09:00-06:00", "2026-11-12T17:00-06:00", None)),
    ("Can we meet sometime next week?", ("2026-11-16T09:00-06:00", "2026-11-20T17:00-06:00", None)),
    ("Please send it by Friday.", ("2026-11-10T10:05-06:00", "2026-11-13T17:00-06:00", "2026-11-13T17:00-06:00")),
    ("Please call me this afternoon.", ("2026-11-10T12:00-06:00", "2026-11-10T17:00-06:00", None)),
    ("¿Me puede llamar mañana por la tarde?", ("2026-11-11T12:00-06:00", "2026-11-11T17:00-06:00", None)),
    ("Llámame el jueves.", ("2026-11-12T09:00-06:00", "2026-11-12T17:00-06:00", None)),
    ("Can you reinspect on 11/14 at 10am?", ("2026-11-14T10:00-06:00", "2026-11-14T11:00-06:00", None)),
    ("first thing Monday please", ("2026-11-16T08:00-06:00", "2026-11-16T10:00-06:00", None)),
])
def test_windows_follow_the_labelling_guide(text, expected):
    assert window(text) == expected


def test_the_senders_offset_from_the_date_header_is_used():
    assert window("Call me tomorrow at 3pm.", tz="-05:00")[0] == "2026-11-11T15:00-05:00"


def test_a_deadline_in_the_sentence_after_the_request_is_kept():
    assert window("Can you call me tonight? We lose the rate lock tomorrow at noon.") == (
        "2026-11-10T17:00-06:00", "2026-11-10T21:00-06:00", "2026-11-11T12:00-06:00")


def test_no_time_named_is_no_window():
    assert window("Can you send me the invoice?") is None


def test_a_weekday_named_on_that_weekday_is_ambiguous():
    w = resolve_requested_time(["Call me Tuesday."], [], SENT, "America/Chicago")
    assert w.ambiguous and w.start.isoformat(timespec="minutes") == "2026-11-17T09:00-06:00"
