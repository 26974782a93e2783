"""Broker ACLs for the control plane: on a secured cluster only the worker's principal writes
`actions` and `ticks` (and the other topics of decisions), so no other client, whatever it
can reach, puts a decision or a tick on the log.

The decisions' HMAC tag (revloop.connectors.action_auth) guards the embedded default, where
the broker authenticates no one; on a cluster that authenticates its clients these ACLs say
the same thing at the broker. A topic with an ACL is closed to every principal the ACLs do
not name (StandardAuthorizer), so naming the worker as the one writer is enough.

The worker and the sender also produce in Kafka transactions and commit offsets in groups of
their own (streams.tick_transactions, streams.control_feed, streams.email_sink): those
transactional ids and groups are granted to them by name too. On a cluster that denies what
no ACL allows, that is what lets them run; on one that allows it, it closes those resources to
everyone else (another principal could otherwise fence the worker's tick transactions, or
commit a tick offset past ticks never decided).
"""
from __future__ import annotations

from confluent_kafka.admin import AclBinding, AclOperation, AclPermissionType, ResourcePatternType, ResourceType

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.topics import OUTPUT_TOPICS

# What only the deciding process writes: its decisions and everything derived from them,
# and the ticks that drive it (`revloop tick` runs as the worker's principal).
WORKER_ONLY_TOPICS = ("ticks",) + OUTPUT_TOPICS
# The sender's writes among them: the `unauthenticated_action` alert of a refused decision.
SENDER_WRITES = ("alerts",)
SENDER_GROUP = "revloop-sender"         # email_sink.SenderConfig.group's default

_USE = (AclOperation.WRITE, AclOperation.DESCRIBE)        # a transactional id
_COMMIT = (AclOperation.READ, AclOperation.DESCRIBE)      # a consumer group (commit, fetch offsets)


def _allow(kind, name: str, pattern, principal: str, ops) -> list[AclBinding]:
    return [AclBinding(kind, name, pattern, principal, "*", op, AclPermissionType.ALLOW) for op in ops]


def worker_group(settings: Settings) -> str:
    """The worker's consumer group (streams.worker.group_id); its tick and control readers
    commit in `<group>.ticks` and `<group>.control`."""
    return f"{settings.topic_prefix}{settings.consumer_group}"


def sender_group(settings: Settings) -> str:
    return f"{settings.topic_prefix}{SENDER_GROUP}"


def worker_acls(settings: Settings, worker: str) -> list[AclBinding]:
    """The worker's groups and transactional ids. Tick transactions are one per ticks
    partition (`<group>.ticks.<p>`): granted as the prefix `<group>.ticks.`, so partitions added
    to `ticks` later need no new grant, and the trailing dot keeps it to this group's ids."""
    group = worker_group(settings)
    out = _allow(ResourceType.TRANSACTIONAL_ID, f"{group}.ticks.", ResourcePatternType.PREFIXED, worker, _USE)
    for name in (group, f"{group}.ticks", f"{group}.control"):
        out += _allow(ResourceType.GROUP, name, ResourcePatternType.LITERAL, worker, _COMMIT)
    return out


def sender_acls(settings: Settings, sender: str) -> list[AclBinding]:
    """The sender's group, its outcomes' transactional id (`<group>.outcomes`) and what it
    writes among the worker's topics. It reads them as a reader does."""
    group = sender_group(settings)
    out = _allow(ResourceType.TRANSACTIONAL_ID, f"{group}.outcomes", ResourcePatternType.LITERAL, sender, _USE)
    out += _allow(ResourceType.GROUP, group, ResourcePatternType.LITERAL, sender, _COMMIT)
    for name in SENDER_WRITES:
        out += _allow(ResourceType.TOPIC, settings.topic(name), ResourcePatternType.LITERAL, sender,
                      (AclOperation.WRITE,))
    return out


def control_plane_acls(settings: Settings, worker: str, readers: tuple[str, ...] = (),
                       sender: str | None = None) -> list[AclBinding]:
    """worker: the worker's principal ("User:revloop-worker"); readers: principals that consume
    these topics (task sinks, exporters), allowed READ and DESCRIBE only; sender: the
    principal that runs `revloop sender` (a reader, and the writer of its own outcomes)."""
    readers = tuple(readers) + ((sender,) if sender and sender not in readers else ())
    bindings = []
    for name in WORKER_ONLY_TOPICS:
        topic = settings.topic(name)
        bindings += _allow(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, worker,
                           (AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE))
        for reader in readers:
            bindings += _allow(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, reader,
                               (AclOperation.READ, AclOperation.DESCRIBE))
    bindings += worker_acls(settings, worker)
    if sender:
        bindings += sender_acls(settings, sender)
    return bindings


def apply_control_plane_acls(settings: Settings, worker: str, readers: tuple[str, ...] = (),
                             timeout: float = 30.0, sender: str | None = None) -> int:
    """Create the bindings (idempotent: an existing binding is left as it is); return how many."""
    admin = kafka_clients.admin(settings)
    bindings = control_plane_acls(settings, worker, readers, sender)
    for future in admin.create_acls(bindings, request_timeout=timeout).values():
        future.result()
    return len(bindings)
