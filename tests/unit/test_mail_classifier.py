"""processors.mail_classifier with the shipped model: one test per failure pattern of the issue that
asked for it (our own examples), and the rules that decide machine mail.

The model is the real one (tests.support.mail: the bundled MiniLM and the shipped head)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.processors import mail_rules
from revloop.processors.mail_classifier import CARD_FOR_TYPE
from tests.support.mail import classify_text, reader

CLIENT = "Karen Whitfield <kwhitfield@summitcu.org>"
CHICAGO = ZoneInfo("America/Chicago")
# Tuesday 10 November 2026, 10:05 in Chicago.
SENT = datetime(2026, 11, 10, 10, 5, tzinfo=CHICAGO)
DATE = {"Date": "Tue, 10 Nov 2026 10:05:00 -0600"}
OUR_MAIL = ("Hi Karen,\n\nIt's been a few weeks since we last worked together. Anything coming up?\n\nBest,\n"
            "Dan Reyes\nKeystone Valuation\n\n--\nKeystone Valuation, 1200 Commerce St, Springfield, IL 62701\n"
            "To stop receiving these emails: https://keystonevaluation.com/u/0123abcd")


def read(body: str, subject: str = "Question", sender: str = CLIENT, headers: dict | None = None):
    return classify_text(subject, body, sender, {**DATE, **(headers or {})}, received_at_ms=int(SENT.timestamp() * 1000))


def reply_to_our_mail(text: str):
    body = (f"{text}\n\nOn Mon, Nov 9, 2026 at 9:00 AM Dan Reyes <hello@keystonevaluation.com> wrote:\n"
            + "\n".join("> " + line for line in OUR_MAIL.split("\n")))
    return read(body, "Re: Checking in")


# -- opt-outs in replies to our own mail, and bare ones ----------------------------------------------

def test_an_opt_out_above_our_quoted_footer_is_an_opt_out_not_a_newsletter():
    got = reply_to_our_mail("Please remove me from your list.")
    assert got.labels == ("opt_out",) and not got.bulk
    assert [e.text for e in got.evidence if e.label == "opt_out"] == ["remove me from your list"]


def test_a_request_above_our_quoted_footer_is_a_request():
    got = reply_to_our_mail("Can you call me Thursday?")
    assert "explicit_request" in got.labels and got.request_type == "call" and got.card == "call_client"
    assert got.requested_time.start.isoformat() == "2026-11-12T09:00:00-06:00"


@pytest.mark.parametrize("text", ["STOP", "unsubscribe", "no more of these pls", "take me of ur list",
                                  "Please take me off your mailing list, we use an AMC now.",
                                  "Could you drop me from your mailing list?"])
def test_opt_outs_as_people_write_them(text):
    assert "opt_out" in reply_to_our_mail(text).labels


@pytest.mark.parametrize("body, words", [
    ("the comps were fine no more of these pls the old amc we used was worse", "no more of these"),
    ("Honestly the reports are fine. Enough with the emails, unsubscribe me.", "unsubscribe me"),
    ("We moved our work to a national AMC, kindly remove me from your contact list.", "remove me from your contact list"),
    ("I no longer want to be contacted by your firm", "no longer want to be contacted"),
    ("STOP Weather's finally turning here.", "STOP"),
    ("Quítenme de su lista, por favor.", "Quítenme de su lista"),
])
def test_an_unambiguous_opt_out_phrasing_in_new_text_is_an_opt_out_with_its_words(body, words):
    got = reply_to_our_mail(body)
    assert "opt_out" in got.labels
    assert [(e.text, e.rule) for e in got.evidence if e.label == "opt_out"] == [(words, "opt_out_phrase")]


def test_a_person_asking_to_be_removed_is_not_read_as_an_auto_reply():
    got = read("I do not wish to receive further emails from your company.", subject="Re: Checking in")
    assert got.labels == ("opt_out",)


@pytest.mark.parametrize("body", [
    "Please stop by our office when you're in town.",
    "Remove the second comp from the grid, it's a foreclosure.",
    "Please don't remove me from the list, I still want the rate updates.",
    "STOP work on 12 Ridge Ct, the loan was denied.",
    "No more emails needed on this one, I have what I need.",
    "Please stop sending those reports to Jim, he left.",
    # Mail that did not arrive: the sender wants more of it (a false opt-out would suppress them).
    "Buenas tardes. ¿Me pueden mandar otra vez el avalúo de la casa? No me llegó al correo.",
    "Your emails never reach me, they end up in spam.",
    "Nunca recibí sus correos.",
])
def test_words_that_look_like_an_opt_out_are_not_one(body):
    assert "opt_out" not in read(body).labels


# -- requests phrased as people phrase them ----------------------------------------------------------

@pytest.mark.parametrize("body", [
    "cud u ring me tmrw",
    "Would you mind walking me through the adjustments by phone next week?",
    "Hi Dan,\n\nGive me a call when you get a minute, I have questions about the comps.\n\nThanks,\nKaren",
    "Hola Dan, can you call me tomorrow about the value on 45 Oak?",
])
def test_call_requests_however_they_are_phrased(body):
    got = read(body)
    assert "explicit_request" in got.labels and got.request_type == "call"


def test_a_request_in_the_subject_with_an_empty_body():
    got = read("", subject="Call me tmrw re 45 Oak")
    assert "explicit_request" in got.labels and got.evidence[0].source == "subject"


def test_a_request_in_a_ps():
    body = "Thanks for the report on 45 Oak.\n\nBest,\nKaren\n\nP.S. Can you send me the invoice for it?"
    got = read(body)
    assert "explicit_request" in got.labels and got.request_type == "document"


def test_an_imperative_without_please_is_a_request():
    got = read("Send me the W-9 and your E&O certificate for our vendor file.")
    assert "explicit_request" in got.labels and got.request_type == "document"


# -- requests for work other than a call -------------------------------------------------------------

@pytest.mark.parametrize("body, kind", [
    ("The repairs at 12 Elm St are done. Can you go back out for the re-inspection this week?", "site_visit"),
    ("What would you charge for a desktop appraisal on 40 Oak Ave? Need it for a HELOC.", "quote"),
    ("I never got the final report for 88 Ridge Rd, please resend it.", "document"),
    ("Please change the due date on order 4411 to Friday, the borrower is traveling.", "order_change"),
    ("Please reach out to the listing agent, Jim Park, to set up access to 9 Birch Ln.", "third_party"),
    ("Can we set up a meeting next week with your team to go over the panel requirements?", "meeting"),
])
def test_each_kind_of_request_and_the_card_it_creates(body, kind):
    got = read(body)
    assert "explicit_request" in got.labels and got.request_type == kind
    assert got.card == CARD_FOR_TYPE[kind]


# -- false tasks ---------------------------------------------------------------------------------------

def test_a_signature_call_me_line_is_no_request():
    body = "Attached is the engagement letter for 123 Main St.\n\nThanks,\nMaria Lopez\nLoan Processor\nCall me: 555-201-3344"
    assert "explicit_request" not in read(body).labels


def test_call_me_crazy_is_an_idiom_not_a_request():
    assert "explicit_request" not in read("Call me crazy, but I think the value came in light on 45 Oak.").labels


def test_reply_stop_in_a_vendors_pitch_is_not_the_sender_opting_out():
    body = ("Hi Dan,\n\nAppraisal firms using OrderFlow cut turn times by 30%. Book a demo this week and get two months "
            "free!\n\nBest,\nChad\nOrderFlow\n\nReply STOP to opt out.")
    got = read(body, subject="Grow your appraisal business", sender="Chad <chad@orderflow.example>")
    assert "opt_out" not in got.labels and "explicit_request" not in got.labels


def test_a_rush_order_and_a_family_emergency_are_not_urgent():
    assert "urgent" not in read("We'd like to place a rush order for next month's construction draw.").labels
    assert "urgent" not in read("Sorry for the slow reply, I had a family emergency last week.").labels


@pytest.mark.parametrize("body", [
    "Our processor went through the appraisal this morning.",
    "The loan officer looked over the report with the borrower yesterday.",
    "Heads up, our office is closed Friday for the holiday.",
    "The rate lock is good for another 60 days.",
])
def test_plain_news_about_the_file_is_neither_a_complaint_nor_urgent(body):
    got = read(body)
    assert not {"complaint", "urgent", "explicit_request"} & set(got.labels)


@pytest.mark.parametrize("body, kind", [
    ("We'd like to set up a meeting with your team next week to talk about volume.", "meeting"),
    ("Please have someone go back out to 12 Oak to check the handrail.", "site_visit"),
    ("I never got the invoice for 88 Ridge Rd, please resend it.", "document"),
    ("Would appreciate if you could forward the E&O certificate.", "document"),
])
def test_indirect_and_wordy_requests_are_requests(body, kind):
    got = read(body)
    assert "explicit_request" in got.labels and got.request_type == kind


def test_quoted_requests_are_old_news():
    body = ("Thanks, all set now.\n\nOn Mon, Nov 9, 2026 at 9:00 AM Karen Whitfield <kwhitfield@summitcu.org> wrote:\n"
            "> Can you call me tomorrow? Also please remove me from the newsletter.")
    assert read(body, "Re: 45 Oak").labels == ()


# -- times ---------------------------------------------------------------------------------------------

def test_the_earliest_time_is_kept_and_a_later_deadline_beside_it():
    got = read("Can you call me tonight, before the rate lock expires tomorrow at noon?")
    w = got.requested_time
    assert (w.start.isoformat(), w.end.isoformat(), w.deadline.isoformat()) == (
        "2026-11-10T17:00:00-06:00", "2026-11-10T21:00:00-06:00", "2026-11-11T12:00:00-06:00")


def test_two_days_for_one_part_of_the_day_are_one_window():
    w = read("Could you call me Thursday or Friday afternoon?").requested_time
    assert (w.start.isoformat(), w.end.isoformat()) == ("2026-11-12T12:00:00-06:00", "2026-11-13T17:00:00-06:00")


def test_an_ambiguous_time_says_so():
    w = read("Can you call me next Thursday?").requested_time
    assert w.ambiguous and "next Thursday" in w.note


# -- machine mail, by rules ----------------------------------------------------------------------------

def test_a_dsn_is_a_bounce_and_only_that():
    got = read("Your message wasn't delivered to a@x.example because the address couldn't be found.",
               subject="Delivery Status Notification (Failure)",
               sender="Mail Delivery Subsystem <mailer-daemon@googlemail.com>")
    assert got.labels == ("bounce",) and got.evidence[0].rule == "bounce"


def test_an_auto_reply_header_makes_an_out_of_office_only():
    got = read("I am out of the office until Monday. For urgent matters call 555-0100.",
               subject="Automatic reply: 45 Oak", headers={"Auto-Submitted": "auto-replied"})
    assert got.labels == ("out_of_office",)


def test_bulk_mail_carries_no_conversational_label():
    got = read("Can you call us to hear about our new CRM? Unsubscribe | Manage preferences",
               subject="New CRM for lenders", sender="news@crm.example",
               headers={"List-Unsubscribe": "<mailto:u@crm.example>"})
    assert got.bulk and not {"explicit_request", "opt_out"} & set(got.labels)


# -- request shapes a rule is sure of (third session) ------------------------------------------------

@pytest.mark.parametrize("body, words, kind", [
    ("Hi Karen,\n\ncud u ring me tmrw about the comps\n\nthx", "cud u ring", "call"),
    ("Hola Dan,\n\nPls put everything for the Garcia file on hold until underwriting signs off.",
     "Pls put everything for the Garcia file on hold", "order_change"),
    ("Thanks for the report.\n\nP.S. Can you reach out to the listing agent for the lockbox code?",
     "Can you reach out", "third_party"),
])
def test_a_request_shape_is_a_request_with_the_rules_words_or_the_models(body, words, kind):
    got = read(body)
    assert "explicit_request" in got.labels and got.request_type == kind
    ev = [e for e in got.evidence if e.label == "explicit_request"]
    assert ev and (ev[0].rule == "request_phrase" and ev[0].text == words or ev[0].rule is None and words in ev[0].text)
    assert body[ev[0].start:ev[0].end] == ev[0].text


def test_a_rule_request_out_of_a_forward_or_a_quote_is_no_request():
    body = ("FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Tom Borrower <tom@example.com>\n"
            "Subject: access\n\nCan you call me tomorrow about the lockbox?")
    assert "explicit_request" not in read(body, "Fwd: access").labels


@pytest.mark.parametrize("body", [
    "The borrower asked if you could call her tomorrow.",
    "Call me if you have questions.",
    "Meet our new closing coordinator, Tasha, who will handle your files going forward.",
])
def test_a_requests_look_alike_in_new_text_is_no_request(body):
    assert "explicit_request" not in read(body).labels


def test_a_subject_only_imperative_with_an_order_number_is_a_request():
    got = read("thx\nPatty", subject="Cancel order #40417")
    assert "explicit_request" in got.labels and got.request_type == "order_change"
    assert [e.source for e in got.evidence if e.label == "explicit_request"] == ["subject"]


def test_urgency_said_outright_is_urgent_and_denied_urgency_is_not():
    got = read("Hi Karen,\n\nNeed the final today, we close tomorrow at 9.\n\nThanks")
    assert "urgent" in got.labels
    assert "urgent" not in read("No rush at all on 45 Oak, the closing isn't until next month.").labels


def test_a_meeting_about_the_business_there_is_is_no_upsell_and_a_closure_notice_is_not_urgent():
    got = read("Hi Karen,\n\nWe'd like to meet with your team next week to talk about volume and turn times.")
    assert "upsell" not in got.labels
    assert "urgent" not in read("Heads up, we're closed Friday for the holiday, so expect orders on Monday.").labels


# -- fourth session: what the second probe showed (our own examples, not the probe's) -----------------------------

@pytest.mark.parametrize("subject, body, kind", [
    ("Qoute for 2 duplexes?", "", "quote"),
    ("Reinpection requsted - 31 Shore Dr", "Sent from my iPhone", "site_visit"),
    ("Coffee Weds?", "", "meeting"),
    ("Move inspection to Tuesday", "Hi Dan,", "order_change"),
])
def test_a_subject_over_an_empty_body_is_the_whole_request_with_its_typos_forgiven(subject, body, kind):
    got = read(body, subject=subject)
    assert "explicit_request" in got.labels and got.request_type == kind
    asked = [e for e in got.evidence if e.label == "explicit_request"]
    # the subject's rule reads it; since the sixth session's head the model may hold it first, on the same words
    assert asked[0].source == "subject" and (asked[0].rule == "request_phrase"
                                             or asked[0].score >= reader().model.thresholds["explicit_request"])


def test_a_one_word_subject_over_news_is_no_request():
    got = read("We went with another firm's bid on the Carver lots, but thanks for turning it around fast.", subject="Bid")
    assert "explicit_request" not in got.labels


def test_an_ask_leaning_on_the_sentence_before_takes_its_kind_from_that_sentence():
    got = read("Hi Dan,\n\nThe lender wants a final inspection on 6 Marsh Ln before funding. Could you get that booked "
               "for next week?\n\nThanks,\nKaren")
    assert "explicit_request" in got.labels and got.request_type == "site_visit"


def test_a_day_offered_after_the_sender_cannot_make_the_set_one_moves_the_order():
    got = read("hey cant make weds after all. fri ok?\n\nSent from my iPhone", subject="inspection")
    assert "explicit_request" in got.labels and got.request_type == "order_change"
    assert [e.rule for e in got.evidence if e.label == "explicit_request"] == ["other_day"]


def test_a_condition_on_our_capacity_is_part_of_the_ask_and_one_on_a_future_event_is_not():
    asked = read("Do you cover Marion County? If so, send me your turn times and fees.\n\nThanks,\nKaren")
    assert "explicit_request" in asked.labels and asked.request_type == "quote"
    contingent = read("Should the seller back out of the deal, please cancel the appraisal right away.\n\nKaren")
    assert "explicit_request" not in contingent.labels


def test_an_assistant_asks_for_the_person_they_write_for():
    got = read("Good morning,\n\nI'm writing on behalf of Dr. Ames. She'd like a quote for appraisals on her two rental "
               "houses in Lane County.\n\nRegards,\nTom Li\nOffice Manager")
    assert "explicit_request" in got.labels and got.request_type == "quote"
    # the proxy rule reads the ask; since the sixth session's head the model may hold it first, on the same sentence
    assert mail_rules.proxy_request_phrase("She'd like a quote for appraisals on her two rental houses in Lane County.")
    assert [e.text for e in got.evidence if e.label == "explicit_request"][0].startswith("She'd like a quote") or \
        [e.rule for e in got.evidence if e.label == "explicit_request"] == ["proxy_request"]


@pytest.mark.parametrize("body", [
    "Send our best to everyone at Keystone.\n\nKaren",
    "Hi Dan, I'd love to show you how our route planner cuts drive time. Can we book a quick demo next week?\n\nSam",
    "Please find attached the signed purchase contract.\n\nKaren",
])
def test_sign_offs_pitches_and_attachments_are_not_requests(body):
    assert "explicit_request" not in read(body).labels


@pytest.mark.parametrize("body, kind", [
    ("Can you please cancle the Birch Ln order? The buyer walked.", "order_change"),
    ("Could you let the homeowner know the appraiser will be there at 9 on Friday?", "third_party"),
    ("Would it be too much trouble to send the invoice again? I can't find it.", "document"),
    ("I'd be grateful if someone could re-measure the guest house, the sketch looks off.", "site_visit"),
])
def test_polite_and_misspelt_asks_carry_the_kind_their_words_name(body, kind):
    got = read(body)
    assert "explicit_request" in got.labels and got.request_type == kind


@pytest.mark.parametrize("body", [
    "Honestly, we waited nine business days for a condo report. That's not acceptable for a rush client.\n\nRuth",
    "ur inspector never showed and never called, my husband stayed home from work for nothing\n\nSent from my iPhone",
    "The report you sent has the wrong parcel number on every page and our closer caught it at the table.\n\nLen",
])
def test_complaints_in_more_voices(body):
    assert "complaint" in read(body).labels


# (A third party's delay, "the county recorder is backed up three weeks, so the deed is late", still reads as a
# complaint to the head: a known gap, /work/notes/mail.md.)
@pytest.mark.parametrize("body", [
    "Your appraiser was lovely with my dad, thank you.\n\nRuth",
    "Call me if you have any questions about the gate code.\n\nLen",
])
def test_praise_and_offers_are_neither_complaints_nor_requests(body):
    got = read(body)
    assert "complaint" not in got.labels and "explicit_request" not in got.labels


def test_a_short_subject_is_never_read_as_an_auto_reply_that_drops_the_other_labels():
    got = read("Feel free to ring me if the tenant gives you any trouble with access.\n\nLen", subject="Questions")
    assert "out_of_office" not in got.labels
