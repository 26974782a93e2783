"""message_to_event: headers, bodies, attachments from Gmail's format=full JSON."""
from __future__ import annotations

from revloop.connectors.gmail_source import extract_body_text, html_to_text, message_to_event
from revloop.schemas.codec import validate
from tests.support import gmail_fixtures as fx

T, MB = "acme", "ops@acme-appraisals.com"


def test_reply_headers_body_and_threading():
    m = fx.plain_reply()
    rec = message_to_event(T, MB, m)
    validate("gmail_message", rec)
    assert rec["event_id"] == f"gmail:{T}:{m['id']}"
    assert rec["from_header"] == "Dana Whitfield <dana@northwind-lending.com>"
    assert rec["to_header"] == MB
    assert rec["cc_header"] == "Loan Officer <lo@northwind-lending.com>"
    assert rec["reply_to_header"] == "appraisals@northwind-lending.com"
    assert rec["subject"] == "Re: Inspection for 12 Elm St"
    assert rec["in_reply_to"] == "<CAO-ops-original@mail.gmail.com>"
    assert rec["headers"]["Message-ID"] == f"<CA+{m['id']}@mail.gmail.com>"
    assert rec["headers"]["Content-Type"].startswith("multipart/alternative")
    assert "Received" not in rec["headers"] and "Delivered-To" not in rec["headers"]
    # the text/plain alternative wins over html, signature and quote kept verbatim
    assert rec["body_text"].startswith("Hi team,\n\nThanks, the inspection can go ahead on Friday")
    assert "-- \nDana Whitfield" in rec["body_text"] and "> Can we schedule?" in rec["body_text"]
    assert rec["snippet"].endswith("Lockbox code & key are with the agent's office")  # entities unescaped
    assert rec["occurred_at"] == fx.BASE_MS and rec["history_id"] == 4100
    assert rec["attachments"] == []


def test_html_only_message_is_stripped_to_text():
    rec = message_to_event(T, MB, fx.html_only())
    assert rec["body_text"] == "Your order #4471 is confirmed.\n\nFee: $450 & tech fee $25"
    assert "track()" not in rec["body_text"] and "color" not in rec["body_text"]
    assert rec["in_reply_to"] is None and rec["cc_header"] == ""
    validate("gmail_message", rec)


def test_bounce_keeps_the_headers_the_classifier_needs():
    rec = message_to_event(T, MB, fx.bounce())
    assert rec["headers"]["X-Failed-Recipients"] == "nobody@nowhere.example"
    assert rec["headers"]["Auto-Submitted"] == "auto-replied"
    assert "report-type=delivery-status" in rec["headers"]["Content-Type"]
    assert rec["body_text"].startswith("** Address not found **")
    assert rec["attachments"] == []  # the delivery-status part is no attachment
    validate("gmail_message", rec)


def test_list_headers_and_latin1_charset():
    news = message_to_event(T, MB, fx.newsletter())
    assert news["headers"]["List-Id"] == "Housing Digest <digest.news.example>"
    assert news["headers"]["List-Unsubscribe"] == "<https://news.example/u/1>"
    assert news["headers"]["Precedence"] == "bulk"
    fr = message_to_event(T, MB, fx.latin1())
    assert fr["body_text"] == "Merci, la visite est confirmée à 14h. Café offert."
    assert fr["subject"] == "Visite confirmée"


def test_header_names_are_case_insensitive_and_repeats_join():
    m = fx.simple("x1")
    m["payload"]["headers"] = [{"name": "FROM", "value": "a@example.com"}, {"name": "to", "value": "b@example.com"},
                               {"name": "To", "value": "c@example.com"}, {"name": "list-id", "value": "<l.example>"}]
    rec = message_to_event(T, MB, m)
    assert rec["from_header"] == "a@example.com"
    assert rec["to_header"] == "b@example.com, c@example.com"
    assert rec["headers"] == {"List-Id": "<l.example>"}


def test_missing_pieces_fall_back_safely():
    m = {"id": "bare", "payload": {"mimeType": "text/plain", "body": {"size": 0}}}
    rec = message_to_event(T, MB, m, default_time_ms=123)
    validate("gmail_message", rec)
    assert (rec["occurred_at"], rec["thread_id"], rec["history_id"], rec["body_text"]) == (123, "bare", None, "")


def test_body_is_capped():
    m = fx.simple("big")
    m["payload"]["body"]["data"] = fx.b64url("x" * 5000)
    assert len(message_to_event(T, MB, m, max_body_chars=100)["body_text"]) == 100


def test_padded_and_unpadded_base64url_both_decode():
    for data in (fx.b64url("héllo?>"), fx.b64url("héllo?>") + "=="):
        assert extract_body_text({"mimeType": "text/plain", "body": {"data": data}}) == "héllo?>"


def test_html_to_text_blocks_and_entities():
    assert html_to_text("<div>a<br>b</div><p>c&amp;d&#39;e</p>") == "a\nb\n\nc&d'e"
