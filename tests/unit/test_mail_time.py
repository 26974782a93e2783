"""processors.mail_time: a requested time as a window in the sender's local time, relative to the message."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

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


def test_a_window_after_the_requests_own_deadline_gives_way_to_the_deadline():
    # "next week" is when the sender is away; "before Friday" is when they asked for the call.
    assert window("I'm on vacation next week so call me before Friday to go over the numbers.") == (
        "2026-11-10T10:05-06:00", "2026-11-13T17:00-06:00", "2026-11-13T17:00-06:00")


def test_the_week_of_a_date_is_that_weeks_working_days():
    assert window("We'd like to book the inspection. Week of the 16th?") == (
        "2026-11-16T09:00-06:00", "2026-11-20T17:00-06:00", None)
    # a mid-week date: the week it falls in
    assert window("Can you come out the week of 11/25?") == ("2026-11-23T09:00-06:00", "2026-11-27T17:00-06:00", None)


@pytest.mark.parametrize("text, expected", [
    # (written on a Tuesday: "next Wednesday" is the first one after it)
    ("Can we push the appt at 12 Fern Ct to next Wednesday?", ("2026-11-11T09:00-06:00", "2026-11-11T17:00-06:00", None)),
    # a zone is no street either; 3 Eastern is 2 in the sender's Chicago
    ("Can you call me tomorrow at 3 Eastern?", ("2026-11-11T14:00-06:00", "2026-11-11T15:00-06:00", None)),
])
def test_a_number_before_a_street_name_is_an_address_not_a_clock(text, expected):
    assert window(text) == expected


def test_event_words_make_a_deadline_here_and_in_another_sentence():
    # "the wire goes out at 3": the invoice is needed before then.
    assert window("ASAP - need the invoice for 12 Poplar, the wire goes out at 3.") == (
        "2026-11-10T10:05-06:00", "2026-11-10T15:00-06:00", "2026-11-10T15:00-06:00")
    assert window("Please get someone out there today.", other=["Closing is TOMORROW at 10am and we still need it."]) == (
        "2026-11-10T10:05-06:00", "2026-11-10T17:00-06:00", "2026-11-11T10:00-06:00")


def test_an_until_elsewhere_is_not_a_deadline_of_the_request():
    # "until Monday" says when the sender is away, not by when the call must happen.
    assert window("Can you call me Tuesday afternoon?", other=["I'm out of the office until Monday."]) == (
        "2026-11-17T12:00-06:00", "2026-11-17T17:00-06:00", None)


def test_another_sentences_deadline_before_the_window_is_another_matters():
    assert window("Can you hop on a quick call with me next week?", other=["Really tight timeline, closing is Friday."]) \
        == ("2026-11-16T09:00-06:00", "2026-11-20T17:00-06:00", None)


@pytest.mark.parametrize("text, expected", [
    # "swing by" is a visit, and "Wed AM" that day's morning
    ("Could someone swing by Wed AM to look at the roof?", ("2026-11-11T09:00-06:00", "2026-11-11T12:00-06:00", None)),
    ("can u come by tmrw pm?", ("2026-11-11T12:00-06:00", "2026-11-11T17:00-06:00", None)),
    # a weekday and its date are one day, and the clock after them holds
    ("can you do a site visit on Monday the 16th around noon?",
     ("2026-11-16T12:00-06:00", "2026-11-16T13:00-06:00", None)),
    ("Can you come out Thursday between 10 and 2?", ("2026-11-12T10:00-06:00", "2026-11-12T14:00-06:00", None)),
    ("Could we do 10am-12pm Friday?", ("2026-11-13T10:00-06:00", "2026-11-13T12:00-06:00", None)),
    # each day keeps its own part
    ("Can you reinspect Friday morning or Monday afternoon?",
     ("2026-11-13T09:00-06:00", "2026-11-16T17:00-06:00", None)),
    ("call me tomorrow, any time before noon",
     ("2026-11-10T10:05-06:00", "2026-11-11T12:00-06:00", "2026-11-11T12:00-06:00")),
    ("give me a ring anytime after 3 today", ("2026-11-10T15:00-06:00", "2026-11-10T17:00-06:00", None)),
    ("call me after lunch", ("2026-11-10T13:00-06:00", "2026-11-10T17:00-06:00", None)),
    ("call me in an hour", ("2026-11-10T11:05-06:00", "2026-11-10T12:05-06:00", None)),
    ("Call me at 4:30 pm EST", ("2026-11-10T15:30-06:00", "2026-11-10T16:30-06:00", None)),
    # a lone ordinal is the next such day of a month, never a month
    ("quote by the 1st please", ("2026-11-10T10:05-06:00", "2026-12-01T17:00-06:00", "2026-12-01T17:00-06:00")),
    ("quote by the 1st of December please",
     ("2026-11-10T10:05-06:00", "2026-12-01T17:00-06:00", "2026-12-01T17:00-06:00")),
    ("Pode me ligar amanhã de manhã?", ("2026-11-11T09:00-06:00", "2026-11-11T12:00-06:00", None)),
    ("Você pode vir na sexta-feira à tarde?", ("2026-11-13T12:00-06:00", "2026-11-13T17:00-06:00", None)),
    ("pode ligar às 3 da tarde?", ("2026-11-10T15:00-06:00", "2026-11-10T16:00-06:00", None)),
    ("llámeme a las 3 de la tarde", ("2026-11-10T15:00-06:00", "2026-11-10T16:00-06:00", None)),
    ("me puede llamar mañana temprano?", ("2026-11-11T08:00-06:00", "2026-11-11T10:00-06:00", None)),
    ("can you come early tomorrow?", ("2026-11-11T08:00-06:00", "2026-11-11T10:00-06:00", None)),
    # a weekday with "next week" is that day of next week, not the week
    ("Can we meet Tuesday next week?", ("2026-11-17T09:00-06:00", "2026-11-17T17:00-06:00", None)),
    ("how about the week after next?", ("2026-11-23T09:00-06:00", "2026-11-27T17:00-06:00", None)),
    ("can we meet mid next week?", ("2026-11-17T09:00-06:00", "2026-11-19T17:00-06:00", None)),
    ("could the inspector come this weekend?", ("2026-11-14T09:00-06:00", "2026-11-15T17:00-06:00", None)),
    ("please send within 24 hours", ("2026-11-10T10:05-06:00", "2026-11-11T10:05-06:00", "2026-11-11T10:05-06:00")),
    ("please send the revised 1004 within 3 days",
     ("2026-11-10T10:05-06:00", "2026-11-13T17:00-06:00", "2026-11-13T17:00-06:00")),
    ("call me tonight after 6", ("2026-11-10T18:00-06:00", "2026-11-10T21:00-06:00", None)),
    ("call me at half past 2", ("2026-11-10T14:30-06:00", "2026-11-10T15:30-06:00", None)),
    ("call me at quarter to 4", ("2026-11-10T15:45-06:00", "2026-11-10T16:45-06:00", None)),
    ("can you call at 2ish?", ("2026-11-10T14:00-06:00", "2026-11-10T15:00-06:00", None)),
    # two hours offered: from the first to an hour after the second, on the day named after them
    ("Can you call me Thursday at 9 or 10?", ("2026-11-12T09:00-06:00", "2026-11-12T11:00-06:00", None)),
    ("can you call me at 3 or 4 tomorrow", ("2026-11-11T15:00-06:00", "2026-11-11T17:00-06:00", None)),
    ("please call me at 10:30 or 11 on Monday", ("2026-11-16T10:30-06:00", "2026-11-16T12:00-06:00", None)),
    ("call me at 11 or 1 tomorrow", ("2026-11-11T11:00-06:00", "2026-11-11T14:00-06:00", None)),
    # two days of one month offered
    ("Can you do the reinspection on the 18th or 19th?", ("2026-11-18T09:00-06:00", "2026-11-19T17:00-06:00", None)),
    ("Can you do the reinspection on Dec 3 or 4?", ("2026-12-03T09:00-06:00", "2026-12-04T17:00-06:00", None)),
    # a range keeps both ends in a named zone, and "2-4pm" is a range
    ("Call me between 2 and 4 pm EST", ("2026-11-10T13:00-06:00", "2026-11-10T15:00-06:00", None)),
    ("call me tomorrow 2-4pm Pacific", ("2026-11-11T16:00-06:00", "2026-11-11T18:00-06:00", None)),
    ("call me at 2 or 3 pm EST Friday", ("2026-11-13T13:00-06:00", "2026-11-13T15:00-06:00", None)),
    # "after" a day: the week that follows it
    ("please schedule the inspection after the 15th", ("2026-11-16T09:00-06:00", "2026-11-22T17:00-06:00", None)),
    ("please come by after Monday", ("2026-11-17T09:00-06:00", "2026-11-23T17:00-06:00", None)),
])
def test_times_as_people_write_them(text, expected):
    assert window(text) == expected


@pytest.mark.parametrize("text", [
    "we have 3 or 4 orders for you, call me tomorrow",      # counts of things are no hours
    "the 3rd or 4th floor unit needs a reinspection tomorrow",
])
def test_numbers_near_a_time_are_not_offered_times(text):
    assert window(text) == ("2026-11-11T09:00-06:00", "2026-11-11T17:00-06:00", None)


def test_an_event_in_some_days_is_no_window():
    assert window("Can you walk me through comps by phone next Tuesday? We close in two days.") == (
        "2026-11-17T09:00-06:00", "2026-11-17T17:00-06:00", None)


def test_a_weekday_that_agrees_with_its_date_settles_the_date():
    # 11/12 alone could be read day/month; "Thu" says it is Thursday 12 November
    w = resolve_requested_time(["can you come Thu 11/12 at 2?"], [], SENT, "America/Chicago")
    assert not w.ambiguous and w.start.isoformat(timespec="minutes") == "2026-11-12T14:00-06:00"
    w = resolve_requested_time(["can you come Fri 11/12 at 2?"], [], SENT, "America/Chicago")
    assert w.ambiguous and "not a Friday" in w.note


_WORDS = ["call", "me", "by", "before", "after", "at", "around", "between", "and", "or", "/", "swing", "Thursday", "Thu",
          "tomorrow", "tmrw", "today", "tonight", "next", "this", "week", "weekend", "mid", "the", "15th", "1st", "of",
          "December", "11/12", "12/3", "3", "10", "2pm", "9:30am", "noon", "noonish", "2ish", "half", "past", "quarter",
          "to", "morning", "afternoon", "evening", "AM", "pm", "EST", "Pacific", "first", "thing", "early", "EOD",
          "within", "in", "an", "hour", "24", "hours", "days", "mañana", "temprano", "a las", "de la", "tarde", "amanhã",
          "de manhã", "sexta-feira", "à tarde", "el", "viernes", "any time", "lunch", ",", "?", "expires", "closing is"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9),
       st.sampled_from(["America/Chicago", "-05:00", "Europe/Madrid", None]))
def test_any_mix_of_time_words_gives_a_window_that_opens_at_or_after_the_message(words, tz):
    # Classification runs once where mail enters: a time it cannot make sense of is no window,
    # never an exception, and a window never opens before the message nor closes before it opens.
    w = resolve_requested_time([" ".join(words)], [], SENT, tz)
    if w is not None:
        sent = datetime.fromtimestamp(SENT / 1000, tz=w.start.tzinfo).replace(second=0, microsecond=0)
        assert w.start >= sent
        assert w.end >= w.start
