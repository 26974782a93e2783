"""Mail rules 57: a need for our work stated rather than asked ("I'm going to need the corrected appraisal"), in English,
Spanish and Portuguese. Precision matters more than recall here: hard negatives are the sender's own need ("necesito
revisar el informe"), a need negated, the ordered report needed today (pressure, as the corpus labels it), a need for
something that is not our work, and a third party's future need told as news.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 15 Feb 2028 07:40:00 -0700"}
SENDER = "Corinne Abernathy <cabernathy@lakesiderealty.example>"


def labels(body, subject="Re: Market update - February"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "I'm going to need the corrected appraisal before the underwriter signs off.",
    "We're gonna need a quote for the two lots on Miller Rd.",
    "Necesito el informe corregido para el viernes.",
    "Preciso do laudo revisado até sexta-feira.",
    "Precisamos de uma nova vistoria antes do fechamento.",
])
def test_need_stated_is_a_request(body):
    assert "explicit_request" in labels(body)


@pytest.mark.parametrize("body", [
    "The underwriter said they'll need a 1004D after the repairs.",
    "Necesito revisar el informe con mi jefe antes de responder.",
    "No necesito el informe hasta marzo, sin prisa.",
    "Necesito el avalúo hoy, cerramos el lunes.",
    "Preciso falar com meu gerente antes de aprovar.",
    "Não precisamos de uma nova vistoria, o banco aceitou.",
    "We're going to need a bigger boat with this market, ha.",
    "I'm going to need the corrected appraisal from the other AMC before I can compare.",
    "I'll send you the revised contract by Friday.",
])
def test_no_request(body):
    assert "explicit_request" not in labels(body)
