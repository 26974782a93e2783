"""Mail rules 44: a third scratch set (26 messages written after rules 43, weighted to traps for the stake rules) found
these, checked here with our own examples.

Precision: walking a property ("the appraiser can walk the house Tuesday", "the buyers will walk through Monday") is no
buyer walking away, so it is no pressure, though "the buyers could walk by Friday" still is. Recall: "or we blow the
rescission window", "funding in 90 minutes", a vendor profile "to be re-verified" for next year (renewal).
"""
from datetime import datetime

import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 27 Nov 2028 10:00:00 -0700"}
MS = int(datetime.fromisoformat("2028-11-27T10:00:00-07:00").timestamp() * 1000)
SENDER = "Ingrid Solberg <isolberg@highplainsmortgage.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)


@pytest.mark.parametrize("body", [
    "Your appraiser can walk the house Tuesday afternoon, the owner leaves a key under the mat.",
    "The buyers will walk through Monday with their inspector, so maybe pick another day.",
])
def test_walking_a_property_is_no_pressure(body):
    assert "urgent" not in read("access", body).labels


@pytest.mark.parametrize("body", [
    "If the value isn't in by Friday the buyers could walk. Please call me.",
    "The disclosure has to go out today or we blow the rescission window. Can you upload the final now?",
    "Funding in 90 minutes and we still don't have the signed report!",
])
def test_pressure(body):
    assert "urgent" in read("timing", body).labels


def test_a_vendor_profile_to_be_re_verified_is_renewal():
    got = read("2029 vendor review", "Your appraiser profile on our vendor portal has to be re-verified for 2029. "
                                     "We'll email the link next week.")
    assert "renewal" in got.labels
