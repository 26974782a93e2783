"""Mail rules 31: where a request's time is said.

A time is often not in the sentence that asks: the subject asks and the body gives the hour, the
need and its deadline come one sentence before the ask, or the sender says later in the paragraph
when they can be reached. And phone typing shortens "before" and "afternoon". Each case below is
read by the real classifier (the bundled model, the shipped head and rules) at the message's own
time, Wednesday 13 January 2027, 09:40 in Denver.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.processors.mail_time import resolve_requested_time
from tests.support.mail import classify_text

DENVER = ZoneInfo("America/Denver")
SENT = datetime(2027, 1, 13, 9, 40, tzinfo=DENVER)
MS = int(SENT.timestamp() * 1000)
HEADERS = {"Date": "Wed, 13 Jan 2027 09:40:00 -0700"}
SENDER = "Marisol Okonkwo <marisol@plainsbank.example>"


def requested(subject: str, body: str):
    """The requested time the classifier reads in a message it must read as a request."""
    got = classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)
    assert "explicit_request" in got.labels, got
    return got.requested_time


def read(subject: str, body: str):
    w = requested(subject, body)
    return None if w is None else (w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes"),
                                   w.deadline.isoformat(timespec="minutes") if w.deadline else None)


def window(text: str, other=()):
    w = resolve_requested_time([text], list(other), MS, "America/Denver")
    return None if w is None else (w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes"),
                                   w.deadline.isoformat(timespec="minutes") if w.deadline else None)


def test_a_subject_that_asks_takes_the_hour_the_body_names():
    # The subject's "today" is the vaguer way of saying the body's 3:15 Central (14:15 in Denver).
    assert read("ring me today?", "Could you ring me at 3:15 pm Central today? Tied up in a title meeting till then.\n\nMarisol") == \
        ("2027-01-13T14:15-07:00", "2027-01-13T15:15-07:00", None)


def test_a_window_holding_another_is_the_vaguer_one():
    assert window("Call me Friday, ideally Friday at 10.") == ("2027-01-15T10:00-07:00", "2027-01-15T11:00-07:00", None)
    # Two separate windows: the earliest still wins.
    assert window("Call me Thursday or Friday morning.")[0] == "2027-01-14T09:00-07:00"


def test_a_firm_deadline_set_out_before_the_ask_is_its_time():
    body = ("Underwriting wants the corrected sketch on 9 Larkspur Ln before 1pm today or the file misses funding. "
            "Could you get it uploaded as soon as it is fixed?\n\nThanks, Marisol")
    assert read("sketch correction - 9 Larkspur", body) == \
        ("2027-01-13T09:40-07:00", "2027-01-13T13:00-07:00", "2027-01-13T13:00-07:00")


def test_a_deadline_that_is_not_firm_stays_out():
    # "the sale closes ..." two sentences away is another matter's; the ask names no time.
    body = ("Our borrower is thrilled with the house. The sale closes on the 29th. "
            "Please send the invoice for 9 Larkspur to accounts payable.\n\nMarisol")
    assert requested("invoice", body) is None


@pytest.mark.parametrize("body, expected", [
    # the sender says when they can be reached, two sentences after the ask
    ("Please give me a call about the condition rating on 31 Aspen. Our underwriter flagged it. "
     "I'm available after 3 today.\n\nMarisol", ("2027-01-13T15:00-07:00", "2027-01-13T17:00-07:00", None)),
    # the ask is repeated later in the paragraph, with its time
    ("Can you reach the listing agent to set the re-inspection? His number is 720-555-0144. "
     "His phone is off during showings, so call him after 1.\n\nMarisol", ("2027-01-13T13:00-07:00", "2027-01-13T17:00-07:00", None)),
    # a day that would suit them, in the third sentence
    ("Would your reviewer have time for a short meeting with our closers? We are changing our condo checklist. "
     "Monday or Tuesday afternoon next week would suit us best.\n\nMarisol",
     ("2027-01-18T12:00-07:00", "2027-01-19T17:00-07:00", None)),
    # Portuguese: "estarei em casa" (I'll be home)
    ("Vocês podem mandar o vistoriador de volta para fotografar o telhado? O banco pediu fotos novas. "
     "Na sexta-feira à tarde estarei em casa.\n\nObrigada", ("2027-01-15T12:00-07:00", "2027-01-15T17:00-07:00", None)),
])
def test_a_time_said_later_in_the_paragraph(body, expected):
    assert read("31 Aspen", body) == expected


def test_a_later_sentence_that_neither_asks_nor_says_when_is_not_the_time():
    body = ("Please send over the final report for 31 Aspen. The lender signed off on the rest. "
            "Our branch is closed Monday for the holiday.\n\nMarisol")
    assert requested("report", body) is None


def test_a_time_in_another_paragraph_is_not_the_time():
    body = ("Please send over the final report for 31 Aspen.\n\n"
            "Separately, I'm available after 3 today if your reviewer wants to talk about the Elm file.\n\nMarisol")
    assert requested("report", body) is None


@pytest.mark.parametrize("text, expected", [
    ("can u call me b4 4 today", ("2027-01-13T09:40-07:00", "2027-01-13T16:00-07:00", "2027-01-13T16:00-07:00")),
    ("need it b4 noon", ("2027-01-13T09:40-07:00", "2027-01-13T12:00-07:00", "2027-01-13T12:00-07:00")),
    ("pls call this aft", ("2027-01-13T12:00-07:00", "2027-01-13T17:00-07:00", None)),
])
def test_phone_typing(text, expected):
    assert window(text) == expected
