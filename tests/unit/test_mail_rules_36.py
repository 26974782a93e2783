"""Mail rules 36: complaints and upsell where the tenth blind judge found them wrong (our own examples).

Complaint precision was the weakest figure (0.625). Not complaints about us:
- a difference between our report and another source, pointed out or asked about ("the report has 4
  bedrooms, the tax card says 3 - which is right?"), unless the sender calls ours an error or a repeat;
- trouble with a third party told as its subject ("the title company still hasn't sent the payoff"),
  the sender's own tries "as well", and a message whose sender says our side is fine ("your report
  was fine, just venting", "nothing needed from you").
Complaints said mildly or indirectly: nobody let us know, "Not thrilled.", "It's now Tuesday." after a
promised day, more back-and-forth than it should have taken, hoping the next one goes smoother, the
same miss in a row, a disappointment with how we handled it, photos of the wrong house.
Upsell in ordinary words: another part of the client's business wanting to use us too, a further
service asked about by our name ("Does Keystone do drone roof inspections?").
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Mon, 18 Oct 2027 14:05:00 -0400"}
SENDER = "Priscilla Hwang <phwang@bayberrycu.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS)


@pytest.mark.parametrize("subject, body", [
    ("Bedrooms on 8 Tern Ct", "Hi,\n\nThe report has 4 bedrooms but the tax card says 3. Which is right? Our underwriter will "
                              "want to know.\n\nThanks,\nPriscilla"),
    ("Site size", "The plat shows the lot at 0.42 acres and your appraisal says 0.46. Trying to understand where the "
                  "difference comes from before it goes to the investor.\n\nPriscilla"),
    ("Re: 14 Heron Rd", "FYI the title company still hasn't sent the payoff letter, which is holding everything up. "
                        "Super frustrating.\n\nPriscilla"),
    ("Re: 9 Osprey", "Heads up, the listing agent still hasn't returned my calls about access. I've left two voicemails as "
                     "well.\n\nPriscilla"),
    ("ugh", "Our closing software crashed again and ate the whole afternoon. Your report was fine, just venting.\n\nPriscilla"),
    ("can't download", "Our portal keeps timing out, so I couldn't download the appraisal you delivered. IT is on it. "
                       "Nothing needed from you.\n\nPriscilla"),
])
def test_not_complaints_about_us(subject, body):
    assert "complaint" not in read(subject, body).labels


@pytest.mark.parametrize("subject, body", [
    ("22 Gull Ln", "I was a bit surprised nobody told us the appraiser was coming a day early. The owner wasn't home."
                   "\n\nPriscilla"),
    ("5 Plover Way", "We were promised Thursday for 5 Plover Way. It's now Tuesday. Not thrilled.\n\nPriscilla"),
    ("Re: 71 Egret", "It all worked out on 71 Egret, but it took far more emails than it should have. Hoping the next one "
                     "goes smoother.\n\nPriscilla"),
    ("street photo", "Second report in a row without the street scene photo. Please keep an eye on that.\n\nPriscilla"),
    ("Revision on 3 Crane", "A little disappointed with how the revision on 3 Crane was handled; it sat for nine days."
                            "\n\nPriscilla"),
    ("Photos", "The exterior photos in the 60 Sandpiper report are of the wrong house.\n\nPriscilla"),
    ("Bedrooms again", "Third time this quarter the bedroom count in your report is wrong versus the MLS.\n\nPriscilla"),
])
def test_mild_or_indirect_displeasure_with_us_is_a_complaint(subject, body):
    assert "complaint" in read(subject, body).labels


@pytest.mark.parametrize("subject, body", [
    ("Our Salem office", "Our Salem office asked about using you folks as well. Fine if I share your contact?\n\nPriscilla"),
    ("drone roofs", "Does Keystone do drone roof inspections? Our insurance partners keep asking.\n\nPriscilla"),
    ("reviews?", "Do you guys also offer field reviews? We have a handful each month.\n\nPriscilla"),
])
def test_more_business_in_ordinary_words_is_upsell(subject, body):
    assert "upsell" in read(subject, body).labels


@pytest.mark.parametrize("subject, body", [
    ("land appraiser?", "Do you know anyone who does farm appraisals out by Salem? Not your usual work, I know.\n\nPriscilla"),
    ("slow season", "Heads up, we'll be sending fewer orders through the holidays.\n\nPriscilla"),
])
def test_no_upsell(subject, body):
    assert "upsell" not in read(subject, body).labels


@pytest.mark.parametrize("sentence", [
    "The tax card has the GLA at 2,140 sq ft and your report says 2,380.",
    "Your appraisal lists the year built as 1964 but the county shows 1961.",
    "Which one is correct?",
    "The roofer still hasn't sent his invoice, which is holding up the whole file.",
    "FYI the borrower on 3 Wren still isn't picking up.",
    "I've called three times this morning as well.",
])
def test_never_the_models_complaint_evidence(sentence):
    # the model reads these as complaints (a number against ours, someone late, tries counted); they are no evidence
    from revloop.processors import mail_rules
    assert not mail_rules.may_be_complaint(sentence)


@pytest.mark.parametrize("sentence", [
    "Your report says 3 baths and the MLS says 2, and it's wrong again.",
    "The borrower is furious and so am I.",
    "Your appraiser still hasn't sent the photos.",
])
def test_still_the_models_complaint_evidence(sentence):
    from revloop.processors import mail_rules
    assert mail_rules.may_be_complaint(sentence)
