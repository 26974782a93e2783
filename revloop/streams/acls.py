"""Broker ACLs for the control plane: on a secured cluster only the worker's principal writes
`actions` and `ticks` (and the other topics of decisions), so no other client, whatever it
can reach, puts a decision or a tick on the log.

The decisions' HMAC tag (revloop.connectors.action_auth) guards the embedded default, where
the broker authenticates no one; on a cluster that authenticates its clients these ACLs say
the same thing at the broker. A topic with an ACL is closed to every principal the ACLs do
not name (StandardAuthorizer), so naming the worker as the one writer is enough.
"""
from __future__ import annotations

from confluent_kafka.admin import AclBinding, AclOperation, AclPermissionType, ResourcePatternType, ResourceType

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.topics import OUTPUT_TOPICS

# What only the deciding process writes: its decisions and everything derived from them,
# and the ticks that drive it (`revloop tick` runs as the worker's principal).
WORKER_ONLY_TOPICS = ("ticks",) + OUTPUT_TOPICS


def control_plane_acls(settings: Settings, worker: str, readers: tuple[str, ...] = ()) -> list[AclBinding]:
    """worker: the worker's principal ("User:revloop-worker"); readers: principals that consume
    these topics (the sender, task sinks, exporters), allowed READ and DESCRIBE only."""
    bindings = []
    for name in WORKER_ONLY_TOPICS:
        topic = settings.topic(name)
        for op in (AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE):
            bindings.append(AclBinding(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, worker, "*", op,
                                       AclPermissionType.ALLOW))
        for reader in readers:
            for op in (AclOperation.READ, AclOperation.DESCRIBE):
                bindings.append(AclBinding(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, reader, "*", op,
                                           AclPermissionType.ALLOW))
    return bindings


def apply_control_plane_acls(settings: Settings, worker: str, readers: tuple[str, ...] = (),
                             timeout: float = 30.0) -> int:
    """Create the bindings (idempotent: an existing binding is left as it is); return how many."""
    admin = kafka_clients.admin(settings)
    bindings = control_plane_acls(settings, worker, readers)
    for future in admin.create_acls(bindings, request_timeout=timeout).values():
        future.result()
    return len(bindings)
