"""Mail rules 56: opt-outs a blind judge found missed after rules 55, each shape in our own words: typed with a slip
("unsubcribe", "remvoe me"), from one recurring mailing named by its cadence ("take Dana off the Friday recap"), in Spanish
and Portuguese. Hard negatives beside them: a question about someone else's list, "subscribe me", a slip in news ("I
unsubcribed from Zillow"), someone taken off an order or a thread, a recap asked for again, "keep me on", a pitch's "Reply
STOP", es / pt "don't take me off".
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 15 Feb 2028 07:40:00 -0700"}
SENDER = "Corinne Abernathy <cabernathy@lakesiderealty.example>"


def labels(body, subject="Re: Market update - February"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("body", [
    "unsubcribe",
    "Unsubscrbe",
    "Unsubscirbe",
    "remvoe me from this list please",
    "Can you unsubcribe me? I retired last month.",
    "We switched vendors, so please don't email us anmore.",
])
def test_opt_out_typed_with_a_slip(body):
    assert "opt_out" in labels(body)


@pytest.mark.parametrize("body", [
    "Please take Dana off the Friday recap, she left the company.",
    "Can you take me off the Friday recap?",
    "Please take my assistant off the weekly roundup.",
    "Could you drop me from the Monday rate sheet?",
])
def test_opt_out_from_one_recurring_mailing(body):
    got = labels(body)
    assert "opt_out" in got and "explicit_request" not in got


@pytest.mark.parametrize("body", [
    "Me descadastrem por favor.",
    "Quero cancelar o recebimento dos boletins.",
    "Desuscríbanme de la lista por favor.",
    "No me envíen más correos, gracias.",
    "Quiero dejar de recibir sus correos.",
    "Gostaria de não receber mais esses e-mails.",
])
def test_opt_out_in_spanish_and_portuguese(body):
    assert "opt_out" in labels(body)


@pytest.mark.parametrize("body", [
    "How do I unsubscribe my client from the Zillow alerts? She keeps asking me.",
    "The MLS monthly report is out. How do I unsubscribe my agents from it?",
    "Please subscribe me to the newsletter.",
    "I unsubcribed from Zillow's emails last week, what a relief.",
    "Check out our new CRM! Reply STOP to unsubscibe.",
    "Remove Dana from the email thread, she's not on this file anymore.",
    "Take Mark off the Friday inspection, he can't make it.",
    "Can you send me the Friday recap again? I deleted it by accident.",
    "I love the Friday recap, keep it coming!",
    "Please remove Dana from the order, she's no longer the co-borrower.",
    "Por favor, no me quiten de la lista, me sirve mucho el boletín.",
    "Por favor não me descadastrem, gosto muito do boletim.",
    "No quiero dejar de recibir el boletín, me encanta.",
    "We had to remvoe the carpet before the inspection, so call me first.",
])
def test_no_opt_out(body):
    assert "opt_out" not in labels(body)


def test_a_slip_is_forgiven_only_for_opt_out_words_and_not_for_real_words_near_them():
    from revloop.processors.mail_rules import forgive_opt_out_typos

    assert forgive_opt_out_typos("pls unsuscribe me") == "pls unsubscribe me"
    assert forgive_opt_out_typos("UNSUBSRIBE") == "UNSUBSCRIBE"
    for kept in ("subscribe me", "I unsubscribed", "the remote lockbox", "removed", "pending", "lending"):
        assert forgive_opt_out_typos(kept) == kept
