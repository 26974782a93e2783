"""Mail rules 67: requests in other shapes, and two false ones (explicit_request on the sixteenth blind set was P .933 /
R .898). One of our people named as the doer ("Can Marcus swing by Thursday?", "please have Priya call the attorney"), a
third party to be told ("let the tenant know"), "put a rush on", "void INV-...", a please-clause opened by a portal step
("please log in and upload"), a person to go on the order, a meeting asked in a bare question ("Coffee next Wednesday?")
or a date offered for one, es "¿podrían hablar con ...?", "¿pueden hacer la reinspección?", "favor de enviarnos", pt
"podem fazer a vistoria". Not a request: candour ("I need to be upfront with you"), a third party's possible need ("my
lender may want a 1004D later"), the sender telling a third party themselves, a colleague who would call us. The test
sentences are our own.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 20 Mar 2028 11:00:00 -0500"}
SENDER = "Odile Brannock <obrannock@fernhilllending.example>"


def classified(body, subject="Hello"):
    return classify_text(subject, body, SENDER, HEADERS)


@pytest.mark.parametrize("body", [
    "Please have Priya call the borrower's attorney, Dan Okafor, at 555-0142.",
    "Can Marcus swing by the property Thursday after 2?",
    "Could Helen go back out to 18 Alder before the closing?",
    "¿Podrían hablar con la administradora del condominio para coordinar la visita?",
    "Coffee next Wednesday? I'd like to go over the new county list.",
    "To stay on our approved list, please log in and upload your current license by May 1.",
    "He needs to go on the order too, he's the co-borrower.",
    "Please void INV-20931, it was billed twice.",
    "Our loan committee meets Thursday. Would the 14th or 15th work for a 20-minute session with them?",
])
def test_request(body):
    assert "explicit_request" in classified(body).labels


@pytest.mark.parametrize("body", [
    "I need to be upfront with you about the fees on the Baker St file.",
    "Thanks, all sorted. FYI my lender may want a 1004D later once the new porch is finished, I'll let you know.",
    "I'll let the seller know your appraiser is coming Monday.",
    "El constructor va a hablar con ustedes mañana.",
    "Can Friday work for everyone on your side?",
    "Lunch last Tuesday was great, thanks again.",
])
def test_no_request(body):
    assert "explicit_request" not in classified(body).labels
