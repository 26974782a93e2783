"""Specification of processors.mail_classifier: one rule per test, accept and reject cases."""
from hypothesis import given, settings
from hypothesis import strategies as st

from revloop.processors.mail_classifier import LABELS, Classification, classify

CLIENT = "Karen Whitfield <kwhitfield@summitcu.org>"


def labels_of(body: str, subject: str = "Re: 45 Oak Ave", sender: str = CLIENT, headers=None) -> tuple[str, ...]:
    return classify(subject, body, sender, headers).labels


# --- explicit_request: the client asks us for a human action ---------------------------------

def test_explicit_request_when_client_asks_for_a_call():
    result = classify("45 Oak Ave", "Can you call me Thursday? I have questions about the comps.", CLIENT)
    assert "explicit_request" in result.labels
    assert result.requested_action == "call"


def test_explicit_request_when_client_says_please_give_me_a_call():
    assert "explicit_request" in labels_of("Please give me a call tomorrow at 3, want to talk through the value.")


def test_explicit_request_when_client_asks_someone_to_phone_back():
    result = classify("access", "Could someone phone me back? I left a voicemail this morning.", CLIENT)
    assert result.requested_action == "callback"


def test_explicit_request_when_client_asks_to_set_up_a_meeting():
    result = classify("panel", "Can we set up a meeting next week to go over the fee schedule?", CLIENT)
    assert result.requested_action == "meeting"
    assert result.requested_time == "next week"


def test_explicit_request_for_a_reconsideration_of_value_is_a_review():
    result = classify("ROV", "Please review the attached comps and reconsider the value on 300 Ridge Rd.", CLIENT)
    assert result.requested_action == "review"


def test_explicit_request_for_an_invoice_copy_is_send_documents():
    result = classify("invoice", "Could you send over a copy of the invoice for 77 Birch Ln?", CLIENT)
    assert result.requested_action == "send_documents"


def test_explicit_request_when_client_asks_politely_and_indirectly():
    assert classify("s", "I'd appreciate a call back today.", CLIENT).requested_action == "callback"
    assert classify("s", "Mind calling me when you're free?", CLIENT).requested_action == "call"


def test_no_request_when_we_say_we_should_call_them():
    assert "explicit_request" not in labels_of("We should call them about the late fee.")


def test_no_request_when_the_client_says_they_will_call_us():
    assert "explicit_request" not in labels_of("I will call you Thursday to go over the numbers.")


def test_no_request_when_reporting_that_someone_else_asked():
    assert "explicit_request" not in labels_of("They asked if we could call the borrower before the inspection.")


def test_no_request_when_the_client_says_no_need_to_call():
    assert "explicit_request" not in labels_of("No need to call, email is fine.")


def test_no_request_for_a_conditional_courtesy_call_offer():
    assert "explicit_request" not in labels_of("Attached is the order. If you have any questions, feel free to call me.")


def test_no_request_for_a_hypothetical_call():
    assert "explicit_request" not in labels_of("If the value comes in low we may need to schedule a call.")


def test_no_request_for_routine_order_workflow():
    assert labels_of("Please confirm receipt of this order and let me know the inspection date.") == ()


def test_quoted_request_is_ignored():
    body = "Thanks, received.\n\n> Can you call me Thursday?\n> Karen"
    assert labels_of(body) == ()


def test_request_below_an_on_wrote_line_is_ignored():
    body = ("Sounds good.\n\nOn Tue, Jun 4, 2024 at 9:12 AM Karen Whitfield <kwhitfield@summitcu.org>\nwrote:\n"
            "Can you call me Thursday?")
    assert labels_of(body) == ()


def test_request_in_an_outlook_quoted_block_is_ignored():
    body = ("Sounds good.\n\nFrom: Tom Becker\nSent: Tuesday, June 4, 2024 8:01 AM\nTo: Dan\nSubject: 3 Harbor Ct\n\n"
            "Can you give me a call tomorrow?")
    assert labels_of(body) == ()


def test_forwarded_third_party_request_is_not_a_request_to_us():
    body = ("FYI - borrower's contact info below.\n\n---------- Forwarded message ---------\n"
            "From: Kevin <k@gmail.com>\n\nHi Sam, can you call me tomorrow?")
    assert "explicit_request" not in labels_of(body, subject="Fwd: appraisal")


def test_requested_time_is_kept():
    assert classify("s", "Can you call me Thursday?", CLIENT).requested_time == "Thursday"


def test_requested_time_keeps_day_part_and_clock_as_written():
    assert classify("s", "Can you call me next Tuesday morning?", CLIENT).requested_time == "next Tuesday morning"
    assert classify("s", "Please give me a call tomorrow at 3pm.", CLIENT).requested_time == "tomorrow at 3pm"


def test_requested_time_is_taken_from_the_follow_up_question():
    body = "I'd like to schedule a meeting to discuss the renewal. Does next Thursday at 1pm work for you?"
    assert classify("s", body, CLIENT).requested_time == "next Thursday at 1pm"


def test_a_phone_number_is_not_a_requested_time():
    assert classify("s", "Please call me back at 555-310-2201.", CLIENT).requested_time is None


def test_no_time_when_there_is_no_request():
    result = classify("s", "I'll call you Thursday.", CLIENT)
    assert result.requested_action is None and result.requested_time is None


# --- bounce ---------------------------------------------------------------------------------

def test_bounce_from_mailer_daemon():
    assert labels_of("Address not found", subject="Delivery Status Notification (Failure)",
                     sender="Mail Delivery Subsystem <mailer-daemon@googlemail.com>") == ("bounce",)


def test_bounce_from_postmaster_undeliverable():
    assert labels_of("Delivery has failed to these recipients or groups:", subject="Undeliverable: Order 4471",
                     sender="postmaster@bank.com") == ("bounce",)


def test_bounce_from_dsn_content_type_header():
    headers = {"Content-Type": "multipart/report; report-type=delivery-status"}
    assert labels_of("see attached", subject="Returned", sender="mx@bank.com", headers=headers) == ("bounce",)


def test_bounce_is_the_only_label_even_when_the_returned_message_asks_for_a_call():
    body = "Mail delivery failed.\n\nOriginal message:\nURGENT - can you call me Thursday?"
    assert labels_of(body, subject="Mail delivery failed: returning message to sender",
                     sender="MAILER-DAEMON@mx.bank.com") == ("bounce",)


def test_no_bounce_when_a_person_says_an_email_bounced():
    assert "bounce" not in labels_of("Your email to the borrower bounced - the address is r.patel@gmail.com.")


# --- out_of_office --------------------------------------------------------------------------

def test_out_of_office_from_automatic_reply_subject():
    assert labels_of("I am out of the office until Monday with limited access to email.",
                     subject="Automatic reply: 12 Elm St") == ("out_of_office",)


def test_out_of_office_from_auto_submitted_header():
    assert labels_of("Back on the 17th.", headers={"Auto-Submitted": "auto-replied"}) == ("out_of_office",)


def test_out_of_office_reply_saying_urgent_matters_is_not_urgent():
    body = "I am currently out of the office. For urgent matters, please call Jim at 555-201-8877."
    assert labels_of(body, subject="Out of Office: Re: 14 Willow") == ("out_of_office",)


def test_no_out_of_office_when_a_person_mentions_being_out_friday():
    body = "I'll be out of the office Friday, so if you could get the report in by Thursday that would be great."
    assert "out_of_office" not in labels_of(body)


def test_auto_submitted_no_is_not_an_auto_reply():
    assert "out_of_office" not in labels_of("Attached is the order.", headers={"Auto-Submitted": "no"})


# --- opt_out --------------------------------------------------------------------------------

def test_opt_out_when_asked_to_be_removed_from_the_list():
    assert "opt_out" in labels_of("Please remove me from your list. I'm a realtor, not a lender.")


def test_opt_out_when_the_whole_message_is_unsubscribe():
    assert labels_of("unsubscribe", subject="unsubscribe") == ("opt_out",)


def test_opt_out_when_told_to_stop_emailing_me():
    assert "opt_out" in labels_of("Please stop emailing me, I no longer work here.")


def test_no_opt_out_for_a_newsletter_footer():
    body = "Market watch: DOM up 8%.\n\nYou received this because you are a vendor. To unsubscribe click here."
    assert labels_of(body, subject="Vendor Update", sender="news@amc.com") == ()


def test_no_opt_out_when_told_to_stop_emailing_the_borrower():
    assert "opt_out" not in labels_of("Stop emailing the borrower directly, everything goes through me.")


# --- complaint ------------------------------------------------------------------------------

def test_complaint_about_turnaround():
    assert "complaint" in labels_of("I'm very disappointed with the turnaround, it's been 12 days and no report.")


def test_complaint_about_appraiser_conduct():
    assert "complaint" in labels_of("Your appraiser was rude to the borrower. This is unacceptable.")


def test_no_complaint_for_a_plain_revision_request():
    assert "complaint" not in labels_of("UW needs the prior sale of comp 3 added. Please revise and resend.")


def test_no_complaint_for_praise():
    assert labels_of("The appraisal looks good, thanks for the quick turnaround!") == ()


def test_quoted_complaint_is_ignored():
    assert labels_of("Thanks for fixing that, all good now.\n\n> I'm very disappointed. This is unacceptable.") == ()


def test_forwarded_complaint_counts():
    body = ("FYI see below.\n\n---------- Forwarded message ---------\nFrom: borrower <b@gmail.com>\n\n"
            "The appraiser was extremely rude and left after 10 minutes.")
    assert "complaint" in labels_of(body, subject="Fwd: appraiser visit")


# --- urgent ---------------------------------------------------------------------------------

def test_urgent_for_a_rush_order():
    assert "urgent" in labels_of("Need a rush on this one please.", subject="New order 88 Pine")


def test_urgent_when_closing_tomorrow():
    assert "urgent" in labels_of("Borrower is closing tomorrow and we still need the final.")


def test_urgent_for_asap():
    assert "urgent" in labels_of("Need the final ASAP, underwriting is waiting.")


def test_no_urgent_when_the_client_says_no_rush():
    assert "urgent" not in labels_of("No rush on this one, closing isn't until August.")


def test_no_urgent_for_a_question_about_the_rush_fee():
    assert "urgent" not in labels_of("What's your rush fee for a 1004 in Marion County?")


def test_no_urgent_from_a_legal_disclaimer():
    body = ("Attached is the order.\n\nCONFIDENTIALITY NOTICE: If you received this in error, please notify the "
            "sender immediately.")
    assert labels_of(body) == ()


# --- renewal --------------------------------------------------------------------------------

def test_renewal_of_an_approved_vendor_agreement():
    body = "Your approved vendor agreement expires 3/31. Please complete the attached renewal package."
    assert "renewal" in labels_of(body, subject="Vendor agreement")


def test_renewal_for_panel_recertification():
    assert "renewal" in labels_of("It's time for your annual recertification on our appraisal panel.")


def test_no_renewal_when_the_borrower_renews_a_heloc():
    assert "renewal" not in labels_of("Borrower is renewing their HELOC, please see the attached order.")


def test_no_renewal_for_a_subscription_auto_renew_notice():
    assert "renewal" not in labels_of("Your MLS subscription will auto-renew on 7/1 under your current contract.")


# --- upsell ---------------------------------------------------------------------------------

def test_upsell_when_adding_desktop_appraisals():
    assert "upsell" in labels_of("We'd like to add desktop appraisals to what you do for us.")


def test_upsell_when_expanding_into_new_counties():
    assert "upsell" in labels_of("We are expanding into Ohio - could you cover Franklin and Delaware counties?")


def test_upsell_for_more_volume():
    assert "upsell" in labels_of("We'd like to send you more volume in Q3.")


def test_no_upsell_when_volume_is_reduced():
    assert "upsell" not in labels_of("We're reducing our panel and will be sending fewer orders going forward.")


def test_no_upsell_for_vendor_marketing():
    body = "Expand into new states with our marketplace. More volume, less chasing!\n\nUnsubscribe | Manage preferences"
    assert labels_of(body, subject="Grow your business", sender="info@leads.io") == ()


# --- multi-label, neutral traffic, output contract -----------------------------------------

def test_labels_combine_when_several_rules_fire():
    body = "The report came back with errors and the borrower is closing tomorrow. Please call me today."
    assert set(labels_of(body)) == {"complaint", "explicit_request", "urgent"}


def test_ordinary_order_traffic_gets_no_label():
    body = "Attached is the engagement letter for 123 Main St. Borrower is John Alvarez."
    result = classify("Engagement letter - 123 Main St", body, CLIENT)
    assert result.labels == () and result.requested_action is None and not result.undecided


def test_labels_are_a_sorted_subset_of_the_label_set():
    result = classify("RUSH", "I'm frustrated. Please call me ASAP and remove me from your list.", CLIENT)
    assert result.labels == tuple(sorted(result.labels))
    assert set(result.labels) <= set(LABELS)


def test_undecided_when_an_action_is_mentioned_but_not_clearly_asked_for():
    result = classify("s", "A call with the underwriter about the comps would help.", CLIENT)
    assert result.undecided and result.confidence < 0.6 and result.labels == ()


def test_classification_is_deterministic():
    body = "Can you call me Thursday? The value came in low and I'm disappointed."
    assert classify("s", body, CLIENT) == classify("s", body, CLIENT)


@settings(max_examples=300, deadline=None)
@given(subject=st.text(max_size=200), body=st.text(max_size=3000), sender=st.text(max_size=80),
       headers=st.dictionaries(st.text(max_size=30), st.text(max_size=80), max_size=5))
def test_classify_never_raises_on_arbitrary_text(subject, body, sender, headers):
    result = classify(subject, body, sender, headers)
    assert isinstance(result, Classification)
    assert 0.0 <= result.confidence <= 1.0
    assert set(result.labels) <= set(LABELS)


# --- regression floor on the held-out test split -------------------------------------------

# Measured when the rules were frozen: micro precision 35/36 = 0.972, recall 35/35 = 1.00.
# Each floor tolerates one more miss than that; a second one fails.
PRECISION_FLOOR = 0.94
RECALL_FLOOR = 0.97


def test_held_out_split_micro_precision_and_recall_stay_above_floor():
    from bench.eval_classifier import evaluate_split

    micro = evaluate_split("test")["micro"]
    assert micro["precision"] >= PRECISION_FLOOR
    assert micro["recall"] >= RECALL_FLOOR
