"""What the edges refuse to put on the log (revloop.schemas.admission)."""
from __future__ import annotations

from revloop.schemas.admission import DERIVED_TYPES
from revloop.streams.topics import BY_NAME, OUTPUT_TOPICS


def test_the_types_import_refuses_are_every_output_type_plus_ticks_and_dead_letters():
    outputs = {t for name in OUTPUT_TOPICS for t in BY_NAME[name].event_types}
    assert DERIVED_TYPES == outputs | {"tick", "dead_letter"}


def test_the_control_plane_acls_name_the_worker_as_the_only_writer_of_every_decision_topic():
    from confluent_kafka.admin import AclOperation, ResourceType

    from revloop.streams.acls import WORKER_ONLY_TOPICS, control_plane_acls
    from revloop.streams.config import Settings

    settings = Settings(topic_prefix="p.")
    bindings = control_plane_acls(settings, "User:worker", ("User:sender",))
    writers = {(b.name, b.principal) for b in bindings
               if b.operation == AclOperation.WRITE and b.restype == ResourceType.TOPIC}
    assert writers == {(f"p.{t}", "User:worker") for t in WORKER_ONLY_TOPICS}
    assert {"ticks", "actions", "actions.held", "policy.violations", "runs", "alerts"} <= set(WORKER_ONLY_TOPICS)
    sender_ops = {b.operation for b in bindings if b.principal == "User:sender" and b.restype == ResourceType.TOPIC}
    assert sender_ops == {AclOperation.READ, AclOperation.DESCRIBE}


def test_the_acls_grant_the_worker_and_the_sender_the_transactional_ids_and_groups_they_commit_in():
    from confluent_kafka.admin import AclOperation, ResourcePatternType, ResourceType

    from revloop.streams.acls import control_plane_acls
    from revloop.streams.config import Settings
    from revloop.streams.email_sink import SenderConfig

    settings = Settings(topic_prefix="p.", consumer_group="wg")
    bindings = control_plane_acls(settings, "User:worker", ("User:task",), sender="User:sender")

    def granted(principal, kind):
        return {(b.name, b.resource_pattern_type, b.operation) for b in bindings
                if b.principal == principal and b.restype == kind}

    # One transactional id per ticks partition, p.wg.ticks.<p>: a prefix that ends at the dot.
    assert granted("User:worker", ResourceType.TRANSACTIONAL_ID) == {
        ("p.wg.ticks.", ResourcePatternType.PREFIXED, op) for op in (AclOperation.WRITE, AclOperation.DESCRIBE)}
    # Faust's group, the tick reader's and the control reader's, each by its exact name.
    assert granted("User:worker", ResourceType.GROUP) == {
        (g, ResourcePatternType.LITERAL, op) for g in ("p.wg", "p.wg.ticks", "p.wg.control")
        for op in (AclOperation.READ, AclOperation.DESCRIBE)}
    sender_group = f"p.{SenderConfig(api_key='', sent_log_path='').group}"
    assert granted("User:sender", ResourceType.TRANSACTIONAL_ID) == {
        (f"{sender_group}.outcomes", ResourcePatternType.LITERAL, op)
        for op in (AclOperation.WRITE, AclOperation.DESCRIBE)}
    assert granted("User:sender", ResourceType.GROUP) == {
        (sender_group, ResourcePatternType.LITERAL, op) for op in (AclOperation.READ, AclOperation.DESCRIBE)}
    # The sender writes one worker topic (the alert of a refused decision), reads the rest; a
    # plain reader neither writes nor holds a group or a transactional id.
    sender_writes = {b.name for b in bindings if b.principal == "User:sender" and b.operation == AclOperation.WRITE
                     and b.restype == ResourceType.TOPIC}
    assert sender_writes == {"p.alerts"}
    assert {(b.restype, b.operation) for b in bindings if b.principal == "User:task"} == {
        (ResourceType.TOPIC, AclOperation.READ), (ResourceType.TOPIC, AclOperation.DESCRIBE)}
