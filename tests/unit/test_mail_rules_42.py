"""Mail rules 42: a fourth scratch set (29 messages written after rules 39, weighted to complaints and upsell; not a
probe) failed 9; seven are closed here.

Not complaints: a question about how we did it ("Why does the report use a 4% time adjustment? Just curious.").
Complaints: billed for what did not happen ("charged the rush fee but it wasn't a rush order"), a week past the due
date, scheduling "a headache". Upsell: a new product of the sender's that will need appraisers, coverage of a named
county asked about. Not upsell: orders moving in-house.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 10 Jan 2028 08:50:00 -0500"}
SENDER = "Bartholomew Ng <bng@tristatecu.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS)


def test_a_question_about_our_method_is_no_complaint():
    got = read("time adjustment", "How did the appraiser arrive at a 4% time adjustment on 11 Sumac? Just curious.")
    assert "complaint" not in got.labels


def test_a_method_question_that_calls_it_wrong_still_can_be():
    from revloop.processors import mail_rules
    assert mail_rules.may_be_complaint("Why does the report use the wrong sales date for comp 2?")


@pytest.mark.parametrize("body", [
    "We were billed a trip fee on 11 Sumac but the appraiser never had to go back.",
    "The 11 Sumac report is now two weeks past the due date.",
    "Billing has been a real headache with your office this quarter.",
])
def test_complaints(body):
    assert "complaint" in read("11 Sumac", body).labels


@pytest.mark.parametrize("body", [
    "We're rolling out a construction-to-perm program in April and will need appraisers who know new builds.",
    "Any chance you also cover Butler County? Our Hamilton branch keeps getting requests there.",
])
def test_upsell(body):
    assert "upsell" in read("new business", body).labels


def test_moving_orders_in_house_is_no_upsell():
    assert "upsell" not in read("heads up", "We're bringing most of our orders in-house next quarter.").labels
