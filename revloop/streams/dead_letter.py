"""The one dead-letter route every consumer uses.

A record that cannot be decoded, fails validation, or makes a processor raise
is kept whole on the dead-letter topic with its coordinates and the reason, and
the consumer goes on: nothing is dropped silently and the partition never stalls.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from revloop.schemas.codec import MAX_ID_BYTES, MAX_TIMESTAMP_MS, Codec
from revloop.streams.config import Settings
from revloop.streams.topics import DEAD_LETTER

log = logging.getLogger("revloop.dead_letter")


@dataclass(frozen=True)
class RecordCoordinates:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int = 0


# A dead letter must itself fit in one Kafka message (the producer's message.max.bytes
# defaults to 1,000,000): a record near the broker's limit keeps its first bytes here,
# and stays whole at its coordinates on the source topic (topics keep everything).
MAX_DEAD_VALUE_BYTES = 900_000
MAX_DEAD_KEY_BYTES = 16_384


def _tenant_of(key: bytes | None) -> str:
    """The key as a tenant id, if it can be one (stored, indexed, RLS-filtered)."""
    try:
        tenant = key.decode("utf-8").strip() if key else ""
    except UnicodeDecodeError:
        return "unknown"
    if not tenant or "\x00" in tenant or len(key) > MAX_ID_BYTES or tenant == "*":
        return "unknown"
    return tenant


def dead_letter_event(coords: RecordCoordinates, key: bytes | None, value: bytes | None,
                      reason: str, error_type: str) -> dict:
    """The dead_letter event for one failed record; its id is its coordinates, so
    routing the same record twice (after a restart) is a recognisable duplicate."""
    notes = []
    if key is not None and len(key) > MAX_DEAD_KEY_BYTES:
        notes.append(f"key truncated from {len(key)} bytes")
        key = key[:MAX_DEAD_KEY_BYTES]
    if value is not None and len(value) > MAX_DEAD_VALUE_BYTES:
        notes.append(f"value truncated from {len(value)} bytes; the whole record stays at its offset")
        value = value[:MAX_DEAD_VALUE_BYTES]
    reason = (reason[:1800] + "".join(f" [{n}]" for n in notes)).replace("\x00", "\\x00")
    return {
        "event_id": f"dlq:{coords.topic}:{coords.partition}:{coords.offset}",
        "tenant_id": _tenant_of(key),
        "occurred_at": min(max(coords.timestamp_ms, 0), MAX_TIMESTAMP_MS),
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
