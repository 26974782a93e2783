"""Mail rules 34: the work asked for second in a please-clause.

"Please review the attached agreement and send back a signed copy" asks for a document, though its
first verb (review) is no work of ours. Renewal notices ask this way, and the model scores such asks
near zero there (renewal mail usually asks for nothing), so the request was lost whenever renewal fired.
"Please review and let me know" and "please read it and call us if you have questions" stay courtesies.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 12 Jan 2027 08:30:00 -0600"}
SENDER = "Vendor Desk <vendors@prairiefederal.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS)


@pytest.mark.parametrize("subject, body, kind", [
    ("Panel renewal 2027", "Good morning,\n\nYour approved-vendor status with Prairie Federal is up for renewal on March 1. "
     "Please look over the enclosed vendor agreement and return a signed copy by February 10.\n\nVendor Desk", "document"),
    ("Re-credentialing", "Hello,\n\nOur yearly re-credentialing starts Monday. Please verify the coverage amounts on file "
     "and upload your current E&O declarations page.\n\nThanks,\nVendor Desk", "document"),
    ("Approved-appraiser status", "Hello,\n\nYour approved-appraiser status with Prairie Federal comes up for renewal on "
     "March 1. Please review the enclosed agreement and send back a signed copy by February 10.\n\nVendor Desk", "document"),
    ("Annual re-credentialing", "Hi all,\n\nOur annual re-credentialing opens next week. As part of it, please confirm the "
     "license numbers we hold for your appraisers and send a current W-9.\n\nVendor Desk", "document"),
    ("Fees for next year", "Hi,\n\nWith the panel renewal coming up, kindly check your fee schedule on file or propose "
     "updated fees for the 2027 season by the 20th.\n\nVendor Desk", "quote"),
])
def test_the_work_asked_second_is_a_request_even_in_a_renewal_notice(subject, body, kind):
    got = read(subject, body)
    assert "explicit_request" in got.labels, got
    assert got.request_type == kind


@pytest.mark.parametrize("body", [
    "Please review the attached summary and let me know your thoughts.\n\nVendor Desk",
    "Please read the enclosed policy update and contact us with any questions.\n\nVendor Desk",
    "Please review the report and call me if anything looks off.\n\nVendor Desk",
    "Your panel membership renews automatically on June 1. Please check the enclosed summary. No action is needed.\n\nVendor Desk",
])
def test_a_courtesy_after_the_first_verb_is_no_task(body):
    assert "explicit_request" not in read("Policy update", body).labels
