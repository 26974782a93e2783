"""Mail rules 69 (requests): our report needed by a deadline, said as the sender's need ("We need the revised appraisal
by Thursday noon"), "please have the report ... sent", es "mándenlo"; never a request: work the sender offers, put as a
question ("Can your office take those on?", "Would you be interested in handling our HELOC desktops?", "Could you take 8
more orders?": upsell), a status check put as "please confirm the report was uploaded" (the guide's "please confirm
receipt"). A single job with its day still asks ("Would you be open to doing the re-inspection Saturday?"). The test
sentences are our own.
"""
import pytest

from tests.support.mail import classifier_for

classified = classifier_for("Wendell Ashgrove <washgrove@pinecrest-funding.example>")


@pytest.mark.parametrize("body", [
    "Tom, the loan on 14 Birch Hollow funds Friday. We need the final report by Thursday EOD.",
    "Quick one: I need the report back by 10 tomorrow.",
    "Please have the report for 2290 Old Mill Rd uploaded by 3 pm today.",
    "el banco necesita el avalúo de 9 Cedar, envíenlo hoy antes de las 4 porfa",
    "Would you be open to doing the re-inspection Saturday morning?",
])
def test_request(body):
    assert "explicit_request" in classified(body).labels


@pytest.mark.parametrize("body", [
    "Dana, we just won the Coastline Credit Union account. If you can handle it we'd send you about 30 extra orders a "
    "month. Can your team take that on?",
    "We're rolling out a bank-statement loan product in March and every file will need a 1007. Would you be interested "
    "in taking those for Pierce and Kitsap?",
    "Would you be open to doing pre-drywall inspections for our spec builder loans? Likely 6-10 a month.",
    "Our backup vendor in Mobile quit this morning. I have 9 orders to place today. Can you take them?",
    "We're funding 71 Larch Ct at 4 today. Please confirm the revised report was uploaded.",
])
def test_no_request(body):
    assert "explicit_request" not in classified(body).labels
