"""Replies close the loop: given a classified inbound message, then suppression, escalation, feedback."""
from __future__ import annotations

import json

from revloop.processors import replies
from revloop.processors.state import TenantState
from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, report, state, tick_at
from tests.support.events import DAY, client, contact, event, good_order
from tests.support.mail import classified

MAILBOX = "ops@acme-appraisals.example"


def mail(message_id: str, sender: str, subject: str, body: str, at: int = H0) -> dict:
    return event("gmail_message", at=at, event_id=f"gmail:t1:{message_id}", mailbox=MAILBOX, message_id=message_id,
                 thread_id=f"th-{message_id}", from_header=sender, to_header=MAILBOX, subject=subject, body_text=body)


def book(h: Harness) -> None:
    h.feed("client", client("c1", at=H0 - 30 * DAY, domains=["lender.example"]))
    h.feed("contact", contact("p1", client_id="c1", at=H0 - 30 * DAY, name="Pat Lee"))


def test_an_opt_out_reply_suppresses_the_sender_with_the_message_as_evidence():
    h = Harness()
    book(h)
    out = h.feed("gmail_message", mail("m1", "Pat Lee <p1@lender.example>", "Re: panel",
                                       "Please remove me from your mailing list."))
    [(t, suppression)] = [(t, e) for t, e in out if t == "suppression"]
    assert (suppression["email"], suppression["reason"], suppression["evidence_message_id"]) == \
        ("p1@lender.example", "opted_out", "m1")
    assert state(h).suppression["p1@lender.example"]["reason"] == "opted_out"
    # When the contact falls due it is proposed once, and the gate blocks it on the record.
    [blocked] = [a for a in h.actions(tick_at(h, H0 + 22 * DAY), "blocked") if a["rule"].startswith("engagement")]
    assert blocked["policy"] == "suppressed" and blocked["target_id"] == "p1"


def test_the_reaction_is_a_plain_function_of_state_message_and_labels():
    st = TenantState("t1")
    facts = {"event_id": "e1", "message_id": "m9", "occurred_at": H0, "sender": "x@elsewhere.example",
             "subject": "stop", "body_text": "unsubscribe"}
    touched, outputs = replies.react(st, facts, ("opt_out",))
    assert touched == [] and [t for t, _ in outputs] == ["suppression"]
    assert outputs == replies.react(TenantState("t1"), facts, ("opt_out",))[1]      # same message, same events


def test_a_clients_complaint_becomes_an_escalation_card_with_what_they_wrote():
    h = Harness()
    book(h)
    h.feed("gmail_message", mail("m2", "p1@lender.example", "Turnaround",
                                 "This is the third late report this month. We are very unhappy with the turnaround."))
    [esc] = by_rule(h, tick_at(h, H0 + HOUR), "replies.escalation", "approved")
    assert esc["kind"] == "escalate" and esc["target_id"] == "m2"
    card = state(h).cards[esc["action_id"]]
    assert (card["status"], card["kind"], card["message_id"], card["client_id"], card["contact_id"]) == \
        ("open", "escalate", "m2", "c1", "p1")
    assert "third late report" in card["asked"] and card["asked_at"] == H0
    assert by_rule(h, tick_at(h, H0 + 2 * HOUR), "replies.escalation") == []       # once per message


def test_a_complaint_from_someone_who_is_no_client_raises_no_card():
    h = Harness()
    h.feed("gmail_message", mail("m3", "someone@random.example", "Turnaround",
                                 "We are very unhappy with the turnaround times."))
    assert by_rule(h, tick_at(h, H0 + HOUR), "replies.escalation") == []


def test_a_reply_to_a_sent_feedback_request_is_feedback_on_that_order():
    h = Harness()
    book(h)
    h.feed("order", good_order("o1", at=H0 - 9 * DAY))
    h.feed("order", good_order("o1", at=H0 - 7 * DAY, change="delivered"))
    [request] = by_rule(h, tick_at(h, H0), "feedback.request", "approved")
    report(h, request, "sent", at=H0 + 60_000)
    out = h.feed("gmail_message", mail("m4", "p1@lender.example", "Re: How did order o1 go?",
                                       "The report was late and the comps had errors.\n\nOn Mon, Sep 21, 2026 "
                                       "ops wrote:\n> How did it go?", at=H0 + DAY))
    [fb] = [e for t, e in out if t == "feedback"]
    assert (fb["order_id"], fb["client_id"], fb["contact_id"]) == ("o1", "c1", "p1")
    assert fb["text"] == "The report was late and the comps had errors."
    [row] = state(h).feedback.values()
    assert row["sentiment"] == "negative" and state(h).feedback_cases["o1"]["status"] == "open"


def test_a_reply_with_no_feedback_request_sent_is_no_feedback():
    h = Harness()
    book(h)
    h.feed("order", good_order("o1", at=H0 - 9 * DAY))
    h.feed("order", good_order("o1", at=H0 - 7 * DAY, change="delivered"))
    [request] = by_rule(h, tick_at(h, H0), "feedback.request", "approved")
    report(h, request, "cancelled", at=H0 + 60_000)          # never went out
    out = h.feed("gmail_message", mail("m5", "p1@lender.example", "Hello", "Thanks, all good here.", at=H0 + DAY))
    assert [t for t, _ in out if t == "feedback"] == []


def test_replay_reads_derived_events_back_instead_of_deriving_them_again():
    from revloop.schemas.codec import Codec
    from revloop.streams.pipeline import Pipeline, RawRecord
    from revloop.streams.topics import topic_for

    h = Harness()
    book(h)
    h.feed("gmail_message", mail("m1", "p1@lender.example", "Re: panel", "Please remove me from your mailing list."))
    replayed = Pipeline(Codec())
    for offset, (type_name, e) in enumerate([(t, e) for t, e in h.outputs if t == "suppression"]):
        replayed.process([RawRecord(topic_for(type_name, e), 0, offset, b"t1", Codec().encode(type_name, e))])
    assert replayed.state("t1").suppression == state(h).suppression
    quiet = Pipeline(Codec())
    message = mail("m1", "p1@lender.example", "Re: panel", "Please remove me from your mailing list.")
    reading = classified(message)
    result = quiet.process([RawRecord("gmail.messages", 0, 0, b"t1", Codec().encode("gmail_message", message)),
                            RawRecord("gmail.messages", 0, 1, b"t1", Codec().encode("mail_classified", reading))])
    assert result.outputs == [] and quiet.state("t1").suppression == {}
    assert json.loads(quiet.state("t1").messages["m1"]["labels"]) == ["opt_out"]
