"""Mail rules 69 (renewal): our standing renewed, named by its noun in either order ("renewing <Firm> on our
approved-vendor panel", "your MSA renewal has been countersigned", "your renewed vendor agreement", "renewal of the
Master Services Agreement"), the annual approved-appraiser review. Not renewal (the guide: "Not renewal: ... a lease"): a
lease renewing with nothing of our standing named. The test sentences are our own.
"""
import pytest

from tests.support.mail import classifier_for

classified = classifier_for("Bartholomew Quince <bquince@ridgeline-cu.example>")


@pytest.mark.parametrize("body", [
    "To finish renewing Kestrel Appraisal on our approved-vendor panel we need updated background checks for each "
    "appraiser.",
    "Your MSA renewal has been countersigned; you're active with us through 2031.",
    "Attached is the addendum to your renewed vendor agreement covering Lane County. Please send back a signed copy.",
    "It's time for our annual approved-appraiser review. Could you send over your QC policy?",
])
def test_renewal(body):
    assert "renewal" in classified(body).labels


@pytest.mark.parametrize("body", [
    "Your lease for Suite 210 renews automatically on March 1 at the same rate; nothing to sign this year.",
    "Please tell us by April 30 whether you intend to renew the lease on Unit B. Renewal terms are attached.",
])
def test_not_renewal(body):
    assert "renewal" not in classified(body).labels
