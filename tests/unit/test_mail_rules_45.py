"""Mail rules 45: request kinds said in other words (a list of asks written after rules 44, by kind; our own examples).

A third party named with a title ("Mrs. Alvarez", "Dr. Patel"), someone of theirs ("the seller's wife") or put on the
phone ("get the listing agent on the phone") is a third party, not a call to us. Checking the repairs and retaking or
shooting new photos are visits, not documents; delivering or resubmitting a report sends a document. A title's period
ends no sentence: "Could you phone Dr. | Patel about ..." was two units, and the ask lost its third party.
"""
from datetime import datetime

import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 05 Dec 2028 13:15:00 -0500"}
MS = int(datetime.fromisoformat("2028-12-05T13:15:00-05:00").timestamp() * 1000)
SENDER = "Casimir Oduya <coduya@keelboatlending.example>"


@pytest.mark.parametrize("body, kind", [
    ("Could you phone Dr. Patel about getting into the garage at 14 Marlin?", "third_party"),
    ("Please give the seller's wife a call, she has the keys.", "third_party"),
    ("Could you please get the listing agent on the phone about the lockbox code?", "third_party"),
    ("Can your appraiser check the repairs at 14 Marlin this week?", "site_visit"),
    ("Could you retake the bathroom photos at 14 Marlin? They came out blurry.", "site_visit"),
    ("Can someone shoot new exterior pictures now that the snow is gone?", "site_visit"),
    ("Please deliver the signed appraisal to the investor portal.", "document"),
    ("Could you resubmit the report through the UCDP?", "document"),
])
def test_the_kind_of_work(body, kind):
    got = classify_text("Request", body, SENDER, HEADERS, received_at_ms=MS)
    assert "explicit_request" in got.labels and got.request_type == kind


def test_getting_a_page_from_the_borrower_is_no_third_party_by_the_verb_alone():
    from revloop.processors import mail_rules
    assert mail_rules.request_kind("Can you send the borrower's signature page?") == "document"
