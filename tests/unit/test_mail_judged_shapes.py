"""The failure shapes a blind judge found in rules 13/14 (session 5 of issue 16), with our own examples in
voices the corpus does not use and a hard negative beside each. Whole messages go through the real
classifier (tests.support.mail: bundled MiniLM and the shipped head); single sentences through the rules."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.processors.mail_rules import (complaint_phrase, may_be_complaint, not_request_evidence, opt_out_phrase,
                                          may_be_away, may_be_urgent, request_kind, request_phrase, upsell_phrase,
                                          urgency_phrase)
from tests.support.mail import classify_text

SENDER = "Odile Marchetti <omarchetti@harborlend.example>"
DENVER = ZoneInfo("America/Denver")
SENT = datetime(2026, 12, 1, 9, 40, tzinfo=DENVER)   # a Tuesday
DATE = {"Date": "Tue, 01 Dec 2026 09:40:00 -0700"}


def read(body: str, subject: str = "12 Quarry Rd", headers: dict | None = None):
    return classify_text(subject, body, SENDER, {**DATE, **(headers or {})}, received_at_ms=int(SENT.timestamp() * 1000))


# -- 1. request false positives: news that reads like an ask ------------------------------------------------

@pytest.mark.parametrize("text", [
    # confirmations of what is already agreed
    "Perfect, see you Wednesday at 2.",
    "Great - confirmed for the 14th, gate code is 8812.",
    "Sounds good, Friday at 9 works.",
    "We're all set for the walk-through, thanks for fitting us in.",
    "Listo, nos vemos el jueves a las 10.",
    # attachment notes, English and Spanish
    "Attached is the executed purchase addendum for your file.",
    "Enclosed are the HOA bylaws you'll want for the condo questionnaire.",
    "Adjunto la orden firmada para el dúplex de la calle Olmo.",
    "Les adjunto la renovación del contrato de servicios, ya firmada.",
    # settled matters reported, reports of what happened
    "The investor wanted a rent survey at first but dropped it after the call, so no changes needed.",
    "Processing asked about a second walk-through; they sorted it out with the borrower.",
    "The surveyor was late again, so the final will have to wait until Monday.",
    # status questions and acknowledgements
    "Any update on 9 Kestrel?",
    "Where are we on the Alder Creek file?",
    "¿Alguien me puede decir dónde está la factura de Calle Pino?",
    "¿Me pueden decir cuándo sale el reporte?",
    "Please confirm receipt of the signed engagement letter.",
    # a wish to keep getting our mail
    "I still want the status updates by email, keep them coming.",
])
def test_news_that_reads_like_an_ask_is_never_the_models_request_evidence(text):
    assert not_request_evidence(text)
    assert request_phrase(text) is None


@pytest.mark.parametrize("text", [
    "Perfect, see you Wednesday - can you bring the comps binder?",
    "Attached is the signed order, please schedule the inspection for next week.",
    "Any update on 9 Kestrel? Also, send me the invoice when you get a sec.",
    "Good to see you at the conference. Can we get 30 minutes next week?",
    "The due date on the Alder Creek order needs to be moved, can you do that?",
])
def test_an_ask_beside_the_news_may_still_be_evidence(text):
    assert not not_request_evidence(text)


def test_a_confirmation_reply_creates_no_task():
    got = read("Perfect, see you Thursday at 10. I'll have the plat map printed.\n\nOdile", "Re: Thursday")
    assert "explicit_request" not in got.labels


def test_a_call_for_speakers_carries_no_conversational_label():
    got = read("CALL FOR PROPOSALS\n\nThe Mountain States Lending Forum (May 3-5) invites session proposals. "
               "Submit yours by February 1. Questions? Reply to this email or call 800-555-0177.\n\n"
               "You are receiving this email because you registered for a past Forum. Update your preferences | Unsubscribe",
               "Call for speakers: Mountain States Lending Forum",
               headers={"List-Unsubscribe": "<mailto:leave@forum.example>"})
    assert got.bulk and not set(got.labels) & {"explicit_request", "complaint", "urgent", "upsell", "opt_out"}


def test_a_status_question_in_spanish_is_no_request():
    got = read("Buenas tardes,\n\n¿Alguien me puede decir dónde está el avalúo de Calle Pino 14? El cliente pregunta.\n\nOdile",
               "Calle Pino 14")
    assert "explicit_request" not in got.labels


# -- 2. requests that were missed ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, words, kind", [
    ("ASAP - need the W-9 for the Kestrel file, AP cuts checks at noon", "ASAP - need the W-9", "document"),
    ("Urgent: need the invoice for 14 Larch before the wire goes out", "Urgent: need the invoice", "document"),
    ("The inspection date on order 7781 needs to be the 9th instead of the 3rd, if you can swing it.",
     "inspection date on order 7781 needs to be the 9th instead of", "order_change"),
    ("the borrower's name has to be Ana Ruiz-Paz not Ana Ruiz on the report", "borrower's name has to be Ana Ruiz-Paz not",
     "order_change"),
    ("You guys need to send somebody back out, the pool photos are missing.", "You guys need to send",
     "site_visit"),
    ("Please don't send anyone out to 6 Sorrel until the tenant gives notice.",
     "Please don't send anyone out to 6 Sorrel until", "order_change"),
    ("whenever u get a sec send me the 1004 for 40 Elk", "send me", "document"),
])
def test_asks_without_a_question_or_please_are_found_with_their_words_and_kind(text, words, kind):
    assert request_phrase(text) == words
    assert request_kind(text) == kind


@pytest.mark.parametrize("text", [
    "Don't send the report to the borrower, the lender delivers it.",
    "The fee was paid by the borrower at the door.",
    "You need to know the seller can be difficult.",
])
def test_their_look_alikes_are_not_requests(text):
    assert request_phrase(text) is None


def test_an_imperative_with_a_deadline_and_no_please_is_an_urgent_document_request():
    got = read("ASAP - need the invoice for 12 Quarry, the wire goes out at 3", "12 Quarry")
    assert {"explicit_request", "urgent"} <= set(got.labels) and got.request_type == "document"


def test_go_back_out_and_grab_pics_is_a_site_visit():
    got = read("hey can u guys go back out to 77 Heron and grab pics of the shed? underwriter wants em", "77 Heron")
    assert "explicit_request" in got.labels and got.request_type == "site_visit"


def test_a_ps_asking_for_a_call_about_a_billing_mismatch_keeps_the_request():
    got = read("Hi,\n\nWe're closing out November this week; all but one invoice reconciles.\n\nOdile\n\n"
               "P.S. Can someone call me about the billing mismatch on invoice 4410? We were charged twice for 3 Wren.",
               "November invoices")
    assert "explicit_request" in got.labels and got.request_type == "call"


def test_an_invitation_to_present_at_the_clients_sales_meeting_is_a_meeting_request():
    got = read("Our LOs have lots of questions about appraisal gaps. We'd love to have you present at our sales meeting "
               "on the 10th, 15 minutes or so. Would you be up for it?\n\nOdile", "Sales meeting")
    assert "explicit_request" in got.labels and got.request_type == "meeting"


# -- 3. polite and partial opt-outs -------------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("I'd rather not receive the weekly market updates anymore, could you drop me from that list?",
     "I'd rather not receive the weekly market updates"),
    ("Take me off the newsletter but keep sending the order confirmations and invoices.", "Take me off the newsletter"),
    ("Please remove me from the quarterly bulletin; order emails are fine.", "remove me from the quarterly bulletin"),
    ("I've left lending, so there's no need to keep me on your mailing list.", "no need to keep me on your mailing list"),
    ("We would prefer not to get your promotional emails.", "would prefer not to get your promotional emails"),
])
def test_polite_and_partial_opt_outs_are_found_with_their_words(text, words):
    assert opt_out_phrase(text) == words


@pytest.mark.parametrize("text", [
    "Please keep me on the newsletter list, I read every issue.",
    "No need to remove me from the digest, I enjoy it.",
    "Take the trip fee off the invoice for 3 Wren.",
    "Take me off the order, my partner is handling it.",
    "Keep sending the order confirmations to me and to Lupe.",
])
def test_their_look_alikes_are_not_opt_outs(text):
    assert opt_out_phrase(text) is None


def test_a_partial_opt_out_is_an_opt_out_and_keep_sending_does_not_cancel_it():
    got = read("Hi,\n\nTake me off the newsletter but keep sending the order confirmations and invoices.\n\nOdile",
               "Newsletter")
    assert "opt_out" in got.labels
    assert [e.text for e in got.evidence if e.label == "opt_out"] == ["Take me off the newsletter"]
    assert "explicit_request" not in got.labels


def test_a_polite_opt_out_from_one_mailing_is_an_opt_out():
    got = read("Hello,\n\nI'd rather not receive the monthly market updates anymore, could you drop me from that list? "
               "Thank you.\n\nOdile", "Market updates")
    assert "opt_out" in got.labels


# -- 4. complaints: terse ones found, negations and others' trouble left alone -----------------------------

@pytest.mark.parametrize("text, words", [
    ("Fourth time I'm asking for the revised sketch on 8 Ibis. Unacceptable.", "Fourth time I'm"),
    ("This is totally unacceptable.", "This is totally unacceptable"),
    ("your inspector left the garage open at 19 Finch, not cool", "your inspector left the garage"),
    ("The revision was due Tuesday.", "The revision was due Tuesday"),
    ("What is going on?", "What is going on?"),
    ("Still waiting.", "Still waiting."),
    ("Twelve days now.", "Twelve days now."),
    ("Eight days and counting.", "Eight days and counting."),
    ("still waiting on the 1004D, 6 days now", "still waiting on the 1004D, 6 days"),
    ("Es la tercera vez que pido la factura corregida.", "Es la tercera vez"),
])
def test_terse_complaints_are_found_with_their_words(text, words):
    assert complaint_phrase(text) == words


@pytest.mark.parametrize("text", [
    "No complaints here, the report sailed through underwriting.",
    "Not complaining, just curious how long the re-inspection usually takes.",
    "The HOA's response time is unacceptable, we may lose the buyer.",
    "Still waiting on the title company, 9 days now.",
    "What is going on with 5 Tern, any update?",
])
def test_negations_and_trouble_with_others_are_not_complaints(text):
    assert complaint_phrase(text) is None


@pytest.mark.parametrize("text, evidence", [
    ("No complaints here - the report was clean and the UW had no conditions.", False),
    ("Turn times have been great this quarter.", False),
    ("Thanks for the quick turn on 3 Willow!", False),
    ("Thanks, but the report still has the wrong GLA.", True),
    ("Frankly the quality of your reports has slipped.", True),
])
def test_denied_complaints_and_praise_alone_are_never_the_models_complaint_evidence(text, evidence):
    assert may_be_complaint(text) is evidence


def test_a_terse_overdue_complaint_is_a_complaint():
    got = read("The appraisal was due Monday. It's Thursday. What is going on?\n\nOdile", "4 Plover")
    assert "complaint" in got.labels
    assert any(e.rule == "complaint_phrase" for e in got.evidence if e.label == "complaint")


def test_no_action_needed_just_so_you_know_is_neither_complaint_nor_request():
    got = read("No action needed, just so you're not confused: the borrower's name changed after her marriage "
               "and the new one is on the title commitment.\n\nOdile", "Borrower name")
    assert not {"complaint", "explicit_request"} & set(got.labels)


def test_praise_with_an_offer_of_more_orders_is_no_complaint():
    got = read("Turn times have been great this quarter. We could send you another 10-12 orders a month if you can "
               "keep it under a week.\n\nOdile", "Volume")
    assert "complaint" not in got.labels


# -- 5. urgency and out-of-office look-alikes --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Great news, we're clear to close Friday.",
    "UW signed off, we're good to close Monday.",
    "Reminder: your panel membership with Harbor Lending expires on 12/31.",
    "Your E&O policy on file expires Jan 15; the renewal notice goes out next week.",
    "Should the seller back out, please cancel the order right away.",
])
def test_good_news_a_distant_expiry_and_an_eventual_hurry_are_not_urgent(text):
    assert urgency_phrase(text) is None and not may_be_urgent(text)


@pytest.mark.parametrize("text, words", [
    ("Rate lock expires tomorrow at noon, can you call me tonight?", "Rate lock expires"),
    ("¿Me lo puedes mandar hoy? El cliente decide esta tarde.", "mandar hoy"),
    ("We close Friday and still no report.", "We close Friday"),
])
def test_real_pressure_is_still_urgent(text, words):
    assert urgency_phrase(text) == words


def test_a_personal_vacation_heads_up_is_not_an_auto_reply():
    assert not may_be_away("Heads up, I'll be on vacation Dec 21 - Jan 2.")
    assert may_be_away("I am out of the office until January 4 with limited access to email.")
    got = read("Heads up, I'll be on vacation Dec 21 - Jan 2. Marisol will cover my files while I'm out.\n\nOdile",
               "Holidays")
    assert "out_of_office" not in got.labels


def test_a_distant_expiry_notice_is_renewal_not_urgent():
    got = read("Hello Keystone,\n\nThis is a reminder that your approved-vendor status with Harbor Lending expires on "
               "12/31. The recertification packet will go out in early December.\n\nVendor Management", "Vendor status")
    assert "urgent" not in got.labels


# -- 6. upsell said outright --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("If you can keep turns under a week we could send you another 10-12 orders a month.", "another 10-12 orders a month"),
    ("Would you quote 30 desktop appraisals per month for our HELOC desk?", "30 desktop appraisals per month"),
    ("Do you guys also do field reviews?", "Do you guys also do field reviews"),
    ("We'd like to bid out a 120-home build-to-rent portfolio next spring.", "120-home build-to-rent portfolio"),
    ("We've got 25 more townhomes coming in phase 2.", "25 more townhomes"),
    ("Abrimos oficina en Mayagüez y nos gustaría trabajar con ustedes allá también.",
     "nos gustaría trabajar con ustedes allá también"),
    ("We're opening a branch in Boise in March and want you guys too.", "opening a branch in Boise in March and want you guys too"),
])
def test_more_or_new_business_is_found_with_its_words(text, words):
    assert upsell_phrase(text) == words


@pytest.mark.parametrize("text", [
    "Volume will be lighter next quarter, we're pulling back in Ada County.",
    "We might send a few more orders your way in the spring, no promises.",
    "If we ever expand into Canyon County I'll let you know.",
    "The builder is expanding the subdivision with 60 more lots.",
    "We did 40 appraisals a month with our old AMC.",
    "Grow your business with our scheduling app - book a free demo!",
    "Can you send me 2 more copies of the report?",
])
def test_less_someday_someone_elses_growth_and_pitches_are_not_upsell(text):
    assert upsell_phrase(text) is None


def test_an_offer_of_more_volume_is_upsell_and_praise_beside_it_is_no_complaint():
    got = read("Turn times have been great this quarter. We could send you another 15-20 orders a month if you can "
               "hold a 5 day turn.\n\nOdile", "Volume")
    assert "upsell" in got.labels and "complaint" not in got.labels
    # the rule reads the offer; since the sixth session's head the model may hold it first, on the same sentence
    assert upsell_phrase("We could send you another 15-20 orders a month if you can hold a 5 day turn.")
    assert [e.text for e in got.evidence if e.label == "upsell"][0].startswith("We could send you another 15-20") or \
        [e.rule for e in got.evidence if e.label == "upsell"] == ["upsell_phrase"]


def test_expansion_in_spanish_is_upsell():
    got = read("Hola,\n\nVamos a abrir una sucursal en Ponce el próximo año y nos gustaría trabajar con ustedes allá "
               "también.\n\nSaludos", "Ponce")
    assert "upsell" in got.labels


def test_a_program_to_bid_is_upsell_and_a_quote_request():
    got = read("We're launching a 150-unit build-to-rent program in Q3 and want you to bid on it. Can you send pricing "
               "by the 12th?\n\nOdile", "BTR program")
    assert {"upsell", "explicit_request"} <= set(got.labels) and got.request_type == "quote"


# -- shapes from the second holdout (probe v5), again with our own examples ----------------------------------

@pytest.mark.parametrize("text, words", [
    ("pls unsub me from the promo blasts", "unsub me"),
    ("I've closed my practice and would prefer not to receive your monthly newsletter.",
     "would prefer not to receive your monthly newsletter"),
    ("Could you take me off the rate sheet email list?", "take me off the rate sheet email list"),
    ("Ya no me manden los boletines, por favor.", "Ya no me manden los"),
])
def test_more_opt_out_voices(text, words):
    assert opt_out_phrase(text) == words


@pytest.mark.parametrize("text, words", [
    ("The invoice for 9 Tern looks doubled.", "looks doubled"),
    ("We were charged twice for the Osprey re-inspection.", "charged twice"),
    ("You guys left the side door unlocked at 5 Crane. Not OK.", "You guys left the side door"),
    ("Not OK.", "Not OK."),
    ("The 1004D was promised for Tuesday.", "The 1004D was promised for Tuesday"),
    ("Honestly this is not good enough.", "not good enough"),
    ("Three weeks now and nothing.", "Three weeks now and nothing."),
])
def test_more_complaint_voices(text, words):
    assert complaint_phrase(text) == words


@pytest.mark.parametrize("text", [
    "The recorder's office has been painfully slow - nothing to do with you.",
    "The lender wanted more comps but accepted the grid, so nothing further is needed from you.",
    "If you keep turns at four days we'll route another 20 files a month your way.",
])
def test_trouble_that_is_not_ours_and_offers_are_never_the_models_complaint_evidence(text):
    assert not may_be_complaint(text)


def test_please_find_herewith_is_no_request():
    assert not_request_evidence("Please find herewith the title report and the survey for your kind perusal.")


def test_an_invitation_to_speak_is_a_meeting_request_even_when_the_models_unit_names_no_kind():
    got = read("Hello Dan! Our branch holds a first-time buyer night on the 18th and we would be so glad if you can be "
               "one of our speakers. Kindly let us know.\n\nOdile", "Buyer night")
    assert "explicit_request" in got.labels and got.request_type == "meeting"


def test_a_pitch_over_a_lone_unsubscribe_line_is_bulk_not_an_opt_out():
    got = read("Double your appraisal orders with ClientMagnet - start your free trial today!\n\nUnsubscribe",
               "Double your orders")
    assert got.bulk and "opt_out" not in got.labels and "upsell" not in got.labels


def test_a_person_typing_only_unsubscribe_still_opts_out():
    got = read("Unsubscribe", "Re: December market notes")
    assert "opt_out" in got.labels and not got.bulk


def test_set_to_close_is_good_news_not_urgency():
    got = read("UW cleared everything, we're set to close Tuesday. Appreciate you all.\n\nOdile", "Quarry Rd")
    assert "urgent" not in got.labels
