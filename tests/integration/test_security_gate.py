"""Only the policy gate decides: forged decisions never reach an executor's hands.

Attacks: importing an approved `action_decided` (or any other output of the worker, or an
executor's outcome), and producing a decision straight onto `actions` by anyone who can
write to the broker. `revloop restore` is the one path for outputs, into empty topics only.
"""
from __future__ import annotations

import json
import time

import pytest

from revloop.connectors import action_auth
from revloop.processors.actions import Proposal, decided_event
from revloop.schemas.codec import Codec
from revloop.schemas.jsonl import to_line
from revloop.streams.email_sink import EmailSink, SenderConfig
from revloop.streams.kafka_io import read_topic
from revloop.streams.topics import TOPICS
from tests.support.events import T0, contact, event, touch
from tests.support.outage_services import tally_attack
from tests.support.projections import produce_events
from tests.support.resend_fake_api import FakeResendAPI

pytestmark = pytest.mark.integration
CODEC = Codec()


def forged_decision(tenant="acme", to="victim@lender.example", target="p1"):
    p = Proposal("send_email", "engagement.overdue", "contact", target, "forged", recipient=to,
                 template=None, payload={"subject": "Wire the fee today", "text": "to account 1234"})
    return decided_event(tenant, {"tick_id": f"{tenant}:forged", "as_of": T0}, p, "approved", None, None)


def events_on(settings, topic):
    return [CODEC.decode(m.value())[1] for m in read_topic(settings, settings.topic(topic))]


def everything_on(settings):
    from confluent_kafka import KafkaException

    for attempt in range(20):          # a topic created a moment ago may still be electing its leader
        try:
            return {spec.name: len(events_on(settings, spec.name)) for spec in TOPICS}
        except KafkaException:
            if attempt == 19:
                raise
            time.sleep(0.5)


def test_attack_import_an_approved_decision_or_any_output_is_refused_by_line(kafka, cli, tmp_path):
    outputs = [
        ("action_decided", forged_decision()),
        ("action_decided", {**forged_decision(target="p2"), "decision": "blocked", "policy": "x"}),
        ("run_record", None), ("alert", None), ("policy_violation", None), ("tick", None), ("dead_letter", None),
        ("email_outcome", event("email_outcome", tenant="acme", outcome="sent", recipient="p@lender.example")),
        ("email_outcome", event("email_outcome", tenant="acme", outcome="sent", recipient="q@lender.example",
                                action_id="a-real-looking-id")),
    ]
    lines = []
    for type_name, record in outputs:
        if record is None:
            record = _minimal(type_name)
        lines.append(to_line(type_name, record))
    lines.append(to_line("touch", touch("p1", tenant="acme")))          # a fact: still imported
    path = tmp_path / "forged.jsonl"
    path.write_text("\n".join(lines) + "\n")

    proc = cli(kafka, "import", str(path))

    assert proc.returncode == 1
    refused = [l for l in proc.stderr.splitlines() if l.startswith(f"{path}:")]
    assert len(refused) == len(outputs)
    assert all("written only by revloop itself" in l or "reported only by the sender" in l for l in refused), refused
    assert f"imported 1 event(s), rejected {len(outputs)} line(s) (line(s) {len(outputs) + 1})" in proc.stderr
    written = everything_on(kafka)
    assert written["touches"] == 1 and sum(written.values()) == 1, written
    tally_attack("import an approved decision / an output event", tried=len(outputs), refused=len(refused),
                 written=sum(written.values()) - 1)


def _minimal(type_name):
    from tests.support.events import event as build
    from revloop.schemas.registry import event_type

    values = {"string": "x", "long": T0, "int": 1, "double": 1.0, "boolean": False, "bytes": b"x"}
    fields = {}
    for f in event_type(type_name).schema["fields"][3:]:
        if "default" in f:
            continue
        t = f["type"]
        if isinstance(t, dict):
            t = t["symbols"][0] if t.get("type") == "enum" else t.get("type")
            fields[f["name"]] = values.get(t, t)
        else:
            fields[f["name"]] = values[t]
    return build(type_name, tenant="acme", **fields)


def test_attack_a_decision_produced_straight_onto_actions_is_refused_by_the_sender(kafka, tmp_path, monkeypatch):
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    assert kafka.action_key, "the test run's action key (tests/support/broker.py)"
    genuine = action_auth.sign(kafka.action_key, decided_event(
        "acme", {"tick_id": "acme:1", "as_of": T0},
        Proposal("send_email", "engagement.overdue", "contact", "p1", "overdue", recipient="pat@lender.example",
                 template="check_in_overdue", payload={"contact_name": "Pat", "days_since_touch": 24}),
        "approved", None, None, "limited_live"))
    untagged = forged_decision(target="p2")
    wrong_key = action_auth.sign(b"guessed-key-guessed-key", forged_decision(target="p3"))
    altered = {**genuine, "recipient": "victim@lender.example", "event_id": "x2", }   # tag copied from a real one
    produce_events(kafka, [
        ("control", event("control", tenant="acme", at=T0 - 1000, enabled=True, send_mode="limited_live",
                           caps={"emails": 10})),
        ("contact", contact("p1", email="pat@lender.example", tenant="acme")),
        ("action_decided", untagged), ("action_decided", wrong_key), ("action_decided", altered),
        ("action_decided", genuine),
    ])
    with FakeResendAPI() as fake:
        sink = EmailSink(kafka, SenderConfig(api_key="re_test_key", sent_log_path=str(tmp_path / "sent.sqlite"),
                                             api_url=fake.url), clock=lambda: T0)
        sink.run(stop_after_idle_s=6)          # room for the group to form on a busy machine
        sent_to = sorted(e["to"][0] if isinstance(e["to"], list) else e["to"] for e in fake.emails)

    assert sent_to == ["pat@lender.example"]                          # the gate's decision, and only it
    assert sink.refused == 3
    alerts = events_on(kafka, "alerts")
    assert sorted(a["kind"] for a in alerts) == ["unauthenticated_action"] * 3
    reasons = " | ".join(a["message"] for a in alerts)
    assert "carries no tag" in reasons and reasons.count("does not match its content") == 2
    outcomes = events_on(kafka, "email.outcomes")
    assert [o["recipient"] for o in outcomes] == ["pat@lender.example"]
    assert kafka.action_key.decode() not in json.dumps(alerts + outcomes)
    tally_attack("produce a forged decision onto actions", tried=3, refused=sink.refused,
                 written=len(sent_to) - 1)


def test_a_sender_without_the_key_does_not_start(kafka, tmp_path, cli):
    from dataclasses import replace

    with pytest.raises(ValueError, match="REVLOOP_ACTION_KEY is not set"):
        EmailSink(replace(kafka, action_key=None), SenderConfig(api_key="k", sent_log_path=str(tmp_path / "s")))


def test_restore_puts_an_export_into_empty_topics_and_refuses_a_non_empty_one(kafka, kafka2, cli, tmp_path):
    decision = action_auth.sign(kafka.action_key, forged_decision())
    produce_events(kafka, [("action_decided", decision), ("touch", touch("p1", tenant="acme"))])
    exported = tmp_path / "actions.jsonl"
    cli(kafka, "export", "actions", "--out", str(exported), check=True)

    refused = cli(kafka, "restore", str(exported))            # the source cluster still holds them
    assert refused.returncode == 2 and "not empty: actions (1 event(s))" in refused.stderr
    assert len(events_on(kafka, "actions")) == 1

    restored = cli(kafka2, "restore", str(exported))
    assert restored.returncode == 0, restored.stderr
    assert "restored 1 event(s), rejected 0 line(s)" in restored.stderr
    assert events_on(kafka2, "actions") == [decision]
    tally_attack("restore into a non-empty topic", tried=1, refused=1, written=0)
