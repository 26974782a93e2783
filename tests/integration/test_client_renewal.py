"""Clients that librdkafka has left without any broker are renewed.

A broker in controlled shutdown can answer a Metadata request with an empty broker list; a
librdkafka client then decommissions every broker it knew and never asks again, whatever its
re-bootstrap settings (librdkafka#5301). A CI run's worker read no ticks for minutes after the
broker was back, while Faust's aiokafka clients went on. Here the answer comes from a proxy
(tests.support.kafka_proxy), so the state can be brought about in seconds: the worker's tick
consumer, its control consumer (the kill switch) and the process's shared admin client (where
the log ends) must be renewed, and read the ticks, the control record and the end offsets again.
"""
from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from confluent_kafka import KafkaException

from revloop.streams import kafka_clients
from revloop.streams.control_feed import CONTROL, ControlFeed
from revloop.streams.offsets import last_stable_offsets
from revloop.streams.pipeline import Pipeline
from revloop.streams.stall_watch import STALL_S
from revloop.streams.tick_transactions import TICKS, TickTransactions
from revloop.streams.view_feed import ViewFeed
from revloop.streams.worker import TickGate
from tests.support.kafka_proxy import MetadataProxy
from tests.support.outage_services import tally

pytestmark = pytest.mark.integration


def _answers(client, topic: str, timeout: float) -> bool:
    try:
        client.list_topics(topic, timeout=timeout)
        return True
    except KafkaException:
        return False


def _orphan(proxy: MetadataProxy, clients: list, topic: str, attempts: int = 400) -> int:
    """Answer the clients' Metadata with no brokers and go down for a moment, until each has
    dropped every broker: then a new client gets an answer and they get none. (Whether a client
    notices the connection drop before it reads the answer is a race in librdkafka: 1 to 14
    tries were seen on a quiet machine, 61 in a CI run.) Returns the tries."""
    left = list(clients)
    for attempt in range(1, attempts + 1):
        proxy.empty = True
        for client in left:
            _answers(client, topic, 2)
        proxy.empty = False
        time.sleep(0.2)
        proxy.down = False
        # A client merely reconnecting answers within 10 s, even on a loaded machine; one
        # without brokers never does (asked at length only when a short ask fails).
        left = [c for c in left if _answers(c, topic, 1) or _answers(c, topic, 10)]
        if not left:
            assert _answers(kafka_clients.admin(proxy.settings), topic, 30), "a new client gets no answer"
            return attempt
    raise AssertionError(f"{len(left)} client(s) still answered after {attempts} tries")


@pytest.fixture
def proxied(kafka):
    proxy = MetadataProxy(kafka.bootstrap_servers.split(",")[0])
    proxy.settings = replace(kafka, bootstrap_servers=proxy.address)
    yield proxy
    proxy.close()


@pytest.mark.timeout(900)     # the tries _orphan takes, on a loaded machine
def test_the_tick_and_control_consumers_and_the_shared_admin_left_without_brokers_are_renewed(kafka, proxied):
    topic = kafka.topic(TICKS)
    ticks = TickTransactions(proxied.settings, "renewal", None)
    control = ControlFeed(proxied.settings, "renewal")
    try:
        ticks.assign(0, 0)
        control.seek(0)
        admin = kafka_clients.shared_admin(proxied.settings)
        tries = _orphan(proxied, [ticks.consumer, control._consumer, admin], topic)
        producer = kafka_clients.producer(kafka)
        for i in range(3):
            producer.produce(topic, key=b"t", value=f"tick {i}".encode(), partition=0)
        producer.produce(kafka.topic(CONTROL), key=b"*", value=b"stop everything", partition=0)
        assert producer.flush(10) == 0
        time.sleep(2)
        assert ticks.poll() == [] and control.poll() == []       # left without brokers: nothing comes

        # The shared admin: a failed probe replaces it (once it is older than RENEW_AFTER_S).
        with pytest.raises(KafkaException):
            last_stable_offsets(admin, proxied.settings, [TICKS], timeout=3)
        assert kafka_clients.renew_shared_admin(proxied.settings, older_than_s=0)
        assert kafka_clients.shared_admin(proxied.settings) is not admin
        ends = last_stable_offsets(kafka_clients.shared_admin(proxied.settings), proxied.settings, [TICKS],
                                   timeout=10)
        assert ends[(topic, 0)] == 3

        # The tick consumer: ticks on the log, none delivered for STALL_S.
        t0 = 1000.0       # a round clock: t0 + STALL_S - t0 is STALL_S exactly
        assert ticks.watch({0: 3}, {0: 0}, now=t0) == []
        assert ticks.watch({0: 3}, {0: 0}, now=t0 + STALL_S - 1) == []
        assert ticks.watch({0: 3}, {0: 0}, now=t0 + STALL_S) == [0] and ticks.renewals == 1
        got, deadline = [], time.monotonic() + 30
        while len(got) < 3 and time.monotonic() < deadline:
            got += ticks.poll()
            time.sleep(0.05)

        # The control consumer (the kill switch): likewise.
        assert not control.watch(1, now=t0) and not control.watch(1, now=t0 + STALL_S - 1)
        assert control.watch(1, now=t0 + STALL_S) and control.renewals == 1
        stops, deadline = [], time.monotonic() + 30
        while not stops and time.monotonic() < deadline:
            stops += control.poll()
            time.sleep(0.05)
    finally:
        ticks.close()
        control.close()
    assert [(r.offset, r.value) for r in got] == [(i, f"tick {i}".encode()) for i in range(3)]
    assert [(r.offset, r.value) for r in stops] == [(0, b"stop everything")] and control.position == 1
    tally("broker outage", clients_left_without_brokers=3, tries_to_get_there=tries, renewed_and_reading=3)


def test_a_renewed_shared_admin_is_kept_for_a_while_through_failed_probes(proxied):
    first = kafka_clients.shared_admin(proxied.settings)
    assert not kafka_clients.renew_shared_admin(proxied.settings)      # younger than RENEW_AFTER_S
    assert kafka_clients.shared_admin(proxied.settings) is first
    assert kafka_clients.renew_shared_admin(proxied.settings, older_than_s=0)
    assert kafka_clients.shared_admin(proxied.settings) is not first


def test_a_tick_consumer_reading_or_read_to_the_end_is_never_renewed(kafka):
    ticks = TickTransactions(kafka, "renewal", None)
    try:
        ticks.assign(0, 0)
        first = ticks.consumer
        t0 = 1000.0       # a round clock: t0 + STALL_S - t0 is STALL_S exactly
        assert ticks.watch({0: 2}, {0: 0}, now=t0) == []
        # Moving: a tick applied in between starts the clock again.
        assert ticks.watch({0: 2}, {0: 1}, now=t0 + STALL_S) == []
        assert ticks.watch({0: 2}, {0: 1}, now=t0 + 2 * STALL_S - 1) == []
        # Read to the end: nothing to wait for, however long.
        assert ticks.watch({0: 2}, {0: 2}, now=t0 + 10 * STALL_S) == []
        # Not assigned here: not this consumer's to watch.
        assert ticks.watch({1: 5}, {1: 0}, now=t0) == [] and ticks.watch({1: 5}, {1: 0}, now=t0 + 60) == []
        assert ticks.renewals == 0 and ticks.consumer is first
        # Renewed once per (position, end): were a commit marker all that lies past the
        # position, it would not be renewed every STALL_S.
        assert ticks.watch({0: 3}, {0: 2}, now=t0) == [] and ticks.watch({0: 3}, {0: 2}, now=t0 + STALL_S) == [0]
        assert ticks.watch({0: 3}, {0: 2}, now=t0 + 5 * STALL_S) == []
        assert ticks.renewals == 1 and ticks.consumer is not first
    finally:
        ticks.close()


@pytest.mark.timeout(900)     # the tries _orphan takes, on a loaded machine
def test_the_senders_view_left_without_brokers_is_renewed_and_read_to_the_end(kafka, proxied):
    """The sender judges no action until its view is read to the log's end (a kill switch logged
    before an action binds it): a view consumer and admin left without brokers would hold every
    send back for good. Both are renewed, and the view is read to its end."""
    topic = kafka.topic(CONTROL)
    feed = ViewFeed(proxied.settings, "renewal", Pipeline(), (CONTROL,), {(topic, 0): 0})
    try:
        tries = _orphan(proxied, [feed._consumer, feed._admin], topic)
        producer = kafka_clients.producer(kafka)
        producer.produce(topic, key=b"*", value=b"not an event: dead-lettered, but read", partition=0)
        assert producer.flush(10) == 0
        stop, done = threading.Event(), []
        reader = threading.Thread(target=lambda: done.append(feed.read_to_end(stop)), daemon=True)
        started = time.monotonic()
        reader.start()
        reader.join(kafka_clients.RENEW_AFTER_S + STALL_S + 30)
        stop.set()
        reader.join(10)
        waited = time.monotonic() - started
    finally:
        feed.close()
    assert done == [True] and feed.at[(topic, 0)] == 1, f"the view was not read to its end in {waited:.0f}s"
    assert feed.renewals == 1
    tally("broker outage", views_left_without_brokers=1, view_tries_to_get_there=tries, view_read_again_s=round(waited))


@pytest.mark.timeout(900)     # the tries _orphan takes, on a loaded machine
def test_the_tick_gates_marker_probe_left_without_brokers_is_renewed(kafka, proxied):
    """The tick gate asks a probe consumer whether only transaction markers lie between a
    position and the log's end (a topic written in transactions ends in one no record carries).
    A probe left without brokers would answer "no" for good and hold such a tick forever."""
    topic = kafka.topic("email.outcomes")
    tx = kafka_clients.transactional_producer(kafka, f"gate-probe-{kafka.topic_prefix}")
    tx.init_transactions(10)
    tx.begin_transaction()
    tx.produce(topic, key=b"t", value=b"an outcome", partition=0)
    tx.commit_transaction(10)              # the record at 0, its commit marker at 1
    positions = {("email.outcomes", 0): 1}
    gate = TickGate(proxied.settings, positions)
    try:
        assert gate._only_markers(("email.outcomes", 0), 2)
        tries = _orphan(proxied, [gate._probe], topic)
        assert not gate._only_markers(("email.outcomes", 0), 2)      # no answer in 5 s: renewed
        assert gate.probe_renewals == 1
        assert gate._only_markers(("email.outcomes", 0), 2)
    finally:
        gate.close()
    tally("broker outage", gate_probes_left_without_brokers=1, gate_probe_tries_to_get_there=tries)
