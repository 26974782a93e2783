"""Mail rules 69 (complaints): a service failure said plainly, in shapes seen across blind authors: an error called in
our report or invoice (es "el avalúo tiene mal ..."), our work's length said with disbelief ("Wow, only 16 days"), no
notice of a delay, nobody from our office reaching someone or calling (es "nadie llamó"), our work not done on its day
("was supposed to be done Tuesday and nobody has been out"), a threat to move the work ("or we're sending it to another
appraiser"). Still no complaint when only a third party is named ("I've emailed the borrower three times"). The test
sentences are our own.
"""
import pytest

from tests.support.mail import classifier_for

classified = classifier_for("Marisol Treadwell <mtreadwell@harborpoint-lending.example>")


@pytest.mark.parametrize("body", [
    "El avalúo tiene mal la dirección de la propiedad.",
    "Wow, only 16 days for a desktop.",
    "Ordered 3/2. Delivered 3/19. No notice of the delay.",
    "I'm calling the listing agent myself since nobody from your office has managed to reach her in days.",
    "Nadie llamó para confirmar la cita de ayer.",
    "The 1004D on 7 Linden was supposed to be done Tuesday and nobody has been out.",
    "Have it to me by 5 or we're sending it to another appraiser.",
])
def test_complaint(body):
    assert "complaint" in classified(body).labels


@pytest.mark.parametrize("body", [
    "I've emailed the borrower three times and she still hasn't signed.",
    "The HOA was supposed to be done with the gate repair Monday, we'll see.",
])
def test_no_complaint(body):
    assert "complaint" not in classified(body).labels
