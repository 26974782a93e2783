"""Mail rules 59: opt-outs in still other words (the shapes among mail_train_v13's opt-out misses; the test sentences are
our own): our mail "turned off", an address removed with nothing more, several addresses taken off a letter, "Enough
with the emails." and "make it stop" said alone, es "dejen de mandármelos", "no need to send me the <letter>". And a
false one: "please remove them and send the corrected copy" (photos in our report) is no opt-out. Hard negatives beside
them: turning off something else, an address removed from an order, "enough" said of an email thread, "remove the comp".
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 15 Feb 2028 07:40:00 -0700"}
SENDER = "Marguerite Okafor <mokafor@bluestemlending.example>"


def labels(body, subject="Re: Your appraisal"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "Could you switch off the post-closing surveys for me? One per file is a lot.",
    "Please remove frontdesk@bluestemlending.example, thanks.",
    "Please delete the address closings@bluestemlending.example from all marketing distributions.",
    "Can you drop both ops@bluestemlending.example and team@bluestemlending.example from the weekly recap? We get it three times.",
    "Enough with the emails.",
    "I'm not even in real estate. Make it stop.",
    "Ya tengo mi avalúo. Por favor dejen de mandármelos.",
    "No need to send me the monthly market update anymore.",
])
def test_opt_out(body):
    assert "opt_out" in labels(body)


@pytest.mark.parametrize("body", [
    "The photos show the neighbor's kids in the yard. Please remove them and send the corrected copy to me and my lender.",
    "Please remove the second comp and reupload the report.",
    "Can you turn off the water at the property after the inspection?",
    "Please remove jlee@bluestemlending.example from the order, she's no longer the processor.",
    "Enough with the emails back and forth, just call me this afternoon.",
    "Can you send me the monthly market update again? I lost it.",
])
def test_no_opt_out(body):
    assert "opt_out" not in labels(body)
