"""Mail rules 52: a day the sender rules out is never the requested time (the eleventh blind judge: "Wednesday or
Friday? Thursday the seller's not home" was read as Thursday); a course pitch over "Unsubscribe from these emails." is
bulk; a plea for an answer is no task. Our own examples; read by the real classifier."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.support.mail import classify_text

DENVER = ZoneInfo("America/Denver")
SENT = datetime(2028, 2, 14, 9, 30, tzinfo=DENVER)   # a Monday
HEADERS = {"Date": "Mon, 14 Feb 2028 09:30:00 -0700"}
SENDER = "Marisol Ekwueme <mekwueme@larkspurlending.example>"


def window(body):
    got = classify_text("17 Quail Run", body, SENDER, HEADERS, received_at_ms=int(SENT.timestamp() * 1000),
                        default_timezone="America/Denver")
    assert "explicit_request" in got.labels, got.labels
    w = got.requested_time
    return w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes")


@pytest.mark.parametrize("body, want", [
    ("Could your appraiser get in Tuesday or Thursday? Wednesday the tenant's at work until 6.",
     ("2028-02-15T09:00-07:00", "2028-02-17T17:00-07:00")),
    ("Can you re-inspect Thursday or Friday? Wednesday is no good for the owner.",
     ("2028-02-17T09:00-07:00", "2028-02-18T17:00-07:00")),
    ("Please call me Wednesday afternoon. Tuesday I'm not around.",
     ("2028-02-16T12:00-07:00", "2028-02-16T17:00-07:00")),
])
def test_a_day_ruled_out_is_not_the_time(body, want):
    assert window(body) == want


def test_a_day_named_with_what_happens_then_still_counts():
    # "when the seller isn't home" says when to come, it rules nothing out
    assert window("Can you send someone Thursday when the seller isn't home?") == ("2028-02-17T09:00-07:00",
                                                                                 "2028-02-17T17:00-07:00")


# -- the same rules edition: a pitch's footer line, a plea for an answer ------------------------------------------
def test_a_course_pitch_over_an_unsubscribe_line_is_bulk_not_an_opt_out():
    got = classify_text("Finish your CE this month",
                        "Nevada appraisers: your continuing education hours are due. Complete the 15-hour package online "
                        "for $189. Register today and the ethics module is free.\n\nUnsubscribe from these emails.",
                        "CE Direct <news@cedirect.example>", HEADERS)
    assert "opt_out" not in got.labels and got.bulk


def test_a_person_writing_only_the_line_opts_out():
    got = classify_text("Re: Market letter", "Unsubscribe from these emails.", SENDER, HEADERS)
    assert "opt_out" in got.labels


def test_a_plea_for_an_answer_is_a_complaint_not_a_task():
    got = classify_text("Re: 17 Quail Run", "Fourth email now asking if 17 Quail Run got scheduled. "
                        "Could somebody please just reply?", SENDER, HEADERS)
    assert "complaint" in got.labels and "explicit_request" not in got.labels, got.labels
