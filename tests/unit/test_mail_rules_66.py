"""Mail rules 66: opt-outs in other words, and two false ones (the sixteenth blind judge's opt-out recall was 0.90). Our mail
stopped by its name ("kindly stop the emails"), wished to stop ("I'd like those to stop" under a sentence naming our mail),
Spanish without "más" ("no nos envíen correos"), "k" for "qu" ("kitenme de su lista"), "list" with two letters swapped
("remoove me from this lsit"). Not an opt-out: a charge not wanted ("we don't want to get billed for a trip fee"), a mail
sender's own footer with its unsubscribe link, "stop the inspection", calls wished to stop. The test
sentences are our own.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 20 Mar 2028 11:00:00 -0500"}
SENDER = "Marisol Quintero <mquintero@cedarbend.example>"


def labels(body, subject="Hello"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "Good morning. Please stop the market letters, I sold my last rental in January.",
    "Thanks for the note. Ya no me manden correos, cerramos la oficina de Yakima.",
    "No nos envíen correos por favor.",
    "kitenme de su lista xfa",
    "pleese remoove me from this lsit",
    "I keep getting your Friday rate emails at home. I'd like those to stop.",
    "Your weekly updates land in three of our inboxes. We'd like them to stop, thanks.",
])
def test_opt_out(body):
    assert "opt_out" in labels(body)


@pytest.mark.parametrize("body, subject", [
    ("We don't want to get billed for a trip fee if the tenant isn't home on Friday.", "Trip fee"),
    ("Please stop the inspection at 14 Birch Ln, the buyer walked.", "14 Birch Ln"),
    ("Your appraiser keeps calling the tenant at 6 am. I'd like those to stop.", "Calls"),
    ("Lakeside Builders Monthly\n\nClosed sales up 4%. Join us for the Spring Gala on May 3! Register today - space is limited.\n"
     "Need new yard signs? Order yours now.\n\nDon't want these emails? Unsubscribe: https://lbm.example.org/u/9\n"
     "Lakeside Builders, 12 Main St, Yakima WA", "Lakeside Builders Monthly | May"),
])
def test_no_opt_out(body, subject):
    assert "opt_out" not in labels(body, subject)
