"""processors.mail_text: the sender's new text apart from quoted, forwarded, signed and disclaimed text."""
from revloop.processors.mail_text import OUR_FOOTER_LEAD, fresh_subject, sentence_spans, split_mail

OUR_MAIL = ("Hi Karen,\n\nIt's been a few weeks since we last worked together. Anything coming up?\n\n"
            "Best,\nDan Reyes\nKeystone Valuation\n\n--\nKeystone Valuation, 1200 Commerce St, Springfield, IL 62701\n"
            "To stop receiving these emails: https://keystonevaluation.com/u/0123abcd")


def quoted(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def test_opt_out_above_our_quoted_footer_is_the_only_new_text():
    body = ("Please remove me from your list.\n\nOn Mon, Nov 9, 2026 at 9:00 AM Dan Reyes <hello@keystonevaluation.com> "
            "wrote:\n" + quoted(OUR_MAIL))
    parts = split_mail(body, "Re: Checking in")
    assert parts.new_text == "Please remove me from your list."
    assert parts.our_footer
    assert OUR_FOOTER_LEAD in parts.text("quoted")


def test_request_above_an_unmarked_outlook_quote_is_new_and_the_quote_is_not():
    body = ("Can you call me Thursday?\n\n________________________________\nFrom: Dan Reyes <hello@keystonevaluation.com>\n"
            "Sent: Monday, November 9, 2026 9:00 AM\nTo: Karen Whitfield\nSubject: Checking in\n\n" + OUR_MAIL)
    parts = split_mail(body, "RE: Checking in")
    assert parts.new_text == "Can you call me Thursday?"
    assert "Anything coming up?" in parts.text("quoted")


def test_our_footer_left_unquoted_is_ours_not_the_senders():
    body = "Please remove me from your list.\n\n" + OUR_MAIL.split("\n\n--\n")[0] + "\n\n--\n" + OUR_MAIL.split("\n\n--\n")[1]
    parts = split_mail(body)
    assert parts.our_footer
    assert OUR_FOOTER_LEAD not in parts.new_text
    assert "Commerce St" not in parts.new_text


def test_a_signature_call_me_line_is_signature_not_new_text():
    body = "Attached is the engagement letter for 12 Elm.\n\nThanks,\nMaria Lopez\nLoan Processor\nCall me: 555-201-3344"
    parts = split_mail(body)
    assert parts.new_text == "Attached is the engagement letter for 12 Elm."
    assert "Call me: 555-201-3344" in parts.text("signature")


def test_a_name_led_signature_without_a_sign_off_is_still_a_signature():
    body = "Report looks good.\n\nDan Okafor\nLoan Officer\nPrairie State Lending\nO: 555-664-6127 | M: 555-664-6128"
    assert split_mail(body).new_text == "Report looks good."


def test_a_ps_after_the_signature_is_new_text():
    body = "Thanks for the report.\n\nBest,\nTom Becker\nHarbor Lending\nc: 555.302.7781\n\nP.S. can you send me the W-9?"
    parts = split_mail(body)
    assert [body[s.start:s.end] for s in parts.of("new")] == ["Thanks for the report.", "P.S. can you send me the W-9?"]


def test_a_phone_signature_ends_the_new_text():
    assert split_mail("Call me tmrw\n\nSent from my iPhone").new_text == "Call me tmrw"


def test_a_disclaimer_is_not_new_text():
    body = ("Report received, thanks.\n\nCONFIDENTIALITY NOTICE: This email may contain privileged information. If you are "
            "not the intended recipient, notify the sender immediately.")
    parts = split_mail(body)
    assert parts.new_text == "Report received, thanks."
    assert "immediately" in parts.text("disclaimer")


def test_a_forwarded_message_is_forwarded_text_not_new_text():
    body = ("FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Ann Borrower <ann@gmail.com>\n"
            "Date: Mon, Nov 9, 2026\nSubject: access\n\nCan you call me tomorrow about access?")
    parts = split_mail(body, "Fwd: access")
    assert parts.new_text == "FYI, see below."
    assert parts.forwarded_message and "Can you call me tomorrow" in parts.text("forwarded")


def test_a_spanish_reply_header_ends_the_new_text():
    body = ("Hola Dan, ¿me puede llamar mañana?\n\nEl 09/11/2026 10:00, Dan Reyes <hello@keystonevaluation.com> escribió:\n"
            + quoted("Hola Karen, ¿algo nuevo?"))
    assert split_mail(body).new_text == "Hola Dan, ¿me puede llamar mañana?"


def test_a_reply_header_over_two_lines_with_unmarked_text_below_is_a_quote():
    body = ("Sounds good.\n\nOn Tue, Jun 4, 2024 at 9:12 AM Karen Whitfield <kwhitfield@summitcu.org>\nwrote:\n"
            "Can you call me Thursday?")
    assert split_mail(body).new_text == "Sounds good."


def test_a_bottom_posted_answer_below_a_marked_quote_is_new_text():
    body = ("On Mon, Nov 9, 2026 at 9:00 AM Dan Reyes <hello@keystonevaluation.com> wrote:\n"
            "> Anything coming up?\n\nYes, can you quote a desktop appraisal for 40 Oak Ave?")
    assert split_mail(body).new_text == "Yes, can you quote a desktop appraisal for 40 Oak Ave?"


def test_a_header_in_a_language_our_rules_do_not_know_is_found_by_mail_parser_reply():
    body = ("Mi può chiamare domani?\n\nIl giorno lun 9 nov 2026 alle ore 10:00 Dan Reyes "
            "<hello@keystonevaluation.com> ha scritto:\nBuongiorno, call me Thursday")
    assert split_mail(body).new_text == "Mi può chiamare domani?"


def test_sentence_spans_point_into_the_body():
    body = "Hi Dan,\nCan you call me? I have questions.\n\n> quoted ask: call me"
    parts = split_mail(body)
    assert [body[s:e] for s, e in sentence_spans(body, parts.of("new"))] == [
        "Hi Dan,", "Can you call me?", "I have questions."]


def test_an_inherited_subject_is_not_the_senders_words():
    assert fresh_subject("RE: Fwd: 45 Oak") == ""
    assert fresh_subject("Automatic reply: 45 Oak") == ""
    assert fresh_subject("Call me tmrw re 45 Oak") == "Call me tmrw re 45 Oak"
