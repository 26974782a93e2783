"""Every probe and admin call waits out the errors a settling cluster returns.

A freshly started broker answers NOT_COORDINATOR (group coordinator not loaded) and
NOT_LEADER_FOR_PARTITION (leader still being elected) for a few seconds. Each probe path
gets a client that fails every one of its calls with such an error once, then answers:
the probe must return the same answer as on a settled cluster. Errors that are not
retriable, and retriable ones that never stop, must still surface.
"""
from __future__ import annotations

import ast
import pathlib
from dataclasses import dataclass
from concurrent.futures import Future

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import PartitionMetadata, TopicMetadata

from revloop.streams import kafka_io, offsets
from revloop.streams.config import Settings
from revloop.streams.kafka_retry import is_retriable, is_transient, with_retries
from revloop.streams.topics import INPUT_TOPICS, TOPICS

ROOT = pathlib.Path(__file__).resolve().parents[2]
SETTLING = [KafkaError.NOT_COORDINATOR, KafkaError.NOT_LEADER_FOR_PARTITION]
SETTINGS = Settings(topic_prefix="p.", partitions=2)


@dataclass
class Committed:
    topic: str
    partition: int
    offset: int
    error: KafkaError | None = None


class _Metadata:
    def __init__(self, topics):
        self.topics = topics


class SettlingCluster:
    """A consumer / admin client in confluent-kafka's shape over an in-memory cluster.
    `fail_with`: the error code each method raises (or reports) on its first call, as a
    settling broker would; `forever`: on every call."""

    def __init__(self, topics: dict[str, int], ends: dict[tuple[str, int], int] | None = None,
                 committed: dict[tuple[str, int], int] | None = None, *, fail_with: int | None = None,
                 forever: bool = False, in_metadata: bool = False):
        self.topics, self.ends, self.commits = dict(topics), dict(ends or {}), dict(committed or {})
        self.fail_with, self.forever, self.in_metadata = fail_with, forever, in_metadata
        self.calls: dict[str, int] = {}
        self.created: list[str] = []

    def _failing(self, method: str) -> bool:
        self.calls[method] = self.calls.get(method, 0) + 1
        return self.fail_with is not None and (self.forever or self.calls[method] == 1)

    def _raise_if_failing(self, method: str) -> None:
        if self._failing(method):
            raise KafkaException(KafkaError(self.fail_with))

    def list_topics(self, topic=None, timeout=-1):
        failing = self._failing("list_topics")
        if failing and not self.in_metadata:
            raise KafkaException(KafkaError(self.fail_with))
        out = {}
        for name, count in self.topics.items():
            meta = TopicMetadata()
            meta.topic = name
            for pid in range(count):
                part = PartitionMetadata()
                part.id, part.leader = pid, 1
                if failing and pid == 0:       # answered, but with the error inside (as librdkafka does)
                    part.error, part.leader = KafkaError(self.fail_with), -1
                meta.partitions[pid] = part
            out[name] = meta
        return _Metadata(out)

    def get_watermark_offsets(self, tp, timeout=None, cached=False):
        self._raise_if_failing("get_watermark_offsets")
        return 0, self.ends.get((tp.topic, tp.partition), 0)

    def committed(self, partitions, timeout=None):
        failing = self._failing("committed")
        if failing and not self.in_metadata:
            raise KafkaException(KafkaError(self.fail_with))
        return [Committed(tp.topic, tp.partition, self.commits.get((tp.topic, tp.partition), -1001),
                          KafkaError(self.fail_with) if failing else None) for tp in partitions]

    def create_topics(self, new_topics, operation_timeout=0):
        failing = self._failing("create_topics")
        futures = {}
        for i, topic in enumerate(new_topics):
            future = Future()
            if failing and i == 0:
                future.set_exception(KafkaException(KafkaError(self.fail_with)))
            else:
                self.topics[topic.topic] = topic.num_partitions
                self.created.append(topic.topic)
                future.set_result(None)
            futures[topic.topic] = future
        return futures


def book() -> SettlingCluster:
    """The registry's topics under prefix p., 2 partitions each (control: 1), some records."""
    topics = {SETTINGS.topic(t.name): (1 if t.name == "control" else 2) for t in TOPICS}
    ends = {(SETTINGS.topic(t), p): 10 * (i + 1) + p for i, t in enumerate(INPUT_TOPICS) for p in range(2)}
    ends[(SETTINGS.topic("runs"), 0)], ends[(SETTINGS.topic("runs"), 1)] = 4, 3
    committed = {tp: end - 1 for tp, end in ends.items() if tp[0] != SETTINGS.topic("orders")}
    return SettlingCluster(topics, ends, committed)


# Each probe path, as (name, call(client) -> answer).
PROBES = {
    "topic_partitions": lambda c: offsets.topic_partitions(c, [SETTINGS.topic("orders"), SETTINGS.topic("control")]),
    "all_topics": lambda c: sorted(offsets.all_topics(c)),
    "watermarks": lambda c: offsets.watermarks(c, SETTINGS.topic("orders"), 1),
    "end_offsets": lambda c: offsets.end_offsets(c, SETTINGS, INPUT_TOPICS),
    "committed_offsets": lambda c: offsets.committed_offsets(c, [(SETTINGS.topic("touches"), 0),
                                                                 (SETTINGS.topic("orders"), 1)]),
    "group_lag": lambda c: offsets.group_lag(c, SETTINGS, INPUT_TOPICS),
    "records_on": lambda c: offsets.records_on(c, SETTINGS, "runs"),
}


def settled_answer(name):
    return PROBES[name](book())


@pytest.mark.parametrize("code", SETTLING, ids=lambda c: KafkaError(c).name())
@pytest.mark.parametrize("name", sorted(PROBES))
def test_probe_waits_out_a_settling_cluster_raised_error(name, code):
    client = book()
    client.fail_with = code
    assert PROBES[name](client) == settled_answer(name)
    assert any(n > 1 for n in client.calls.values()), "the injected error was never hit"


@pytest.mark.parametrize("code", SETTLING, ids=lambda c: KafkaError(c).name())
@pytest.mark.parametrize("name", ["topic_partitions", "end_offsets", "committed_offsets", "group_lag"])
def test_probe_waits_out_a_settling_cluster_reported_error(name, code):
    """The same errors reported inside an answer (partition metadata, committed()) instead of raised."""
    client = book()
    client.fail_with, client.in_metadata = code, True
    assert PROBES[name](client) == settled_answer(name)


def test_probe_answers_are_the_cluster_state():
    """The settled answers themselves, so the tests above compare against something true."""
    # orders never committed (20 + 21 records); every other input partition one record behind
    others = sum(1 if t == "control" else 2 for t in INPUT_TOPICS if t != "orders")
    assert settled_answer("group_lag") == 41 + others
    assert settled_answer("records_on") == 7
    assert settled_answer("committed_offsets") == {(SETTINGS.topic("touches"), 0): 79,
                                                   (SETTINGS.topic("orders"), 1): 0}
    assert settled_answer("topic_partitions") == {SETTINGS.topic("orders"): [0, 1], SETTINGS.topic("control"): [0]}


@pytest.mark.parametrize("code", SETTLING + [KafkaError.NOT_CONTROLLER], ids=lambda c: KafkaError(c).name())
def test_create_topics_asks_again_for_a_topic_refused_while_settling(code):
    client = SettlingCluster({SETTINGS.topic("orders"): 2}, fail_with=code)
    result = kafka_io.create_topics(SETTINGS, client=client)
    assert result[SETTINGS.topic("orders")] == "exists"
    assert {name for name, status in result.items() if status == "created"} == \
        {SETTINGS.topic(t.name) for t in TOPICS} - {SETTINGS.topic("orders")}
    assert len(client.created) == len(TOPICS) - 1           # each created once, the refused one on the retry
    assert client.topics[SETTINGS.topic("control")] == 1


def test_an_error_that_is_not_retriable_surfaces_at_once():
    client = book()
    client.fail_with = KafkaError.TOPIC_AUTHORIZATION_FAILED
    with pytest.raises(KafkaException) as raised:
        offsets.end_offsets(client, SETTINGS, INPUT_TOPICS)
    assert raised.value.args[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    assert client.calls["list_topics"] == 1


def test_an_unreachable_broker_is_not_retried_here():
    """_TRANSPORT / _TIMED_OUT: the call's own timeout already waited; the caller reports it."""
    assert not is_retriable(KafkaException(KafkaError(KafkaError._TRANSPORT)))
    assert not is_retriable(KafkaException(KafkaError(KafkaError._TIMED_OUT)))
    assert is_retriable(KafkaException(KafkaError(KafkaError.COORDINATOR_LOAD_IN_PROGRESS)))


def test_a_caller_that_must_not_stop_waits_out_an_absent_broker_but_not_a_refusal():
    """is_transient: what the sender waits out (the broker away, or settling); a refusal is final."""
    for code in (KafkaError._TRANSPORT, KafkaError._TIMED_OUT, KafkaError._ALL_BROKERS_DOWN, KafkaError.NOT_COORDINATOR):
        assert is_transient(KafkaException(KafkaError(code)))
        assert is_transient(KafkaError(code))          # as a consumed message's error() gives it
    for code in (KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError.SASL_AUTHENTICATION_FAILED,
                 KafkaError._PARTITION_EOF):
        assert not is_transient(KafkaException(KafkaError(code)))
    assert not is_transient(RuntimeError("not Kafka's"))


def test_a_cluster_that_never_settles_fails_after_the_deadline():
    now = [0.0]
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        now[0] += seconds

    def never():
        raise KafkaException(KafkaError(KafkaError.NOT_COORDINATOR))
    with pytest.raises(KafkaException):
        with_retries(never, what="x", timeout=10, sleep=sleep, clock=lambda: now[0])
    assert now[0] <= 10 and sum(pauses) > 5            # waited most of the deadline, never past it
    assert pauses[:4] == [0.1, 0.2, 0.4, 0.8] and max(pauses) == 2.0


# Probe calls made anywhere but revloop.streams.offsets would escape the rule above.
PROBE_METHODS = {"list_topics", "get_watermark_offsets", "committed"}
# kafka_clients.check_connection asks once a second on purpose: it reports, it does not wait out.
ALLOWED = {"revloop/streams/offsets.py", "revloop/streams/kafka_clients.py"}


def test_no_probe_call_bypasses_the_offsets_module():
    bypasses = []
    for folder in ("revloop", "tests/support", "bench", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr in PROBE_METHODS:
                    bypasses.append(f"{rel}:{node.lineno} .{node.func.attr}()")
    assert bypasses == []
