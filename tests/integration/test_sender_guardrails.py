"""The guardrails bind at the point of action: an email approved before the kill switch, a tenant
disable or a lowered send mode is not sent by the real sender: each gets a `cancelled` outcome."""
from __future__ import annotations

import pytest

from revloop.connectors import action_auth
from revloop.connectors.resend_local import LocalResend
from revloop.processors.actions import Proposal, decided_event
from revloop.schemas.codec import Codec
from revloop.streams.kafka_io import read_topic
from tests.support.broker import TEST_ACTION_KEY
from tests.support.events import T0, contact, event
from tests.support.held_sender import HeldClock, SenderThread, local_sink
from tests.support.projections import produce_events

pytestmark = pytest.mark.integration
TENANT = "acme"


def approved_send(n: int) -> dict:
    p = Proposal("send_email", "engagement.overdue", "contact", f"p{n}", "overdue by 3 day(s)",
                 recipient=f"buyer{n}@lender.example", template="check_in_overdue",
                 payload={"contact_name": f"Buyer {n}", "days_since_touch": 24})
    decided = decided_event(TENANT, {"tick_id": "acme:hour-1", "as_of": T0}, p, "approved", None, None, "limited_live")
    return action_auth.sign(TEST_ACTION_KEY.encode(), decided)     # as the worker signs its decisions


def outcomes(kafka) -> list[dict]:
    codec = Codec()
    return [codec.decode(m.value())[1] for m in read_topic(kafka, kafka.topic("email.outcomes"))]


@pytest.mark.parametrize("thrown, reason", [
    ({"kill_switch": True}, "the kill switch is on"),
    ({"enabled": False}, "the tenant is disabled"),
    ({"send_mode": "dry_run"}, "send mode lowered from limited_live to dry_run after approval"),
], ids=["kill_switch", "tenant_disabled", "send_mode_lowered"])
def test_actions_approved_before_a_guardrail_is_thrown_are_cancelled_not_sent(kafka, tmp_path, monkeypatch,
                                                                                thrown, reason):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    actions = [approved_send(n) for n in range(1, 6)]
    produce_events(kafka, [("control", event("control", tenant=TENANT, at=T0 - 60_000, enabled=True,
                                             send_mode="limited_live", caps={"emails": 50}))]
                   + [("contact", contact(f"p{n}", email=f"buyer{n}@lender.example", tenant=TENANT))
                      for n in range(1, 6)]
                   + [("action_decided", a) for a in actions]
                   # after approval, before the sender runs:
                   + [("control", event("control", tenant=TENANT, at=T0 + 60_000, **thrown))])
    with LocalResend() as server:
        sink = local_sink(kafka, tmp_path, server.url, clock=lambda: T0 + 120_000)
        sink.run(stop_after_idle_s=2)
        assert server.requests == [] and server.emails == []
    reported = {o["action_id"]: o for o in outcomes(kafka)}
    assert set(reported) == {a["action_id"] for a in actions}
    assert {(o["outcome"], o["detail"]) for o in reported.values()} == {("cancelled", reason)}
    assert sink.settled == 5 and sink.outcomes == {"cancelled": 5}


def test_a_global_kill_switch_cancels_every_tenants_pending_email(kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    action = approved_send(1)
    produce_events(kafka, [("control", event("control", tenant=TENANT, at=T0 - 60_000, enabled=True,
                                                   send_mode="limited_live")),
                           ("action_decided", action),
                           ("control", event("control", tenant="*", at=T0 + 60_000, kill_switch=True))])
    with LocalResend() as server:
        local_sink(kafka, tmp_path, server.url, clock=lambda: T0 + 120_000).run(stop_after_idle_s=2)
        assert server.requests == []
    [o] = outcomes(kafka)
    assert (o["action_id"], o["outcome"], o["detail"]) == (action["action_id"], "cancelled", "the kill switch is on")



# More than librdkafka keeps queued per partition (queued.min.messages, 100,000): while the sender
# is busy, its fetcher queues this much of the control topic, then the action's partition, then the rest.
BACKLOG = 120_000


def test_a_kill_switch_logged_before_an_action_binds_however_far_behind_the_sender_reads_control(
        kafka, tmp_path, monkeypatch):
    """The sender reads actions and what it judges them by from different topics, and fetches
    them in no fixed order. A kill switch logged before an action, behind a backlog of other
    tenants' control records the sender has not read yet, must still be applied before that
    action is judged."""
    import time

    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    action = approved_send(1)
    produce_events(kafka, [("control", event("control", tenant=TENANT, at=T0 - 60_000, enabled=True,
                                             send_mode="limited_live", caps={"emails": 50})),
                           ("contact", contact("p1", email="buyer1@lender.example", tenant=TENANT))])
    clock = HeldClock(T0 + 600_000)
    with LocalResend() as server:
        sender = SenderThread(local_sink(kafka, tmp_path, server.url, clock=clock))
        try:
            clock.hold.set()
            assert clock.held.wait(60), "the sender never started its rounds"
            backlog = [("control", event("control", tenant="other-tenant", at=T0 + n, enabled=True))
                       for n in range(BACKLOG)]
            for start in range(0, BACKLOG, 50_000):          # within the producer's queue
                produce_events(kafka, backlog[start:start + 50_000])
            produce_events(kafka, [("control", event("control", tenant=TENANT, at=T0 + 60_000, kill_switch=True))])
            produce_events(kafka, [("action_decided", action)])
            time.sleep(2)           # the fetcher queues what it may meanwhile
            clock.hold.clear()
            deadline = time.monotonic() + 120
            while not outcomes(kafka) and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            clock.hold.clear()
            sender.close()
        assert server.emails == [] and not sender.failed
    [o] = outcomes(kafka)
    assert (o["outcome"], o["detail"]) == ("cancelled", "the kill switch is on")
