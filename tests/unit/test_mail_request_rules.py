"""processors.mail_rules: the request and urgency shapes a rule is sure of, and the look-alikes it must
leave alone (our own examples, one group per failure pattern; no model needed)."""
import pytest

from revloop.processors.mail_rules import may_be_upsell, may_be_urgent, request_phrase, urgency_phrase


@pytest.mark.parametrize("text, words", [
    # informal and misspelt
    ("cud u ring me tmrw", "cud u ring"),
    ("hey can u call me back on my cell", "can u call"),
    ("pls put the Garcia order on hold", "pls put the Garcia order on hold"),
    # indirect and polite
    ("would you mind walking me through it by phone next week", "would you mind walking"),
    ("I was wondering if you could send the E&O certificate.", "I was wondering if you could send"),
    ("I'd appreciate it if you could call the borrower about access.", "I'd appreciate it if you could call"),
    ("Any chance you could go back out Friday?", "Any chance you could go back out"),
    ("Would your team be free for a Teams call Thursday at 10?", "Would your team be free for a Teams"),
    ("Whenever you have a moment, could you cancel the order on 15 Willow?", "could you cancel"),
    # imperative without please, and "I need ... "
    ("Resend the W-9, the one I got is unsigned.", "Resend the"),
    ("Move the inspection to Friday.", "Move the"),
    ("Need you to call the borrower about access.", "Need you to call"),
    ("We need a re-inspection at 42 Hawthorne once the roof is done.", "We need a re-inspection"),
    ("I'd like a quote on a 2-unit in Pierce County.", "I'd like a quote"),
    ("How much would you charge for a land appraisal?", "How much would you charge"),
    # in a P.S., in a subject, after a Spanish greeting, in Spanish
    ("P.S. can you send the photos too?", "can you send"),
    ("Call me tmrw re 45 Oak", "Call me"),
    ("Hola Juan, could you send the invoice?", "could you send"),
    ("¿Me puede llamar mañana por la tarde?", "Me puede llamar"),
    ("Necesito una cotización para un condominio.", "Necesito una cotización"),
    # work other than a call
    ("Please have someone re-inspect the deck.", "Please have someone re-inspect"),
    ("Can you reach out to the listing agent for the lockbox code?", "Can you reach out"),
    ("Can we get a Zoom on the calendar for next Tuesday?", "Can we get a Zoom"),
    # terse and informal
    ("Mind sending it again?", "Mind sending"),
    ("any way ur guy can swing by and grab the basement pics", "any way ur guy can swing by and"),
    ("Cancel - 88 Ridge", "Cancel - 8"),
    # a condition that only softens the ask
    ("Can you call me tomorrow if possible?", "Can you call"),
    ("Could you send the W-9 if you haven't already?", "Could you send"),
])
def test_unambiguous_request_shapes_are_found_with_their_words(text, words):
    assert request_phrase(text) == words


@pytest.mark.parametrize("text", [
    # signatures, idioms, exclamations
    "Call me: 555-0100", "Call me at 555-201-3344", "Call me crazy, but the value looks light.",
    "Can you believe the rates this week?", "Would you believe the buyer waived the contingency?",
    # conditional courtesies
    "Call me if you have questions.", "Please don't hesitate to call with any questions.",
    "Happy to hop on a call if that's easier.", "Si tiene preguntas, puede llamarme.",
    "Feel free to reach out to the listing agent if you need access.",
    # reports about others, and our own plans
    "The borrower asked if you could call her tomorrow.", "She wants you to call her tomorrow.",
    "I'll call you Thursday.", "Our processor will send the signed letter later today.",
    # status questions and acknowledgements
    "Any update on 45 Oak?", "Can you tell me when the report will be done?", "Please confirm receipt.",
    "Can you send me an update on the file?", "Thanks for sending the invoice.",
    # negations, regrets, introductions, sign-offs
    "No need to resend the report, I found it.", "You could have told me the inspection moved.",
    "Why didn't you call me?", "Meet our new closing coordinator, Tasha.", "Send my thanks to the inspector.",
    "Change of plans: the closing moved.", "We like the quote you sent.",
    # opt-outs, auto-reply pointers, pitches
    "Please remove me from your list.", "Delete me from your list please.",
    "For urgent matters please contact Jane Doe at jane@example.com.",
    "Contact us today for a free quote!", "Book a demo with our sales team today.",
    "Can we set up a quick call to show you our platform?", "Stop by our office anytime you're in town.",
    "Reply STOP to opt out.",
    # contingencies and idioms
    "Text me if you're running late.", "Please call me if the appraisal comes in low.",
    "Call it what you want, the deck is rotten.",
])
def test_look_alikes_are_not_requests(text):
    assert request_phrase(text) is None


@pytest.mark.parametrize("text, words", [
    ("Need this ASAP, the borrower is calling me every hour.", "ASAP"),
    ("We close tomorrow and still have no value.", "We close tomorrow"),
    ("The rate lock expires Friday at noon.", "rate lock expires"),
    ("I need it today or the loan gets suspended.", "need it today"),
    ("Es urgente, el cierre es el jueves.", "urgente"),
    ("Sorry to bug you but we close Friday and still have no revision.", "we close Friday"),
])
def test_urgency_said_outright_is_found(text, words):
    assert urgency_phrase(text) == words


@pytest.mark.parametrize("text", [
    "No rush on this one, closing isn't until next month.", "Not urgent, whenever you get to it.",
    "The property is next to an urgent care clinic.", "Sorry for the delay, I had a family emergency.",
    "We'd like to place a rush order for the draw inspection.", "Take your time, underwriting is backed up.",
    "Call me crazy, but the value is spot on this time.", "The loan closes Monday next month.",
])
def test_denied_or_borrowed_urgency_is_not_urgent(text):
    assert urgency_phrase(text) is None and not may_be_urgent(text)


def test_plain_news_names_no_pressure_so_it_cannot_be_the_models_urgent_evidence():
    assert not may_be_urgent("Thanks again for the report, the borrower was happy.")
    assert may_be_urgent("Heads up, the buyer wants to close early.")


@pytest.mark.parametrize("text", [
    "Heads up, our office will be closed Thursday and Friday for Thanksgiving.",
    "We're closed on the 4th, so orders that day go out on the 5th.",
])
def test_an_offices_closing_days_are_news_not_pressure(text):
    assert not may_be_urgent(text)


@pytest.mark.parametrize("text, more", [
    ("We'd like to meet with your team to discuss volume.", False),
    ("Our volume is down about a third this quarter.", False),
    ("Do you guys also cover Lake County?", True),
    ("We want to start sending you our jumbo files.", True),
    ("¿Ustedes también hacen avalúos comerciales?", True),
])
def test_upsell_evidence_must_speak_of_more_or_new_business(text, more):
    assert may_be_upsell(text) is more


# -- fourth session: the shapes the second probe (tests/data/mail_probe_v2.jsonl) showed missing; our own examples --
from revloop.processors.mail_rules import (  # noqa: E402
    forgive_typos, not_request_evidence, other_day_phrase, proxy_request_phrase, request_kind, subject_request_phrase,
    writes_for_someone)


@pytest.mark.parametrize("text, words", [
    # a condition on our answer or our capacity is part of the ask
    ("Do you do FHA? If so, send me your fees.", "send me your fees"),
    ("If so, please quote the duplex on Elm.", "please quote"),
    ("If you do, we'd like a bid on the farm parcel.", "we'd like a bid"),
    ("If there's a slot Friday, can you move the Crane St inspection up?", "can you move"),
    ("If your guy is still around Tuesday, can he... actually can you have someone stop by 4 Dale?", "can you have someone stop"),
    ("If you haven't mailed the report yet, please hold it.", "please hold"),
    # polite and indirect
    ("It would be a big help if you could resend the sketch.", "It would be a big help if you could resend"),
    ("It would really help if someone could phone the tenant.", "It would really help if someone could phone"),
    ("We'd be very grateful if you could expedite the Hale file.", "We'd be very grateful if you could expedite"),
    ("I'd be grateful for an updated invoice.", "I'd be grateful for an updated invoice"),
    ("We'd welcome a bid on the portfolio.", "We'd welcome a bid"),
    ("Would it be too much to ask to forward the W-9 again?", "Would it be too much to ask to forward"),
    ("May I trouble you for the signed engagement letter?", "May I trouble you for"),
    ("Would appreciate if u could ring the seller today", "Would appreciate if u could ring"),
    ("We would be happy if you give us an estimate for the lot.", "We would be happy if you give us an estimate"),
    # a need set out in the sentence before
    ("Could you get that booked for Monday?", "Could you get that booked"),
    ("Can your office handle that this week?", "Can your office handle that"),
    ("Would you be willing to do that?", "Would you be willing to do that"),
    ("Worth another look?", "Worth another look"),
    # terse executives, assistants, non-native English, phone typing
    ("Need 20 minutes with you before Friday.", "Need 20 minutes with you"),
    ("Suggest a time.", "Suggest a time"),
    ("Get your chief appraiser on a call with our reviewer.", "Get your chief appraiser on a call"),
    ("Touch base with the builder about the punch list.", "Touch base with"),
    ("Need your updated E&O cert for the file.", "Need your updated E&O"),
    ("Cn u resend the 1004D", "Cn u resend"),
    ("coud your guy call the HOA", "coud your guy call"),
    ("Can somebody from your office text me when he's on the way?", "Can somebody from your office text"),
    ("I'm asking that you join the pipeline review Tuesday.", "I'm asking that you join"),
    ("Give me your price for a 2-4 unit in Lane County.", "Give me your price"),
    ("Buenos días, Cancel the Ortega order please.", "Cancel the"),
    ("¿Es posible mover la cita al viernes?", "Es posible mover"),
    ("I'm curious, was wondering what you'd charge for a drive-by.", "what you'd charge"),
])
def test_fourth_session_request_shapes_are_found_with_their_words(text, words):
    assert request_phrase(text) == words


@pytest.mark.parametrize("text", [
    # contingencies on a future event and courtesies on the reader's need
    "Should the seller cancel, please stop the order.",
    "In the event the loan is denied, cancel everything.",
    "If the comps come back weak, call me before you finish.",
    "If anything changes on your side, give me a call.",
    "If you need more photos, just ask.",
    # not asks at all
    "Would you be open to covering Marion County for us?",
    "We need the report to show the new legal description.",
    "Talk to you next week!",
    "Touch base with you soon.",
    "Please join me in thanking Rosa for her years with us.",
    "Can you do that for VA loans too?",
    "I'd appreciate your patience while we sort out the title.",
])
def test_fourth_session_look_alikes_are_not_requests(text):
    assert request_phrase(text) is None


@pytest.mark.parametrize("subject", [
    "Qoute for 3 condos?", "Reinpection needed - 9 Vine", "Bid requst - 12 Oak Knoll", "Invoice copy pls", "Need W9",
    "Coffee Weds?", "Zoom Friday?", "Move inspection to Tuesday", "Cancle order 5512 Pine",
])
def test_a_subject_over_an_empty_body_is_a_request_with_typos_forgiven(subject):
    assert subject_request_phrase(subject, alone=True)


@pytest.mark.parametrize("subject", [
    "Invoice paid?", "Meeting notes", "Call recap", "Quote attached", "Inspection scheduled Thurs?", "Report?",
    "Reinspection complete", "Questions on the invoice", "Cancelled: Zoom with Dan", "New order - 14 Ash", "Inspection tomorrow",
])
def test_a_subject_that_is_news_or_a_status_question_is_no_request(subject):
    assert subject_request_phrase(subject, alone=True) is None


def test_a_one_word_subject_over_a_body_names_a_topic_but_a_proposal_to_meet_is_still_an_ask():
    assert subject_request_phrase("Schedule", alone=False) is None
    assert subject_request_phrase("Quote", alone=False) is None
    assert subject_request_phrase("Zoom Thursday to go over the pipeline?", alone=False)


def test_typos_one_edit_away_from_a_work_word_are_forgiven_and_short_words_are_left_alone():
    assert forgive_typos("Reinpection requsted, cancle the qoute") == "reinspection requested, cancel the quote"
    assert forgive_typos("the cat sat") == "the cat sat"


def test_a_day_offered_after_the_sender_cannot_make_the_set_one_is_a_request_to_move_it():
    assert other_day_phrase("weds ok?", "cant make tmrw, sorry") == "weds ok?"
    assert other_day_phrase("How about Friday?", "Thursday doesn't work for the homeowner.") == "How about Friday?"
    assert other_day_phrase("Friday?", "The report looked great.") is None


def test_an_assistants_asks_for_the_person_they_write_for():
    assert writes_for_someone("I'm writing on behalf of Dr. Ames.")
    assert not writes_for_someone("The borrower would like a call.")
    assert proxy_request_phrase("She'd like a quote on the two lots.") == "She'd like a quote"
    assert proxy_request_phrase("Ms. Ruiz would appreciate a call from you tomorrow.") == "Ruiz would appreciate a call"
    assert proxy_request_phrase("He would like to thank you for the quick work.") is None


@pytest.mark.parametrize("text", [
    "Can we set up a quick demo of our platform?", "Send our best to the team.", "Please find attached the contract.",
    "Should the appraisal come in low, call me.", "If the buyer walks, cancel the order.",
])
def test_pitches_sign_offs_and_contingencies_are_never_the_models_request_evidence(text):
    assert not_request_evidence(text)


@pytest.mark.parametrize("text", [
    "If you could resend the invoice that would be great.", "If possible, call me Friday.", "If so, send your fees.",
    "Can you call me Friday?",
])
def test_asks_with_a_softening_or_our_side_condition_may_be_the_models_evidence(text):
    assert not not_request_evidence(text)


@pytest.mark.parametrize("text, kind", [
    ("Please call the listing agent for the lockbox code.", "third_party"),
    ("Could you let the tenant know we're coming Friday?", "third_party"),
    ("Can you email the borrower the inspection time?", "third_party"),
    ("Pls cancle the Birch order.", "order_change"),
    ("Please correct the borrower's name and resend.", "order_change"),
    ("Can we do Monday instead?", "order_change"),
    ("Please stop the inspection on 4 Elm, the deal died.", "order_change"),
    ("Could you update the borrower's phone number on the order?", "order_change"),
    ("Can you send someone back out to check the railing?", "site_visit"),
    ("Send me a proposal for the Marion County orders.", "quote"),
    ("What's your fee for a condo?", "quote"),
    ("Please send a meeting invite for Thursday.", "meeting"),
    ("Are you able to do a video call with our team?", "meeting"),
    ("Call me to talk about the inspection.", "call"),
    ("Could you resend the receipt for the appraisal fee?", "document"),
    ("¿Me puede enviar las fotos de la inspección?", "document"),
])
def test_the_requests_own_words_name_its_kind(text, kind):
    assert request_kind(text) == kind


@pytest.mark.parametrize("text", [
    "We'll book the closing once the appraisal is in.",
    "Closing date",
    "Can you ring me tomorrow afternoon?",
    "The owner is home all day Thursday.",
    # a plain deadline asks for work with a time; it says nothing of pressure (seventh session: a judge read these as
    # requests, not urgent)
    "Need it by tomorrow noon.", "Please have the report to us by the 12th.", "Send the invoice no later than March 20.",
    "I need the appraisal moved to next Tuesday, the borrower is traveling Monday.",
])
def test_a_day_or_a_closing_named_is_no_pressure(text):
    assert not may_be_urgent(text)


@pytest.mark.parametrize("text", [
    "We close in two days and still have no report.", "Need it by tomorrow noon or we lose the rate lock.",
    "Funding is Thursday, please hurry.",
    "The lock expires Friday.",
])
def test_pressure_named_outright_may_be_the_models_urgent_evidence(text):
    assert may_be_urgent(text)


@pytest.mark.parametrize("text", [
    "Call me if you have any questions about the survey.", "Feel free to text me if anything changes.",
    "Don't hesitate to reach out to us with any concerns.", "I'm meeting the lender Friday and will let you know after.",
    "I'll send the HOA docs over tonight.", "Let me check with the seller on a date.",
])
def test_offers_to_be_called_and_the_senders_own_plans_are_never_the_models_request_evidence(text):
    assert not_request_evidence(text)


@pytest.mark.parametrize("text", [
    "Call me if you can this afternoon.", "Call me if you get a chance.", "I'll need you to resend the invoice.",
    "I'm out Friday, can you call me before then?",
])
def test_a_softened_ask_and_an_ask_inside_a_plan_may_be_the_models_evidence(text):
    assert not not_request_evidence(text)


@pytest.mark.parametrize("text, words", [
    ("What's your turnaround and price for a 1004?", "What's your turnaround and price"),
    ("can u have the guy retake the kitchen photos", "can u have the guy retake"),
    ("Mike - 15 min call today after lunch.", "Mike - 15 min call today"),
    ("Quick 10-minute zoom Thursday?", "Quick 10-minute zoom Thursday"),
    ("If yes, I'd love a quote for the Hays lots.", "I'd love a quote"),
    ("If you can, give the listing agent a ring and ask about the gate.", "give the listing agent a ring and"),
])
def test_shapes_from_the_holdout_probe_are_found_with_their_words(text, words):
    assert request_phrase(text) == words


def test_an_assistant_reaching_out_for_someone_who_would_like_to_meet():
    assert writes_for_someone("I'm reaching out for Ms. Diaz regarding the panel.")
    assert proxy_request_phrase("Ms. Diaz, who would like to meet with you next week, suggested Tuesday.") == \
        "who would like to meet"


def test_a_software_pitch_inviting_us_to_see_it_is_never_request_evidence():
    assert not_request_evidence("Want to see it in action? Grab a time on my calendar.")


def test_the_models_out_of_office_evidence_must_speak_of_being_away():
    from revloop.processors.mail_rules import may_be_away
    assert not may_be_away("Questions") and not may_be_away("Thanks for the quick turnaround.")
    assert may_be_away("I'm out of the office until Monday the 14th.") and may_be_away("Estoy de vacaciones hasta el lunes.")
