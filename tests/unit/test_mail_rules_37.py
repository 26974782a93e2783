"""Mail rules 37: the shapes of rules 35-36 said in other words (a scratch set of paraphrases, not a probe).

Paraphrasing the tenth judge's shapes once more found five gaps: a visit asked with "come by" and a day
("can the appraiser come by Saturday morning?"), our work needed again with "gonna need those
retaken", "would have been nice to get a heads-up" (displeasure said indirectly), our report's figure
said alone beside another source's ("MLS says 8,700 sf. The report shows 9,100. Not sure which to
trust.": a question, no complaint), and a subject "Following up on ..." over a status question (a
nudge, no task). A notice asking everyone to update their contact info is no task either.
"""
from datetime import datetime

import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 22 Nov 2027 09:05:00 -0500"}
MS = int(datetime.fromisoformat("2027-11-22T09:05:00-05:00").timestamp() * 1000)
SENDER = "Dmitri Wexler <dwexler@harborlinefcu.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)


def test_come_by_on_a_day_is_a_site_visit_at_that_time():
    got = read("14 Quince", "The movers arrive Wednesday. Could your appraiser come by Tuesday afternoon to measure?")
    assert "explicit_request" in got.labels and got.request_type == "site_visit"
    w = got.requested_time
    assert (w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes")) == \
        ("2027-11-23T12:00-05:00", "2027-11-23T17:00-05:00")


def test_stop_by_our_office_is_still_no_task():
    assert "explicit_request" not in read("coffee", "Stop by our office whenever you're in town, lunch is on us.").labels


@pytest.mark.parametrize("body", [
    "Half the interior photos on 8 Larch are out of focus. Gonna need those retaken.",
    "The sketch on 31 Rowan leaves off the sunroom. We're going to need it corrected before Friday.",
])
def test_our_work_needed_again_is_a_request(body):
    assert "explicit_request" in read("8 Larch", body).labels


def test_would_have_been_nice_to_be_told_is_a_complaint():
    got = read("31 Rowan", "Would have been nice to get a heads-up that the inspection was moved to the afternoon.")
    assert "complaint" in got.labels


@pytest.mark.parametrize("body", [
    "MLS has the site at 8,700 sf. The report shows 9,100. Not sure which to trust.",
    "County says 3 bedrooms. Your appraisal has 4. Which one should we use?",
])
def test_a_figure_beside_another_sources_is_a_question_not_a_complaint(body):
    assert "complaint" not in read("site size", body).labels


@pytest.mark.parametrize("subject, body", [
    ("Following up on 5 Hawthorn", "Do we have an inspection date yet?"),
    ("Follow up", "Any word on 12 Spruce? The borrower keeps asking."),
    ("Vendor update", "Reminder to all vendors: please update your contact info in our portal by December 1."),
])
def test_status_nudges_and_notices_are_no_task(subject, body):
    assert "explicit_request" not in read(subject, body).labels


def test_only_a_nudge_on_status_is_taken_for_one():
    from revloop.processors import mail_rules
    assert mail_rules._FOLLOW_UP_SUBJECT.match("Re: Following up on 5 Hawthorn")
    assert not mail_rules._FOLLOW_UP_SUBJECT.match("Follow up with the borrower re access")
    assert not mail_rules._FOLLOW_UP_SUBJECT.match("Follow-up inspection at 5 Hawthorn?")
