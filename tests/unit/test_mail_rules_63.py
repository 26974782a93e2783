"""Mail rules 63: urgency in other words (the fifteenth blind judge's urgent recall was 0.70): what cannot go on without our
work ("won't clear it to close without", "can't draw docs without", "cannot release the file without"), a loan that drops
out of its pool, a cutoff named with its pool, a rate lock named with its loan, the hour itself ("within the hour"), "NEED
TODAY", the parties already at the closing table, "we close this week", "as soon as you can", and a stake said in the
sentence after an ask with its near time. Not pressure: "clear to close" negated was read as good news (it is the
opposite), "No action is needed today", "effective immediately", a license number before "expires". The test sentences
are our own.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 14 Mar 2028 09:20:00 -0400"}
SENDER = "Priscilla Oduya <poduya@harborlinefunding.example>"


def labels(body, subject="19 Tern Ln"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("subject, body", [
    ("19 Tern Ln", "The buyer's rate lock on 19 Tern Ln expires Thursday and the lender won't clear it to close without the "
                   "final inspection. Can someone go out tomorrow?"),
    ("19 Tern Ln", "Funding docs go out tonight and we can't draw docs without your report in the file."),
    ("NEED TODAY - 19 Tern Ln", "Please upload the revised report."),
    ("W-9", "Please email me your W-9 within the hour."),
    ("19 Tern Ln", "The sellers are already at the closing table and title wants the completion cert."),
    ("19 Tern Ln", "Our warehouse cutoff for this batch is today at 3 pm and the loan drops out if we miss it."),
    ("19 Tern Ln", "Could you change the lender name and re-send it by Monday? We can't fund without a report in our name."),
    ("19 Tern Ln", "Can you get someone to the property? We close this week and the seller just changed the lockbox code."),
    ("19 Tern Ln", "Send over the revised grid as soon as you can."),
])
def test_urgent(subject, body):
    assert "urgent" in labels(body, subject)


@pytest.mark.parametrize("subject, body", [
    ("Panel renewal", "No action is needed today; the renewal packet goes out in May."),
    ("Newsletter", "Please remove my address from your newsletter list, effective immediately."),
    ("License reminder", "Reminder: appraiser license #A-2231 (R. Olin) expires September 30, 2028."),
    ("19 Tern Ln", "Good news, we're cleared to close on the 30th."),
    ("19 Tern Ln", "Could you send the final inspection once it's done? We can't close without it, but closing isn't until next month."),
])
def test_not_urgent(subject, body):
    assert "urgent" not in labels(body, subject)
