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
