"""On a secured cluster, broker ACLs say what the decisions' HMAC tag says on the embedded
default: only the worker's principal writes `actions`, `ticks` and the other decision topics.

Attack: a client that can log in to the cluster (any SCRAM user but the worker's) produces
an approved decision onto `actions`, or a tick onto `ticks`. The broker refuses it
(TOPIC_AUTHORIZATION_FAILED); the worker's principal still writes; the sender's principal
reads but does not write; facts (touches) stay open to whoever may write them.
Runs on the local broker's SASL_SSL listener with the StandardAuthorizer (`make test` starts
it: tests/support/secured_kafka.py).
"""
from __future__ import annotations

import secrets
import time

import pytest
from confluent_kafka import ConsumerGroupTopicPartitions, KafkaError, KafkaException, TopicPartition

from revloop.processors.actions import Proposal, decided_event
from revloop.schemas.codec import Codec
from revloop.streams import kafka_clients
from revloop.streams.acls import WORKER_ONLY_TOPICS, apply_control_plane_acls, sender_group
from revloop.streams.control_feed import ControlFeed
from revloop.streams.tick_transactions import TickTransactions
from revloop.streams.transactions import Transactions
from revloop.streams.worker import group_id
from revloop.streams.kafka_io import read_topic
from tests.support.events import T0, event, touch
from tests.support.outage_services import tally_attack
from tests.support.secured_kafka import (authorizer_enabled, drop_scram_user, listener, scram_user, secured_settings,
                                         wait_until_accepted)

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("broker-security")]
CODEC = Codec()


def forged_decision() -> dict:
    p = Proposal("send_email", "engagement.overdue", "contact", "p1", "forged", recipient="victim@lender.example",
                 payload={"subject": "Wire the fee today"})
    return decided_event("acme", {"tick_id": "acme:forged", "as_of": T0}, p, "approved", None, None)


def produce(settings, topic: str, type_name: str, record: dict, **conf) -> KafkaError | None:
    """One event as `settings`' principal; the broker's answer (None: written)."""
    answers = []
    p = kafka_clients.producer(settings, **{"message.timeout.ms": 15_000, **conf})
    p.produce(settings.topic(topic), key=record["tenant_id"].encode(), value=CODEC.encode(type_name, record),
              on_delivery=lambda err, msg: answers.append(err))
    p.flush(30)
    assert answers, "no delivery report within 30 s"
    return answers[0]


@pytest.fixture
def principals(kafka):
    listener()
    if not authorizer_enabled():
        pytest.fail("the local broker runs without the StandardAuthorizer: `make test` starts it with "
                    "KAFKA_AUTHORIZER=1 (a broker already running without it: `make kafka-down` first)")
    tag = kafka.topic_prefix.rstrip(".")
    users = {role: (f"{role}-{tag}", secrets.token_urlsafe(18)) for role in ("worker", "sender", "intruder")}
    for name, password in users.values():
        scram_user(kafka, name, password)
    settings = {role: secured_settings(kafka, name, password) for role, (name, password) in users.items()}
    for s in settings.values():
        wait_until_accepted(s)
    yield {role: (f"User:{users[role][0]}", s) for role, s in settings.items()}
    for name, _ in users.values():
        drop_scram_user(kafka, name)


def test_attack_a_principal_other_than_the_worker_cannot_write_actions_or_ticks(kafka, principals):
    worker, worker_settings = principals["worker"]
    sender, sender_settings = principals["sender"]
    _, intruder = principals["intruder"]
    # Through the plaintext listener, whose principal is a super user (the admin's side).
    applied = apply_control_plane_acls(kafka, worker, (sender,))
    # Per topic: the worker's WRITE, READ, DESCRIBE and the sender's READ, DESCRIBE; then the
    # worker's transactional id prefix and its three groups, 2 operations each.
    assert applied == len(WORKER_ONLY_TOPICS) * 5 + 2 + 3 * 2

    tick = event("tick", tenant="acme", at=T0, tick_id="acme:x", as_of=T0)
    # An attacker chooses its own client settings: no idempotence, so each refusal is its own.
    refused = [produce(intruder, "actions", "action_decided", forged_decision(), **{"enable.idempotence": False}),
               produce(intruder, "ticks", "tick", tick, **{"enable.idempotence": False}),
               produce(sender_settings, "actions", "action_decided", forged_decision(),
                       **{"enable.idempotence": False})]
    assert [e.code() if e else None for e in refused] == [KafkaError.TOPIC_AUTHORIZATION_FAILED] * 3, refused

    assert produce(worker_settings, "actions", "action_decided", {**forged_decision(), "event_id": "w1",
                                                                  "action_id": "w1"}) is None
    assert produce(worker_settings, "ticks", "tick", tick) is None
    assert produce(intruder, "touches", "touch", touch("p1", tenant="acme")) is None        # facts stay open

    on_actions = [CODEC.decode(m.value())[1]["event_id"] for m in read_topic(kafka, kafka.topic("actions"))]
    assert on_actions == ["w1"]
    # The sender (a reader) reads what the worker decided.
    as_sender = [m for m in read_topic(sender_settings, sender_settings.topic("actions"))]
    assert len(as_sender) == 1
    tally_attack("write actions / ticks as a principal other than the worker (broker ACLs)", tried=3,
                 refused=sum(e is not None for e in refused), written=len(on_actions) - 1)


def committed(settings, group: str, topic: str) -> int:
    """A group's committed offset on partition 0 of a topic, as the admin side sees it."""
    c = kafka_clients.consumer(settings, group)
    try:
        return c.committed([TopicPartition(settings.topic(topic), 0)], timeout=10)[0].offset
    finally:
        c.close()


def test_the_worker_and_the_sender_commit_their_transactions_and_offsets_under_the_grants_and_no_one_else_can(
        kafka, principals):
    """On a cluster that denies what no ACL allows these grants are what lets the worker's tick
    transactions and the sender's outcome transactions run; here (open where no ACL names a
    resource) they also show the grants name the ids and groups the code really uses: once
    granted, a resource is closed to every other principal."""
    worker, worker_settings = principals["worker"]
    sender, sender_settings = principals["sender"]
    _, intruder = principals["intruder"]
    apply_control_plane_acls(kafka, worker, sender=sender)
    scope = group_id(kafka)
    started = time.monotonic()

    # The worker's tick transactions, through the worker's own class: a round's outputs and the
    # ticks consumed, one transaction per partition's transactional id.
    ticks = TickTransactions(worker_settings, scope, None)
    try:
        ticks.fence(0)
        ticks.commit(0, [(kafka.topic("actions"), b"acme", CODEC.encode("action_decided", {
            **forged_decision(), "event_id": "t1", "action_id": "t1"}))], 1)
    finally:
        ticks.close()
    feed = ControlFeed(worker_settings, scope)
    feed.seek(1)              # commits its position in <group>.control (asynchronously)
    deadline = time.monotonic() + 15
    while committed(kafka, f"{scope}.control", "control") != 1 and time.monotonic() < deadline:
        feed._consumer.poll(0.2)
    feed.close()

    # The sender's round: an alert and the actions' offset, one transaction under its own id.
    group = sender_group(kafka)
    tx = Transactions(sender_settings, f"{group}.outcomes")
    reader = kafka_clients.consumer_committed(sender_settings, group)
    try:
        tx.produce(kafka.topic("alerts"), b"acme", CODEC.encode("alert", {
            "event_id": "a1", "tenant_id": "acme", "occurred_at": T0, "alert_id": "a1",
            "kind": "unauthenticated_action", "severity": "critical", "message": "test", "value": None,
            "threshold": None}))
        tx.commit([TopicPartition(kafka.topic("actions"), 0, 1)], reader.consumer_group_metadata())
    finally:
        tx.close()
        reader.close()
    elapsed = time.monotonic() - started

    assert [CODEC.decode(m.value())[1]["event_id"] for m in read_topic(kafka, kafka.topic("actions"))] == ["t1"]
    assert [CODEC.decode(m.value())[1]["event_id"] for m in read_topic(kafka, kafka.topic("alerts"))] == ["a1"]
    assert committed(kafka, f"{scope}.ticks", "ticks") == 1
    assert committed(kafka, f"{scope}.control", "control") == 1
    assert committed(kafka, group, "actions") == 1
    assert elapsed < 60, f"the granted transactions took {elapsed:.1f}s"

    # Everyone else: refused the worker's and the sender's transactional ids and groups.
    refusals = []
    for tid in (f"{scope}.ticks.0", f"{scope}.ticks.7", f"{group}.outcomes"):
        p = kafka_clients.transactional_producer(intruder, tid)
        try:
            p.init_transactions(15)
            refusals.append(None)
        except KafkaException as exc:
            refusals.append(exc.args[0].code())
    # (A consumer's commit would wait out its coordinator lookup; the admin API answers at once.)
    admin = kafka_clients.admin(intruder)
    for g, topic in ((f"{scope}.ticks", "ticks"), (f"{scope}.control", "control"), (group, "actions")):
        moved = ConsumerGroupTopicPartitions(g, [TopicPartition(intruder.topic(topic), 0, 99)])
        try:
            admin.alter_consumer_group_offsets([moved], request_timeout=15)[g].result(timeout=30)
            refusals.append(None)
        except KafkaException as exc:
            refusals.append(exc.args[0].code())
    assert refusals == [KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED] * 3 + \
        [KafkaError.GROUP_AUTHORIZATION_FAILED] * 3, refusals
    assert committed(kafka, f"{scope}.ticks", "ticks") == 1
    tally_attack("fence the worker's or the sender's transactions, or move their groups' offsets, as another "
                 "principal (broker ACLs)", tried=6, refused=sum(r is not None for r in refusals), written=0)
