"""The Resend sink through the real resend SDK, against a local fake of the Resend API."""
from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import resend

from revloop.connectors import unsubscribe
from revloop.connectors.resend_sender import OUTPUT_TYPES, ResendSender, SendSettings
from revloop.connectors.sent_log import SentLog
from revloop.connectors.webhook_server import WebhookApp, start_server
from revloop.schemas.codec import validate
from tests.support.resend_fake_api import FakeResendAPI, rate_limited, server_error

pytestmark = pytest.mark.timeout(60)

API_KEY = "re_TESTKEY_must_never_leak_0123456789"
UNSUB_SECRET = b"unsubscribe-test-secret-0123456789"
TENANT = "acme"
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


class Clock:
    def __init__(self, now: int = T0):
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += int(seconds * 1000)


def settings(mode: str, **kw) -> SendSettings:
    base = dict(mode=mode, allowlist=["ourfirm.example", "partner@elsewhere.example"], hourly_cap=3,
                from_address="Revloop <agent@ourfirm.example>", unsubscribe_base_url="https://hooks.ourfirm.example/unsubscribe",
                postal_address="Ourfirm Ltd, 1 Example Street, Springfield 12345")
    base.update(kw)
    return SendSettings(**base)


def action(n: int = 1, recipient: str = "jane@ourfirm.example", **kw) -> dict:
    rec = {
        "event_id": f"ad-{n}", "tenant_id": TENANT, "occurred_at": T0, "action_id": f"{n:064x}",
        "tick_id": "tick-1", "kind": "send_email", "rule": "touch_overdue", "target_type": "contact",
        "target_id": f"c-{n}", "recipient": recipient, "template": "checkin", "reason": "21 days without a touch",
        "decision": "approved", "policy": None, "policy_reason": None,
        "payload_json": json.dumps({"subject": "Checking in", "text": "Hi Jane, how are things?"}, sort_keys=True),
    }
    rec.update(kw)
    validate("action_decided", rec)
    return rec


@pytest.fixture
def fake():
    with FakeResendAPI() as api:
        yield api


@pytest.fixture
def clock():
    return Clock()


def make_sender(fake, clock, mode="internal_only", sent_log=None, suppressed=(), **kw) -> ResendSender:
    opts = dict(api_key=API_KEY, clock=clock, sleep=clock.sleep, unsubscribe_secret=UNSUB_SECRET,
                api_url=fake.url, http_timeout_s=5)
    opts.update(kw.pop("opts", {}))
    return ResendSender(settings(mode, **kw), sent_log or SentLog(":memory:"),
                        lambda tenant, email: (tenant, email) in set(suppressed), **opts)


def produced(out: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The records to produce; each must satisfy its schema."""
    events = [(t, r) for t, r in out if t in OUTPUT_TYPES]
    for t, r in events:
        validate(t, r)
    return events


def kinds(out):
    return [t for t, _ in out]


# -- modes ---------------------------------------------------------------------------------------
def test_dry_run_sends_nothing_and_reports_a_dry_run_outcome(fake, clock):
    sender = make_sender(fake, clock, mode="dry_run")
    out = sender.handle(action(), TENANT)
    [(t, e)] = produced(out)
    assert (t, e["outcome"], e["event_id"]) == ("email_outcome", "dry_run", "dry_run:" + action()["action_id"])
    assert fake.requests == []
    # Approved in dry_run, it is never sent later: the result is kept, and re-read the same.
    assert sender.sent_log.get(action()["action_id"]).status == "dry_run"
    assert make_sender(fake, clock, mode="limited_live", sent_log=sender.sent_log).handle(action(), TENANT) == out
    assert fake.requests == []


def test_internal_only_sends_to_an_allowlisted_domain(fake, clock):
    out = make_sender(fake, clock).handle(action(recipient="Jane Doe <Jane@OurFirm.example>"), TENANT)
    [(t, e)] = produced(out)
    assert (t, e["outcome"], e["recipient"]) == ("email_outcome", "sent", "jane@ourfirm.example")
    assert [m["to"] for m in fake.emails] == [["jane@ourfirm.example"]]


def test_internal_only_sends_to_an_allowlisted_exact_address(fake, clock):
    out = make_sender(fake, clock).handle(action(recipient="partner@elsewhere.example"), TENANT)
    assert [e["outcome"] for _, e in produced(out)] == ["sent"]


def test_internal_only_refuses_an_outside_address(fake, clock):
    sender = make_sender(fake, clock)
    for n, recipient in enumerate(("buyer@customer.example", "x@sub.ourfirm.example", "other@elsewhere.example")):
        [(_, e)] = produced(sender.handle(action(n + 1, recipient=recipient), TENANT))
        assert e["outcome"] == "cancelled" and "allowlist" in e["detail"]
    assert fake.requests == []


def test_limited_live_stops_at_the_hourly_cap_and_defers_the_rest(fake, clock):
    sender = make_sender(fake, clock, mode="limited_live", hourly_cap=3)
    results = []
    for n in range(1, 6):
        results.append(sender.handle(action(n, recipient=f"buyer{n}@customer.example"), TENANT))
        clock.advance(60_000)
    assert [kinds(r) for r in results] == [["email_outcome"]] * 3 + [["deferred"]] * 2
    assert len(fake.emails) == 3
    retry_at = results[3][0][1]["retry_at"]
    assert retry_at == T0 + 3_600_000     # when the first send leaves the rolling hour
    # Another tenant has its own cap.
    assert kinds(sender.handle(action(9, recipient="b@customer.example", tenant_id="other"), "other")) == ["email_outcome"]
    # Deferred, not dropped: handed back after retry_at it goes out.
    clock.now = retry_at
    assert [e["outcome"] for _, e in produced(sender.handle(action(4, recipient="buyer4@customer.example"), TENANT))] == ["sent"]


def test_suppressed_address_is_not_sent_at_send_time(fake, clock):
    sender = make_sender(fake, clock, mode="limited_live", suppressed=[(TENANT, "gone@customer.example")])
    [(_, e)] = produced(sender.handle(action(recipient="Gone@customer.example"), TENANT))
    assert (e["outcome"], e["detail"]) == ("cancelled", "gone@customer.example is suppressed")
    assert fake.requests == []


# -- exactly once --------------------------------------------------------------------------------
def test_replaying_an_action_sends_once_thanks_to_the_sent_log(fake, clock, tmp_path):
    log_path = tmp_path / "sent.sqlite"
    first = make_sender(fake, clock, sent_log=SentLog(log_path)).handle(action(), TENANT)
    clock.advance(3 * 86_400_000)        # days later: past Resend's 24 h idempotency window
    again = make_sender(fake, clock, sent_log=SentLog(log_path)).handle(action(), TENANT)
    assert len(fake.requests) == 1 and len(fake.emails) == 1
    assert again == first                # the same event (same event_id, occurred_at): a duplicate downstream
    assert first[0][1]["event_id"] == "sent:" + action()["action_id"]


def test_with_a_fresh_sent_log_the_provider_sees_the_same_idempotency_key(fake, clock):
    a = action()
    first = make_sender(fake, clock).handle(a, TENANT)
    second = make_sender(fake, clock).handle(a, TENANT)   # sent log lost (e.g. crash before the write)
    assert [r.header("Idempotency-Key") for r in fake.requests] == [a["action_id"], a["action_id"]]
    assert len(fake.emails) == 1
    assert first[0][1]["provider_message_id"] == second[0][1]["provider_message_id"]


def test_sent_outcome_carries_action_provider_id_and_clock_time(fake, clock):
    [(t, e)] = produced(make_sender(fake, clock).handle(action(), TENANT))
    assert e == {"event_id": "sent:" + action()["action_id"], "tenant_id": TENANT, "occurred_at": T0,
                 "outcome": "sent", "recipient": "jane@ourfirm.example", "action_id": action()["action_id"],
                 "provider_message_id": fake.emails[0]["id"], "bounce_type": None, "detail": None,
                 "template_id": None, "template_version": None,
                 # no Message-ID or thread in this payload (the sink gives them); the subject it went with
                 "message_id": None, "thread": None, "subject": "Checking in",
                 "sender": "Revloop <agent@ourfirm.example>"}   # no owner in the payload: the configured From


def test_each_send_is_tagged_with_tenant_and_action_for_webhooks(fake, clock):
    make_sender(fake, clock).handle(action(), TENANT)
    assert fake.emails[0]["tags"] == [{"name": "tenant_id", "value": TENANT},
                                      {"name": "action_id", "value": action()["action_id"]}]


def test_follow_up_actions_are_emails_too(fake, clock):
    out = make_sender(fake, clock).handle(action(kind="follow_up"), TENANT)
    assert [e["outcome"] for _, e in produced(out)] == ["sent"]


def test_non_email_or_unapproved_actions_are_not_sent(fake, clock):
    sender = make_sender(fake, clock)
    assert kinds(sender.handle(action(1, kind="create_task"), TENANT)) == ["skipped"]
    assert kinds(sender.handle(action(2, decision="blocked"), TENANT)) == ["skipped"]
    assert kinds(sender.handle(action(3), "another-tenant")) == ["skipped"]
    assert fake.requests == []


def test_an_action_without_content_is_skipped_but_not_locked_out_and_render_fills_it(fake, clock):
    bare = action(payload_json=json.dumps({"contact_name": "Jane", "client_id": "cl-1"}, sort_keys=True))
    sent_log = SentLog(":memory:")
    out = make_sender(fake, clock, sent_log=sent_log).handle(bare, TENANT)
    assert kinds(out) == ["skipped"] and sent_log.get(bare["action_id"]) is None
    render = lambda a: {"subject": f"Hello {json.loads(a['payload_json'])['contact_name']}", "text": "Checking in."}
    out = make_sender(fake, clock, sent_log=sent_log, opts={"render": render}).handle(bare, TENANT)
    assert [e["outcome"] for _, e in produced(out)] == ["sent"]
    assert fake.emails[0]["subject"] == "Hello Jane"


# -- provider trouble ----------------------------------------------------------------------------
def test_429_then_success_is_sent_once_after_a_backoff_honouring_retry_after(fake, clock):
    fake.script(rate_limited("2"), rate_limited("3"))
    out = make_sender(fake, clock).handle(action(), TENANT)
    assert [e["outcome"] for _, e in produced(out)] == ["sent"]
    assert clock.slept == [2.0, 3.0]
    assert len(fake.requests) == 3 and len(fake.emails) == 1
    assert {r.header("Idempotency-Key") for r in fake.requests} == {action()["action_id"]}
    assert out[0][1]["occurred_at"] == T0 + 5_000


def test_429_beyond_max_retries_defers_instead_of_dropping(fake, clock):
    fake.script(*[rate_limited("1")] * 4)
    sender = make_sender(fake, clock, opts={"max_retries": 3})
    out = sender.handle(action(), TENANT)
    assert kinds(out) == ["deferred"] and clock.slept == [1.0, 1.0, 1.0]
    assert fake.emails == [] and sender.sent_log.get(action()["action_id"]) is None
    assert [e["outcome"] for _, e in produced(sender.handle(action(), TENANT))] == ["sent"]


def test_repeated_500s_give_failed_outcomes_then_a_provider_failures_alert(fake, clock):
    fake.script(*[server_error()] * 6)
    sender = make_sender(fake, clock, opts={"failure_alert_threshold": 5})
    outs = []
    for n in range(1, 7):
        outs.append(sender.handle(action(n), TENANT))
        clock.advance(60_000)
    for out in outs:
        [outcome] = [e for t, e in produced(out) if t == "email_outcome"]
        assert outcome["outcome"] == "failed" and outcome["event_id"].startswith("failed:") and outcome["detail"]
    alerts = [(n, e) for n, out in enumerate(outs, 1) for t, e in produced(out) if t == "alert"]
    assert [(n, e["kind"]) for n, e in alerts] == [(5, "provider_failures")]   # once, at the 5th failure
    assert alerts[0][1]["occurred_at"] == T0 + 4 * 60_000
    assert fake.emails == []


def test_failures_spread_beyond_15_minutes_raise_no_alert(fake, clock):
    fake.script(*[server_error()] * 5)
    sender = make_sender(fake, clock, opts={"failure_alert_threshold": 5})
    outs = []
    for n in range(1, 6):
        outs.append(sender.handle(action(n), TENANT))
        clock.advance(5 * 60_000)
    assert all(t != "alert" for out in outs for t, _ in out)


# -- compliance ----------------------------------------------------------------------------------
def test_every_email_carries_one_click_unsubscribe_headers_and_the_postal_address(fake, clock):
    make_sender(fake, clock).handle(action(), TENANT)
    [email] = fake.emails
    headers = email["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"]
    assert link.startswith("<https://hooks.ourfirm.example/unsubscribe?t=") and link.endswith(">")
    token = parse_qs(urlsplit(link[1:-1]).query)["t"][0]
    assert unsubscribe.verify_token(UNSUB_SECRET, token) == (TENANT, "jane@ourfirm.example")
    assert "Ourfirm Ltd, 1 Example Street, Springfield 12345" in email["text"]
    assert link[1:-1] in email["text"]


def test_a_reply_quoting_our_email_is_known_by_its_footer_and_the_footer_is_not_the_repliers(fake, clock):
    from revloop.processors.mail_text import split_mail

    make_sender(fake, clock).handle(action(), TENANT)
    sent = fake.emails[0]["text"]
    reply = "Please remove me from your list.\n\nOn Mon, Nov 9, 2026 at 9:00 AM Ourfirm wrote:\n" + "\n".join(
        "> " + line for line in sent.split("\n"))
    parts = split_mail(reply, "Re: Checking in")
    assert parts.our_footer and parts.new_text == "Please remove me from your list."
    unquoted = split_mail("Call me Thursday.\n\n" + sent)
    assert unquoted.our_footer and "Springfield 12345" not in unquoted.new_text


def test_unsubscribe_token_round_trips_through_the_endpoint_into_an_unsubscribed_outcome(fake, clock):
    emitted: list[tuple[str, dict]] = []
    server = start_server(WebhookApp(lambda t, r: emitted.append((t, r)), unsubscribe_secret=UNSUB_SECRET,
                                     webhook_secret=None, clock=clock))
    try:
        sender = make_sender(fake, clock, unsubscribe_base_url=server.url + "/unsubscribe")
        sender.handle(action(), TENANT)
        link = fake.emails[0]["headers"]["List-Unsubscribe"][1:-1]
        resp = requests.post(link, data="List-Unsubscribe=One-Click", timeout=5,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    finally:
        server.stop()
    assert resp.status_code == 200
    [(t, e)] = emitted
    validate(t, e)
    assert (t, e["outcome"], e["recipient"], e["tenant_id"], e["occurred_at"]) == \
        ("email_outcome", "unsubscribed", "jane@ourfirm.example", TENANT, T0)


def test_the_api_key_never_appears_in_events_or_logs(fake, clock, caplog):
    caplog.set_level(logging.DEBUG)
    # A provider error that echoes the Authorization header back, then rate limits, then success.
    fake.script(server_error(f"bad request from Bearer {API_KEY}"), rate_limited("1"))
    sender = make_sender(fake, clock, mode="limited_live", opts={"failure_alert_threshold": 1})
    out = sender.handle(action(1, recipient="a@customer.example"), TENANT)
    out += sender.handle(action(2, recipient="b@customer.example"), TENANT)
    out += sender.handle(action(3, recipient="c@customer.example", kind="create_task"), TENANT)
    assert "alert" in kinds(out) and "email_outcome" in kinds(out)
    assert fake.requests[0].header("Authorization") == f"Bearer {API_KEY}"   # the key was really used
    text = json.dumps(out) + caplog.text + repr(sender)
    assert API_KEY not in text
    assert UNSUB_SECRET.decode() not in text
    assert resend.api_key != API_KEY        # not left behind in the SDK's module global
