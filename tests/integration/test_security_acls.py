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

import pytest
from confluent_kafka import KafkaError

from revloop.processors.actions import Proposal, decided_event
from revloop.schemas.codec import Codec
from revloop.streams import kafka_clients
from revloop.streams.acls import WORKER_ONLY_TOPICS, apply_control_plane_acls
from revloop.streams.kafka_io import read_topic
from tests.support.events import T0, event, touch
from tests.support.outage_services import tally_attack
from tests.support.secured_kafka import (authorizer_enabled, drop_scram_user, listener, scram_user, secured_settings,
                                         wait_until_accepted)

pytestmark = pytest.mark.integration
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
    assert applied == len(WORKER_ONLY_TOPICS) * 5

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
