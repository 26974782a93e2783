"""Sending etiquette on the real broker, with the real worker, the real sender on simulated time and a
local Resend-shaped server: one voice per contact across engines and a broadcast, and the sending brake."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from revloop.connectors.resend_local import rate_limited
from tests.support.broker import run_cli
from tests.support.events import DAY, client, contact, event, good_order
from tests.support.mail import classified
from tests.support.projections import produce_events
from tests.support.sending_loop import SendingLoop

pytestmark = pytest.mark.integration
NY = ZoneInfo("America/New_York")
HOUR = 3_600_000


def ms(year, month, day, hour, minute=0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=NY).timestamp() * 1000)


MONDAY = ms(2026, 9, 21, 10)       # 10:00 in Maine and New York
SUBJECTS = {"Your request for a quote (b1)": "bids", "Panel: next step": "deals",
            "How did order o1 go?": "feedback", "Our autumn turn times": "broadcast"}


def everyone_wants_ann(tenant: str) -> list[tuple[str, dict]]:
    """Ann, in Portland, Maine, is wanted on Monday by three engines (a requested bid: ask for its scope;
    a stalled deal: follow up; a delivered order: ask for feedback) and a broadcast to her tag. She is
    in touch (a call last week), so her engagement clock asks for nothing."""
    kw = dict(tenant=tenant)
    at = MONDAY - 30 * DAY
    return [
        ("control", event("control", at=at, enabled=True, send_mode="limited_live", caps={"emails": 50}, **kw)),
        ("client", client("c1", zip="04101", name="Lakeside CU", at=at, **kw)),
        ("contact", contact("ann", email="ann@lakeside.example", client_id="c1", name="Ann Lee", tags=["newsletter"],
                            at=at, **kw)),
        ("touch", event("touch", contact_id="ann", channel="call", at=MONDAY - 5 * DAY, **kw)),
        ("bid", event("bid", bid_id="b1", client_id="c1", submitter_email="ann@lakeside.example", status="requested",
                      amount_cents=52_500, at=MONDAY - HOUR, **kw)),
        ("deal", event("deal", deal_id="d1", client_id="c1", contact_id="ann", stage="negotiation", name="Panel",
                       next_step="sign the panel agreement", at=MONDAY - 6 * DAY, **kw)),
        ("order", good_order("o1", at=MONDAY - 9 * DAY, **kw)),
        ("order", good_order("o1", at=MONDAY - 7 * DAY, change="delivered", **kw)),
        ("template", event("template", template_id="autumn_update", version=1, kind="send_email",
                           subject="Our autumn turn times", text_body="Hi {{ contact_first_name or 'there' }},\n\n"
                           "Turn times this autumn are five business days.\n",
                           variables=[{"name": "contact_first_name", "required": False}], at=at, **kw)),
        ("broadcast", event("broadcast", broadcast_id="autumn", name="Autumn turn times", template="autumn_update",
                            tags=["newsletter"], at=MONDAY - HOUR, **kw)),
    ]


def test_three_engines_and_a_broadcast_want_one_contact_and_she_gets_one_email_a_day_in_priority_order(
        kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    tenant = f"voice-{kafka.topic_prefix.strip('.')}"
    produce_events(kafka, everyone_wants_ann(tenant))
    received: list[tuple[str, list[str]]] = []
    with SendingLoop(kafka, tmp_path, tenant) as loop:
        for day in range(8):                                  # Monday .. the next Monday, 10:00 each day
            before = len(loop.emails_to("ann@lakeside.example"))
            loop.tick(MONDAY + day * DAY)
            new = loop.emails_to("ann@lakeside.example")[before:]
            received.append((datetime.fromtimestamp((MONDAY + day * DAY) / 1000, NY).strftime("%a"),
                             [SUBJECTS.get(e["subject"], e["subject"]) for e in new]))
        decisions = [a for a in loop.read("actions.held") if a["recipient"] == "ann@lakeside.example"]
    # Monday: all four wanted her; exactly one email went, the most important. The rest followed one a day
    # in priority order, and the broadcast, last, waited until Monday's email was a week old (3 in 7 days).
    assert received == [("Mon", ["bids"]), ("Tue", ["deals"]), ("Wed", ["feedback"]), ("Thu", []), ("Fri", []),
                        ("Sat", []), ("Sun", []), ("Mon", ["broadcast"])]
    monday = {a["rule"]: a for a in decisions if a["tick_id"].endswith(datetime.fromtimestamp(
        MONDAY / 1000, ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:00:00Z"))}
    assert {r: (a["decision"], a["policy"]) for r, a in monday.items()} == {
        r: ("deferred", "contact_frequency") for r in ("deals.stalled", "feedback.request", "broadcast.send")}
    assert all("bids.intel_request goes first" in a["policy_reason"] and a["not_before"] == ms(2026, 9, 22, 8)
               for a in monday.values())


def test_a_burst_of_hard_bounces_pauses_the_tenant_within_the_hour_and_nothing_goes_until_a_person_resumes(
        kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    tenant = f"brake-{kafka.topic_prefix.strip('.')}"
    at = MONDAY - 30 * DAY
    book = [("control", event("control", tenant=tenant, at=at, enabled=True, send_mode="limited_live",
                              caps={"emails": 100}))]
    book += [("contact", contact(f"c{i:03d}", email=f"buyer{i:03d}@lender{i % 7}.example", tenant=tenant, at=at))
             for i in range(70)]
    produce_events(kafka, book)
    with SendingLoop(kafka, tmp_path, tenant) as loop:
        # 10:00: 70 introductions approved. The provider rate-limits the first 10 for 50 minutes, so the
        # sender holds them for the next hour; 60 go now.
        loop.resend.script(*[rate_limited("3000") for _ in range(10)])
        loop.tick(MONDAY)
        sent = [o for o in loop.read("email.outcomes") if o["outcome"] == "sent"]
        assert len(sent) == len(loop.resend.emails) == 60 and len(loop.sink.held) == 10
        # 10:20: the provider reports 4 hard bounces (6.7% of 60).
        burst = MONDAY + 20 * 60_000
        produce_events(kafka, [("email_outcome", event("email_outcome", tenant=tenant, at=burst + i,
                                                       event_id=f"svix-{i}", outcome="bounced", bounce_type="hard",
                                                       recipient=o["recipient"], action_id=o["action_id"]))
                               for i, o in enumerate(sent[:4])])
        loop.worker.wait_caught_up()
        [pause] = [c for c in loop.read("control") if c.get("actor") == "system:sending-brake"]
        assert pause["sending_paused"] is True and burst <= pause["occurred_at"] < MONDAY + HOUR
        assert "4 hard bounces in the last 60 sends (6.7%, over 5%)" in pause["reason"]
        assert [a["kind"] for a in loop.read("alerts") if a["kind"] == "sending_paused"] == ["sending_paused"]

        # 10:30: ten more contacts arrive. 11:00: they are blocked, the 10 held since 10:00 are cancelled by
        # the sender, and the operators get a card.
        produce_events(kafka, [("contact", contact(f"n{i:02d}", email=f"new{i:02d}@lender.example", tenant=tenant,
                                                   at=MONDAY + 30 * 60_000)) for i in range(10)])
        loop.tick(MONDAY + HOUR)
        hour2 = [a for a in loop.read("actions.held") + loop.read("actions")
                 if a["tick_id"] == f"{tenant}:2026-09-21T15:00:00Z"]
        assert {(a["decision"], a["policy"]) for a in hour2 if a["kind"] == "send_email"} == {
            ("blocked", "sending_paused")}
        assert [(a["rule"], a["decision"]) for a in hour2 if a["kind"] == "escalate"] == [("brake.paused", "approved")]
        cancelled = [o for o in loop.read("email.outcomes") if o["outcome"] == "cancelled"]
        assert len(cancelled) == 10 and {o["detail"] for o in cancelled} == {
            "sending is paused: client email waits until a person resumes it"}
        assert len(loop.resend.emails) == 60                   # nothing else went out

        # The pause does not lapse by itself: a day later, when the stopped emails are proposed again, they
        # are blocked again and nothing goes.
        loop.tick(MONDAY + DAY + HOUR)
        again = [a for a in loop.read("actions.held") if a["tick_id"] == f"{tenant}:2026-09-22T15:00:00Z"]
        assert len(again) == 20 and {(a["decision"], a["policy"]) for a in again} == {("blocked", "sending_paused")}
        assert len(loop.resend.emails) == 60

        # A person resumes. A day after they were last stopped (the retry wait of anything blocked or
        # cancelled), the ten new contacts and the ten the sender cancelled are emailed.
        proc = run_cli(kafka, "control", "set", "--tenant", tenant, "--sending-paused", "off", "--actor", "sam",
                       "--reason", "stale list removed")
        assert proc.returncode == 0, proc.stderr
        loop.tick(MONDAY + 2 * DAY + 2 * HOUR)
        assert len(loop.resend.emails) == 80
        assert {e["to"][0] for e in loop.resend.emails[60:]} == \
            {f"new{i:02d}@lender.example" for i in range(10)} | {o["recipient"] for o in cancelled}


def test_follow_ups_go_in_the_owners_voice_answer_their_thread_and_a_reply_in_it_stops_the_rest(kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    tenant = f"thread-{kafka.topic_prefix.strip('.')}"
    at = MONDAY - 30 * DAY
    produce_events(kafka, [
        ("control", event("control", tenant=tenant, at=at, enabled=True, send_mode="limited_live",
                          senders={"from": "Our Firm <team@ourfirm.example>", "reply_to": "inbox@ourfirm.example",
                                   "domains": ["ourfirm.example"]})),
        ("person", event("person", tenant=tenant, at=at, person_id="u1", name="Sam Ortiz", email="sam@ourfirm.example",
                         roles=["account_owner"])),
        ("client", client("c1", zip="04101", tenant=tenant, at=at)),
        ("contact", contact("ann", email="ann@lakeside.example", client_id="c1", owner="u1", tenant=tenant, at=at)),
        ("touch", event("touch", tenant=tenant, contact_id="ann", channel="call", at=MONDAY - DAY)),
        ("bid", event("bid", tenant=tenant, bid_id="b1", client_id="c1", submitter_email="ann@lakeside.example",
                      status="submitted", amount_cents=52_500, at=MONDAY - HOUR))])
    with SendingLoop(kafka, tmp_path, tenant, mailboxes=frozenset({"sam@ourfirm.example"})) as loop:
        loop.tick(MONDAY)                                       # the confirmation
        loop.tick(MONDAY + 3 * DAY)                             # Thursday: follow-up 1
        [confirmation, follow_up] = loop.emails_to("ann@lakeside.example")
        # In the voice of Ann's account owner, replies to his mailbox (the Gmail connector reads it).
        assert {(e["from"], e["reply_to"]) for e in (confirmation, follow_up)} == {
            ("Sam Ortiz <sam@ourfirm.example>", "sam@ourfirm.example")}
        first_id = confirmation["headers"]["Message-ID"]
        assert first_id.startswith("<revloop.") and first_id.endswith("@ourfirm.example>")
        assert "In-Reply-To" not in confirmation["headers"]
        assert follow_up["subject"] == f"Re: {confirmation['subject']}"
        assert (follow_up["headers"]["In-Reply-To"], follow_up["headers"]["References"]) == (first_id, first_id)
        second_id = follow_up["headers"]["Message-ID"]
        sent = {o["action_id"]: o for o in loop.read("email.outcomes") if o["outcome"] == "sent"}
        assert {(o["message_id"], o["thread"], o["sender"]) for o in sent.values()} == {
            (first_id, "bid:b1", "Sam Ortiz <sam@ourfirm.example>"), (second_id, "bid:b1", "Sam Ortiz <sam@ourfirm.example>")}

        # The next Monday follow-up 2 is approved, but the provider holds it back for 50 minutes; meanwhile
        # Ann answers in the thread (her mail client names both our emails).
        loop.resend.script(rate_limited("3000"))
        loop.tick(MONDAY + 7 * DAY)
        assert len(loop.sink.held) == 1
        answer = event("gmail_message", tenant=tenant, at=MONDAY + 7 * DAY + 20 * 60_000, mailbox="team@ourfirm.example",
                       message_id="g-1", thread_id="gt-1", from_header="Ann <ann@lakeside.example>",
                       subject=f"Re: {confirmation['subject']}", body_text="Thanks, we decide on Friday.",
                       in_reply_to=second_id, headers={"References": f"{first_id} {second_id}"})
        produce_events(kafka, [("gmail_message", answer), ("mail_classified", classified(answer))])   # as the poller
        loop.worker.wait_caught_up()
        loop.tick(MONDAY + 7 * DAY + HOUR)                      # the sender retries it: cancelled, not sent
        cancelled = [o for o in loop.read("email.outcomes") if o["outcome"] == "cancelled"]
        assert [o["detail"] for o in cancelled] == [
            "ann@lakeside.example replied in this thread after the follow-up was approved"]
        loop.tick(MONDAY + 9 * DAY)                             # follow-up 3's day: stopped at the gate
        stopped = [a for a in loop.read("actions.held") if a["rule"] == "bids.follow_up"]
        assert [(a["target_id"], a["policy"]) for a in stopped if a["decision"] == "blocked"] == [
            ("b1:follow_up:3", "answered_in_thread")]
        assert len(loop.emails_to("ann@lakeside.example")) == 2
