"""Mail rules 54: urgency as people type it, and what is lost if a near time is missed, in our own words (shapes from
probe11.md's "urgent in Spanish / informal" and corpus12's mail_train_v12 misses). Not urgent beside them: a closing
weeks out, a plain "can cancel" with no near time.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Wed, 16 Feb 2028 08:10:00 -0700"}
SENDER = "Dashiell Okonkwo <dokonkwo@piedmonttitle.example>"


def labels(body):
    return set(classify_text("14 Wicklow Rd", body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "were funding in the am and the lender still cant see the appraisal on their side",
    "We're recording today and escrow can't release anything until the final invoice is in.",
    "closing tmrw am, any way to get the 1004D over tonight?",
    "The borrower's lock is up Friday and underwriting still needs the value.",
    "If the report isn't in by Thursday the sellers can cancel and take the backup offer.",
    "My lender says the appraisal has to be in by Monday or we start the whole application over.",
    "Si no se hace la visita esta semana pierdo la tasa, ¿pueden venir el jueves?",
])
def test_urgent(body):
    assert "urgent" in labels(body)


@pytest.mark.parametrize("body", [
    "Closing is set for the 28th of next month, no rush on the report.",
    "Per the contract the buyers can cancel if the value comes in low.",
])
def test_not_urgent(body):
    assert "urgent" not in labels(body)
