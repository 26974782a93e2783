"""Approved actions on the real broker -> `revloop sender` -> Resend (local API) -> outcomes."""
from __future__ import annotations

import pytest

from revloop.connectors import action_auth
from revloop.processors.actions import Proposal, decided_event
from revloop.streams.email_sink import EmailSink, SenderConfig
from revloop.streams.kafka_io import read_topic
from revloop.schemas.codec import Codec
from tests.support.broker import TEST_ACTION_KEY
from tests.support.projections import produce_events
from tests.support.events import T0, contact, event
from tests.support.resend_fake_api import FakeResendAPI

pytestmark = pytest.mark.integration


def approved(tenant, to, contact_id, tick="tick-1", mode="limited_live"):
    p = Proposal("send_email", "engagement.overdue", "contact", contact_id, "overdue by 3 day(s)", recipient=to,
                 template="check_in_overdue", payload={"contact_name": "Pat Lee", "days_since_touch": 24})
    # Signed as the worker signs its decisions: the sender refuses anything else.
    return action_auth.sign(TEST_ACTION_KEY.encode(), decided_event(tenant, {"tick_id": tick, "as_of": T0}, p,
                                                                    "approved", None, None, mode))


def sink(kafka, fake, tmp_path, group="revloop-sender"):
    return EmailSink(kafka, SenderConfig(api_key="re_test_key_never_logged", sent_log_path=str(tmp_path / "sent.sqlite"),
                                         api_url=fake.url, group=group), clock=lambda: T0)


def outcomes(kafka):
    codec = Codec()
    return [codec.decode(m.value())[1] for m in read_topic(kafka, kafka.topic("email.outcomes"))]


def test_sender_sends_each_approved_action_once_and_never_to_a_suppressed_address(kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    tenant = "acme"
    first = approved(tenant, "pat@lender.example", "p1")
    produce_events(kafka, [
        ("control", event("control", tenant=tenant, at=T0 - 1000, enabled=True, send_mode="limited_live",
                           caps={"emails": 10})),
        ("contact", contact("p1", email="pat@lender.example", tenant=tenant)),
        ("contact", contact("p2", email="sam@lender.example", tenant=tenant)),
        ("email_outcome", event("email_outcome", tenant=tenant, at=T0 - 5000, outcome="complained",
                                recipient="sam@lender.example")),
        ("action_decided", first),
        ("action_decided", approved(tenant, "sam@lender.example", "p2")),
        ("action_decided", first),                                   # a redelivered duplicate
        ("action_decided", approved(tenant, "lee@lender.example", "p3")),
    ])
    with FakeResendAPI() as fake:
        s = sink(kafka, fake, tmp_path)
        s.run(stop_after_idle_s=2)
        sent_to = sorted(e["to"][0] if isinstance(e["to"], list) else e["to"] for e in fake.emails)
        assert sent_to == ["lee@lender.example", "pat@lender.example"]
        assert all(r.header("Idempotency-Key") for r in fake.requests)
        email = fake.emails[0]
        assert "List-Unsubscribe" in (email.get("headers") or {})

        # A replay of the whole actions topic by a fresh consumer group sends nothing new.
        sink(kafka, fake, tmp_path, group="revloop-sender-replay").run(stop_after_idle_s=2)
        assert len(fake.emails) == 2

    # Re-reads re-announce the same outcome under the same event id, which projections dedupe.
    sent = {o["event_id"]: o for o in outcomes(kafka) if o["outcome"] == "sent"}
    assert sorted(o["recipient"] for o in sent.values()) == ["lee@lender.example", "pat@lender.example"]
    assert f"sent:{first['action_id']}" in sent


def test_dry_run_sends_nothing_and_records_no_touch(kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    # The tenant is enabled (a tenant no control event enabled is off) and in dry_run.
    produce_events(kafka, [("control", event("control", tenant="acme", at=T0 - 1000, enabled=True, send_mode="dry_run")),
                           ("contact", contact("p1", email="pat@lender.example", tenant="acme")),
                           ("action_decided", approved("acme", "pat@lender.example", "p1", mode="dry_run"))])
    with FakeResendAPI() as fake:
        s = sink(kafka, fake, tmp_path)
        s.run(stop_after_idle_s=2)
        assert fake.emails == [] and s.settled == 1
    [dry] = outcomes(kafka)
    assert (dry["outcome"], dry["template_id"], dry["template_version"]) == ("dry_run", "check_in_overdue", 1)
