"""Topic registry commands."""
from __future__ import annotations

from revloop.streams.cli_support import command, group
from revloop.streams.config import Settings


def _cmd_topics(args, settings: Settings) -> int:
    from revloop.streams.kafka_io import create_topics

    for name, status in create_topics(settings).items():
        print(f"{status:8} {name}")
    return 0


def _cmd_acls(args, settings: Settings) -> int:
    from revloop.streams.acls import WORKER_ONLY_TOPICS, apply_control_plane_acls

    n = apply_control_plane_acls(settings, args.worker, tuple(args.reader), sender=args.sender)
    print(f"{n} ACL binding(s): only {args.worker} writes {', '.join(WORKER_ONLY_TOPICS)}"
          + (f" ({args.sender} its alerts)" if args.sender else "")
          + "; their transactional ids and groups are granted by name")
    return 0


def register(sub) -> None:
    topics = group(sub, "topics", help="manage the topic registry",
                   description="The topic registry: every topic revloop reads or writes (revloop/streams/topics.py).",
                   dest="topics_command")
    create = command(topics, "create", help="create every missing topic", kafka=True,
                     description="Create every registry topic that does not exist yet (partitions: "
                                 "REVLOOP_PARTITIONS; control: 1). Existing topics are left as they are.",
                     env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_PARTITIONS"),
                     example="revloop topics create")
    create.set_defaults(func=_cmd_topics)
    acls = command(topics, "acls", help="secured cluster: only the worker's principal writes actions, ticks "
                                        "and the other decision topics (run as a principal that may create ACLs)",
                   kafka=True,
                   description="Create broker ACLs so that on a secured cluster only the worker's principal writes "
                               "ticks and the decision topics, and readers only READ them (the broker-side twin of "
                               "the decisions' HMAC tag), and grant the worker and the sender their consumer groups "
                               "and transactional ids by name (needed where the cluster denies what no ACL allows).",
                   env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_GROUP", "KAFKA_SASL_USERNAME"),
                   example='revloop topics acls --worker User:revloop-worker --sender User:revloop-sender')
    acls.add_argument("--worker", required=True, help='the worker\'s principal, e.g. "User:revloop-worker"')
    acls.add_argument("--reader", action="append", default=[], help="a principal that reads those topics "
                                                                      "(task sinks, exporters); repeat")
    acls.add_argument("--sender", help='the principal that runs `revloop sender`: reads the decisions, writes its '
                                       'outcomes in transactions (its group and transactional id), and the alert '
                                       'of a refused decision')
    acls.set_defaults(func=_cmd_acls)
