"""The shapes a fresh blind judge found at head-63d274b4f05a+rules-26 (eighth session of issue 16), with our own
examples (not the judge's text, not probe v8's, not the training bank's): whole messages through the real classifier
(tests.support.mail: the bundled MiniLM and the shipped head) with a hard negative beside each shape, and the rules 27
that decide the certain ones."""
import pytest

from revloop.processors import mail_rules
from tests.support.mail import classify_text

SENDER = "Teodora Lindqvist <tlindqvist@northfork.example>"
DATE = {"Date": "Tue, 08 Dec 2026 09:40:00 -0600"}


def classified(body: str, subject: str = "Note", headers: dict | None = None):
    return classify_text(subject, body, SENDER, {**DATE, **(headers or {})})


def labels(body: str, subject: str = "Note", headers: dict | None = None) -> set[str]:
    return set(classified(body, subject, headers).labels)


# 1. a person away who still asks us for something keeps the request; an absence that is over is news
@pytest.mark.parametrize("body", [
    "Hello,\n\nI'm at the state appraisal board meeting in Lincoln until Thursday. Could you ring me Friday morning "
    "about the Pawnee comps?\n\nTeodora",
    "I'm off on Monday, so please send the revised 1004 for 12 Saltbush by Friday.\n\nT.",
    "On leave until the 14th but still reading mail: can somebody re-send the invoice for 9 Heron Ct to our AP box?",
])
def test_an_absence_mention_beside_a_question_to_us_is_a_request_not_an_auto_reply(body):
    got = labels(body)
    assert "explicit_request" in got and "out_of_office" not in got


@pytest.mark.parametrize("body", [
    "Just back from two weeks in Lisbon. The Saltbush report was waiting for me and it reads well, thanks.",
    "I was on PTO Thursday and Friday, which is why the signed order took a while. It's attached now.",
    "Thank you for looking after the Heron Ct file while I was away at my sister's wedding.",
])
def test_an_absence_that_is_over_is_not_out_of_office(body):
    assert "out_of_office" not in labels(body)


@pytest.mark.parametrize("subject, body, headers", [
    ("Re: 12 Saltbush", "I am away with limited access to email until 3 January and will reply when I return.", None),
    ("Out of Office: 9 Heron Ct", "I'm away from my desk until Wednesday. For anything urgent please ring the branch on "
     "555-0133.", None),
    ("Re: order 7731", "Thank you for your message. I am out of the office on annual leave and will respond on my "
     "return. If you need immediate assistance please contact Bo at bo@northfork.example.", None),
    ("Automatic reply", "Estoy fuera de la oficina hasta el lunes.", {"Auto-Submitted": "auto-replied"}),
])
def test_auto_replies_stay_out_of_office(subject, body, headers):
    assert labels(body, subject, headers) == {"out_of_office"}


def test_the_auto_reply_shape_and_past_absence_rules():
    assert mail_rules.auto_reply_shape("This mailbox is not monitored; we will reply when I return.")
    assert mail_rules.auto_reply_shape("Estoy de viaje con acceso limitado al correo.")
    assert not mail_rules.auto_reply_shape("I'm on leave but checking email, please call me.")
    assert not mail_rules.may_be_away("I was out of the office last week.")
    assert not mail_rules.may_be_away("Back from vacation and catching up.")
    assert mail_rules.may_be_away("I am out of the office until Monday.")


# 3. polite conditionals, Portuguese and Spanish asks aimed at us
@pytest.mark.parametrize("body, kind", [
    ("If you could book the re-inspection on Tamarack for Monday, that would be perfect.", "site_visit"),
    ("If someone could email me the signed engagement letter, I'd be very grateful.", "document"),
    ("Would be really helpful if your appraiser could phone the tenant before going out.", "third_party"),
    ("Bom dia! Poderiam me enviar a fatura da avaliação da Rua Jacarandá?", "document"),
    ("Você pode me ligar amanhã à tarde para falarmos do laudo?", "call"),
    ("Buenas, ¿me podría mandar la cotización para el lote 12?", "quote"),
])
def test_polite_and_pt_es_requests(body, kind):
    got = classified(body)
    assert "explicit_request" in got.labels and got.request_type == kind


@pytest.mark.parametrize("body", [
    "If you could see the backyard on Tamarack you'd know why it sold in a day.",
    "It would be ideal if the seller finished the deck before listing, but that's their business.",
    "Falei com o cartório ontem e está tudo resolvido.",
    "Ya hablé con el banco, no hace falta nada más.",
])
def test_wishes_and_reports_are_not_requests(body):
    assert "explicit_request" not in labels(body)


# 4. leaving someone else's list is no opt-out from us; taking a detail off an order is an order change
@pytest.mark.parametrize("body", [
    "I finally unsubscribed from the flooring store's coupons. Anyway, thanks for the Tamarack report.",
    "Took myself off the builders' association digest, it was ten emails a day. The order form is attached.",
])
def test_leaving_a_third_partys_list_is_neither_opt_out_nor_complaint(body):
    got = labels(body)
    assert "opt_out" not in got and "complaint" not in got


@pytest.mark.parametrize("body", [
    "Please remove the second borrower from order 6620, he came off the loan.",
    "Take the old gate code off the order notes, it's 4417 now.",
])
def test_removing_a_detail_from_an_order_is_an_order_change(body):
    got = classified(body)
    assert "opt_out" not in got.labels and "explicit_request" in got.labels and got.request_type == "order_change"


def test_a_real_opt_out_is_still_one():
    assert "opt_out" in labels("Please take me off your mailing list, I've closed my brokerage.")


# 5. complaints: threats over turn times, hanging up, sarcasm, asking again; others' trouble is not
@pytest.mark.parametrize("body", [
    "If turnaround doesn't get better by spring we'll have to look at other AMCs for the Pawnee branch.",
    "Your front desk hung up on me when I asked about the Heron Ct order.",
    "Wonderful, another late appraisal on a Friday closing. Just perfect.",
    "This is the third time I've asked for the revised comps on Saltbush.",
    "Já é a quarta vez que peço o laudo corrigido.",
])
def test_complaints_about_us(body):
    assert "complaint" in labels(body)


@pytest.mark.parametrize("body", [
    "The assessor's office hung up on me again, so the tax card will be late.",
    "We'll look at other panels for the Panhandle since you don't cover it. Thanks anyway!",
    "Great, the borrower's loan finally cleared. So happy for her.",
])
def test_others_trouble_is_not_a_complaint(body):
    assert "complaint" not in labels(body)


# 6. upsell: on our panel, approved for a programme, new counties
@pytest.mark.parametrize("body", [
    "Happy to say we've added your company to our panel for Saline and Seward counties.",
    "Your firm has been approved for our construction loan program as of the 1st.",
    "We're opening a branch in Kearney and want you covering Buffalo and Hall counties.",
])
def test_more_business(body):
    assert "upsell" in labels(body)


@pytest.mark.parametrize("body", [
    "We use another firm for our farm appraisals.",
    "Heard Prairie Valuation got approved for the VA panel, good for them.",
])
def test_not_more_business(body):
    assert "upsell" not in labels(body)


# 2. open-ended times, and a sender's absence is not the time they asked for (MAIL_LABELLING.md, requested_time)
MONDAY_10 = 1796054400000    # Mon 2026-11-30 10:00 -06:00


def window(body: str) -> tuple[str, str, str | None]:
    got = classify_text("Note", body, SENDER, {"Date": "Mon, 30 Nov 2026 10:00:00 -0600"}, received_at_ms=MONDAY_10)
    assert "explicit_request" in got.labels
    w = got.requested_time.as_record()
    return w["start"], w["end"], w["deadline"]


@pytest.mark.parametrize("body, expected", [
    ("Could you phone me after 7 tonight about the Pawnee comps?",
     ("2026-11-30T19:00-06:00", "2026-11-30T21:00-06:00", None)),
    ("Can you give me a call Wednesday? Any time after 2 is fine.",
     ("2026-12-02T14:00-06:00", "2026-12-02T17:00-06:00", None)),
    ("Before 9 works best for me on Thursday, please call then about the Saltbush file.",
     ("2026-11-30T10:00-06:00", "2026-12-03T09:00-06:00", "2026-12-03T09:00-06:00")),
    ("I'm at a lenders' conference in Omaha until Wednesday. Could you call me Thursday about the appeal?",
     ("2026-12-03T09:00-06:00", "2026-12-03T17:00-06:00", None)),
    ("I'm out of the office Friday, so please send the revised invoice by Thursday.",
     ("2026-11-30T10:00-06:00", "2026-12-03T17:00-06:00", "2026-12-03T17:00-06:00")),
    ("Away today but quick question: could your appraiser do the re-inspection on Tamarack Wednesday?",
     ("2026-12-02T09:00-06:00", "2026-12-02T17:00-06:00", None)),
])
def test_open_ended_and_absence_times(body, expected):
    assert window(body) == expected


def test_portuguese_and_spanish_removals_from_our_list_opt_out_and_ask_for_nothing():
    for body in ("Bom dia. Por favor, tirem o meu e-mail da lista de vocês.", "Por favor quiten mi correo de su lista."):
        got = labels(body)
        assert "opt_out" in got and "explicit_request" not in got


def test_new_business_offered_is_upsell_not_a_task():
    got = labels("Our bank is opening a Grand Island branch in May and we'd like you to handle its appraisals.")
    assert "upsell" in got and "explicit_request" not in got
    asked = labels("We're opening a Grand Island branch in May and we'd like you to cover it. Could you send your "
                   "fee schedule for Hall County?")
    assert {"upsell", "explicit_request"} <= asked
