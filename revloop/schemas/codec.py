"""Encode and decode events on the wire.

Default: Avro single-object encoding (magic C3 01, 8-byte CRC-64-AVRO
fingerprint little-endian, then the Avro body), so no registry server is needed.
With a schema registry configured: the Confluent wire format (magic 00, 4-byte
big-endian schema id, body).

Timestamps stay plain ``int`` milliseconds inside revloop: the codec reads and
writes with copies of the schemas whose ``timestamp-millis`` logical types are
stripped. The binary form and the fingerprint are the same (the parsing
canonical form drops logical types), and processors never juggle datetimes.
"""
from __future__ import annotations

import io
import json
import math
import struct
from dataclasses import dataclass
from functools import lru_cache

import fastavro
from fastavro.validation import ValidationError as _AvroValidationError
from fastavro.validation import validate as _avro_validate

from revloop.schemas.registry import EventType, _event_type, event_type, event_types, historical_writers

SINGLE_OBJECT_MAGIC = b"\xc3\x01"
CONFLUENT_MAGIC = b"\x00"


class DecodeError(ValueError):
    """The bytes are not an event we can read."""


class EventValidationError(ValueError):
    """The event does not satisfy its schema or the envelope rules."""


def check_envelope(type_name: str, record: dict) -> None:
    """The envelope rules Avro types alone cannot state."""
    for name in ("event_id", "tenant_id"):
        value = record.get(name)
        if not isinstance(value, str) or not value.strip():
            raise EventValidationError(f"{type_name}: {name} must be a non-empty string")
    if record["tenant_id"] == "*" and type_name != "control":
        raise EventValidationError(f"{type_name}: tenant_id '*' (global) is only for control events")
    occurred = record.get("occurred_at")
    if isinstance(occurred, bool) or not isinstance(occurred, int) or occurred < 0:
        raise EventValidationError(f"{type_name}: occurred_at must be epoch milliseconds >= 0")


def validate(type_name: str, record: dict) -> None:
    """Raise EventValidationError naming the first broken rule."""
    et = event_type(type_name)
    check_envelope(type_name, record)
    unknown = set(record) - set(et.field_names)
    if unknown:
        raise EventValidationError(f"{type_name}: unknown field(s) {sorted(unknown)}")
    try:
        _avro_validate(record, et.plain, raise_errors=True)
    except _AvroValidationError as exc:
        raise EventValidationError(f"{type_name}: {_first_error(exc)}") from None


# What the projection stores can hold, beyond Avro's own rules (see check_storable).
MAX_TIMESTAMP_MS = 253_402_300_799_999     # 9999-12-31T23:59:59.999Z
MAX_SAFE_INTEGER = 2**53                   # JSON-safe; sums of many still fit a BIGINT
# Key columns: a Postgres btree entry stops near 2.7 kB, and a key is the tenant plus one id
# (ids such as tick_id embed the tenant, so they get more room).
MAX_ID_BYTES = 512                         # tenant_id
MAX_OTHER_ID_BYTES = 1024                  # *_id, email, recipient, product_code
_ID_FIELDS = ("email", "recipient", "product_code")


def check_storable(type_name: str, record: dict) -> None:
    """Raise EventValidationError unless every value of a (schema-valid) record can be
    projected: no NUL in any text (Postgres text and JSONB refuse it), finite doubles
    (JSON has no NaN or Infinity), timestamps in years 1970..9999 (both stores'
    range), integers within +-2**53, tenant_id at most 512 UTF-8 bytes and other
    identifiers (``*_id``, email, recipient, product_code) at most 1024 (index keys).

    Avro accepts all of these, so the decoder does too; the pipeline checks here so
    such a record is dead-lettered instead of failing the store write of its batch.
    """
    timestamps = event_type(type_name).timestamp_fields
    # Runs once per event: the common values (text, int, bool, None) are judged inline;
    # anything else, and anything that fails, goes through _check_field (same rules, same
    # order, same messages).
    for name, value in record.items():
        cls = value.__class__
        if cls is str:
            if name not in timestamps:
                limit = _ID_LIMITS.get(name)
                if limit is None:
                    limit = _id_limit(name)
                if not (limit and len(value) * 4 > limit) and "\x00" not in value:
                    continue
        elif cls is int:
            if name in timestamps:
                if 0 <= value <= MAX_TIMESTAMP_MS:
                    continue
            elif -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
                continue
        elif value is None or (cls is bool and name not in timestamps):
            continue
        _check_field(type_name, timestamps, name, value)


_ID_LIMITS: dict[str, int] = {}     # field name -> its byte limit, 0 for a field that is no identifier


def _id_limit(name: str) -> int:
    limit = 0
    if name.endswith("_id") or name in _ID_FIELDS:
        limit = MAX_ID_BYTES if name == "tenant_id" else MAX_OTHER_ID_BYTES
    if len(_ID_LIMITS) < 10_000:
        _ID_LIMITS[name] = limit
    return limit


def _check_field(type_name: str, timestamps, name: str, value) -> None:
    if value is None:
        return
    if name in timestamps:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TIMESTAMP_MS:
            raise EventValidationError(f"{type_name}: {name} {value!r} is outside years 1970..9999")
        return
    if isinstance(value, str) and (name.endswith("_id") or name in _ID_FIELDS):
        limit = MAX_ID_BYTES if name == "tenant_id" else MAX_OTHER_ID_BYTES
        if len(value) * 4 > limit and len(value.encode("utf-8", "surrogatepass")) > limit:
            raise EventValidationError(f"{type_name}: {name} is longer than {limit} bytes")
    problem = _unstorable(value)
    if problem:
        raise EventValidationError(f"{type_name}: {name}: {problem}")


def _unstorable(value) -> str | None:
    if isinstance(value, str):
        return "text contains a NUL character" if "\x00" in value else None
    if isinstance(value, bool) or value is None or isinstance(value, bytes):
        return None
    if isinstance(value, int):
        return None if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else "integer beyond +-2**53"
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value} is not a finite number"
    if isinstance(value, dict):
        for k, v in value.items():
            problem = _unstorable(k) or _unstorable(v)
            if problem:
                return problem
        return None
    if isinstance(value, (list, tuple)):
        for v in value:
            problem = _unstorable(v)
            if problem:
                return problem
    return None


def _first_error(exc: _AvroValidationError) -> str:
    errors = getattr(exc, "errors", None) or [str(exc)]
    return str(errors[0]).replace("\n", " ")[:300]


def _body(et: EventType, record: dict) -> bytes:
    buf = io.BytesIO()
    fastavro.schemaless_writer(buf, et.plain, record)
    return buf.getvalue()


def _read_body(writer: EventType, reader: EventType, body: bytes) -> dict:
    # Schema resolution only for an older writer: the current one reads its own bytes as they are.
    return fastavro.schemaless_reader(io.BytesIO(body), writer.plain, None if writer is reader else reader.plain)


@lru_cache(maxsize=1)
def _writers_by_fingerprint() -> dict[bytes, EventType]:
    known = dict(historical_writers())
    known.update({et.fingerprint: et for et in event_types().values()})
    return known


class Codec:
    """Single-object encoding; subclassed for the Confluent wire format."""

    def encode(self, type_name: str, record: dict, *, check: bool = True) -> bytes:
        if check:
            validate(type_name, record)
        et = event_type(type_name)
        return SINGLE_OBJECT_MAGIC + et.fingerprint + _body(et, record)

    def decode(self, data: bytes | None) -> tuple[str, dict]:
        """Return (type name, record); raise DecodeError with the reason."""
        if not data:
            raise DecodeError("empty value")
        if data[:2] != SINGLE_OBJECT_MAGIC or len(data) < 10:
            raise DecodeError(f"not Avro single-object encoding (starts {data[:4].hex()})")
        writer = _writers_by_fingerprint().get(data[2:10])
        if writer is None:
            raise DecodeError(f"unknown schema fingerprint {data[2:10].hex()}")
        return writer.name, self._read(writer, data[10:])

    def _read(self, writer: EventType, body: bytes) -> dict:
        reader = event_types()[writer.name]
        try:
            record = _read_body(writer, reader, body)
        except Exception as exc:  # fastavro raises many types on corrupt bodies
            raise DecodeError(f"corrupt {writer.name} body: {type(exc).__name__}: {exc}"[:300]) from None
        try:
            check_envelope(writer.name, record)
        except EventValidationError as exc:
            raise DecodeError(str(exc)) from None
        return record


class ConfluentCodec(Codec):
    """Confluent wire format, schemas registered under ``<topic>-value`` style subjects.

    The subject is the record's full name (RecordNameStrategy), because one
    event type may travel on more than one topic.
    """

    def __init__(self, client):
        self._client = client
        self._ids: dict[str, int] = {}
        self._by_id: dict[int, EventType] = {}

    def _schema_id(self, et: EventType) -> int:
        if et.name not in self._ids:
            from confluent_kafka.schema_registry import Schema

            schema_id = self._client.register_schema(et.full_name, Schema(json.dumps(et.schema), "AVRO"))
            self._ids[et.name] = schema_id
            self._by_id[schema_id] = et
        return self._ids[et.name]

    def encode(self, type_name: str, record: dict, *, check: bool = True) -> bytes:
        if check:
            validate(type_name, record)
        et = event_type(type_name)
        return CONFLUENT_MAGIC + struct.pack(">I", self._schema_id(et)) + _body(et, record)

    def decode(self, data: bytes | None) -> tuple[str, dict]:
        if not data:
            raise DecodeError("empty value")
        if data[:1] != CONFLUENT_MAGIC or len(data) < 5:
            # Events written before a registry was configured stay readable.
            return super().decode(data)
        schema_id = struct.unpack(">I", data[1:5])[0]
        writer = self._by_id.get(schema_id) or self._lookup(schema_id)
        return writer.name, self._read(writer, data[5:])

    def _lookup(self, schema_id: int) -> EventType:
        try:
            schema = json.loads(self._client.get_schema(schema_id).schema_str)
        except Exception as exc:
            raise DecodeError(f"schema id {schema_id} not found in the registry: {exc}") from None
        full = f'{schema.get("namespace", "")}.{schema["name"]}'.lstrip(".")
        names = [et.name for et in event_types().values() if et.full_name == full]
        if not names:
            raise DecodeError(f"schema id {schema_id} is {full}, not a revloop event")
        et = _event_type(names[0], schema)
        self._by_id[schema_id] = et
        return et
