"""Mail rules 38: a second scratch set of paraphrases (40 messages, written after rules 37; not a probe).

It found: a negated removal in Spanish and Portuguese ("no me saquen de la lista", "não me tirem da
lista" = don't take me off) read as an opt-out AND a complaint; status questions read as requests
("any luck scheduling 55 Elm?", "is the report still on track for Friday?"); "¿nos podemos reunir el
jueves?" missed; "tomorrow" typed with a slip ("tmorrow aftrnoon") giving today; and two mild
complaints missed (billed over the quote, communication "spotty at best").
"""
from datetime import datetime

import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Wed, 01 Dec 2027 10:10:00 -0600"}
MS = int(datetime.fromisoformat("2027-12-01T10:10:00-06:00").timestamp() * 1000)
SENDER = "Ximena Lozano <xlozano@riograndecu.example>"
LETTER = ("\n\nOn Tue, Nov 30, 2027 at 6:00 AM Keystone Valuation <hello@keystonevaluation.com> wrote:\n"
          "> Keystone Valuation Market Letter - December 2027\n>\n> --\n"
          "> To stop receiving these emails: https://keystonevaluation.com/u/77aa")


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)


@pytest.mark.parametrize("body", [
    "Por favor no me saquen de la lista, reenvío cada carta a mi equipo.",
    "Não me tirem da lista, por favor! Leio todas.",
])
def test_dont_take_me_off_is_neither_opt_out_nor_complaint(body):
    got = read("Re: Keystone Valuation Market Letter - December 2027", body + LETTER)
    assert "opt_out" not in got.labels and "complaint" not in got.labels


@pytest.mark.parametrize("body", [
    "Any luck reaching the tenant at 40 Mesquite? The lender keeps asking me.",
    "Is the 40 Mesquite report still on track for Monday?",
    "Do we have an inspection date yet for 40 Mesquite?",
])
def test_a_status_question_is_no_request(body):
    assert "explicit_request" not in read("40 Mesquite", body).labels


def test_a_spanish_meeting_ask_with_the_pronoun_first():
    got = read("Contrato", "Hola, ¿nos podemos reunir el viernes para revisar el contrato?")
    assert "explicit_request" in got.labels and got.request_type == "meeting"


def test_tomorrow_typed_with_a_slip():
    got = read("7 Agave", "Could the appraiser come tmorrow aftrnoon to see the garage?")
    w = got.requested_time
    assert (w.start.isoformat(timespec="minutes"), w.end.isoformat(timespec="minutes")) == \
        ("2027-12-02T12:00-06:00", "2027-12-02T17:00-06:00")


@pytest.mark.parametrize("body", [
    "The invoice for 7 Agave came in higher than the quote we agreed to.",
    "Honestly, communication on the 7 Agave file has been spotty at best.",
])
def test_mild_complaints(body):
    assert "complaint" in read("7 Agave", body).labels


def test_someone_elses_communication_is_no_complaint_about_us():
    assert "complaint" not in read("title", "The title company's communication has been spotty all month.").labels
