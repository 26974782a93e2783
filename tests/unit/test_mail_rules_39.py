"""Mail rules 39: a third scratch set of paraphrases (34 messages written after rules 38; not a probe).

It found: times said "tomorrow between 10 and noon" (read as noon), "tonight after 7" (read as 07:00
tomorrow), and "I'm at a closing Monday morning" beside the ask (the closing read as a deadline: it is
the sender's absence); "please send future mail there" in a moving notice read as a task; "Let me know
if you need anything else from me" read as upsell; "needs to be revisited by your appraiser" missed as
a request; photos "of the house next door" missed as a complaint.
"""
from datetime import datetime

import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Thu, 16 Dec 2027 13:25:00 -0800"}
MS = int(datetime.fromisoformat("2027-12-16T13:25:00-08:00").timestamp() * 1000)
SENDER = "Anneliese Roth <aroth@cascadiahomeloans.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)


@pytest.mark.parametrize("body, expected", [
    ("Could you ring me tomorrow between 9 and noon?", ("2027-12-17T09:00-08:00", "2027-12-17T12:00-08:00")),
    ("Can you give me a call tonight after 8? Kids are asleep by then.", ("2027-12-16T20:00-08:00", "2027-12-16T21:00-08:00")),
    ("Could someone call me Tuesday afternoon? I'm at a closing Tuesday morning.",
     ("2027-12-21T12:00-08:00", "2027-12-21T17:00-08:00")),
])
def test_times(body, expected):
    got = read("call", body)
    assert "explicit_request" in got.labels, got
    w = got.requested_time
    assert (w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes")) == expected
    assert w.deadline is None


def test_a_moving_notice_is_no_task():
    got = read("We've moved", "Heads up: our branch moves to 90 Harbor Way on January 10. Please send future mail there.")
    assert "explicit_request" not in got.labels


def test_anything_else_is_a_courtesy_not_upsell():
    assert "upsell" not in read("Re: 3 Fir", "Let me know if you need anything else from me for 3 Fir.").labels


def test_a_need_addressed_to_our_appraiser_is_a_request():
    assert "explicit_request" in read("3 Fir", "The view rating needs to be revisited by your appraiser.").labels


def test_photos_of_the_house_next_door_are_a_complaint():
    got = read("3 Fir photos", "The front photos in the 3 Fir report are of the house next door. Please have the "
                               "appraiser go back out.")
    assert {"complaint", "explicit_request"} <= set(got.labels)
