"""`revloop export`: a topic's events as JSON Lines."""
from __future__ import annotations

import sys

from revloop.schemas.codec import DecodeError
from revloop.schemas.jsonl import to_line
from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.kafka_io import read_topic


def export_topic(settings: Settings, topic: str, out, *, start_offset: int = 0) -> tuple[int, int]:
    codec = kafka_clients.codec(settings)
    written = failed = 0
    for msg in read_topic(settings, settings.topic(topic), start_offset=start_offset):
        try:
            type_name, record = codec.decode(msg.value())
        except DecodeError as exc:
            failed += 1
            print(f"{topic}[{msg.partition()}]@{msg.offset()}: {exc}", file=sys.stderr)
            continue
        out.write(to_line(type_name, record) + "\n")
        written += 1
    return written, failed
