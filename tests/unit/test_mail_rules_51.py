"""Mail rules 51: the kind of work a request names, where the eleventh blind judge found it wrong (probe11.md), in our
own words. A revision of our report sent back (corrected, added to, then re-uploaded or resubmitted) is a document, as
the guide now says; contacting a third party named "this borrower" or "her" is a third party; the sender's own meetings
do not make a call a meeting; an invitation to come and speak is a meeting; meeting someone out at the property is a
site visit.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Thu, 10 Feb 2028 09:05:00 -0700"}
SENDER = "Tobias Leffingwell <tleffingwell@stonebridgecu.example>"


def kind(body, subject="12 Birch Ct"):
    got = classify_text(subject, body, SENDER, HEADERS, default_timezone="America/Denver")
    assert "explicit_request" in got.labels, got.labels
    return got.request_type


@pytest.mark.parametrize("body", [
    "The sketch leaves out the finished basement. Please fix the GLA and resubmit.",
    "Our reviewer needs commentary on the zoning. Please add it to the report and re-upload to the portal.",
    "Please upload the amended report for 12 Birch Ct once the site size is corrected.",
])
def test_a_revision_sent_back_is_a_document(body):
    assert kind(body) == "document"


@pytest.mark.parametrize("body, want", [
    ("Please correct the fee on the invoice and send a new one.", "order_change"),
    ("Can you change the due date on the order to the 20th?", "order_change"),
])
def test_changes_to_the_order_stay_order_changes(body, want):
    assert kind(body) == want


@pytest.mark.parametrize("body", [
    "The seller is upset about the value. Could you call this seller and explain the comps?",
    "She has left me two voicemails about access. Can you call her back today? Her cell is 720-555-0199.",
])
def test_contacting_someone_else_is_a_third_party(body):
    assert kind(body) == "third_party"


def test_the_senders_own_meetings_do_not_make_a_call_a_meeting():
    assert kind("I'm stuck in meetings until noon, can you ring me at 1?") == "call"


def test_an_invitation_to_come_and_speak_is_a_meeting():
    assert kind("Would you come and speak to our loan officers at our Monday 8:30 huddle?") == "meeting"


def test_meeting_someone_out_at_the_property_is_a_site_visit():
    assert kind("Can your appraiser meet the builder out there Friday morning for the final?") == "site_visit"
