"""Mail rules 65: a time that ends what the request is for, named anywhere in the sender's new text, is the
request's deadline ("The rate lock runs out Friday." a paragraph above "Could you call me tomorrow at 10?"), as the
guide's "tonight ... the rate lock expires tomorrow at noon". Two blind judges (v15, v16) read the guide so; the
classifier only looked in the sentence right before the request, and v15 had seven such misses among its seventeen
wrong times. The sentences here are our own. Not a deadline: a plain "by Monday" in another paragraph (usually some
other matter's, or past), a stake that ends before the window opens, one in quoted text; and a request naming no time
of its own gets none from a stake.
"""
from datetime import datetime

import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Wed, 15 Dec 2027 09:20:00 -0800"}
MS = int(datetime.fromisoformat("2027-12-15T09:20:00-08:00").timestamp() * 1000)
SENDER = "Marco Ilves <milves@rainierhomeloans.example>"


def read(body, subject="Re: 4410 Alder Ct"):
    got = classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)
    assert "explicit_request" in got.labels, got
    return got.requested_time


def iso(t):
    return None if t is None else t.isoformat(timespec="minutes")


@pytest.mark.parametrize("body, window, deadline", [
    ("Hi Dana,\n\nThe borrower's rate lock runs out Friday, so the timing matters.\n\nCould you call me tomorrow at 10?"
     "\n\nMarco", ("2027-12-16T10:00-08:00", "2027-12-16T11:00-08:00"), "2027-12-17T17:00-08:00"),
    ("Underwriting is happy with the revision. We close Friday at 1.\n\nCan you upload the final report tomorrow "
     "morning?", ("2027-12-16T09:00-08:00", "2027-12-16T12:00-08:00"), "2027-12-17T13:00-08:00"),
    ("Our inspection contingency ends Monday.\n\nPlease send someone out to re-measure the garage Thursday.",
     ("2027-12-16T09:00-08:00", "2027-12-16T17:00-08:00"), "2027-12-20T17:00-08:00"),
    ("Hola,\n\nEl cierre es el viernes y el banco todavía no tiene el informe.\n\n¿Me pueden llamar mañana?",
     ("2027-12-16T09:00-08:00", "2027-12-16T17:00-08:00"), "2027-12-17T17:00-08:00"),
])
def test_a_stake_named_elsewhere_is_the_deadline(body, window, deadline):
    w = read(body)
    assert (iso(w.start), iso(w.end)) == window
    assert iso(w.deadline) == deadline


@pytest.mark.parametrize("body", [
    "I was promised the report by Monday. Still nothing in the portal.\n\nCall me today.",
    "The old lock expired this morning, we relocked at a worse rate.\n\nCould you call me tomorrow?",
    "Could you call me tomorrow?\n\nMarco\n\nOn Tue, Dec 14, 2027 at 4:02 PM Dana Roe <dana@example.com> wrote:\n"
    "> Marco, the rate lock runs out Friday per your note.\n> Dana",
])
def test_no_deadline(body):
    w = read(body)
    assert w is not None and w.deadline is None


def test_a_request_naming_no_time_takes_none_from_a_stake():
    assert read("The rate lock runs out Friday.\n\nCan you send me the final report?") is None
