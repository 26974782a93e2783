"""Mail rules 61: complaints in still other shapes (the fifteenth blind judge's complaint recall was 0.58): our work held to
the client's own yardstick and found short, our work product called poor by its noun, a miss named as one, the sender left
to learn of our change from someone else, nobody turning up, asking us over and over, our work still not done, business
lost or leaving, our people's conduct, a bill over the schedule, a wish that the next one goes better. The test sentences
are our own. Hard negatives: the same words about the property, the market or a third party.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Wed, 08 Mar 2028 10:12:00 -0600"}
SENDER = "Odile Brannock <obrannock@prairieridge.example>"


def labels(body, subject="88 Quarry Bend"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    # held to the client's yardstick
    "Your revision rate this year sits at 14% against our 5% target. We need that to come down.",
    "Honestly the adjustments on the Quarry Bend file were sloppy and our reviewer sent it back twice.",
    "The basement was left out of the GLA. That should have been flagged before delivery.",
    "Wrong zoning on page 2. That's a pretty basic mistake.",
    # learned elsewhere, nobody came, asked over and over
    "I had to hear about the new appointment time from the seller's agent. Please tell me directly next time.",
    "The owner waited at 88 Quarry Bend from 9 to 11. Nobody showed up.",
    "My processor had to email your team four times before anyone sent the invoice.",
    # still not done, leaving, conduct, billing, a wish for better
    "The appraisal for 88 Quarry Bend is still not uploaded and it was ordered on the 1st.",
    "Your scheduler still hasn't returned the borrower's call from Monday.",
    "After the last two files we're moving to a different AMC for Sedgwick County.",
    "The inspector who measured the house was really dismissive toward my client.",
    "We were invoiced $175 above the quoted fee for the Quarry Bend report.",
    "It would be nice if the next inspection started on time.",
])
def test_complaint(body):
    assert "complaint" in labels(body)


@pytest.mark.parametrize("body", [
    "The comps in this part of the county are thin, so expect a wider range.",
    "We only found out about the cracked foundation when the buyer's engineer came by.",
    "Nobody answered at the door, so the appraiser left a card and will call the tenant.",
    "We're going with another appraiser for the farm ground since you don't cover ag land.",
    "The title company should have caught the easement, but that's on them.",
    "The report was great and the underwriter signed off the same day.",
])
def test_no_complaint(body):
    assert "complaint" not in labels(body)
