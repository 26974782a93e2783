"""Mail rules 64: upsell in other words (the fifteenth blind judge's upsell was 0.77 / 0.69). The head read most of these
as upsell and the guard on its evidence, which wants a word of more or new business, threw them away: work moved our way
("move those reviews to you"), others told to use us ("get our buyers' lenders using you"), the sender's regular choice, a
line of business entered ("we're getting into"), "do you all do ...", es "estamos lanzando", a venture approved with us wanted
on it by the firm's name. Never upsell evidence: our standing renewed, "one more of these" emails, papers sent for a file.
The test sentences are our own.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 20 Mar 2028 11:00:00 -0500"}
SENDER = "Anselm Vickery <avickery@ridgewaycu.example>"


def labels(body, subject="A new line"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "Our field review shop is closing its doors, and we'd like to shift those reviews over to you, roughly 25 a month.",
    "We're getting into bridge lending this summer and will need as-is appraisals on 8 to 12 properties at a time.",
    "I want to get the two lenders our buyers use most ordering from you, so let's talk about how to set that up.",
    "Would your team be open to being our go-to firm for estate appraisals? We handle about thirty a year.",
    "Quick one - do you all do rental-income schedules on duplexes?",
    "Our credit committee approved a lot-loan product last week and we'd like Halvorsen Valuation to handle the land work.",
])
def test_upsell(body):
    assert "upsell" in labels(body)


@pytest.mark.parametrize("body, subject", [
    ("As part of our annual vendor recertification, Harbor Valuation Partners is due for review in April.", "Recertification"),
    ("This is the second time I've asked. If I get one more of these newsletters I'll block the domain. Remove me.", "STOP"),
    ("I'm sending you the plans and the survey for the new build on 4 Larch Ct so you have them.", "4 Larch Ct"),
])
def test_no_upsell(body, subject):
    assert "upsell" not in labels(body, subject)
