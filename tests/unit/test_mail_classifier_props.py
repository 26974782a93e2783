"""processors.mail_classifier on arbitrary mail: classification runs once where mail enters, so any
message, however odd, must get a reading (never an exception that would dead-letter a real opt-out
or request), and the reading must hold together: its evidence quotes the text it points at, a card
only comes with a request, machine mail carries its label alone, a time window is in order.

The model is the real one (tests.support.mail)."""
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from revloop.processors.mail_classifier import LABELS, REQUEST_TYPES
from tests.support.mail import classify_text

_PHRASES = [
    "Can you call me tomorrow at 3?", "Please remove me from your list.", "STOP", "unsubscribe",
    "This is the third time I've asked.", "Unacceptable.", "We need the report ASAP, closing is Friday.",
    "Do you do desktop appraisals?", "Our contract renews on 12/31.", "I'm out of the office until Monday.",
    "Thanks!", "Call me crazy, but the value looks low.", "Reply STOP to opt out.", "stop by our office",
    "¿Me puede llamar mañana por la tarde?", "Pode me ligar amanhã?", "pls resend the W-9", "cud u ring me tmrw",
    "To stop receiving these emails: reply STOP or use the unsubscribe link.", "Call me: 555-0100",
    "", " ", "\t", "\u00a0", "\u200b", "🙂", "x" * 300, "ＡＳＡＰ", "\x00", "\r\n", "--", "-- ", "__", ">", "> >",
    "On Mon, Nov 9, 2026 at 9:00 AM Dan <d@example.com> wrote:", "From: Dan\nSent: Monday\nTo: Karen\nSubject: Re:",
    "---------- Forwarded message ---------", "-----Original Message-----", "Sent from my iPhone",
    "CONFIDENTIALITY NOTICE: This e-mail is intended only for the named recipient.", "P.S. can you call me?",
    "Delivery to the following recipient failed permanently:", "Auto-Reply:", "12/31", "by the 1st", "at 3 EST",
]
_HEADERS = st.dictionaries(
    st.sampled_from(["Date", "Auto-Submitted", "X-Autoreply", "Precedence", "List-Unsubscribe", "Content-Type",
                     "X-Failed-Recipients", "Return-Path"]),
    st.sampled_from(["Tue, 10 Nov 2026 10:05:00 -0600", "garbage", "", "auto-replied", "bulk", "list",
                     "<mailto:x@example.com>", "multipart/report; report-type=delivery-status", "<>",
                     "Thu, 31 Dec 9999 23:59:59 +1400"]),
    max_size=4)
_SENDERS = st.sampled_from(["Karen <k@example.com>", "MAILER-DAEMON@mx.example.com", "", "no-reply@example.com",
                            "\"Weird, Name\" <w@example.com>", "not an address", "postmaster@example.com"])


def _text(parts: list[str], joins: list[str]) -> str:
    return "".join(p + j for p, j in zip(parts, joins + [""] * len(parts)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=st.lists(st.sampled_from(_PHRASES), max_size=2).map(" ".join),
       parts=st.lists(st.sampled_from(_PHRASES), max_size=8),
       joins=st.lists(st.sampled_from(["\n", "\n\n", " ", "\n> ", "\n-- \n", "\r\n"]), max_size=8),
       headers=_HEADERS, sender=_SENDERS,
       received=st.one_of(st.none(), st.integers(0, 253_402_300_799_999)))
def test_any_message_gets_a_reading_that_holds_together(subject, parts, joins, headers, sender, received):
    body = _text(parts, joins)
    got = classify_text(subject, body, sender, headers, received_at_ms=received)
    assert set(got.labels) <= set(LABELS) and len(set(got.labels)) == len(got.labels)
    for label in ("bounce", "out_of_office"):
        if label in got.labels:
            assert got.labels == (label,)
    if got.request_type is not None:
        assert got.request_type in REQUEST_TYPES
    if got.card is not None:
        assert "explicit_request" in got.labels
    for e in got.evidence:
        assert e.label in LABELS or (e.label == "bulk" and got.bulk)
        source = {"subject": subject, "body": body}.get(e.source)
        if source is not None:
            assert 0 <= e.start <= e.end <= len(source) and source[e.start:e.end] == e.text, e
    if got.requested_time is not None:
        assert got.requested_time.start <= got.requested_time.end
        if received is not None:
            sent = datetime.fromtimestamp(received / 1000, tz=timezone.utc).replace(second=0, microsecond=0)
            assert got.requested_time.start >= sent


def test_a_bare_stop_is_located_in_the_body_even_when_the_subject_says_it_too():
    # Found by the property above: the evidence pointed into the body at the subject's offsets.
    subject = "To stop receiving these emails: reply STOP or use the unsubscribe link."
    got = classify_text(subject, "STOP", "Karen <k@example.com>", {})
    bare = [e for e in got.evidence if e.rule == "bare_opt_out"]
    assert "opt_out" in got.labels
    assert [(e.source, e.start, e.end, e.text) for e in bare] == [("body", 0, 4, "STOP")]
