"""The event contract: every schema round-trips, old events stay readable, framing is right."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from revloop.schemas.codec import (CONFLUENT_MAGIC, SINGLE_OBJECT_MAGIC, Codec, ConfluentCodec, DecodeError,
                           EventValidationError, validate)
from revloop.schemas.jsonl import parse_line, to_line
from revloop.schemas.registry import AVSC_DIR, event_types
from tests.support.avro_strategies import event_records

TYPES = sorted(event_types())
REQUIRED_TYPES = {
    "gmail_message", "order", "client", "contact", "deal", "bid", "touch", "email_outcome", "feedback",
    "document", "control", "tick", "action_decided", "policy_violation", "run_record", "alert", "dead_letter",
}


def test_every_event_type_the_mission_needs_has_a_schema():
    assert REQUIRED_TYPES <= set(TYPES)


@pytest.mark.parametrize("name", TYPES)
def test_every_schema_carries_the_envelope(name):
    fields = {f["name"]: f["type"] for f in event_types()[name].schema["fields"]}
    assert fields["event_id"] == "string"
    assert fields["tenant_id"] == "string"
    assert fields["occurred_at"] == {"type": "long", "logicalType": "timestamp-millis"}


@pytest.mark.parametrize("name", TYPES)
def test_binary_round_trip(name):
    codec = Codec()

    @settings(max_examples=60, deadline=None)
    @given(event_records(event_types()[name].schema))
    def check(record):
        data = codec.encode(name, record)
        assert data[:2] == SINGLE_OBJECT_MAGIC
        assert data[2:10] == event_types()[name].fingerprint
        assert codec.decode(data) == (name, record)

    check()


@pytest.mark.parametrize("name", TYPES)
def test_json_lines_round_trip(name):
    @settings(max_examples=40, deadline=None)
    @given(event_records(event_types()[name].schema))
    def check(record):
        assert parse_line(to_line(name, record)) == (name, record)

    check()


def test_fingerprint_is_crc64_avro_of_the_canonical_form():
    # Test vector from the Avro specification's reference implementation:
    # the CRC-64-AVRO fingerprint of the schema "int" is 0x7275d51a3f395c8f.
    from fastavro.schema import fingerprint

    assert fingerprint('"int"', "CRC-64-AVRO") == "8f5c393f1ad57572"


def test_old_writer_new_reader_fills_new_fields_with_defaults():
    old_schema = json.loads((AVSC_DIR / "history" / "contact.v1.avsc").read_text())
    import io

    import fastavro

    old = {"event_id": "c-1", "tenant_id": "t1", "occurred_at": 1_700_000_000_000, "contact_id": "c1",
           "email": "ann@lender.example", "client_id": "cl1", "name": "Ann", "title": "Loan Officer",
           "phone": None, "company": "Lender Bank"}
    body = io.BytesIO()
    fastavro.schemaless_writer(body, fastavro.parse_schema(old_schema), old)
    from revloop.schemas.registry import schema_fingerprint

    data = SINGLE_OBJECT_MAGIC + schema_fingerprint(fastavro.parse_schema(old_schema)) + body.getvalue()

    type_name, record = Codec().decode(data)

    assert type_name == "contact"
    assert record["email"] == "ann@lender.example"
    assert record["source"] == "import" and record["opted_out"] is False and record["role"] is None


def test_every_field_added_after_v1_has_a_default():
    # Compatible evolution: a reader can only fill fields that have defaults.
    old = {f["name"] for f in json.loads((AVSC_DIR / "history" / "contact.v1.avsc").read_text())["fields"]}
    for field in event_types()["contact"].schema["fields"]:
        if field["name"] not in old:
            assert "default" in field, field["name"]


def test_confluent_framing_is_magic_zero_and_schema_id():
    from confluent_kafka.schema_registry import SchemaRegistryClient

    registry = SchemaRegistryClient.new_client({"url": "mock://contract-test"})
    codec = ConfluentCodec(registry)
    record = {"event_id": "t-1", "tenant_id": "t1", "occurred_at": 1_700_000_000_000,
              "tick_id": "t1:2023-11-14T22", "as_of": 1_700_003_600_000}

    data = codec.encode("tick", record)

    assert data[:1] == CONFLUENT_MAGIC
    schema_id = int.from_bytes(data[1:5], "big")
    assert json.loads(registry.get_schema(schema_id).schema_str)["name"] == "Tick"
    assert codec.decode(data) == ("tick", record)
    # A fresh codec (another process) resolves the id through the registry.
    assert ConfluentCodec(registry).decode(data) == ("tick", record)
    # Events written before the registry was configured stay readable.
    assert codec.decode(Codec().encode("tick", record)) == ("tick", record)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty value"),
    (b"garbage", "not Avro single-object encoding"),
    (SINGLE_OBJECT_MAGIC + b"\x00" * 8 + b"x", "unknown schema fingerprint"),
])
def test_undecodable_bytes_raise_decode_error_with_reason(data, reason):
    with pytest.raises(DecodeError, match=reason):
        Codec().decode(data)


def test_truncated_body_is_a_decode_error():
    record = {"event_id": "t-1", "tenant_id": "t1", "occurred_at": 1, "tick_id": "x", "as_of": 2}
    data = Codec().encode("tick", record)
    with pytest.raises(DecodeError, match="corrupt tick body"):
        Codec().decode(data[:-3])


@pytest.mark.parametrize("patch, reason", [
    ({"event_id": ""}, "event_id must be a non-empty string"),
    ({"tenant_id": "*"}, "only for control events"),
    ({"occurred_at": -5}, "occurred_at must be epoch milliseconds"),
    ({"as_of": "soon"}, "tick"),
    ({"surprise": 1}, "unknown field"),
])
def test_validation_names_the_broken_rule(patch, reason):
    record = {"event_id": "t-1", "tenant_id": "t1", "occurred_at": 1, "tick_id": "x", "as_of": 2, **patch}
    with pytest.raises(EventValidationError, match=reason):
        validate("tick", record)


def test_json_line_defaults_optional_fields_and_parses_iso_times():
    type_name, record = parse_line('{"type": "touch", "event_id": "e1", "tenant_id": "t1", '
                                   '"occurred_at": "2026-11-01T12:00:00Z", "channel": "call"}')
    assert type_name == "touch"
    assert record["occurred_at"] == 1_793_534_400_000
    assert record["direction"] == "outbound" and record["contact_id"] is None


@pytest.mark.parametrize("line, reason", [
    ("{not json", "invalid JSON"),
    ('{"event_id": "e1"}', 'missing "type"'),
    ('{"type": "nope", "event_id": "e1"}', "unknown event type"),
    ('{"type": "touch", "event_id": "e1", "tenant_id": "t1", "occurred_at": "yesterday", "channel": "call"}',
     "occurred_at"),
    ('{"type": "touch", "event_id": "e1", "tenant_id": "t1", "occurred_at": 5}', "touch"),
])
def test_bad_json_lines_are_refused_with_reason(line, reason):
    with pytest.raises(EventValidationError, match=reason):
        parse_line(line)
