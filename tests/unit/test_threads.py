"""Threads: given an email we sent and what came back, then a follow-up answers it in the same thread,
and a reply in that thread stops every follow-up still waiting in it."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from revloop.processors import threads
from revloop.processors.controls import Controls
from revloop.processors.execution import CANCEL, judge
from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import report, tick_event
from tests.support.events import client, contact, event
from tests.support.mail import recorded

NY = ZoneInfo("America/New_York")
DAY = 86_400_000
MONDAY = int(datetime(2026, 9, 21, 10, tzinfo=NY).timestamp() * 1000)
MAILBOX = "team@ourfirm.example"


def submitted_bid_confirmed(h: Harness) -> dict:
    """Bid b1 submitted on Monday; its confirmation went out at 10:00 with our Message-ID."""
    h.feed("client", client("c1", zip="04101", at=MONDAY - 30 * DAY))
    h.feed("contact", contact("ann", email="ann@lender.example", client_id="c1", at=MONDAY - 30 * DAY))
    h.feed("touch", event("touch", contact_id="ann", channel="call", at=MONDAY - DAY))
    h.feed("bid", event("bid", bid_id="b1", client_id="c1", submitter_email="ann@lender.example",
                        status="submitted", amount_cents=52_500, at=MONDAY - 3_600_000))
    [confirmation] = [a for t, a in h.feed("tick", tick_event(MONDAY))
                      if t == "action_decided" and a["rule"] == "bids.confirmation"]
    assert threads.thread_of(confirmation) == "bid:b1"
    report(h, confirmation, "sent", at=MONDAY + 60_000,
           message_id=threads.message_id_for(confirmation["action_id"], "ourfirm.example"), thread="bid:b1",
           subject="We received your bid request")
    return confirmation


def reply(h: Harness, to: dict, at: int, classify: bool = True, **kw) -> dict:
    fields = dict(mailbox=MAILBOX, message_id=f"g-{at}", thread_id="gt-1", from_header="Ann <ann@lender.example>",
                  subject="Re: We received your bid request", body_text="Thanks, we will decide on Friday.",
                  in_reply_to=threads.message_id_for(to["action_id"], "ourfirm.example"))
    fields.update(kw)
    message = event("gmail_message", at=at, **fields)
    h.feed("gmail_message", message, classify=classify)
    return message


def follow_ups(out) -> list[dict]:
    return [a for t, a in out if t == "action_decided" and a["rule"] == "bids.follow_up"]


def test_a_follow_up_answers_the_threads_latest_email_with_re_and_the_message_ids():
    h = Harness()
    confirmation = submitted_bid_confirmed(h)
    [follow_up] = follow_ups(h.feed("tick", tick_event(MONDAY + 3 * DAY)))       # Thursday: follow-up 1 is due
    assert follow_up["decision"] == "approved" and follow_up["kind"] == "follow_up"
    state = h.pipeline.state("t1")
    subject, headers = threads.reply_headers(state, follow_up, "Following up on your bid")
    ours = f"<revloop.{confirmation['action_id']}@ourfirm.example>"
    assert (subject, headers) == ("Re: We received your bid request", {"In-Reply-To": ours, "References": ours})
    # Once the follow-up went too, the next one answers it and references both, oldest first.
    mine = threads.message_id_for(follow_up["action_id"], "ourfirm.example")
    report(h, follow_up, "sent", at=MONDAY + 3 * DAY + 60_000, message_id=mine, thread="bid:b1",
           subject="Re: We received your bid request")
    _, headers = threads.reply_headers(state, dict(follow_up, action_id="next"), "x")
    assert headers == {"In-Reply-To": mine, "References": f"{ours} {mine}"}


def test_a_first_email_in_a_thread_is_not_a_reply():
    h = Harness()
    confirmation = submitted_bid_confirmed(h)
    assert threads.reply_headers(h.pipeline.state("t1"), confirmation, "Subject") == ("Subject", {})


def test_a_reply_in_the_thread_stops_every_follow_up_still_to_come_in_it():
    h = Harness()
    submitted_bid_confirmed(h)
    reply(h, to={"action_id": h.pipeline.state("t1").thread_sends[("ann@lender.example", "bid:b1")][0][3]},
          at=MONDAY + DAY)
    first = follow_ups(h.feed("tick", tick_event(MONDAY + 3 * DAY)))
    assert [(a["decision"], a["policy"]) for a in first] == [("blocked", "answered_in_thread")]
    assert "replied in this thread" in first[0]["policy_reason"]
    # Never proposed again; each later follow-up of the cadence (days 6 and 9) is stopped once, on the record.
    later = [a for d in range(4, 12) for a in follow_ups(h.feed("tick", tick_event(MONDAY + d * DAY)))]
    assert [(a["target_id"], a["decision"]) for a in later] == [("b1:follow_up:2", "blocked"),
                                                                 ("b1:follow_up:3", "blocked")]


def test_an_auto_reply_or_a_message_naming_nothing_of_ours_does_not_stop_follow_ups():
    h = Harness()
    confirmation = submitted_bid_confirmed(h)
    reply(h, to=confirmation, at=MONDAY + DAY, subject="Automatic reply: out of office",
          body_text="I am out of the office until Monday with limited access to email.",
          headers={"Auto-Submitted": "auto-replied"})
    reply(h, to={"action_id": "0" * 32}, at=MONDAY + DAY + 1, message_id="g-other")
    [follow_up] = follow_ups(h.feed("tick", tick_event(MONDAY + 3 * DAY)))
    assert follow_up["decision"] == "approved"


def test_a_reply_counts_once_its_classification_is_read_in_either_order_and_a_relabel_as_automatic_withdraws_it():
    h = Harness()
    confirmation = submitted_bid_confirmed(h)
    state = h.pipeline.state("t1")
    message = reply(h, to=confirmation, at=MONDAY + DAY, classify=False)
    assert threads.answered(state, "ann@lender.example", "bid:b1") is None      # not read yet
    h.feed("mail_classified", recorded(message, ["other"], version="v1"))
    assert threads.answered(state, "ann@lender.example", "bid:b1") == MONDAY + DAY
    h.feed("mail_classified", recorded(message, ["auto_reply"], at=MONDAY + DAY + 5, version="v2"))
    assert threads.answered(state, "ann@lender.example", "bid:b1") is None
    [follow_up] = follow_ups(h.feed("tick", tick_event(MONDAY + 3 * DAY)))
    assert follow_up["decision"] == "approved"
    # The classification first, its message after: a reply as soon as both are read.
    early = event("gmail_message", at=MONDAY + 3 * DAY + 60 * 60_000, mailbox=MAILBOX, message_id="g-2",
                  thread_id="gt-1", from_header="Ann <ann@lender.example>", subject="Re: Following up",
                  body_text="We chose another firm.", in_reply_to=threads.message_id_for(follow_up["action_id"],
                                                                                         "ourfirm.example"))
    report(h, follow_up, "sent", at=MONDAY + 3 * DAY + 60_000, thread="bid:b1", subject="Re: x",
           message_id=threads.message_id_for(follow_up["action_id"], "ourfirm.example"))
    h.feed("mail_classified", recorded(early, ["other"]))
    assert threads.answered(state, "ann@lender.example", "bid:b1") is None
    h.feed("gmail_message", early, classify=False)
    assert threads.answered(state, "ann@lender.example", "bid:b1") == MONDAY + 3 * DAY + 60 * 60_000


def test_a_reply_read_before_the_outcome_of_the_email_it_answers_still_counts():
    h = Harness()
    h.feed("client", client("c1", at=MONDAY - 30 * DAY))
    h.feed("contact", contact("ann", email="ann@lender.example", client_id="c1", at=MONDAY - 30 * DAY))
    action = {"tenant_id": "t1", "action_id": "a" * 32, "kind": "send_email", "rule": "bids.confirmation", "target_id": "b1:confirmation",
              "payload": {"bid_id": "b1"}, "recipient": "ann@lender.example"}
    reply(h, to=action, at=MONDAY + DAY)                    # replay may read gmail.messages first
    state = h.pipeline.state("t1")
    assert threads.answered(state, "ann@lender.example", "bid:b1") is None
    report(h, action, "sent", at=MONDAY, message_id=threads.message_id_for(action["action_id"], "x.example"),
           thread="bid:b1", subject="Hello")
    assert threads.answered(state, "ann@lender.example", "bid:b1") == MONDAY + DAY


def test_the_sender_cancels_an_approved_follow_up_whose_thread_was_answered():
    action = {"decision": "approved", "kind": "follow_up", "recipient": "ann@lender.example",
              "send_mode": "limited_live"}
    controls = Controls(send_mode="limited_live")
    verdict = judge(action, controls, answered=MONDAY)
    assert (verdict.verdict, verdict.reason) == (
        CANCEL, "ann@lender.example replied in this thread after the follow-up was approved")
    assert judge(dict(action, kind="send_email"), controls, answered=MONDAY).verdict != CANCEL
    assert judge(action, controls, answered=None).verdict != CANCEL
