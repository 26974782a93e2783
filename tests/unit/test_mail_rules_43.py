"""Mail rules 43: a second scratch set of paraphrases (40 messages written after rules 41, kept out of the repo) found
these gaps in urgency, renewal and request kinds; checked here with our own examples.

Urgent: "hot file", "can you expedite the report", a closing bumped up to any day, "we sign at 2 today", Spanish "el
cierre es mañana"; not urgent: an expedite fee asked about, the appraiser "running a bit late" relayed, a forwarded
"URGENT" under "the rush is over". Renewal: "re-up your spot on our panel", Spanish "su contrato de proveedor ... vence".
Kinds: "expedite the report" changes the order; "reach the tenant by text" contacts a third party; "send the final
over" sends a document.
"""
from datetime import datetime

import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 18 Jul 2028 09:40:00 -0500"}
MS = int(datetime.fromisoformat("2028-07-18T09:40:00-05:00").timestamp() * 1000)
SENDER = "Marisela Quintanilla <mquintanilla@lonestarhl.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)


@pytest.mark.parametrize("body", [
    "Hot file on 6 Mockingbird, please treat it that way.",
    "Settlement on 40 Pecan just got bumped up to Friday. Could you expedite the report?",
    "Quick one - can someone call me before noon? We sign at 2 today on 40 Pecan.",
    "Por favor, mándenme el avalúo de la calle Nogal. El cierre es mañana a primera hora.",
])
def test_pressure_said_in_other_words(body):
    assert "urgent" in read("40 Pecan", body).labels


@pytest.mark.parametrize("body", [
    "What do you charge as an expedite fee on a 2-4 unit? Planning for next quarter.",
    "Can you let the homeowner know the appraiser is running a bit late?",
    "FYI only, the rush is over on this one.\n\n---------- Forwarded message ---------\nFrom: Lyle Cobb\nSubject: URGENT 40 Pecan\n\n"
    "Need this today!!",
])
def test_no_pressure_on_the_sender(body):
    assert "urgent" not in read("40 Pecan", body).labels


@pytest.mark.parametrize("body", [
    "It's time to re-up your spot on our approved appraiser list. The forms go out Monday.",
    "Le recordamos que su contrato de proveedor con Lone Star vence el 30 de septiembre.",
])
def test_renewal_in_other_words(body):
    assert "renewal" in read("Vendor list", body).labels


@pytest.mark.parametrize("body, kind", [
    ("Can you expedite the report on 6 Mockingbird?", "order_change"),
    ("Could you reach the tenant by text? He never answers calls.", "third_party"),
    ("Could you send the final over once it's signed?", "document"),
])
def test_the_kind_of_work(body, kind):
    got = read("Request", body)
    assert "explicit_request" in got.labels and got.request_type == kind
