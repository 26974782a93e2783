"""One tick's outputs, and one sender round's outcomes, commit in one Kafka transaction with
the consumed offsets: a process killed between two output messages leaves nothing a
read_committed reader can see, and after the restart each output is there exactly once.

The kill lands exactly there by fault injection (REVLOOP_FAULT_CRASH_AFTER_OUTPUTS: exit
right after the N-th output of a transaction reached the broker); a read_uncommitted
reader proves the partial step really was on the log.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace

import pytest
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.connectors import action_auth
from revloop.processors.actions import Proposal, decided_event
from revloop.schemas.codec import Codec
from revloop.streams import kafka_clients, offsets
from revloop.streams.topics import OUTPUT_TOPICS
from revloop.streams.transactions import FAULT_EXIT
from tests.support.broker import ROOT, TEST_ACTION_KEY, wait_for
from tests.support.events import DAY, T0, client, contact, event, touch
from tests.support.outage_services import wait_caught_up
from tests.support.projections import produce_events
from tests.support.resend_fake_api import FakeResendAPI
from tests.support.worker_proc import DIES_WITHOUT_LEAVING, WorkerProcess

pytestmark = pytest.mark.integration
HOUR = 3_600_000
CODEC = Codec()


def read_all(settings, topic: str, isolation: str) -> list[dict]:
    """Every event on a topic as a reader with this isolation level sees it."""
    c = kafka_clients.consumer(settings, "txn-reader", **{"isolation.level": isolation,
                                                          "enable.partition.eof": True})
    try:
        name = settings.topic(topic)
        parts = offsets.topic_partitions(c, [name], timeout=10)[name]
        left = set(parts)
        c.assign([TopicPartition(name, p, 0) for p in parts])
        out = []
        deadline = time.monotonic() + 30
        while left and time.monotonic() < deadline:
            msg = c.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    left.discard(msg.partition())
                    continue
                raise KafkaException(msg.error())
            out.append(CODEC.decode(msg.value())[1])
        assert not left, f"{topic}: partitions {left} never reached their end"
        return out
    finally:
        c.close()


def outputs_of_tick(settings, tenant: str, tick_id: str, as_of: int, isolation: str) -> list[dict]:
    """Decisions, violations and the run record name the tick; its alerts carry its time."""
    return [e for t in OUTPUT_TOPICS for e in read_all(settings, t, isolation)
            if e.get("tick_id") == tick_id or (t == "alerts" and e["tenant_id"] == tenant and e["occurred_at"] == as_of)]


def test_a_tick_killed_between_two_outputs_shows_nothing_then_everything_once(kafka, tmp_path):
    tenant = f"tx-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    book = [("control", event("control", tenant=tenant, at=T0 - 10 * DAY, event_id=f"{tenant}-ctl", enabled=True,
                              send_mode="limited_live", caps={"emails": 6})),
            ("client", client("c1", tenant=tenant, at=T0 - 60 * DAY, event_id=f"{tenant}-c1"))]
    for i in range(8):        # every one overdue: the tick proposes emails to them
        book.append(("contact", contact(f"p{i}", client_id="c1", tenant=tenant, at=T0 - 50 * DAY,
                                        event_id=f"{tenant}-p{i}")))
        book.append(("touch", touch(f"p{i}", tenant=tenant, at=T0 - (30 + i) * DAY, event_id=f"{tenant}-t{i}")))
    tick_id = f"{tenant}:{T0 + HOUR}"
    tick = ("tick", event("tick", tenant=tenant, at=T0 + HOUR, event_id=f"tick:{tick_id}", tick_id=tick_id,
                          as_of=T0 + HOUR))
    produce_events(kafka, book)

    crashing = WorkerProcess(replace(kafka, fault_crash_after_outputs=2), url, tmp_path / "crashing.log",
                             env=DIES_WITHOUT_LEAVING).start()
    wait_caught_up(crashing, timeout=120)
    produce_events(kafka, [tick])
    assert crashing.proc.wait(120) == FAULT_EXIT, crashing.tail()
    crashing.stop()

    partial = outputs_of_tick(kafka, tenant, tick_id, T0 + HOUR, "read_uncommitted")
    assert len(partial) == 2                              # two of the tick's outputs made it to the log
    assert outputs_of_tick(kafka, tenant, tick_id, T0 + HOUR, "read_committed") == []    # and nobody reading committed sees them

    worker = WorkerProcess(kafka, url, tmp_path / "worker.log").start()
    try:
        wait_for(lambda: any(e.get("run_id") == tick_id for e in read_all(kafka, "runs", "read_committed")),
                 timeout=120, what="the tick's run record")
    finally:
        worker.stop()
    committed = outputs_of_tick(kafka, tenant, tick_id, T0 + HOUR, "read_committed")
    ids = Counter(e["event_id"] for e in committed)
    assert ids and max(ids.values()) == 1                 # each output once
    assert sum(1 for e in committed if e.get("run_id") == tick_id and "metrics" in e) == 1
    approved = [e for e in committed if e.get("decision") == "approved"]
    assert 1 <= len(approved) <= 6                        # the cap held
    # The re-decided tick decided the same: the partial outputs reappear, byte for byte.
    by_id = {e["event_id"]: e for e in committed}
    assert all(by_id[e["event_id"]] == e for e in partial)


def approved(tenant, to, contact_id):
    p = Proposal("send_email", "engagement.overdue", "contact", contact_id, "overdue by 3 day(s)", recipient=to,
                 template="check_in_overdue", payload={"contact_name": "Pat Lee", "days_since_touch": 24})
    return action_auth.sign(TEST_ACTION_KEY.encode(), decided_event(tenant, {"tick_id": "tick-1", "as_of": T0}, p,
                                                                    "approved", None, None, "limited_live"))


def run_sender(kafka, fake, sent_log, *, crash_after: int | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, REVLOOP_TOPIC_PREFIX=kafka.topic_prefix, KAFKA_BOOTSTRAP_SERVERS=kafka.bootstrap_servers,
               RESEND_API_KEY="re_test_key_never_logged", RESEND_API_URL=fake.url,
               REVLOOP_UNSUBSCRIBE_SECRET="an-unsubscribe-secret-of-enough-length")
    if crash_after:
        env["REVLOOP_FAULT_CRASH_AFTER_OUTPUTS"] = str(crash_after)
    return subprocess.run([sys.executable, "-m", "revloop.streams.cli", "sender", "--sent-log", str(sent_log),
                           "--exit-when-idle", "3"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_a_sender_killed_between_two_outcomes_shows_nothing_then_each_outcome_once(kafka, tmp_path):
    tenant = "acme"
    people = [(f"p{i}", f"person{i}@lender.example") for i in range(3)]
    produce_events(kafka, [("control", event("control", tenant=tenant, at=T0 - 1000, enabled=True,
                                             send_mode="limited_live", caps={"emails": 10}))]
                   + [("contact", contact(cid, email=to, tenant=tenant)) for cid, to in people]
                   + [("action_decided", approved(tenant, to, cid)) for cid, to in people])
    with FakeResendAPI() as fake:
        crashed = run_sender(kafka, fake, tmp_path / "sent.sqlite", crash_after=1)
        assert crashed.returncode == FAULT_EXIT, crashed.stderr[-3000:]
        assert len(read_all(kafka, "email.outcomes", "read_uncommitted")) == 1     # one outcome on the log
        assert read_all(kafka, "email.outcomes", "read_committed") == []          # invisible to readers

        again = run_sender(kafka, fake, tmp_path / "sent.sqlite")
        assert again.returncode == 0, again.stderr[-3000:]
        outcomes = read_all(kafka, "email.outcomes", "read_committed")
        assert sorted(o["recipient"] for o in outcomes) == sorted(to for _, to in people)
        assert {o["outcome"] for o in outcomes} == {"sent"}
        # The email sent before the crash was not sent again: its outcome was re-announced.
        assert sorted(e["to"][0] if isinstance(e["to"], list) else e["to"] for e in fake.emails) == \
            sorted(to for _, to in people)
