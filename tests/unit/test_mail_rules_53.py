"""Mail rules 53: opt-outs in the forms Spanish speakers write them (the eleventh blind judge's probe11.md: "Spanish
opt-outs"), and two English ones said formally or as a change of role. Our own examples, and the hard negatives beside
them: a Spanish reader who wants more of the letter, a Spanish order detail deleted.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 15 Feb 2028 07:40:00 -0700"}
SENDER = "Rocío Villaseñor <rvillasenor@casadelvalle.example>"


def labels(body, subject="Re: Boletín de mercado - febrero"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "Bórrenme de sus correos, gracias.",
    "Sáquenme de la lista de distribución, ya no trabajo en bienes raíces.",
    "No quiero más correos de promociones, por favor.",
    "Ya no necesito el boletín mensual; lo de las órdenes sí sigan mandándolo.",
    "Please be advised that I request removal of rvillasenor@casadelvalle.example from your mailing lists.",
    "I've moved over to commercial lending, so the market updates can stop. Thanks for all of them.",
])
def test_opt_out(body):
    assert "opt_out" in labels(body)


@pytest.mark.parametrize("body", [
    "Excelente boletín, no dejen de mandármelo, se lo reenvío a mis clientes.",
    "Por favor bórrenle el segundo comprador a la orden de Calle Olmo 14.",
])
def test_no_opt_out(body):
    assert "opt_out" not in labels(body)
