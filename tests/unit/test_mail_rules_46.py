"""Mail rules 46: renewal of our standing said in other words (18 renewal notices and near misses written after rules
45; our own examples here). Missed before: "vendor recert", a panel "due for its annual review", a vendor roster being
updated for next year with what it takes "to stay on our panel", "our agreement with you is up", re-onboarding all
appraisal vendors. Still not renewal: the sender's agreements with others (a title company, their LOS vendor).
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 12 Feb 2029 11:30:00 -0600"}
SENDER = "Thaddeus Okonkwo <tokonkwo@bluestemcu.example>"


def labels(body):
    return classify_text("Vendor file", body, SENDER, HEADERS).labels


@pytest.mark.parametrize("body", [
    "Quick note: vendor recert season is here, packet attached.",
    "Keystone's listing on our approved appraiser list is up for its annual review in May.",
    "We're refreshing our appraiser panel for next year. What we need from you to stay on the panel is listed below.",
    "Heads up that our contract with your firm runs out on April 30.",
    "Bluestem is re-onboarding all of our appraisal vendors through the new vendor portal this spring.",
])
def test_our_standing_renews(body):
    assert "renewal" in labels(body)


@pytest.mark.parametrize("body", [
    "Our contract with the title company runs out in April, so closings will go through Prairie Title after that.",
    "We're refreshing our branch signage this spring, pardon the mess if you stop by.",
])
def test_others_agreements_are_no_renewal_of_ours(body):
    assert "renewal" not in labels(body)
