"""The human form of events: JSON Lines, one object per line, "type" naming the schema.

Timestamps are ISO-8601 strings in UTC ("2026-11-25T09:00:00Z"); epoch
milliseconds are accepted too. Bytes fields are base64.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

from revloop.schemas.codec import EventValidationError, validate
from revloop.schemas.registry import UnknownEventType, event_type


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MILLISECOND = timedelta(milliseconds=1)


def parse_time(value) -> int:
    """ISO-8601 or epoch millis -> epoch millis (UTC)."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a time")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if dt.tzinfo is None:
            raise ValueError(f"time {value!r} has no timezone")
        # Integer arithmetic: float seconds * 1000 loses a millisecond now and then.
        return (dt - EPOCH) // MILLISECOND
    raise ValueError(f"not a time: {value!r}")


def format_time(millis: int) -> str:
    dt = EPOCH + millis * MILLISECOND
    text = dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return text.replace(".000Z", "Z")


def from_json_obj(obj: dict) -> tuple[str, dict]:
    """A parsed JSON object -> (type, record), validated; raises ValueError with the reason."""
    if not isinstance(obj, dict):
        raise EventValidationError("a line must be a JSON object")
    obj = dict(obj)
    type_name = obj.pop("type", None)
    if not isinstance(type_name, str):
        raise EventValidationError('missing "type"')
    try:
        et = event_type(type_name)
    except UnknownEventType as exc:
        raise EventValidationError(str(exc)) from None
    for name in et.timestamp_fields:
        if obj.get(name) is not None:
            try:
                obj[name] = parse_time(obj[name])
            except (ValueError, OverflowError) as exc:
                raise EventValidationError(f"{type_name}: {name}: {exc}") from None
    for name in et.bytes_fields:
        if isinstance(obj.get(name), str):
            obj[name] = base64.b64decode(obj[name])
    # Optional fields may be left out; fill their defaults so the record is whole.
    for field in et.schema["fields"]:
        if field["name"] not in obj and "default" in field:
            obj[field["name"]] = field["default"]
    validate(type_name, obj)
    return type_name, obj


def parse_line(line: str) -> tuple[str, dict]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EventValidationError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    return from_json_obj(obj)


def to_json_obj(type_name: str, record: dict) -> dict:
    et = event_type(type_name)
    out = {"type": type_name}
    for name, value in record.items():
        if name in et.timestamp_fields and value is not None:
            value = format_time(value)
        elif name in et.bytes_fields and value is not None:
            value = base64.b64encode(value).decode()
        out[name] = value
    return out


def to_line(type_name: str, record: dict) -> str:
    return json.dumps(to_json_obj(type_name, record), sort_keys=False, ensure_ascii=False)
