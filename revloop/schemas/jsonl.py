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


# Any business time in milliseconds is past 1973-03-03; a number below this is seconds (or a typo).
EPOCH_SECONDS_BELOW = 100_000_000_000


def check_values(type_name: str, et, obj: dict) -> None:
    """The mistakes people make, named plainly before Avro's own check (whose message for a
    union field is "expected null"): epoch seconds for a time, a float or text where a whole
    number (money in cents) goes, a value outside an enum. Raises EventValidationError."""
    for field in et.schema["fields"]:
        name = field["name"]
        value = obj.get(name)
        if value is None:
            continue
        branches = [b for b in (field["type"] if isinstance(field["type"], list) else [field["type"]]) if b != "null"]
        if len(branches) != 1:
            continue
        kind = branches[0]
        if isinstance(kind, dict) and kind.get("logicalType") == "timestamp-millis":
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < EPOCH_SECONDS_BELOW:
                raise EventValidationError(
                    f"{type_name}: {name}: {value} looks like epoch seconds; give milliseconds "
                    f"({value * 1000}) or ISO-8601 ({format_time(value * 1000)})")
        elif kind in ("long", "int"):
            _whole(type_name, name, value)
        elif kind == "boolean" and not isinstance(value, bool):
            raise EventValidationError(f"{type_name}: {name}: want true or false; got {json.dumps(value)}")
        elif isinstance(kind, dict) and kind.get("type") == "enum":
            if value not in kind["symbols"]:
                raise EventValidationError(f"{type_name}: {name}: {value!r} is not one of "
                                           f"{', '.join(kind['symbols'])}")
        elif isinstance(kind, dict) and kind.get("type") == "map" and kind.get("values") in ("long", "int") \
                and isinstance(value, dict):
            for key, item in value.items():
                _whole(type_name, f"{name}.{key}", item)


def _whole(type_name: str, name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        what = "money in whole cents, e.g. 45000 for $450.00" if name.endswith("_cents") else "a whole number"
        raise EventValidationError(f"{type_name}: {name}: want {what}; got {json.dumps(value)}")


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
    check_values(type_name, et, obj)
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
