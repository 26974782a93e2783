"""Bad input, fuzzed: on every input topic, and through `revloop import`.

Malformed bytes, truncated bodies, unknown schemas, valid events on the wrong
topic, keys that are not the event's tenant, empty envelopes, the global tenant
on a tenant event, and schema-valid values no store can hold (NUL, NaN, year
20000, integers past 2**53, identifiers too long for an index), plus one record
near the broker's size limit. Every bad record lands in dead.letter with its
coordinates and a reason, the worker never stops, and the good records produced
right before and after each one on the same partition are all projected.
Out-of-order timestamps are not bad: the newest version wins whatever the order.

Hypothesis draws the bad records (bounded, derandomized for CI); each is first
checked in-process (Pipeline + both stores), then the whole corpus goes through
the real broker and a real `revloop worker` once.
"""
from __future__ import annotations

import json
import math
import os
import random
import uuid

import psycopg
import pytest
from confluent_kafka import KafkaException
from hypothesis import HealthCheck, given, settings, strategies as st

from revloop.streams import kafka_clients
from revloop.projections.postgres_store import PostgresStore
from revloop.projections.store import open_store
from revloop.schemas.codec import MAX_TIMESTAMP_MS, Codec, validate
from revloop.schemas.jsonl import to_line
from revloop.schemas.registry import event_type, event_types
from revloop.streams.kafka_io import producer, read_topic
from revloop.streams.pipeline import Pipeline, RawRecord
from revloop.streams.topics import BY_NAME, INPUT_TOPICS, TOPICS
from tests.support.broker import run_cli
from tests.support.outage_services import tally, wait_caught_up
from tests.support.worker_proc import WorkerProcess
from revloop.schemas.admission import DERIVED_TYPES
from tests.support.events import T0, event

pytestmark = pytest.mark.integration

CODEC = Codec()
HOUR = 3_600_000
EXAMPLES = 150
KNOWN_FINGERPRINTS = {et.fingerprint for et in event_types().values()}


# ---- good events -------------------------------------------------------------------------------

def _required(field: dict, n: int):
    t = field["type"]
    if isinstance(t, dict):
        if t.get("logicalType") == "timestamp-millis":
            return T0
        if t["type"] == "enum":
            return t["symbols"][0]
        return [] if t["type"] == "array" else {}
    return {"string": f"{field['name']}-{n}", "long": 1, "int": 1, "double": 1.0, "boolean": True}[t]


def good_event(type_name: str, tenant: str, n: int) -> dict:
    fields = {f["name"]: _required(f, n) for f in event_type(type_name).schema["fields"]
              if "default" not in f and f["name"] not in ("event_id", "tenant_id", "occurred_at")}
    if type_name == "tick":
        fields.update(tick_id=f"{tenant}:{n}", as_of=T0 + n * HOUR)
    return event(type_name, tenant=tenant, at=T0 + n, event_id=f"good-{tenant}-{n}", **fields)


def home(topic: str) -> str:
    return BY_NAME[topic].home_type


# ---- bad records: (category, topic, key, value) ------------------------------------------------

TENANT = "fuzz-t"
topics = st.sampled_from(INPUT_TOPICS)
ns = st.integers(0, 10**6)


def _encode(type_name: str, record: dict) -> bytes:
    return CODEC.encode(type_name, record, check=False)


def _valid(topic: str, n: int, **changes) -> tuple[str, dict]:
    record = dict(good_event(home(topic), TENANT, n), **changes)
    return home(topic), record


garbage = st.tuples(topics, st.one_of(st.binary(max_size=300), st.none())).map(
    lambda a: ("malformed bytes", a[0], TENANT.encode(), a[1]))
truncated = st.tuples(topics, ns, st.integers(1, 40)).map(
    lambda a: ("truncated body", a[0], TENANT.encode(), _encode(*_valid(a[0], a[1]))[:-a[2]]))
unknown_schema = st.tuples(topics, ns, st.binary(min_size=8, max_size=8).filter(lambda f: f not in KNOWN_FINGERPRINTS)).map(
    lambda a: ("unknown schema", a[0], TENANT.encode(), b"\xc3\x01" + a[2] + _encode(*_valid(a[0], a[1]))[10:]))
wrong_topic = st.tuples(topics, topics, ns).filter(lambda a: home(a[0]) != home(a[1])).map(
    lambda a: ("wrong topic", a[1], TENANT.encode(), _encode(*_valid(a[0], a[2]))))
wrong_tenant = st.tuples(topics, ns, st.binary(max_size=40).filter(lambda k: k != TENANT.encode())).map(
    lambda a: ("key is not the tenant", a[0], a[2], _encode(*_valid(a[0], a[1]))))
empty_envelope = st.tuples(topics, ns, st.sampled_from(["event_id", "tenant_id"]), st.sampled_from(["", "  ", "\t"])).map(
    lambda a: ("missing envelope field", a[0], TENANT.encode(), _encode(*_valid(a[0], a[1], **{a[2]: a[3]}))))
global_tenant = st.tuples(topics.filter(lambda t: t != "control"), ns).map(
    lambda a: ("global tenant on a tenant event", a[0], b"*", _encode(*_valid(a[0], a[1], tenant_id="*"))))


def _unstorable(a):
    topic, n, how, big = a
    type_name, record = _valid(topic, n)
    if how == "nul":
        texts = sorted(f for f, v in record.items() if isinstance(v, str) and f != "tenant_id")
        name = texts[big % len(texts)]
        record[name] = record[name][:3] + "\x00" + record[name][3:]
    elif how == "nul tenant":
        record["tenant_id"] = "fuzz\x00t"
    elif how == "year 20000":
        record["occurred_at"] = MAX_TIMESTAMP_MS + 1 + big % (2**63 - MAX_TIMESTAMP_MS - 2)
    elif how == "long tenant id":
        record["tenant_id"] = "t" * (513 + big % 2000)
    elif how == "not finite":
        type_name = "product_price"
        record = good_event(type_name, TENANT, n)
        record["tolerance_pct"] = [math.nan, math.inf, -math.inf][big % 3]
        topic = "catalog"
    elif how == "huge integer":
        type_name, topic = "client", "clients"
        record = dict(good_event(type_name, TENANT, n), credit_limit_cents=(2**53 + 1 + big % 2**62) * (-1) ** big)
    return "unstorable value: " + how, topic, record["tenant_id"].encode(), _encode(type_name, record)


unstorable = st.tuples(topics, ns, st.sampled_from(["nul", "nul tenant", "year 20000", "long tenant id", "not finite",
                                                    "huge integer"]), st.integers(0, 2**62)).map(_unstorable)

bad_records = st.one_of(garbage, truncated, unknown_schema, wrong_topic, wrong_tenant, empty_envelope, global_tenant,
                        unstorable)


# ---- the test --------------------------------------------------------------------------------------

@pytest.fixture
def pg_store():
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.fail("DATABASE_URL is not set: run integration tests through `make test`")
    schema = f"fuzz_{uuid.uuid4().hex[:10]}"
    store = PostgresStore(url, schema=schema)
    store.ensure_schema()
    yield store
    store.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_bad_records_on_every_input_topic_are_dead_lettered_and_the_partition_goes_on(kafka, pg_store, tmp_path):
    good_tenant = f"good-{kafka.topic_prefix.strip('.')}"
    duck = open_store("duckdb::memory:")
    duck.ensure_schema()
    corpus: list[tuple[str, str, bytes | None, bytes | None, dict, dict]] = []
    counter = iter(range(10**9))

    # 1. In-process: each bad record between two good ones -> one dead letter, both good applied,
    #    and both stores accept the batch (nothing in it can fail a write).
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(bad_records)
    def in_process(bad):
        category, topic, key, value = bad
        before, after = (good_event(home(topic), good_tenant, next(counter)) for _ in range(2))
        pipeline = Pipeline(CODEC)
        result = pipeline.process([
            RawRecord(topic, 0, 0, good_tenant.encode(), CODEC.encode(home(topic), before)),
            RawRecord(topic, 0, 1, key, value),
            RawRecord(topic, 0, 2, good_tenant.encode(), CODEC.encode(home(topic), after))])
        [dead] = result.dead_letters
        assert (dead["source_topic"], dead["source_offset"], dead["value"]) == (topic, 1, value), category
        assert dead["reason"].strip() and dead["error_type"] in ("DecodeError", "RecordRejected"), dead
        assert result.applied == 2
        assert len(CODEC.encode("dead_letter", dead)) < 1_000_000
        upserts, inserts = pipeline.take_changes()
        duck.write_batch(upserts, inserts)
        pg_store.write_batch(upserts, inserts)
        corpus.append((category, topic, key, value, before, after))

    in_process()
    duck.close()
    tried_in_process = len(corpus)
    categories = sorted({c[0] for c in corpus})
    assert len(categories) >= 8, categories

    # 2. The corpus through the real broker and worker, each bad record between its two good
    #    ones on one partition; plus a record near the broker's 1 MB limit.
    rng = random.Random(7)
    raw = kafka_clients.producer(kafka, **{"enable.idempotence": False, "message.max.bytes": 1_048_576})
    coords: dict[str, tuple] = {}

    def at(tag):
        return lambda err, msg: coords.__setitem__(tag, (err, msg.topic(), msg.partition(), msg.offset()))

    big = rng.randbytes(1_040_000)
    corpus.append(("near the size limit", "touches", good_tenant.encode(), big,
                   good_event("touch", good_tenant, next(counter)), good_event("touch", good_tenant, next(counter))))
    for i, (category, topic, key, value, before, after) in enumerate(corpus):
        partition = 0 if topic == "control" else i % kafka.partitions   # control has one partition
        for tag, k, v in ((f"g{i}a", good_tenant.encode(), CODEC.encode(home(topic), before)), (f"b{i}", key, value),
                          (f"g{i}b", good_tenant.encode(), CODEC.encode(home(topic), after))):
            raw.produce(kafka.topic(topic), key=k, value=v, partition=partition, on_delivery=at(tag))
        raw.poll(0)
    assert raw.flush(60) == 0
    assert all(err is None for err, *_ in coords.values()), [v for v in coords.values() if v[0]][:3]

    url = f"duckdb:{tmp_path / 'fuzz.duckdb'}"
    worker = WorkerProcess(kafka, url, tmp_path / "worker.log").start()
    try:
        wait_caught_up(worker, timeout=120)
        assert worker.proc.poll() is None, "the worker stopped"
    finally:
        worker.stop()
    assert "CRITICAL" not in (tmp_path / "worker.log").read_text(errors="replace")

    prefix = len(kafka.topic_prefix)
    dead = {}
    for m in read_topic(kafka, kafka.topic("dead.letter")):
        d = CODEC.decode(m.value())[1]
        dead[(d["source_topic"], d["source_partition"], d["source_offset"])] = d
    expected_dead = {(coords[f"b{i}"][1][prefix:], coords[f"b{i}"][2], coords[f"b{i}"][3]) for i in range(len(corpus))}
    assert set(dead) == expected_dead                         # every bad record, and nothing else
    assert all(d["reason"].strip() for d in dead.values())
    [near_limit] = [d for d in dead.values() if "value truncated from 1040000 bytes" in d["reason"]]
    assert near_limit["value"] == big[:len(near_limit["value"])]

    with open_store(url) as store:
        projected = {r["event_id"] for r in store.rows("warehouse_events", good_tenant)}
    good_ids = {e["event_id"] for *_, before, after in corpus for e in (before, after)}
    lost = good_ids - projected
    assert not lost, sorted(lost)[:5]

    # 3. Larger than any message: our producer refuses at once with a clear error.
    huge = good_event("touch", good_tenant, next(counter))
    huge["note"] = "x" * 2_000_000
    with pytest.raises(KafkaException) as refused:
        producer(kafka).produce(kafka.topic("touches"), key=good_tenant.encode(), value=CODEC.encode("touch", huge))
    assert refused.value.args[0].name() == "MSG_SIZE_TOO_LARGE"

    counts = {c: sum(1 for x in corpus if x[0] == c) for c in categories + ["near the size limit"]}
    tally("bad input (topics)", bad_inputs=tried_in_process + len(corpus) + 1, dead_lettered=len(dead),
          good_around_them=len(good_ids), lost=len(lost), worker_stopped=0)
    print("categories:", json.dumps(counts))


# ---- revloop import ------------------------------------------------------------------------------

IMPORT_TENANT = "imp-t"
# What import takes: facts from outside (revloop's own outputs and ticks are refused, see
# tests/integration/test_security_gate.py).
IMPORT_TYPES = sorted({home(t) for t in INPUT_TOPICS} - DERIVED_TYPES)


def importable_event(type_name: str, tenant: str, n: int) -> dict:
    e = good_event(type_name, tenant, n)
    if type_name == "email_outcome":
        e["outcome"] = "delivered"           # "sent" is the sender's to report
    return e


def _line(type_name: str, n: int) -> dict:
    return json.loads(to_line(type_name, importable_event(type_name, IMPORT_TENANT, n)))


def _wrong_value(kind):
    """A JSON value of the wrong kind for a field whose Avro type is ``kind``."""
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if isinstance(kind, dict):
        if kind.get("logicalType") == "timestamp-millis":
            return "not a time"
        return {"enum": "~no-such-symbol~", "array": {"a": 1}, "map": [1], "record": 3}[kind["type"]]
    return {"string": 7, "long": "7", "int": "7", "double": "x", "float": "x", "boolean": "yes"}[kind]


def _bad_line(a) -> str:
    how, type_name, n, pick = a
    obj = _line(type_name, n)
    fields = event_type(type_name).schema["fields"]
    if how == "not JSON":
        return to_line(type_name, good_event(type_name, IMPORT_TENANT, n))[: 5 + pick % 20]
    if how == "not an object":
        return json.dumps([obj])
    if how == "unknown type":
        obj["type"] = f"{type_name}_v{pick}"
    elif how == "missing field":
        required = [f["name"] for f in fields if "default" not in f] + ["type"]
        obj.pop(required[pick % len(required)])
    elif how == "wrong type":
        field = fields[pick % len(fields)]
        obj[field["name"]] = _wrong_value(field["type"])
    elif how == "unknown field":
        obj[f"extra_{pick}"] = 1
    elif how == "NUL":
        obj["event_id"] = obj["event_id"] + "\x00"
    elif how == "NaN":
        obj = _line("product_price", n)
        obj["tolerance_pct"] = float("nan")               # json.dumps writes NaN, json.loads reads it
    elif how == "global tenant":
        if type_name == "control":
            type_name, obj = "touch", _line("touch", n)
        obj["tenant_id"] = "*"
    elif how == "empty tenant":
        obj["tenant_id"] = " "
    elif how == "time out of range":
        obj["occurred_at"] = [-1, MAX_TIMESTAMP_MS + 1 + pick][pick % 2]
    elif how == "long id":
        obj["tenant_id"] = "t" * (513 + pick % 500)
    return json.dumps(obj, ensure_ascii=pick % 2 == 0)


bad_lines = st.tuples(st.sampled_from(["not JSON", "not an object", "unknown type", "missing field", "wrong type",
                                       "unknown field", "NUL", "NaN", "global tenant", "empty tenant",
                                       "time out of range", "long id"]),
                      st.sampled_from(IMPORT_TYPES), ns, st.integers(0, 10**6)).map(lambda a: (a[0], _bad_line(a)))


def test_revloop_import_reports_every_bad_line_and_produces_only_the_good_ones(kafka2, tmp_path):
    lines: list[tuple[str | None, str]] = []          # (bad category or None, line)
    counter = iter(range(10**9))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(bad_lines)
    def collect(bad):
        lines.append((None, to_line(t := IMPORT_TYPES[next(counter) % len(IMPORT_TYPES)],
                                    importable_event(t, IMPORT_TENANT, next(counter)))))
        lines.append(bad)

    collect()
    big = _line("touch", next(counter))
    big["note"] = "x" * 2_000_000                        # valid, but larger than any message
    lines.append(("2 MB field", json.dumps(big)))
    lines.append((None, to_line("touch", importable_event("touch", IMPORT_TENANT, next(counter)))))
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(line + "\n" for _, line in lines), encoding="utf-8")

    proc = run_cli(kafka2, "import", str(path), timeout=180)
    good = [json.loads(line)["event_id"] for c, line in lines if c is None]
    bad_at = {n for n, (c, _) in enumerate(lines, start=1) if c is not None}
    assert proc.returncode == 1
    reported = {int(l.split(":")[1]) for l in proc.stderr.splitlines() if l.startswith(f"{path}:")}
    assert reported == bad_at, (sorted(reported - bad_at)[:5], sorted(bad_at - reported)[:5])
    assert f"imported {len(good)} event(s), rejected {len(bad_at)} line(s)" in proc.stderr
    [size_error] = [l for l in proc.stderr.splitlines() if l.startswith(f"{path}:{len(lines) - 1}:")]
    assert "Message size too large" in size_error

    on_topics = [CODEC.decode(m.value())[1]["event_id"] for spec in TOPICS
                 for m in read_topic(kafka2, kafka2.topic(spec.name))]
    assert sorted(on_topics) == sorted(good)                 # the good ones, once; never a bad one
    tally("bad input (import)", bad_inputs=len(bad_at), reported=len(reported), produced_bad=0,
          good_lines=len(good), lost=len(set(good) - set(on_topics)))


# ---- out-of-order timestamps: not bad, newest wins ---------------------------------------------

def test_out_of_order_versions_end_at_the_newest_whatever_the_arrival_order(kafka, tmp_path):
    tenant = f"ooo-{kafka.topic_prefix.strip('.')}"
    rng = random.Random(11)
    versions, expected = [], {}
    for c in range(20):
        times = rng.sample(range(T0 - 10**9, T0), 6) + [T0 - 5, T0 - 5]     # a tie, broken by event_id
        batch = [("contact", event("contact", tenant=tenant, at=at, event_id=f"{tenant}-c{c}-v{v}",
                                   contact_id=f"c{c}", email=f"c{c}v{v}@lender.example", name=f"v{v}"))
                 for v, at in enumerate(times)]
        expected[f"c{c}"] = max(batch, key=lambda e: (e[1]["occurred_at"], e[1]["event_id"]))[1]["name"]
        versions += batch
    rng.shuffle(versions)
    p = producer(kafka)
    for type_name, e in versions:
        validate(type_name, e)
        p.produce(kafka.topic("contacts"), key=tenant.encode(), value=CODEC.encode(type_name, e))
    assert p.flush(30) == 0
    url = f"duckdb:{tmp_path / 'ooo.duckdb'}"
    worker = WorkerProcess(kafka, url, tmp_path / "worker.log").start()
    try:
        wait_caught_up(worker)
    finally:
        worker.stop()
    with open_store(url) as store:
        got = {r["contact_id"]: r["name"] for r in store.rows("contacts", tenant)}
        assert store.count("warehouse_events") == len(versions)
    assert got == expected
    tally("out-of-order timestamps", versions=len(versions), entities=len(expected), wrong=sum(
        1 for k in expected if got.get(k) != expected[k]))
