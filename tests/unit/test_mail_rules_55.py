"""Mail rules 55: upsell in other words (probe11.md: "upsell never moved"; shapes seen in corpus12's mail_train_v12
misses), our own sentences: a further product asked about, a firm put on a roster, a whole book or all of a batch given
to us, an allocation raised, a team told to use us, es more properties and a county asked about. Hard negatives: an
order for one property, a roster note about someone else, an allocation cut.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Thu, 17 Feb 2028 11:00:00 -0700"}
SENDER = "Wilhelmina Tsosie <wtsosie@redmesalending.example>"


def labels(body):
    return set(classify_text("Hello", body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "do u guys do divorce appraisals? got a couple clients asking",
    "Do you ever do new-construction phase inspections for builders?",
    "Are you able to take on estate-settlement appraisals for our trust department?",
    "Good news: we'd like to add Mesa Verde Valuation to our approved appraiser roster for Pima County.",
    "We're moving our entire northern Arizona book to you starting in March.",
    "We want to use you for the final inspections on every lot in phase three.",
    "Starting next month your allocation of our Tucson orders goes up from 15% to 30%.",
    "I told my whole team of loan officers to use you for their purchases from now on.",
    "Necesito avalúos de otras cuatro casas en Yuma, igual que la de la semana pasada.",
    "¿Ustedes también trabajan en Cochise?",
])
def test_upsell(body):
    assert "upsell" in labels(body)


@pytest.mark.parametrize("body", [
    "Can you do the appraisal on 88 Saguaro Dr next week?",
    "Your allocation in Pima County will be reduced to 10% next quarter.",
])
def test_no_upsell(body):
    assert "upsell" not in labels(body)


def test_someone_else_on_a_roster_is_no_upsell_phrase():
    # the rule names appraiser / vendor rosters and panels only (the shipped head still reads this one as upsell, 0.82:
    # a head matter, left as found)
    from revloop.processors.mail_rules import upsell_phrase

    assert upsell_phrase("We added Sonoran Title to our closing roster, FYI for your scheduling.") is None
