"""Mail rules 69 (upsell): upsell the model already reads, let through as evidence. Business coming our way needs no word of
"more": work sent or moved to us, the sender wanting us on work of theirs (by pronoun or by our firm's name), a volume per
period, a kind of work asked about in a question ("u guys do drive-bys?"), a line of business entered, pt "mais". Not
upsell: a homeowner's one job asked about by a pronoun under their own home or loan ("Do you do those?"), our standing
reviewed or renewed where the only "more" word is a comparison ("more than two days"), a firm's name ("<Firm> Partners"),
"approved-vendor", or praise ("you guys do great work"). The test sentences are our own.
"""
import pytest

from tests.support.mail import classifier_for

classified = classifier_for("Priscilla Ormond <pormond@cedarvale-lending.example>")


@pytest.mark.parametrize("body", [
    "Good news: we're moving all of our Tacoma branch appraisals to you in June.",
    "Our review vendor is leaving the state, and we'd like to move those desk reviews to you, roughly 15 a month.",
    "We're getting into construction-to-perm lending this spring and will need draw inspections on 8-12 builds at a time.",
    "Oi Dana, estou comprando mais três apartamentos em Tampa e quero que vocês façam as avaliações também.",
])
def test_upsell(body):
    assert "upsell" in classified(body).labels


@pytest.mark.parametrize("body", [
    "My home equity line is up for renewal and the credit union wants a fresh appraisal first. Do you do those, and what "
    "is the fee for a two bedroom in Riverside?",
    "As part of our yearly vendor re-credentialing, Larchmont Valuation Partners is due for review this quarter.",
    "Our annual approved-vendor review for Larchmont is next month, and frankly two of your last eight reports came back "
    "for revisions.",
])
def test_no_upsell(body):
    assert "upsell" not in classified(body).labels
