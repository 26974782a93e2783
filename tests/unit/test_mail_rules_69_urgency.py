"""Mail rules 69 (urgency): a closing or funding named with its near day, whatever stands between ("Closing on 12 Aspen
Ridge is tomorrow at 11", "We close 908 Harbor View at 2 today", "My closing is Thursday", "Loan on 40 Brook Hollow funds
Wednesday"): the guide's "closing tomorrow". Not urgent: business resuming ("we're funding again ... starting Monday"), a
closing next month, and a closing that has happened with nothing still pressing (the guide's celebration, "we funded
today!!!"). The test sentences are our own.
"""
import pytest

from tests.support.mail import classifier_for

classified = classifier_for("Rosalind Kettering <rkettering@bluefield-mortgage.example>")


@pytest.mark.parametrize("body", [
    "Closing on 12 Aspen Ridge is tomorrow at 11 and the lender still needs your final.",
    "We close 908 Harbor View at 2 today.",
    "My closing is Thursday and nobody can tell me where the appraisal is.",
    "Loan on 40 Brook Hollow funds Wednesday.",
])
def test_urgent(body):
    assert "urgent" in classified(body).labels


@pytest.mark.parametrize("body", [
    "We're funding again at the usual pace starting Monday.",
    "Wanted to close the loop - 12 Aspen closed Friday and we funded today!!! Thanks for hustling on it.",
    "The closing is set for next month, no rush on the revision.",
])
def test_not_urgent(body):
    assert "urgent" not in classified(body).labels
