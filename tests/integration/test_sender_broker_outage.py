"""The sender rides out a broker outage: while the broker is away it cannot read its view to the
log's end, so it sends nothing and waits; when the broker is back it judges and sends what came
meanwhile. It does not exit (a sender that stops on an outage leaves approved mail unsent until
someone restarts it)."""
from __future__ import annotations

import logging
import time

import pytest

from revloop.connectors.resend_local import LocalResend
from tests.integration.test_sender_guardrails import TENANT, approved_send, outcomes
from tests.support.events import T0, contact, event
from tests.support.held_sender import HeldClock, SenderThread, local_sink
from tests.support.outage_services import own_broker  # noqa: F401
from tests.support.projections import produce_events

pytestmark = pytest.mark.integration


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_sender_waits_through_a_broker_outage_and_sends_after_it(own_broker, tmp_path, caplog):
    settings = own_broker.settings()
    produce_events(settings, [("control", event("control", tenant=TENANT, at=T0 - 60_000, enabled=True,
                                                send_mode="limited_live", caps={"emails": 50}))]
                   + [("contact", contact(f"p{n}", email=f"buyer{n}@lender.example", tenant=TENANT))
                      for n in (1, 2)]
                   + [("action_decided", approved_send(1))])
    clock = HeldClock(T0 + 600_000)
    with LocalResend() as server:
        sender = SenderThread(local_sink(settings, tmp_path, server.url, clock=clock))
        try:
            wait_for(lambda: len(server.emails) == 1, 90, "the first email")
            # Held between two rounds while the next action reaches its consumer and the broker goes.
            clock.hold.set()
            assert clock.held.wait(30), "the sender never came back to its clock"
            produce_events(settings, [("action_decided", approved_send(2))])
            time.sleep(2)                         # the consumer fetches it meanwhile
            own_broker.down()
            clock.hold.clear()
            # The sender now has an action to judge and cannot read its view to the log's end:
            # away longer than its metadata and offset requests wait (10 s), nothing is sent.
            with caplog.at_level(logging.WARNING, logger="revloop.sender"):
                time.sleep(20)
            assert sender.alive(), f"the sender stopped with the broker: {sender.failed!r}"
            assert len(server.emails) == 1
            # It waited because it had the action in hand (not because nothing had arrived yet).
            assert any("the broker does not answer" in r.getMessage() for r in caplog.records), \
                [r.getMessage() for r in caplog.records if r.name == "revloop.sender"]
            own_broker.up()
            wait_for(lambda: len(server.emails) == 2, 120, "the email approved before the outage")
            assert sender.alive() and not sender.failed
        finally:
            clock.hold.clear()
            sender.close()
        assert not sender.failed, repr(sender.failed)
        assert ["buyer1" in str(e["to"]) for e in server.emails] == [True, False]
        assert ["buyer2" in str(e["to"]) for e in server.emails] == [False, True]
    sent = [o for o in outcomes(settings) if o["outcome"] == "sent"]
    assert len(sent) == 2
