"""Topic registry commands."""
from __future__ import annotations

from revloop.streams.config import Settings


def _cmd_topics(args, settings: Settings) -> int:
    from revloop.streams.kafka_io import create_topics

    for name, status in create_topics(settings).items():
        print(f"{status:8} {name}")
    return 0


def _cmd_acls(args, settings: Settings) -> int:
    from revloop.streams.acls import WORKER_ONLY_TOPICS, apply_control_plane_acls

    n = apply_control_plane_acls(settings, args.worker, tuple(args.reader))
    print(f"{n} ACL binding(s): only {args.worker} writes {', '.join(WORKER_ONLY_TOPICS)}")
    return 0


def register(sub) -> None:
    topics = sub.add_parser("topics", help="manage the topic registry")
    topics_sub = topics.add_subparsers(dest="topics_command", required=True)
    topics_sub.add_parser("create", help="create every missing topic").set_defaults(func=_cmd_topics)
    acls = topics_sub.add_parser("acls", help="secured cluster: only the worker's principal writes actions, ticks "
                                              "and the other decision topics (run as a principal that may create ACLs)")
    acls.add_argument("--worker", required=True, help='the worker\'s principal, e.g. "User:revloop-worker"')
    acls.add_argument("--reader", action="append", default=[], help="a principal that reads those topics "
                                                                      "(the sender, task sinks); repeat")
    acls.set_defaults(func=_cmd_acls)
