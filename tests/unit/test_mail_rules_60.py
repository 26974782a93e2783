"""Mail rules 60: request precision (the target is 0.98): an opt-out is never also a task, when asked as a question ("Could
you please remove me?"), passed on for someone ("my son asked me to ask you to unsubscribe this address") or said beside
what may go on as before ("still send me the invoices"); an attachment pointed to with "please find" and the sender's own
work "on my side" ask nothing. Shapes among mail_train_v13's false requests; the test sentences are our own. Hard
negatives: a real ask beside each.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 15 Feb 2028 07:40:00 -0700"}
SENDER = "Teodoro Vasquez <tvasquez@northforkcu.example>"


def labels(body, subject="Re: Spring market letter"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "I never signed up for this letter. Can you remove me?",
    "My son set up this inbox for me and he asked me to ask you to please unsubscribe this address.",
    "No more of these please, I get plenty of webinar invites. Still send me the invoices of course.",
])
def test_opt_out_and_no_task(body):
    got = labels(body)
    assert "opt_out" in got and "explicit_request" not in got


@pytest.mark.parametrize("body, subject", [
    ("Hello,\n\nPlease find a new order attached for 310 W Alder, FHA refinance.\n\nTeo", "New order - 310 W Alder"),
    ("We still have to get the payoff letter re-signed on our end before closing. Nothing for you to do yet.", "payoff"),
])
def test_no_request(body, subject):
    assert "explicit_request" not in labels(body, subject)


@pytest.mark.parametrize("body, subject", [
    ("Please find the order attached. Can you have someone out there Thursday?", "New order - 310 W Alder"),
    ("I need the revised report by Friday.", "revision"),
])
def test_request(body, subject):
    assert "explicit_request" in labels(body, subject)
