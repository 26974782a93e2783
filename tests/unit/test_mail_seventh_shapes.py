"""The shapes a fresh blind judge found at head-6b3175940bbd+rules-24 (seventh session of issue 16), with our own
examples (not the judge's text, not probe v7's, not the training bank's): whole messages through the real classifier
(tests.support.mail: the bundled MiniLM and the shipped head), a hard negative beside each shape, and the rules
(mail_rules.bulk) that now know a vendor's pitch without list headers."""
import pytest

from revloop.processors.mail_rules import bulk
from tests.support.mail import classify_text

SENDER = "Odile Marchetti <omarchetti@keystonecu.example>"
DATE = {"Date": "Wed, 02 Dec 2026 10:05:00 -0500"}


def classified(body: str, subject: str = "Note", headers: dict | None = None):
    return classify_text(subject, body, SENDER, {**DATE, **(headers or {})})


def labels(body: str, subject: str = "Note") -> set[str]:
    return set(classified(body, subject).labels)


# 1. a plain deadline is a request with a time; urgency needs real pressure
@pytest.mark.parametrize("body", [
    "Hi Marcus, can you send me the appraisal for 40 Fenwick by Thursday? Thanks, Odile",
    "Please get the corrected invoice over to our AP team by the 19th.\n\nOdile",
    "Let me know by Monday afternoon what you'd charge for a drive-by on the Kittredge lot.",
])
def test_a_plain_deadline_is_a_request_and_not_urgent(body):
    got = labels(body)
    assert "explicit_request" in got and "urgent" not in got


@pytest.mark.parametrize("body", [
    "Closing on the Fenwick house is set for next Thursday and we already have your report. All good.",
    "I'll get the signed order form back to you by Tuesday.",
])
def test_a_date_with_nothing_pressing_is_not_urgent(body):
    assert "urgent" not in labels(body)


@pytest.mark.parametrize("body", [
    "URGENT: the final for 40 Fenwick has to reach us today, the lender won't fund without it. Please send it now.",
    "Please expedite the Kittredge order, our closing was moved up to tomorrow morning.",
])
def test_real_urgency_keeps_the_request(body):
    got = labels(body)
    assert {"explicit_request", "urgent"} <= got


# 2. no label but machine mail suppresses a request
def test_an_opt_out_with_a_call_request_keeps_both():
    got = labels("Please stop sending me your monthly promotions. Also, could someone phone me Friday about "
                 "the order on Kittredge Lane?\n\nOdile")
    assert {"opt_out", "explicit_request"} <= got


def test_a_complaint_with_a_correction_request_keeps_both():
    got = labels("Your appraiser listed the Fenwick house as three bedrooms, it has four. That's the second "
                 "mistake this month. Please correct the report and send it back.")
    assert {"complaint", "explicit_request"} <= got


# 3. vendors' pitches and newsletters without list headers
@pytest.mark.parametrize("body", [
    "Hi there,\n\nI help appraisal offices automate their invoicing. Could we hop on a 15-minute call Wednesday?\n\n"
    "Best,\nKyle | InvoiceKit",
    "Spring sale! Book your demo of FieldSnap this week and save 25%. Our pricing starts at $59 per seat.",
    "PhotoPro for appraisers: $39/month, unlimited properties. Call us today to learn more!",
    "View in browser\n\nThis month: five tips for faster inspections. Call us today!\n\nManage preferences",
])
def test_a_vendors_pitch_is_bulk_and_asks_nothing_of_us(body):
    got = classified(body, "Quick idea")
    assert got.bulk and "explicit_request" not in got.labels


@pytest.mark.parametrize("message", [
    "Could we schedule a demo of your client portal for our processors next week?",
    "Our pricing committee meets Thursday; please send your updated fee schedule before then.",
    "We help first-time buyers in Erie County, and we'd like to add you to our appraisal panel.",
])
def test_a_client_asking_for_a_demo_or_naming_pricing_is_not_a_pitch(message):
    assert bulk(message, {}) is None


# 4. complaints about our work, and others' trouble that is none
@pytest.mark.parametrize("body", [
    "Another report past due. If the next one is late too, our branch will start ordering from a different AMC.",
    "This is my fourth email about the Fenwick file and still nobody from your team has replied.",
    "Quite disappointed with how long the Kittredge report took, nearly three weeks.",
])
def test_late_work_unanswered_mail_and_disappointment_are_complaints(body):
    assert "complaint" in labels(body)


@pytest.mark.parametrize("body", [
    "The buyer is fuming at her lender for moving the goalposts again. Your report was perfect, thank you.",
    "Our phone system was down most of Monday, apologies if you couldn't reach us.",
    "The previous AMC we used never returned calls; that's a big reason we came to you.",
])
def test_someone_elses_trouble_is_no_complaint(body):
    assert "complaint" not in labels(body)


# 5. more business offered
@pytest.mark.parametrize("body", [
    "Heads up: I have five more refis lined up this month and I want your shop on each of them.",
    "We're adding a Scranton branch in the spring and would like your team to cover its appraisals.",
])
def test_more_business_is_upsell(body):
    assert "upsell" in labels(body)


def test_less_business_is_no_upsell():
    assert "upsell" not in labels("Things are slow, so you'll see fewer orders from our branch until spring.")
