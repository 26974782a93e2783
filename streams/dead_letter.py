"""The one dead-letter route every consumer uses.

A record that cannot be decoded, fails validation, or makes a processor raise
is kept whole on the dead-letter topic with its coordinates and the reason, and
the consumer goes on: nothing is dropped silently and the partition never stalls.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from schemas.codec import Codec
from streams.config import Settings
from streams.topics import DEAD_LETTER

log = logging.getLogger("revloop.dead_letter")


@dataclass(frozen=True)
class RecordCoordinates:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int = 0


def dead_letter_event(coords: RecordCoordinates, key: bytes | None, value: bytes | None,
                      reason: str, error_type: str) -> dict:
    """The dead_letter event for one failed record; its id is its coordinates, so
    routing the same record twice (after a restart) is a recognisable duplicate."""
    try:
        tenant = key.decode("utf-8") if key else ""
    except UnicodeDecodeError:
        tenant = ""
    return {
        "event_id": f"dlq:{coords.topic}:{coords.partition}:{coords.offset}",
        "tenant_id": tenant.strip() or "unknown",
        "occurred_at": max(coords.timestamp_ms, 0),
        "source_topic": coords.topic,
        "source_partition": coords.partition,
        "source_offset": coords.offset,
        "key": key,
        "value": value,
        "reason": reason[:2000],
        "error_type": error_type,
    }


def route_to_dead_letter(producer, codec: Codec, settings: Settings, coords: RecordCoordinates,
                         key: bytes | None, value: bytes | None, error: BaseException) -> dict:
    """Produce the failed record to the dead-letter topic; return the event produced."""
    event = dead_letter_event(coords, key, value, str(error) or type(error).__name__, type(error).__name__)
    log.warning("dead-lettered %s[%d]@%d: %s", coords.topic, coords.partition, coords.offset, event["reason"])
    producer.produce(settings.topic(DEAD_LETTER), key=event["tenant_id"].encode(),
                     value=codec.encode("dead_letter", event))
    return event
