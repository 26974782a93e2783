"""The event types: one Avro schema file per type, loaded once.

The JSON Lines ``"type"`` of an event is its schema file's stem (``order`` for
``avsc/order.avsc``). Older versions of a schema live in ``avsc/history/`` so a
reader can still decode events that an older writer produced.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

AVSC_DIR = Path(__file__).parent / "avsc"
ENVELOPE = ("event_id", "tenant_id", "occurred_at")


@dataclass(frozen=True, eq=False)
class EventType:
    name: str                    # "order"
    full_name: str               # "revloop.events.Order"
    schema: dict                 # as written in the .avsc
    parsed: dict                 # fastavro's parsed form
    plain: dict                  # parsed, timestamp logical types stripped: times stay int millis
    fingerprint: bytes           # CRC-64-AVRO of the parsing canonical form, 8 bytes little-endian
    timestamp_fields: tuple[str, ...]   # top-level timestamp-millis fields, carried as int millis
    bytes_fields: tuple[str, ...]       # top-level bytes fields (base64 in JSON)
    field_names: tuple[str, ...]


def schema_fingerprint(parsed: dict) -> bytes:
    # The single-object encoding spec puts the fingerprint little-endian;
    # fastavro returns it as a big-endian hex string of the 64-bit value.
    value = int(fingerprint(to_parsing_canonical_form(parsed), "CRC-64-AVRO"), 16)
    return value.to_bytes(8, "little")


def _strip_logical(node):
    if isinstance(node, dict):
        return {k: _strip_logical(v) for k, v in node.items() if k != "logicalType"}
    if isinstance(node, list):
        return [_strip_logical(v) for v in node]
    return node


def _is_kind(type_, logical=None, primitive=None) -> bool:
    branches = type_ if isinstance(type_, list) else [type_]
    for branch in branches:
        if logical and isinstance(branch, dict) and branch.get("logicalType") == logical:
            return True
        if primitive and branch == primitive:
            return True
    return False


def _event_type(name: str, schema: dict) -> EventType:
    parsed = fastavro.parse_schema(schema, named_schemas={})
    fields = schema["fields"]
    return EventType(
        name=name,
        full_name=f'{schema.get("namespace", "")}.{schema["name"]}'.lstrip("."),
        schema=schema,
        parsed=parsed,
        plain=fastavro.parse_schema(_strip_logical(schema), named_schemas={}),
        fingerprint=schema_fingerprint(parsed),
        timestamp_fields=tuple(f["name"] for f in fields if _is_kind(f["type"], logical="timestamp-millis")),
        bytes_fields=tuple(f["name"] for f in fields if _is_kind(f["type"], primitive="bytes")),
        field_names=tuple(f["name"] for f in fields),
    )


@lru_cache(maxsize=1)
def event_types() -> dict[str, EventType]:
    """Current schema of every event type, by name."""
    return {
        path.stem: _event_type(path.stem, json.loads(path.read_text()))
        for path in sorted(AVSC_DIR.glob("*.avsc"))
    }


@lru_cache(maxsize=1)
def historical_writers() -> dict[bytes, EventType]:
    """Older writer schemas (``avsc/history/<type>.v<N>.avsc``) by fingerprint."""
    out = {}
    for path in sorted((AVSC_DIR / "history").glob("*.avsc")):
        name = path.stem.split(".")[0]
        et = _event_type(name, json.loads(path.read_text()))
        out[et.fingerprint] = et
    return out


def event_type(name: str) -> EventType:
    try:
        return event_types()[name]
    except KeyError:
        raise UnknownEventType(f"unknown event type {name!r}") from None


class UnknownEventType(ValueError):
    pass
