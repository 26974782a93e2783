"""Mail rules 47: urgency said in still other words (18 pressed / unpressed messages written after rules 46; our own
examples here). Missed before: a contingency ending on a near day, the wire going out at an hour, "in a bind" with a
file that "gets suspended" by an hour. Not pressure: contingency deadlines mentioned in general, a wire that goes out at
the same hour every day, a suspension that may come next month.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 13 Mar 2029 08:15:00 -0500"}
SENDER = "Rosalind Achterberg <rachterberg@meadowlarkhl.example>"


def labels(body):
    return classify_text("31 Larkspur", body, SENDER, HEADERS).labels


@pytest.mark.parametrize("body", [
    "Our appraisal contingency on 31 Larkspur expires Thursday. Where are we?",
    "The wire is going out at 11 and we still need the completion cert.",
    "Bit of a jam here: underwriting wants the value before 2 or the loan gets kicked back.",
    "Any chance to bump 31 Larkspur up the queue? The buyers' financing contingency is up Friday.",
    "We're in a pinch - the investor wants the value by 3 or the file gets suspended.",
])
def test_pressure(body):
    assert "urgent" in labels(body)


@pytest.mark.parametrize("body", [
    "The contingency dates are all listed in the purchase contract, page 4.",
    "Heads up for billing: our wire goes out at 3 every business day.",
    "If the file gets pulled next quarter I'll let you know.",
])
def test_no_pressure(body):
    assert "urgent" not in labels(body)
