"""Mail rules 69 (no task): "fix" aimed at how we run ("Fix your list.") or set as the condition of an offer ("Fix that
and we'll send you the Pasco files too.") is none of the guide's request types; nor is a notice to everyone to update
their own bookmarks (the guide's own example), even when a hard line-wrap starts a sentence at "update their". A fix to
an order's details still asks. The test sentences are our own.
"""
import pytest

from tests.support.mail import classifier_for

classified = classifier_for("Cornelia Vasquez-Hart <cvhart@tidemark-bank.example>")


@pytest.mark.parametrize("body", [
    "I've hit unsubscribe twice and your market notes still show up every Monday. Fix your list.",
    "Contract's signed. My only gripe is your phones go to voicemail after 3. Fix that and we'll send you the Pasco "
    "files too.",
    "Our vendor portal moves to a new address on May 1, so everyone should\nupdate their bookmarks and saved logins "
    "before then.",
])
def test_no_request(body):
    assert "explicit_request" not in classified(body).labels


def test_order_fix_still_asks():
    assert "explicit_request" in classified("Please fix the borrower name on the invoice for 8 Wren Ct.").labels
