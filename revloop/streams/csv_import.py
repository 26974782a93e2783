"""CSV in, the way people have it (a CRM or spreadsheet export), through a small mapping file.

The mapping (JSON) says which event type each row is, which column fills which field,
which fields are the same for every row, and how to make the event id (deterministic, so
importing the same export twice is a duplicate, not a second event):

    {
      "type": "contact",
      "columns": {"contact_id": "Contact ID", "email": "Email", "name": "Full Name",
                  "client_id": "Account ID", "occurred_at": "Last Modified"},
      "values": {"tenant_id": "acme-appraisals", "source": "crm"},
      "event_id": "crm-contact-{contact_id}"
    }

Each row becomes the JSON object a JSON Lines line would hold, then goes through the same
checks as JSONL (schemas.jsonl: a line's mistakes named, per line). Cells are text; they are
read by the field's type: whole numbers (money in cents) must be whole, booleans are
true/false/yes/no/1/0, times ISO-8601 or epoch milliseconds, lists and maps JSON. An empty
cell leaves the field unset. Line numbers are the file's (the header is line 1).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from revloop.schemas.registry import UnknownEventType, event_type

BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


class MappingError(ValueError):
    """The mapping file cannot be used with this CSV (the message says why)."""


@dataclass(frozen=True)
class Mapping:
    type_name: str
    columns: dict[str, str]          # field -> CSV column
    values: dict[str, object]        # field -> the same value on every row
    event_id: str | None             # a str.format template over the row's fields

    @classmethod
    def load(cls, path: str) -> "Mapping":
        try:
            with open(path, encoding="utf-8") as fh:
                raw = json.load(fh)
        except json.JSONDecodeError as exc:
            raise MappingError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(raw, dict):
            raise MappingError(f"{path}: want a JSON object with type, columns, values, event_id")
        unknown = set(raw) - {"type", "columns", "values", "event_id"}
        if unknown:
            raise MappingError(f"{path}: unknown key(s) {sorted(unknown)} (want type, columns, values, event_id)")
        try:
            et = event_type(str(raw.get("type")))
        except UnknownEventType as exc:
            raise MappingError(f"{path}: {exc}") from None
        columns, values = raw.get("columns") or {}, raw.get("values") or {}
        if not isinstance(columns, dict) or not all(isinstance(c, str) for c in columns.values()):
            raise MappingError(f"{path}: columns must map field names to CSV column names")
        if not isinstance(values, dict):
            raise MappingError(f"{path}: values must map field names to values")
        fields = set(et.field_names)
        for name in list(columns) + list(values):
            if name not in fields:
                raise MappingError(f"{path}: {et.name} has no field {name!r} (fields: {', '.join(et.field_names)})")
        both = set(columns) & set(values)
        if both:
            raise MappingError(f"{path}: {sorted(both)} given both as a column and as a value")
        template = raw.get("event_id")
        if "event_id" not in columns and not template:
            raise MappingError(f"{path}: say how to make event_id: a column, or a template such as "
                               f"\"crm-{et.name}-{{{et.field_names[3] if len(et.field_names) > 3 else 'id'}}}\"")
        return cls(et.name, dict(columns), dict(values), template)


def _cell(field_type, text: str):
    """A cell's text as the field's JSON value (schemas.jsonl then judges it)."""
    branches = [b for b in (field_type if isinstance(field_type, list) else [field_type]) if b != "null"]
    kind = branches[0] if len(branches) == 1 else None
    if isinstance(kind, dict) and kind.get("logicalType") == "timestamp-millis":
        return int(text) if text.isdigit() else text
    if kind in ("long", "int"):
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)      # "450.00": refused by name, money is whole cents
            except ValueError:
                return text
    if kind in ("double", "float"):
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "boolean":
        return BOOLEANS.get(text.strip().lower(), text)
    if isinstance(kind, dict) and kind.get("type") in ("array", "map"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(f"not JSON ({'a list' if kind['type'] == 'array' else 'an object'} is wanted)") from None
    return text


def rows(path: str, mapping: Mapping):
    """Yield (line number, JSON line as bytes) per data row, or (line number, ValueError)
    for a row that cannot become one; the JSON line then goes through the JSONL checks."""
    et = event_type(mapping.type_name)
    types = {f["name"]: f["type"] for f in et.schema["fields"]}
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        yield line, ValueError(f"not valid UTF-8 (line {line}); save the export as UTF-8")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in mapping.columns.values() if c not in header]
    if missing:
        raise MappingError(f"{path}: column(s) {missing} not in the header (it has: {', '.join(header)})")
    for row in reader:
        line = reader.line_num
        try:
            obj: dict = {"type": mapping.type_name, **mapping.values}
            for field, column in mapping.columns.items():
                cell = row.get(column)
                if cell is None or cell.strip() == "":
                    continue
                try:
                    obj[field] = _cell(types[field], cell.strip())
                except ValueError as exc:
                    raise ValueError(f"{mapping.type_name}: {field} (column {column!r}): {exc}") from None
            if None in row:
                raise ValueError(f"{len(row[None])} cell(s) more than the header has")
            if "event_id" not in obj and mapping.event_id:
                try:
                    obj["event_id"] = mapping.event_id.format(**{k: v for k, v in obj.items() if k != "type"})
                except KeyError as exc:
                    raise ValueError(f"event_id template needs {exc.args[0]!r}, which this row leaves empty") from None
            yield line, json.dumps(obj, ensure_ascii=False).encode("utf-8")
        except ValueError as exc:
            yield line, exc
