"""Topic registry commands."""
from __future__ import annotations

from revloop.streams.config import Settings


def _cmd_topics(args, settings: Settings) -> int:
    from revloop.streams.kafka_io import create_topics

    for name, status in create_topics(settings).items():
        print(f"{status:8} {name}")
    return 0


def register(sub) -> None:
    topics = sub.add_parser("topics", help="manage the topic registry")
    topics_sub = topics.add_subparsers(dest="topics_command", required=True)
    topics_sub.add_parser("create", help="create every missing topic").set_defaults(func=_cmd_topics)
