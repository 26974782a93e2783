"""Feedback: given deliveries, feedback and ticks, then requests, sentiment, cases and recovery."""
from __future__ import annotations

import pytest

from revloop.processors.sentiment import analyse
from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, state, tick_at
from tests.support.events import DAY, client, contact, event, good_order, touch


def delivered_order(h: Harness, at: int = H0):
    h.feed("client", client("c1", at=at - 10 * DAY))
    h.feed("contact", contact("p1", client_id="c1", at=at - 10 * DAY))
    # In touch (a call the day before): the feedback request is the only email p1 is due.
    h.feed("touch", touch("p1", at=at - DAY))
    h.feed("order", good_order("o1", at=at - 5 * DAY))
    h.feed("order", good_order("o1", at=at, change="delivered"))


def feedback(at, text, rating=None, event_id=None):
    return event("feedback", at=at, event_id=event_id, order_id="o1", client_id="c1", contact_id="p1", text=text,
                 rating=rating)


def test_feedback_is_requested_exactly_seven_days_after_delivery_and_only_once():
    h = Harness()
    delivered_order(h)
    early = tick_at(h, H0 + 7 * DAY - HOUR)
    on_time = tick_at(h, H0 + 7 * DAY)
    later = tick_at(h, H0 + 8 * DAY)

    assert by_rule(h, early, "feedback.request") == []
    [request] = by_rule(h, on_time, "feedback.request", "approved")
    assert request["recipient"] == "p1@lender.example" and request["target_id"] == "o1"
    assert by_rule(h, later, "feedback.request") == []


def test_feedback_is_not_requested_while_a_case_is_open_for_the_order():
    h = Harness()
    delivered_order(h)
    h.feed("feedback", feedback(H0 - DAY, "The inspection was delayed twice and nobody told us.", rating=2))
    assert state(h).feedback_cases["o1"]["status"] == "open"
    assert by_rule(h, tick_at(h, H0 + 7 * DAY), "feedback.request") == []


def test_a_negative_reply_opens_a_case_and_proposes_service_recovery():
    h = Harness()
    delivered_order(h)
    h.feed("feedback", feedback(H0 + 8 * DAY, "The report was late and the appraiser never called back.",
                                rating=2, event_id="fb-1"))
    case = state(h).feedback_cases["o1"]
    assert (case["status"], case["opened_at"], case["opened_by"]) == ("open", H0 + 8 * DAY, "fb-1")
    stored = state(h).feedback["fb-1"]
    assert (stored["order_id"], stored["client_id"], stored["sentiment"]) == ("o1", "c1", "negative")

    [recovery] = by_rule(h, tick_at(h, H0 + 8 * DAY + HOUR), "feedback.service_recovery", "approved")
    assert recovery["kind"] == "escalate" and recovery["target_id"] == f"o1:{H0 + 8 * DAY}"
    assert by_rule(h, tick_at(h, H0 + 8 * DAY + 2 * HOUR), "feedback.service_recovery") == []


def test_a_later_positive_reply_resolves_the_case():
    h = Harness()
    delivered_order(h)
    h.feed("feedback", feedback(H0 + DAY, "Values were wrong, unacceptable.", rating=1))
    h.feed("feedback", feedback(H0 + 3 * DAY, "Thanks, the revision was quick and accurate.", rating=5))
    case = state(h).feedback_cases["o1"]
    assert (case["status"], case["resolved_at"]) == ("resolved", H0 + 3 * DAY)


def test_a_positive_reply_opens_no_case():
    h = Harness()
    delivered_order(h)
    h.feed("feedback", feedback(H0 + 8 * DAY, "Great work, thorough and on time.", rating=5))
    assert state(h).feedback_cases == {}


@pytest.mark.parametrize("text, rating, label", [
    ("The report was late and the appraiser never called back.", None, "negative"),
    ("Great work, thorough and on time.", None, "positive"),
    ("Not happy with the comps.", None, "negative"),
    ("Not bad at all.", None, "positive"),
    ("Received.", None, "neutral"),
    ("The report wasn't on time.", None, "negative"),
    ("", 1, "negative"),
    ("Fine.", 5, "positive"),
    ("Thanks, but it was late and full of errors.", 4, "negative"),
])
def test_sentiment_is_rule_based_on_words_negation_and_rating(text, rating, label):
    assert analyse(text, rating).label == label
