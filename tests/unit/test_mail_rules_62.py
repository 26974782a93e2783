"""Mail rules 62: complaint precision and forwards. A matter settled ("looks good and it's cleared") is no complaint
evidence; a third party named in one sentence and not answering under a pronoun in the next is the sender's trouble with
them; a complaint about us said in a forwarded message counts (the guide: the forwarder brings it to us), our report
"still isn't uploaded" and the appraiser "they sent" curt with someone among its words. The test sentences are our own.
Hard negatives: our own people not answering, a settled matter beside a new fault, a forwarded complaint about someone
else.
"""
import pytest

from revloop.processors import mail_rules
from tests.support.mail import classify_text

HEADERS = {"Date": "Thu, 09 Mar 2028 14:05:00 -0500"}
SENDER = "Wendell Ashgrove <washgrove@tidewaterhomeloans.example>"


def labels(body, subject="Re: 61 Marsh Hawk Ct"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "Could you get in touch with the HOA manager, Ilse Varga, at 757-555-0113? They haven't returned a single one of my "
    "voicemails.",
    "Can you call the buyer's agent, Tom Reyes? He's not answering his phone today.",
])
def test_third_party_not_answering_is_no_complaint(body):
    got = labels(body)
    assert "explicit_request" in got and "complaint" not in got


def test_our_people_not_answering_is_a_complaint():
    assert "complaint" in labels("Your inspector said he'd ring the tenant about the keys. He never called back.")


@pytest.mark.parametrize("sentence, evidence", [
    ("The revised appraisal looks good and it's been cleared.", False),
    ("Underwriting signed off, so we're all squared away on 61 Marsh Hawk.", False),
    ("The revised appraisal looks fine but the invoice is still wrong.", True),
])
def test_settled_matter(sentence, evidence):
    assert mail_rules.may_be_complaint(sentence) is evidence


FORWARD = """{}

Wendell

---------- Forwarded message ---------
From: Corinne Dale <cdale.home@example.com>
Date: Wed, Mar 8, 2028 at 6:40 PM
Subject: appraisal visit
To: Wendell Ashgrove <washgrove@tidewaterhomeloans.example>

Wendell, {}

Corinne
"""


@pytest.mark.parametrize("new, forwarded", [
    ("Adding this from my buyer. Can we talk about it?", "the appraiser they sent was really curt with my father when he asked a question."),
    ("See below from my borrower.", "the report still isn't uploaded and we were promised it Monday."),
    ("See below from my borrower.", "nobody showed up for the 10 o'clock appointment and I had taken the morning off."),
])
def test_forwarded_complaint(new, forwarded):
    assert "complaint" in labels(FORWARD.format(new, forwarded))


def test_forwarded_trouble_with_someone_else_is_no_complaint():
    assert "complaint" not in labels(FORWARD.format("FYI.", "the title company still hasn't sent the payoff and it's unacceptable."))
