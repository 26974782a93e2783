"""Mail rules 40: urgency said without the word, renewal notices that read as away, and the kind of work a request
names when it says "call", "send" or "re-inspect" about something else (our own examples, not probe v10b's).

Urgency: what is lost if a near time is missed ("if the payoff isn't recorded by Friday the buyer loses the rate",
"or we miss Monday's closing window", "no access after Sunday") and a signing today are pressure; a portal's
generated "URGENT" notice is no one's pressure; a borrower's payment "$55/month" is no vendor's price. A renewal notice
saying the packet "will go out in March" is nobody away. Request kinds: calling or emailing third parties in the plural
or by email is contacting them; "send someone Monday" is a visit; "what would it cost to re-inspect" asks a price;
"email the final inspection certificate" and "upload the reinspection photos" send documents.
"""
from datetime import datetime

import pytest

from revloop.processors import mail_rules
from tests.support.mail import classify_text

HEADERS = {"Date": "Wed, 03 Nov 2027 14:10:00 -0500"}
MS = int(datetime.fromisoformat("2027-11-03T14:10:00-05:00").timestamp() * 1000)
SENDER = "Odette Ferreira <oferreira@tidewaterlending.example>"


def read(subject, body):
    return classify_text(subject, body, SENDER, HEADERS, received_at_ms=MS)


@pytest.mark.parametrize("body", [
    "Quick check on 902 Marsh Hen. If the report isn't uploaded by Friday the buyer loses his rate. Where does it stand?",
    "Can you get the revised grid over this afternoon? Otherwise we miss tomorrow's closing window.",
    "The owners move out Sunday and there's no access after that. We need the final done before then, can you go Saturday?",
    "Borrowers are signing at 3 tomorrow and the closer can't fund without your completion report.",
])
def test_pressure_said_without_the_word_is_urgent(body):
    assert "urgent" in read("Re: timing", body).labels


@pytest.mark.parametrize("body", [
    "If the value comes in low the buyer walks, but that's his call. No timing issue on our side.",
    "Closing is set for the second week of January. Please send the invoice whenever you can.",
])
def test_a_stake_without_a_near_time_is_not_urgent(body):
    assert "urgent" not in read("431 Gull Point", body).labels


def test_a_generated_portal_notice_is_not_urgent():
    got = read("URGENT: Response needed - Order 99310",
               "This is an automated notification from OrderHub. Order 99310 has a new revision request. Sign in to "
               "respond.\n\nPlease do not reply to this message.")
    assert got.labels == () and got.bulk


def test_a_monthly_payment_is_no_vendor_price():
    got = read("1700 Heron Way", "The lock on 1700 Heron Way expires Thursday and the payment jumps about $55/month "
                                 "if it lapses. Can you call me this afternoon?")
    assert not got.bulk and {"explicit_request", "urgent"} <= set(got.labels)
    assert mail_rules.bulk("Our plans start at just $29/month. Book your free trial today.", {}) is not None


def test_a_packet_that_goes_out_later_is_nobody_away():
    got = read("Vendor recertification",
               "Your vendor recertification with Tidewater Lending is due January 15. The packet will go out in "
               "December; there's nothing for you to do yet.\n\nVendor Management")
    assert got.labels == ("renewal",)
    assert mail_rules.may_be_away("I'm out of the office until Monday.")


@pytest.mark.parametrize("body, kind", [
    ("Please phone the sellers and set up a time for the final.", "third_party"),
    ("Could you email the listing agent for the lockbox code? She doesn't text.", "third_party"),
    ("Can you send someone Monday? The contractor finished the railing.", "site_visit"),
    ("What would it cost to go back out and re-measure the garage at 12 Tern?", "quote"),
    ("How much would a 1004D run on 88 Plover?", "quote"),
    ("Please email the final inspection certificate for 5 Sandpiper.", "document"),
    ("Could you upload the reinspection photos to the portal?", "document"),
    ("Can you forward the corrected 1004 with the new lender name?", "document"),
    ("Can you re-inspect 5 Sandpiper and send me the photos after?", "site_visit"),
])
def test_the_kind_of_work_a_request_names(body, kind):
    got = read("Request", body)
    assert "explicit_request" in got.labels and got.request_type == kind


def test_a_complaint_naming_a_panel_vendor_is_no_renewal():
    got = read("Re: 14 Tern", "Honestly, this isn't the kind of service we expect from a panel vendor.\n\nRuth")
    assert "renewal" not in got.labels
    assert "renewal" in read("Panel", "Your approved vendor agreement with Tidewater is up for renewal on 12/31.").labels


@pytest.mark.parametrize("body", [
    "We already lost a deal last spring because an appraisal came in late. Just saying.",
    "The home sits across from the emergency services building on Route 9, parking is in back.",
])
def test_a_past_loss_and_emergency_services_are_not_urgent(body):
    assert "urgent" not in read("431 Gull Point", body).labels


def test_coming_by_our_office_is_a_meeting():
    got = read("intro", "Could your team come by our office next Wednesday to meet the new processors?")
    assert got.request_type == "meeting"
