"""Crash recovery: SIGKILL the worker at seeded random moments while events and ticks flow.

After the last restart the live projections equal a clean `revloop replay`, every
output event id on the topics is byte-identical wherever it repeats (a re-decided
tick decides the same), no tick approves more emails than its cap, and the Resend
sink reading the actions topic (duplicates included) sends each action at most once.
"""
from __future__ import annotations

import itertools
import os
import random
import signal
import threading
import time
from collections import Counter, defaultdict

import pytest

from revloop.connectors.resend_common import TAG_ACTION, decode_tag_value
from revloop.processors.tables import TABLES
from revloop.projections.store import open_store
from revloop.schemas.codec import Codec
from revloop.streams.email_sink import EmailSink, SenderConfig
from revloop.streams.kafka_io import producer, read_topic
from revloop.streams.topics import OUTPUT_TOPICS
from tests.support.broker import run_cli, wait_for
from tests.support.outage_services import tally, wait_caught_up
from tests.support.projections import assert_same_rows, produce_events
from tests.support.worker_proc import WorkerProcess
from tests.support.events import DAY, T0, client, contact, event, good_order, touch
from tests.support.resend_fake_api import FakeResendAPI

pytestmark = pytest.mark.integration

SEED = int(os.environ.get("REVLOOP_FAULT_SEED", "20261125"))
HOUR = 3_600_000
HOURS = 5
CAP = 4
KILLS = 4


def book(tenant: str, rng: random.Random) -> list[tuple[str, dict]]:
    ev = [("control", event("control", tenant=tenant, at=T0 - 10 * DAY, event_id=f"{tenant}-ctl", enabled=True,
                            send_mode="limited_live", caps={"emails": CAP})),
          ("client", client("c1", tenant=tenant, at=T0 - 60 * DAY, event_id=f"{tenant}-c1"))]
    for i in range(40):
        ev.append(("contact", contact(f"q{i}", client_id="c1", tenant=tenant, at=T0 - 50 * DAY,
                                      event_id=f"{tenant}-q{i}")))
        if i % 5:
            ev.append(("touch", touch(f"q{i}", tenant=tenant, at=T0 - rng.randint(2, 45) * DAY,
                                      event_id=f"{tenant}-t{i}")))
    return ev


def hour_of_flow(tenant: str, hour: int, rng: random.Random) -> list[tuple[str, dict]]:
    """An hour's worth of facts, then its tick."""
    at = T0 + hour * HOUR
    ev = []
    for j in range(250):
        # Old touches (they move no clock that is already later) and some fresh ones.
        when = at - rng.randint(1, 60) * DAY if j % 10 else at - rng.randint(1, 3_000_000)
        ev.append(("touch", touch(f"q{rng.randrange(40)}", tenant=tenant, at=when, event_id=f"{tenant}-h{hour}-{j}")))
    for j in range(5):
        ev.append(("contact", contact(f"n{hour}-{j}", client_id="c1", tenant=tenant, at=at - HOUR,
                                      event_id=f"{tenant}-n{hour}-{j}")))
        ev.append(("order", good_order(f"o{hour}-{j}", tenant=tenant, at=at - HOUR, event_id=f"{tenant}-o{hour}-{j}",
                                       total_cents=rng.choice([47_500, 10_000]))))
    ev.append(("tick", event("tick", tenant=tenant, at=at, event_id=f"tick:{tenant}:{at}", tick_id=f"{tenant}:{at}",
                             as_of=at)))
    return ev


def all_rows(store) -> dict[str, list[dict]]:
    return {name: store.rows(name) for name in TABLES}


def output_messages(kafka) -> list[tuple[str, bytes, dict]]:
    codec = Codec()
    return [(topic, m.value(), codec.decode(m.value())[1]) for topic in OUTPUT_TOPICS
            for m in read_topic(kafka, kafka.topic(topic))]


def test_sigkill_at_random_points_loses_nothing_and_sends_nothing_twice(kafka, tmp_path, monkeypatch):
    # A SIGKILLed member stays in its group until its session times out (Faust: 60 s),
    # and the next worker's join waits for that. Static membership lets the restarted
    # worker take its place at once; a short session bounds the rest. Faust reads both
    # from the environment, which the worker processes inherit.
    monkeypatch.setenv("CONSUMER_GROUP_INSTANCE_ID", f"worker-{kafka.topic_prefix}")
    monkeypatch.setenv("BROKER_SESSION_TIMEOUT", "6")
    monkeypatch.setenv("BROKER_HEARTBEAT_INTERVAL", "1")
    rng = random.Random(SEED)
    suffix = kafka.topic_prefix.strip(".")
    tenants = [f"crashA-{suffix}", f"crashB-{suffix}"]
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    produce_events(kafka, [e for t in tenants for e in book(t, rng)])
    flow = [hour_of_flow(t, h, rng) for h in range(HOURS) for t in tenants]
    produced = {"n": 0}

    def keep_producing():
        for chunk in flow:
            produce_events(kafka, chunk)
            produced["n"] += len(chunk)
            time.sleep(1.0)

    feeder = threading.Thread(target=keep_producing, name="feeder", daemon=True)
    feeder.start()
    t0, phases = time.monotonic(), Counter()
    for n in range(KILLS):
        worker = WorkerProcess(kafka, url, tmp_path / f"w{n}.log").start()
        if rng.random() < 0.3:                        # while it rebuilds its state and joins the group
            phase, delay = "start-up", rng.uniform(0.5, 2.5)
        else:                                         # while it consumes, projects and decides ticks
            wait_for(lambda: "Worker]: Ready" in worker.tail(20_000), timeout=60, what="the worker to be ready")
            phase, delay = "processing", rng.uniform(0.0, 2.0)
        time.sleep(delay)
        assert worker.proc.poll() is None, f"worker died before its kill:\n{worker.tail()}"
        worker.stop(signal.SIGKILL)
        phases[phase] += 1
        print(f"SIGKILL {n} during {phase} (+{delay:.2f}s), {produced['n']} flow events produced, "
              f"t={time.monotonic() - t0:.1f}s")
    feeder.join(60)
    assert not feeder.is_alive()

    final = WorkerProcess(kafka, url, tmp_path / "final.log").start()
    try:
        wait_caught_up(final, timeout=120)
        codec = Codec()
        wait_for(lambda: len({codec.decode(m.value())[1]["run_id"] for m in read_topic(kafka, kafka.topic("runs"))})
                 == HOURS * len(tenants), timeout=60, what="every tick to have run")
    finally:
        assert final.stop() in (0, -signal.SIGTERM), final.tail()
    print(f"final worker done t={time.monotonic() - t0:.1f}")

    # 1. The projections equal a clean replay, row for row, every table and tenant.
    replayed = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    proc = run_cli(kafka, "replay", "--store", replayed, "--quiet")
    assert proc.returncode == 0, proc.stderr
    with open_store(url) as live_store, open_store(replayed) as clean_store:
        live, clean = all_rows(live_store), all_rows(clean_store)
    assert_same_rows(live, clean)
    input_events = len(book(tenants[0], random.Random(0))) * 2 + sum(len(c) for c in flow)
    warehoused_inputs = sum(1 for r in live["warehouse_events"] if r["topic"] not in OUTPUT_TOPICS)
    assert warehoused_inputs == input_events   # nothing lost (and nothing counted twice)

    # 2. Outputs: at-least-once, but every repeat of an event id is the same bytes.
    outputs = output_messages(kafka)
    by_id: dict[tuple[str, str], set[bytes]] = defaultdict(set)
    for topic, raw, e in outputs:
        by_id[(topic, e["event_id"])].add(raw)
    assert all(len(v) == 1 for v in by_id.values()), [k for k, v in by_id.items() if len(v) > 1][:5]
    duplicates_on_topics = len(outputs) - len(by_id)

    # 3. No action approved twice, no tick over its cap, projections agree with the topic.
    approved = {e["action_id"]: e for topic, _, e in outputs if topic == "actions"}
    emails_per_tick = Counter((e["tenant_id"], e["tick_id"]) for e in approved.values() if e["kind"] == "send_email")
    assert emails_per_tick and max(emails_per_tick.values()) <= CAP
    projected = {r["action_id"] for r in live["agent_actions"] if r["decision"] == "approved"}
    assert projected == set(approved)
    assert len(live["agent_autonomous_runs"]) == HOURS * len(tenants)

    # 4. The Resend sink over the actions topic, with every approved action redelivered once
    #    more (what a crash between produce and commit does): each action is sent at most once.
    p = producer(kafka)
    for topic, raw, e in outputs:
        if topic == "actions":
            p.produce(kafka.topic("actions"), key=e["tenant_id"].encode(), value=raw)
    assert p.flush(30) == 0
    monkeypatch.setenv("REVLOOP_UNSUBSCRIBE_SECRET", "an-unsubscribe-secret-of-enough-length")
    minutes = itertools.count(T0, 10 * 60_000)     # the sink's clock: 10 minutes a reading, under the hourly cap
    with FakeResendAPI() as fake:
        def run_sink(group):
            EmailSink(kafka, SenderConfig(api_key="re_test_key", sent_log_path=str(tmp_path / "sent.sqlite"),
                                          api_url=fake.url, group=group),
                      clock=lambda: next(minutes)).run(stop_after_idle_s=2)
        run_sink("revloop-sender")
        first_pass = len(fake.emails)
        run_sink("revloop-sender-rewound")           # a consumer rewound to offset 0
        sends = Counter(decode_tag_value(t["value"]) for mail in fake.emails for t in mail["tags"]
                        if t["name"] == TAG_ACTION)
    email_actions = {a for a, e in approved.items() if e["kind"] in ("send_email", "follow_up")}
    assert first_pass == len(fake.emails)            # the rewound consumer sent nothing new
    assert sends and max(sends.values()) == 1        # never twice
    assert set(sends) == email_actions               # and none lost
    tally("crash (SIGKILL worker)", injected=KILLS, survived=KILLS, killed_in_startup=phases["start-up"],
          killed_processing=phases["processing"], lost=input_events - warehoused_inputs,
          outputs_repeated_by_crashes=duplicates_on_topics, actions_redelivered=len(approved),
          emails_sent=len(sends), sent_twice=sum(1 for n in sends.values() if n > 1))
