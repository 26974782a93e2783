"""What the edges refuse to put on the log (revloop.schemas.admission)."""
from __future__ import annotations

from revloop.schemas.admission import DERIVED_TYPES
from revloop.streams.topics import BY_NAME, OUTPUT_TOPICS


def test_the_types_import_refuses_are_every_output_type_plus_ticks_and_dead_letters():
    outputs = {t for name in OUTPUT_TOPICS for t in BY_NAME[name].event_types}
    assert DERIVED_TYPES == outputs | {"tick", "dead_letter"}


def test_the_control_plane_acls_name_the_worker_as_the_only_writer_of_every_decision_topic():
    from confluent_kafka.admin import AclOperation

    from revloop.streams.acls import WORKER_ONLY_TOPICS, control_plane_acls
    from revloop.streams.config import Settings

    settings = Settings(topic_prefix="p.")
    bindings = control_plane_acls(settings, "User:worker", ("User:sender",))
    writers = {(b.name, b.principal) for b in bindings if b.operation == AclOperation.WRITE}
    assert writers == {(f"p.{t}", "User:worker") for t in WORKER_ONLY_TOPICS}
    assert {"ticks", "actions", "actions.held", "policy.violations", "runs", "alerts"} <= set(WORKER_ONLY_TOPICS)
    sender_ops = {b.operation for b in bindings if b.principal == "User:sender"}
    assert sender_ops == {AclOperation.READ, AclOperation.DESCRIBE}
