"""Broker outage: a private broker stops mid-stream and comes back, twice (stopped, then SIGKILLed).

Our producer and `revloop import` keep producing into the outage; the worker is
consuming and writing. Afterwards every event produced is projected exactly once
(warehouse_events holds exactly the distinct events produced) and nothing died.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from confluent_kafka import KafkaException

from revloop.projections.store import open_store
from revloop.schemas.codec import Codec
from revloop.schemas.jsonl import to_line
from revloop.streams.kafka_io import producer, read_topic
from revloop.streams.topics import OUTPUT_TOPICS, topic_for
from tests.support.broker import ROOT, wait_for
from tests.support.outage_services import tally, wait_caught_up
from tests.support.projections import facts
from tests.support.worker_proc import WorkerProcess
from tests.support.events import DAY, T0, client, event

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("private-services")]
HOUR = 3_600_000


class Feeder(threading.Thread):
    """Our producer (revloop's settings) producing steadily, straight through an outage."""

    def __init__(self, settings, events, chunk=50, pause=0.15):
        super().__init__(name="feeder", daemon=True)
        self.settings, self.events, self.chunk, self.pause = settings, events, chunk, pause
        self.failed: list[str] = []
        self.delivered = 0
        self.queue_full_waits = 0

    def _report(self, err, msg):
        if err is not None:
            self.failed.append(err.str())
        else:
            self.delivered += 1

    def run(self):
        codec, p = Codec(), producer(self.settings)
        for start in range(0, len(self.events), self.chunk):
            for type_name, e in self.events[start:start + self.chunk]:
                while True:
                    try:
                        p.produce(self.settings.topic(topic_for(type_name, e)), key=e["tenant_id"].encode(),
                                  value=codec.encode(type_name, e), on_delivery=self._report)
                        break
                    except BufferError:
                        self.queue_full_waits += 1
                        p.poll(0.5)
            p.poll(0)
            time.sleep(self.pause)
        deadline = time.monotonic() + 120
        while p.flush(5) and time.monotonic() < deadline:
            pass
        self.left = len(p)


def test_broker_outage_mid_stream_loses_and_duplicates_nothing(own_broker, tmp_path):
    settings = own_broker.settings()
    tenant = f"bo-{settings.topic_prefix.strip('.')}"
    before = [("client", client("c1", tenant=tenant, at=T0 - 90 * DAY, event_id=f"{tenant}-c1")),
              ("control", event("control", tenant=tenant, at=T0 - 90 * DAY, event_id=f"{tenant}-ctl", enabled=True))]
    before += facts(tenant, "a", 400)
    during = facts(tenant, "b", 1600)
    # Hourly ticks among them: a tick held by the gate while the broker is away must wait, not fail.
    for h in range(8):
        at = T0 + h * HOUR
        during.insert(200 * h + 150, ("tick", event("tick", tenant=tenant, at=at, event_id=f"tick:{tenant}:{at}",
                                                    tick_id=f"{tenant}:{at}", as_of=at)))
    imported = facts(tenant, "i", 800)
    produced_ids = {e["event_id"] for _, e in before + during + imported}
    assert len(produced_ids) == len(before) + len(during) + len(imported)

    first = Feeder(settings, before, chunk=500, pause=0)
    first.run()
    assert first.failed == [] and first.left == 0
    url = f"duckdb:{tmp_path / 'outage.duckdb'}"
    worker = WorkerProcess(settings, url, tmp_path / "worker.log").start()
    try:
        wait_caught_up(worker, timeout=90)

        # Into the outage: our producer, and `revloop import` of a file.
        feeder = Feeder(settings, during, chunk=50, pause=0.5)
        feeder.start()
        jsonl = tmp_path / "import.jsonl"
        jsonl.write_text("".join(to_line(t, e) + "\n" for t, e in imported))
        env = dict(os.environ, REVLOOP_TOPIC_PREFIX=settings.topic_prefix,
                   KAFKA_BOOTSTRAP_SERVERS=settings.bootstrap_servers)
        outages = []
        for n, how in enumerate(("kafka-local.sh down", "SIGKILL")):
            time.sleep(0.8)                                # mid-stream: feeder and worker busy
            t = time.monotonic()
            own_broker.down() if n == 0 else own_broker.kill()
            if n == 0:                                     # the import starts while the broker is away
                importer = subprocess.Popen([sys.executable, "-m", "revloop.streams.cli", "import", str(jsonl), "--wait", "120"], cwd=ROOT,
                                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(3)
            assert worker.proc.poll() is None, f"the worker died with the broker:\n{worker.tail()}"
            own_broker.up()
            outages.append((how, round(time.monotonic() - t, 1)))
            if n == 0:
                # revloop import --wait 120 rides out the restart, then fails loudly: let it finish
                # before the second outage, so a slow machine's restarts do not add up past that.
                out, err = importer.communicate(timeout=150)
                assert importer.returncode == 0, err[-3000:]
                assert f"imported {len(imported)} event(s), rejected 0 line(s)" in err
        print(f"outages: {outages}")
        feeder.join(150)
        assert not feeder.is_alive()
        assert feeder.failed == [] and feeder.left == 0
        wait_caught_up(worker, timeout=120)
        codec = Codec()

        def runs_seen():
            try:
                return len({codec.decode(m.value())[1]["run_id"] for m in read_topic(settings, settings.topic("runs"))})
            except KafkaException:                       # leaders still settling after the restart
                return -1
        wait_for(lambda: runs_seen() == 8, timeout=60, what="every tick to have run")
        assert worker.proc.poll() is None
    finally:
        worker.stop()

    with open_store(url) as store:
        rows = store.rows("warehouse_events", tenant)
        runs = store.rows("agent_autonomous_runs", tenant)
    assert len(runs) == 8 and not any(r["failed"] for r in runs)     # every tick ran, once
    projected = [r["event_id"] for r in rows if r["topic"] not in OUTPUT_TOPICS]
    assert len(projected) == len(set(projected))
    lost = produced_ids - set(projected)
    assert not lost, f"{len(lost)} event(s) lost, e.g. {sorted(lost)[:5]}"
    assert set(projected) == produced_ids                    # nothing extra either
    tally("broker outage", injected=len(outages), survived=len(outages),
          outage_s=round(sum(s for _, s in outages)), events_produced=len(produced_ids),
          produced_into_outage=len(during) + len(imported), queue_full_waits=feeder.queue_full_waits,
          lost=len(lost), duplicated=len(projected) - len(set(projected)))


def test_a_tick_held_while_the_broker_is_away_waits_instead_of_stopping_the_worker():
    """The tick gate asks the broker for end offsets; with nobody answering the tick stays
    held (the timer asks again) rather than failing the batch, which would stop the worker."""
    from revloop.streams.config import Settings
    from revloop.streams.worker import TickGate
    from tests.support.outage_services import free_port

    gate = TickGate(Settings(bootstrap_servers=f"127.0.0.1:{free_port()}", topic_prefix="gone."), {})
    started = time.monotonic()
    assert gate({"event_id": "tick:t:1", "tick_id": "t:1", "tenant_id": "t", "as_of": T0}) is False
    assert time.monotonic() - started < 15
    tally("broker outage", tick_held_not_failed=1)
