"""`make bench`: revloop's throughput, latency, tick time and memory, in one run.

Everything is measured on the same broker and the same seeded book
(streams.demo_data.generate), under a fresh topic prefix that is deleted at the end:

  ceiling   raw confluent-kafka consume + codec decode of every event (no projection), the median
            of three reads;
  replay    streams.replay.replay into a fresh DuckDB file (and a fresh Postgres schema), with
            its default shards (one process per CPU, see revloop/streams/replay.py);
  live      the real `revloop worker` subprocess on fresh topics: produce the book (pre-encoded)
            and time from the first produce until the worker group's committed offsets reach
            the end of every input partition (lag 0). Faust commits every second, so the
            figure is conservative by up to ~1 s;
  outage    the worker back after an outage: it applied the warm-up and was stopped, the book
            was produced meanwhile, and a new worker process is timed from its start until it
            has committed the whole book (start, restore, split catch-up, hand-over to Faust);
  latency   a second worker on a Postgres store (a DuckDB file is locked by its writer, so
            nothing can watch it while the worker runs), fed touch events at a steady rate,
            each with a unique event_id and its produce time noted; a poller queries
            warehouse_events by event_id every 20 ms. An event found by a query that started
            at t was committed before t (Postgres snapshots at statement start), and after
            the previous query's start, so latency = t - produce time, within one poll
            interval, and it covers produce -> Kafka -> Faust -> pipeline -> committed row.
            Steady state: the warm-up includes touches (the touch path's first store write is
            not timed), the producer has the topic's metadata before the first timed send, and
            the stream's first 2 s are not timed (their slowest sample is shown apart: the
            worker's start-up hand-over delays the first events in some runs).
            Under the figures: the slowest samples and when, the slowest look-up, the worker's
            steps over 0.1 s and the broker's GC pauses of those minutes, the worker's log kept
            as out/bench-latency-worker.log: what a stall coincided with;
  peers     one trivial stateful workload (per tenant and contact: count, latest time) over
            --peers JSON events through raw confluent-kafka, revloop's batched reader, Quix Streams
            and Bytewax, one process each, every result checked (bench/peers.py);
  tick      processors.cycle.run_tick for one tenant, state built in-process through
            streams.pipeline.Pipeline (pure, no broker), best of 3 (fewer past 10 s);
  memory    peak RSS (VmHWM) of each worker process;
  scale-out 3 workers on 6 partitions (Postgres), one SIGKILLed mid-stream: rows = a replay, 0 lost,
            0 duplicated; then 1 worker vs 2 on the same events (bench/scale_out.py);
  growth    an event's cost as its entity grows: a client's order at its 1,000th vs 16,000th
            order, and a lost bid at its 1,000th vs 16,000th in one win / loss pattern
            (bench/growth.py; target < 2 x: nothing per event grows with the book);
  console   the operator console's page render times (p50/p95) over one 100,000-contact
            tenant, DuckDB and Postgres (bench/console_pages.py; target p95 < 300 ms).

Targets (issue 14): replay >= 0.5 x ceiling, the live worker catching up a 200k burst >= 0.5 x
ceiling, and after a 200k outage >= 0.5 x ceiling, tick(100k) < 1 s.
A missed target is profiled (cProfile in-process; py-spy for the worker process, if
installed) and the top functions are printed and kept in out/bench.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import replace
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, HERE]

from confluent_kafka import KafkaException, TopicPartition  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,  # noqa: E402
                           TimeElapsedColumn)
from rich.table import Table  # noqa: E402

import profiles  # noqa: E402
from revloop.streams import kafka_clients, offsets
from revloop.processors.cycle import run_tick  # noqa: E402
from revloop.streams.log_reader import end_offsets, read_until
from revloop.streams.replay import replay  # noqa: E402
from revloop.projections.store import open_store  # noqa: E402
from revloop.schemas.codec import Codec  # noqa: E402
from revloop.streams.config import Settings  # noqa: E402
from revloop.streams.demo_data import HOUR, generate  # noqa: E402
from revloop.streams.kafka_io import create_topics, producer  # noqa: E402
from revloop.streams.pipeline import Pipeline  # noqa: E402
from revloop.streams.tick_producer import tick_event  # noqa: E402
from revloop.streams.topics import INPUT_TOPICS, TOPICS, topic_for  # noqa: E402
from revloop.streams.progress import progress_groups  # noqa: E402

TENANTS = ["acme-appraisals", "keystone-inspections"]
EVENTS_PER_CONTACT = 2.37          # what generate() yields per contact (contacts, touches, orders, ...)
WARMUP_TYPES = ("control", "product_price")
# Issue 14: replay and the live worker's batched catch-up each >= 0.5 x the ceiling.
TARGETS = {"replay_duckdb": 0.5, "live_duckdb": 0.5, "outage_duckdb": 0.5, "tick_100000_s": 1.0}

console = Console()


def bar(*extra) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    *extra, TimeElapsedColumn(), console=console)


# ---- data -----------------------------------------------------------------------------------

def encode_all(events) -> list[tuple[str, bytes, bytes, str, dict]]:
    codec = Codec()
    return [(topic_for(t, e), e["tenant_id"].encode(), codec.encode(t, e, check=False), t, e) for t, e in events]


def produce_one(p, settings: Settings, topic: str, key: bytes, value: bytes) -> None:
    """Produce, waiting for room in the producer's queue rather than failing when it is full."""
    while True:
        try:
            p.produce(settings.topic(topic), key=key, value=value)
            return
        except BufferError:
            p.poll(0.05)


def produce_all(settings: Settings, records, label: str) -> float:
    p = producer(settings, **{"queue.buffering.max.messages": 1_000_000, "queue.buffering.max.kbytes": 1_048_576})
    started = time.perf_counter()
    with bar() as progress:
        task = progress.add_task(label, total=len(records))
        for i, (topic, key, value, _, _) in enumerate(records):
            produce_one(p, settings, topic, key, value)
            if i % 2000 == 0:
                p.poll(0)
                progress.update(task, completed=i)
        remaining = p.flush(120)
        progress.update(task, completed=len(records))
    if remaining:
        raise RuntimeError(f"{remaining} event(s) not delivered")
    return time.perf_counter() - started


def delete_prefix(settings_base: Settings, prefix: str) -> None:
    admin = kafka_clients.admin(settings_base)
    names = [t for t in offsets.all_topics(admin, timeout=15) if t.startswith(prefix)]
    if names:
        for future in admin.delete_topics(names, operation_timeout=60).values():
            try:
                future.result()
            except KafkaException as exc:
                console.print(f"[yellow]could not delete a topic: {exc}")
    try:
        groups = [g.group_id for g in admin.list_consumer_groups(request_timeout=15).result().valid
                  if g.group_id.startswith(prefix)]
        if groups:
            for future in admin.delete_consumer_groups(groups, request_timeout=30).values():
                future.result()
    except Exception as exc:  # best effort: a group is tiny and harmless
        console.print(f"[yellow]consumer groups left behind: {exc}")


# ---- ceiling --------------------------------------------------------------------------------

CEILING_READS = 3


def measure_ceiling(settings: Settings, total: int, reads: int = CEILING_READS) -> dict:
    """The median of `reads` reads of the whole log (read_ceiling): one read's rate swung from
    52k to 87k ev/s between runs on the same machine (a read soon after the produce was often
    the slow one), and every ratio of the bench is to this figure."""
    got = sorted((read_ceiling(settings, total, i + 1, reads) for i in range(reads)), key=lambda r: r["events_per_s"])
    return dict(got[len(got) // 2], reads=[r["events_per_s"] for r in got])


def read_ceiling(settings: Settings, total: int, i: int = 1, reads: int = 1) -> dict:
    """One read: the same consumer settings as streams.log_reader.read_until, plus codec decode."""
    codec = Codec()
    probe = kafka_clients.consumer(settings, f"{settings.topic_prefix}probe")
    try:
        todo = {tp: end for tp, end in end_offsets(probe, settings, [t.name for t in TOPICS]).items() if end > 0}
    finally:
        probe.close()
    consumer = kafka_clients.consumer(settings, f"{settings.topic_prefix}ceiling", **{
        "fetch.max.bytes": 64 * 1024 * 1024, "max.partition.fetch.bytes": 8 * 1024 * 1024,
        "queued.max.messages.kbytes": 262144,
    })
    n = 0
    with bar() as progress:
        task = progress.add_task(f"ceiling: consume + decode ({i} of {reads})", total=total)
        started = time.perf_counter()
        try:
            consumer.assign([TopicPartition(t, p, 0) for (t, p) in todo])
            while todo:
                msgs = consumer.consume(5000, 0.5)
                for msg in msgs:
                    if msg.error():
                        raise KafkaException(msg.error())
                    tp = (msg.topic(), msg.partition())
                    end = todo.get(tp)
                    if end is None or msg.offset() >= end:
                        continue
                    codec.decode(msg.value())
                    n += 1
                    if msg.offset() + 1 >= end:
                        del todo[tp]
                progress.update(task, completed=n)
                if time.perf_counter() - started > 300:
                    raise TimeoutError("ceiling read stalled")
        finally:
            consumer.close()
        seconds = time.perf_counter() - started
    return {"events": n, "seconds": round(seconds, 3), "events_per_s": round(n / seconds)}


# ---- replay ---------------------------------------------------------------------------------

def measure_replay(settings: Settings, store, label: str) -> dict:
    console.print(f"[bold]{label}[/]")
    started = time.perf_counter()
    try:
        stats = replay(settings, store, show_progress=True)
        seconds = time.perf_counter() - started
        rows = store.count("warehouse_events")
    finally:
        store.close()
    return {"events": stats.records, "seconds": round(seconds, 3), "events_per_s": round(stats.records / seconds),
            "warehouse_rows": rows, "shards": stats.shards}


def pg_schema_url(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + "options=" + urllib.parse.quote(f"-csearch_path={schema}")


def pg_exec(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '20s'")
        conn.execute(sql)


# ---- Faust alone ----------------------------------------------------------------------------

def measure_faust_noop(settings: Settings, total: int, workdir: str) -> dict:
    """bench/faust_noop.py: the worker's Faust app and batching with an agent that only counts."""
    result = os.path.join(workdir, "faust-noop.json")
    env = dict(os.environ, REVLOOP_TOPIC_PREFIX=settings.topic_prefix,
               KAFKA_BOOTSTRAP_SERVERS=settings.bootstrap_servers)
    with open(os.path.join(workdir, "faust-noop.log"), "wb") as log, \
            Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as pr:
        pr.add_task(f"Faust alone: a no-op agent over {total:,} events")
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "faust_noop.py"), str(total), result],
                                cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            proc.wait(600)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    if not os.path.exists(result):
        raise RuntimeError("the Faust no-op consumer wrote no result: see faust-noop.log")
    with open(result) as fh:
        got = json.load(fh)
    return {"events": got["events"], "seconds": round(got["seconds"], 3),
            "events_per_s": round(got["events"] / got["seconds"])}


# ---- the live worker ------------------------------------------------------------------------

class Worker:
    """`revloop worker` as a real process (as tests/integration/worker_proc.py runs it), with
    its Faust data folder in a scratch directory rather than the repository."""

    def __init__(self, settings: Settings, store_url: str, workdir: str, name: str, env: dict | None = None):
        self.settings = settings
        self.log_path = os.path.join(workdir, f"worker-{name}.log")
        self.log = open(self.log_path, "wb")
        env = dict(os.environ, REVLOOP_TOPIC_PREFIX=settings.topic_prefix,
                   KAFKA_BOOTSTRAP_SERVERS=settings.bootstrap_servers,
                   REVLOOP_GROUP=settings.consumer_group,
                   PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])), **(env or {}))
        self.proc = subprocess.Popen([sys.executable, "-m", "revloop.streams.cli", "worker", "--store", store_url],
                                     cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.group = f"{settings.topic_prefix}{settings.consumer_group}"
        self._c = kafka_clients.consumer(settings, self.group)
        self.parts = list(offsets.end_offsets(self._c, settings, INPUT_TOPICS, timeout=15))
        # How far the worker has applied each input topic is committed per group (the control
        # topic is read outside the worker group, ticks by the worker's own consumer).
        self._by_group: dict[str, list] = {}
        for t, group in progress_groups(settings).items():
            self._by_group.setdefault(group, []).extend(tp for tp in self.parts if tp[0] == settings.topic(t))
        self._consumers = {g: kafka_clients.consumer(settings, g) for g in self._by_group}

    def ends(self) -> int:
        return sum(offsets.end_offsets(self._c, self.settings, INPUT_TOPICS, timeout=10).values())

    def committed_total(self) -> int:
        return sum(sum(offsets.committed_offsets(self._consumers[g], parts, timeout=10).values())
                   for g, parts in self._by_group.items())

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"the worker exited with {self.proc.returncode}:\n{self.tail()}")

    def wait_committed(self, target: int, timeout: float, progress=None, task=None, base: int = 0) -> float:
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            done = self.committed_total()
            if progress is not None:
                progress.update(task, completed=done - base)
            if done >= target:
                return time.perf_counter()
            if time.monotonic() > deadline:
                raise TimeoutError(f"the worker committed {done} of {target} offsets within {timeout:.0f}s")
            time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the worker so far, with that of its ended children (the
        processes a long catch-up is split over)."""
        with open(f"/proc/{self.proc.pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def memory(self) -> dict:
        out = {}
        try:
            with open(f"/proc/{self.proc.pid}/status") as fh:
                for line in fh:
                    key, _, value = line.partition(":")
                    if key in ("VmHWM", "VmRSS"):
                        out[key] = round(int(value.split()[0]) / 1024, 1)   # kB -> MiB
        except OSError:
            pass
        return out

    def stop(self) -> None:
        self._c.close()
        for c in self._consumers.values():
            c.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()

    def tail(self, n: int = 3000) -> str:
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as fh:
            return fh.read()[-n:].decode(errors="replace")


def warm_up(settings: Settings, worker: Worker, records, label: str) -> float:
    """Produce the warm-up events and wait for the worker to commit them: it is then
    running, joined and assigned, so what follows measures processing, not start-up."""
    started = time.perf_counter()
    produce_all(settings, records, f"{label}: warm-up events")
    with bar() as progress:
        task = progress.add_task(f"{label}: worker start-up", total=len(records))
        worker.wait_committed(worker.ends(), 240, progress, task)
    return time.perf_counter() - started


def measure_live(base: Settings, records, workdir: str, *, spy_path: str | None = None) -> dict:
    """Throughput of the real worker on a DuckDB store: produce -> committed (lag 0)."""
    settings = replace(base, topic_prefix=f"{base.topic_prefix}{'prof' if spy_path else 'live'}.")
    create_topics(settings)
    db = os.path.join(workdir, f"{'prof' if spy_path else 'live'}.duckdb")
    worker = Worker(settings, f"duckdb:{db}", workdir, "prof" if spy_path else "live")
    warm = [r for r in records if r[3] in WARMUP_TYPES]
    bulk = [r for r in records if r[3] not in WARMUP_TYPES]
    spy = None
    try:
        ready_s = warm_up(settings, worker, warm, "live")
        start_offsets = worker.committed_total()
        if spy_path:
            spy = profiles.SpyRecorder(worker.proc.pid, spy_path)
            time.sleep(0.5)
        cpu0 = worker.cpu_seconds()
        started = time.perf_counter()
        produce_s = produce_all(settings, bulk, "live: produce the book")
        target = worker.ends()
        with bar() as progress:
            task = progress.add_task("live: worker projecting", total=target - start_offsets)
            finished = worker.wait_committed(target, 600, progress, task, base=start_offsets)
        cpu = worker.cpu_seconds() - cpu0
        if spy:
            spy.stop()
        memory = worker.memory()
    finally:
        if spy:
            spy.stop()
        worker.stop()
    split = [int(n) for n in re.findall(r"catching up in (\d+) processes", worker.tail(400_000))]
    seconds = finished - started
    import duckdb

    con = duckdb.connect(db, read_only=True)
    by_topic = dict(con.execute("SELECT topic, count(*) FROM warehouse_events GROUP BY 1 ORDER BY 1").fetchall())
    con.close()
    return {"events": len(bulk), "seconds": round(seconds, 3), "events_per_s": round(len(bulk) / seconds),
            "produce_seconds": round(produce_s, 3), "startup_seconds": round(ready_s, 3),
            "worker_cpu_cores": round(cpu / seconds, 2), "catch_up_processes": split,
            "warehouse_rows": sum(by_topic.values()),
            "warehouse_rows_by_topic": by_topic, "memory_mib": memory}


def measure_outage(base: Settings, records, workdir: str) -> dict:
    """The worker back after an outage: it applied the warm-up events and was stopped
    (SIGTERM: its last checkpoint), the book was produced meanwhile, and a new worker process
    is started. Timed from that process's start until it has committed the whole book: the
    time an operator waits after restarting it (process start, restore, catch-up)."""
    settings = replace(base, topic_prefix=f"{base.topic_prefix}outage.")
    create_topics(settings)
    db = os.path.join(workdir, "outage.duckdb")
    warm = [r for r in records if r[3] in WARMUP_TYPES]
    bulk = [r for r in records if r[3] not in WARMUP_TYPES]
    first = Worker(settings, f"duckdb:{db}", workdir, "outage-first")
    try:
        warm_up(settings, first, warm, "outage")
    finally:
        first.stop()
    produce_all(settings, bulk, "outage: the book produced while no worker runs")
    started = time.perf_counter()
    second = Worker(settings, f"duckdb:{db}", workdir, "outage-second")
    try:
        target = second.ends()
        with bar() as progress:
            task = progress.add_task("outage: a new worker catching up", total=len(bulk))
            finished = second.wait_committed(target, 600, progress, task, base=target - len(bulk))
        log = second.tail(400_000)
    finally:
        second.stop()
    seconds = finished - started
    said = re.findall(r"ready in ([\d.]+)s: checkpoints used .*?; (\d+) record\(s\) re-applied, (\d+) caught up", log)
    split = [int(n) for n in re.findall(r"catching up in (\d+) processes", log)]
    ready_s = sum(float(s_) for s_, _, _ in said)
    caught = sum(int(n) for _, _, n in said)
    return {"events": len(bulk), "seconds": round(seconds, 3), "events_per_s": round(len(bulk) / seconds),
            "ready_seconds": round(ready_s, 3), "caught_up_in_ready": caught, "catch_up_processes": split}


def measure_startup(base: Settings, records, workdir: str, history: int) -> dict:
    """Worker start-up to the first live event applied, with `history` events on the log and
    already applied by a previous worker (stopped with SIGTERM: its last checkpoint). A
    history longer than the book is the book produced again (same event ids: the same state,
    a longer log), which is exactly what a start from a checkpoint must not read again."""
    settings = replace(base, topic_prefix=f"{base.topic_prefix}start{history}.")
    create_topics(settings)
    copies = max(1, round(history / len(records)))
    produce_all(settings, records * copies, f"start-up: {len(records) * copies:,} events of history")
    db = os.path.join(workdir, f"start{history}.duckdb")
    first = Worker(settings, f"duckdb:{db}", workdir, f"start{history}-first")
    try:
        with bar() as progress:
            task = progress.add_task("start-up: a first worker applies the history", total=len(records) * copies)
            first.wait_committed(first.ends(), 3600, progress, task)
    finally:
        first.stop()
    _, _, _, _, touch = next(r for r in records if r[3] == "touch")
    probe = encode_all([("touch", dict(touch, event_id=f"startup-probe-{history}"))])
    started = time.perf_counter()
    second = Worker(settings, f"duckdb:{db}", workdir, f"start{history}-second")
    try:
        produce_all(settings, probe, "start-up: one live event")
        second.wait_committed(second.ends(), 600)
        seconds = time.perf_counter() - started
        log = second.tail(200_000)
    finally:
        second.stop()
    ready = [line for line in log.splitlines() if "ready in" in line and "checkpoints used" in line]
    return {"history_events": len(records) * copies, "seconds_to_first_live_event": round(seconds, 2),
            "worker_said": ready[-1].split("revloop.worker: ", 1)[-1] if ready else None}


def measure_latency(base: Settings, records, workdir: str, db_url: str, *, rate: int, seconds: float,
                    warm_contacts: int, keep_log: str | None = None, settle_s: float = 2.0) -> dict:
    """End-to-end latency at a steady rate, worker on a fresh Postgres schema (see module doc).
    keep_log: where to copy the worker's log (its slow steps are in the result too, with the
    broker's GC pauses of the same minutes: what a stall coincided with).

    The stream's first settle_s seconds (same rate) are not in the percentiles, which are of
    the steady state: the first events after the worker's start-up hand-over (catch-up, then
    Faust fetching from the new positions) waited 0.3-0.6 s in about half the runs, and at
    200 ev/s such one-off start-up wait is 2-3% of a 20 s run, enough to decide its p99.
    Their slowest is reported beside (settle_max_ms)."""
    import psycopg

    settings = replace(base, topic_prefix=f"{base.topic_prefix}lat.")
    create_topics(settings)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    pg_exec(db_url, f'CREATE SCHEMA "{schema}"')
    store_url = pg_schema_url(db_url, schema)
    tenant = TENANTS[0]
    contacts = [r for r in records if r[3] == "contact" and r[4]["tenant_id"] == tenant][:warm_contacts]
    ids = [r[4]["contact_id"] for r in contacts]
    # ... and touches of those contacts: the measured ones then find the touch path warm (its
    # first store write, its code) instead of counting a cold start as latency.
    known = set(ids)
    touches = [r for r in records if r[3] == "touch" and r[4]["tenant_id"] == tenant
               and r[4]["contact_id"] in known][:500]
    warm = [r for r in records if r[3] in WARMUP_TYPES + ("client",)] + contacts + touches
    # Its slow steps are logged from a tenth of a second (not the default half): the report
    # below lists those of the measured minutes.
    worker = Worker(settings, store_url, workdir, "latency", env={"REVLOOP_SLOW_STEP_S": "0.1"})
    produced: dict[str, float] = {}
    seen: dict[str, float] = {}
    queries: list[tuple[float, float]] = []     # (ms, when) of each look-up
    lock = threading.Lock()
    stop = threading.Event()

    polling = threading.Event()

    def poll():
        conn = psycopg.connect(store_url, autocommit=True)
        polling.set()
        try:
            while not stop.is_set():
                with lock:
                    pending = [eid for eid in produced if eid not in seen]
                t = time.time()
                if pending:
                    found = conn.execute("SELECT event_id FROM warehouse_events WHERE tenant_id = %s "
                                         "AND event_id = ANY(%s)", [tenant, pending]).fetchall()
                    with lock:
                        for (eid,) in found:
                            seen.setdefault(eid, t)
                    # A slow look-up delays seeing what lands meanwhile: a stall of the
                    # measuring, not of the worker (reported apart).
                    queries.append((round((time.time() - t) * 1000, 1), t))
                time.sleep(max(0.0, 0.02 - (time.time() - t)))
        finally:
            conn.close()

    poller = threading.Thread(target=poll, daemon=True)
    try:
        ready_s = warm_up(settings, worker, warm, "latency")
        codec, p = Codec(), producer(settings)
        # Steady state: the producer's first send would wait for the topic's metadata (a few
        # hundred ms here), which the first samples would count as latency.
        offsets.topic_partitions(p, [settings.topic("touches")])
        rng = random.Random(11)
        run = uuid.uuid4().hex[:8]
        settling = int(rate * settle_s)
        n = settling + int(rate * seconds)
        poller.start()
        # The first sends wait for the poller's connection: events landing before its first
        # query would count the connection's set-up (~0.4 s in the bench) as latency.
        if not polling.wait(30):
            raise RuntimeError("the latency poller could not connect to Postgres in 30 s")
        with bar() as progress:
            task = progress.add_task(f"latency: {rate} touches/s for {settle_s:.0f}+{seconds:.0f}s", total=n)
            t0 = time.perf_counter()
            for i in range(n):
                delay = t0 + i / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                eid = f"lat-{run}-{i}"
                now = time.time()
                value = codec.encode("touch", {"event_id": eid, "tenant_id": tenant, "occurred_at": int(now * 1000),
                                               "contact_id": rng.choice(ids), "channel": "call",
                                               "direction": "outbound", "by": "bench"}, check=False)
                with lock:
                    produced[eid] = time.time()
                p.produce(settings.topic("touches"), key=tenant.encode(), value=value)
                p.poll(0)
                if i % 50 == 0:
                    with lock:
                        progress.update(task, completed=i, description=f"latency: {rate} touches/s "
                                        f"({len(seen):,} seen)")
            p.flush(30)
            deadline = time.monotonic() + 60
            while len(seen) < n and time.monotonic() < deadline:
                worker.check_alive()
                time.sleep(0.1)
            progress.update(task, completed=n)
        stop.set()
        poller.join(5)
        memory = worker.memory()
        window = (min(produced.values(), default=0.0), time.time())
    finally:
        stop.set()
        worker.stop()
        if keep_log:
            shutil.copyfile(worker.log_path, keep_log)
        try:
            pg_exec(db_url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        except Exception as exc:
            console.print(f"[yellow]could not drop schema {schema}: {exc}")
    first = min(produced.values(), default=0.0)
    settle = {e for e in seen if int(e.rsplit("-", 1)[1]) < settling}
    settle_max = max(((seen[e] - produced[e]) * 1000 for e in settle), default=None)
    steady = [e for e in seen if e not in settle]
    lat = sorted((seen[e] - produced[e]) * 1000 for e in steady)
    # The slowest samples with when they were produced (s after the first): one stall holds back
    # every event produced during it, so they come in runs.
    slowest = sorted(((round((seen[e] - produced[e]) * 1000, 1), round(produced[e] - first, 2)) for e in steady),
                     reverse=True)[:8]
    if not lat:
        raise RuntimeError("no latency sample was seen")

    def pct(q):
        return round(lat[min(len(lat) - 1, int(q * len(lat)))], 1)

    return {"rate_per_s": rate, "seconds": seconds, "settle_s": settle_s, "sent": n - settling, "seen": len(lat),
            "settle_max_ms": None if settle_max is None else round(settle_max, 1), "p50_ms": pct(0.50),
            "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": round(lat[-1], 1),
            "mean_ms": round(statistics.fmean(lat), 1), "slowest_ms_at_s": slowest,
            "slowest_lookups_ms_at_s": [(ms, round(at - first, 2)) for ms, at in sorted(queries, reverse=True)[:5]],
            "worker_slow_steps": slow_steps(worker.log_path, *window),
            "broker_gc_pauses_over_50ms": broker_gc_pauses(*window, over_ms=50), "poll_interval_ms": 20,
            "startup_seconds": round(ready_s, 3), "memory_mib": memory}


def report_stalls(figure: dict) -> None:
    """What the slowest latency samples coincided with, printed under the run."""
    ms, at = figure["slowest_ms_at_s"][0]
    gc = figure["broker_gc_pauses_over_50ms"]
    console.print(f"  slowest sample {ms:.0f} ms (produced {at:.1f} s into the stream; its first "
                  f"{figure['settle_s']:.0f} s untimed: slowest {figure['settle_max_ms']} ms); slowest look-up "
                  f"{figure['slowest_lookups_ms_at_s'][0][0]:.0f} ms; worker steps over 0.1 s: "
                  f"{len(figure['worker_slow_steps'])}; broker GC pauses over 50 ms: "
                  f"{'no gc.log' if gc is None else len(gc)} (out/bench-latency-worker.log)")
    for line in figure["worker_slow_steps"][:5]:
        console.print(f"    {line}")


def slow_steps(log_path: str, start: float, end: float) -> list[str]:
    """The worker's "slow step" warnings logged between start and end (epoch seconds)."""
    found = []
    try:
        with open(log_path, errors="replace") as fh:
            for line in fh:
                at = _log_time(line) if "slow step:" in line else None
                if at is not None and start <= at <= end + 1:
                    found.append(line.split("revloop.worker: ", 1)[-1].strip())
    except OSError:
        pass
    return found[:20]


def _log_time(line: str) -> float | None:
    try:    # "2026-11-30 10:35:17,222 INFO ..." in the local zone (the worker's default format)
        return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
    except ValueError:
        return None


def broker_gc_pauses(start: float, end: float, over_ms: float) -> list[str] | None:
    """The local broker's GC pauses longer than over_ms between start and end, from the
    gc.log scripts/kafka-local.sh has the JVM write (None: no such log, another broker)."""
    path = os.path.join(ROOT, ".cache", "kafka", f"port-{os.environ.get('KAFKA_PORT', '9092')}", "logs", "gc.log")
    if not os.path.exists(path):
        return None
    found = []
    with open(path, errors="replace") as fh:
        for line in fh:      # [2026-11-30T10:37:23.435+0000][20.571s] GC(41) Pause Young ... 12.755ms
            if " Pause " not in line or not line.rstrip().endswith("ms"):
                continue
            try:
                at = datetime.strptime(line[1:29], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
                ms = float(line.rsplit(" ", 1)[-1][:-2])
            except ValueError:
                continue
            if start <= at <= end and ms > over_ms:
                found.append(line.split("] ", 2)[-1].strip())
    return found


# ---- tick -----------------------------------------------------------------------------------

def build_state(contacts: int, base_ms: int, seed: int):
    tenant = "tick-bench"
    events = generate([tenant], contacts, base_ms, seed)
    pipeline = Pipeline()
    for type_name, event in events:
        pipeline.apply_event(topic_for(type_name, event), type_name, event)
    pipeline.take_changes()
    return pipeline.state(tenant), len(events), tick_event(tenant, base_ms + HOUR)


def measure_tick(contacts: int, base_ms: int, seed: int, repeat: int = 3, budget_s: float = 10.0):
    """Best of `repeat` run_tick calls (fewer once `budget_s` is spent); the first run is
    sampled (profiles.Sampler), so a slow tick needs no second, profiled run."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as pr:
        pr.add_task(f"tick: building a tenant with {contacts:,} contacts")
        state, n_events, tick = build_state(contacts, base_ms, seed)
    times, outputs, sampler = [], [], profiles.Sampler()
    with bar() as progress:
        task = progress.add_task(f"tick: run_tick over {contacts:,} contacts", total=repeat)
        for i in range(repeat):
            t = time.perf_counter()
            if i == 0:
                with sampler:
                    outputs = run_tick(state, None, tick)
            else:
                outputs = run_tick(state, None, tick)
            times.append(time.perf_counter() - t)
            progress.advance(task)
            if sum(times) > budget_s:
                break
    kinds: dict[str, int] = {}
    for type_name, _ in outputs:
        kinds[type_name] = kinds.get(type_name, 0) + 1
    return {"contacts": contacts, "events": n_events, "seconds": round(min(times), 3),
            "all_seconds": [round(t, 3) for t in times], "outputs": kinds}, (state, tick, sampler)


# ---- the report -----------------------------------------------------------------------------

def fmt_rate(x):
    return f"{x:,.0f} ev/s"


def print_results(res: dict) -> None:
    ceiling = res["ceiling"]["events_per_s"]
    table = Table(title=f"revloop bench: {res['config']['events']:,} events, {res['config']['partitions']} partitions"
                        f", {res['config']['cpus']} CPUs")
    for col, just in (("measure", "left"), ("figure", "right"), ("x ceiling", "right"), ("target", "left"),
                      ("", "left")):
        table.add_column(col, justify=just)

    def mark(ok):
        return "" if ok is None else ("[green]met" if ok else "[red]missed")

    reads = res["ceiling"].get("reads", [])
    table.add_row("ceiling: consume + decode" + (f" (median of {len(reads)} reads: "
                                                 f"{', '.join(f'{r / 1000:.1f}k' for r in reads)})" if len(reads) > 1 else ""),
                  fmt_rate(ceiling), "1.00", "", "")
    for key, label in (("replay_duckdb", "replay -> DuckDB"), ("replay_postgres", "replay -> Postgres"),
                       ("faust_noop", "Faust alone: no-op agent, same app/batching"),
                       ("live_duckdb", "live worker -> DuckDB (produce to lag 0)"),
                       ("outage_duckdb", "worker after an outage -> DuckDB (process start to lag 0)")):
        if key in res:
            ratio = res[key]["events_per_s"] / ceiling
            target = TARGETS.get(key)
            if res[key].get("shards", 1) > 1:
                label += f" ({res[key]['shards']} shard processes)"
            table.add_row(label, fmt_rate(res[key]["events_per_s"]), f"{ratio:.2f}",
                          f">= {target}" if target else "", mark(ratio >= target if target else None))
    if "live_duckdb" in res:
        live = res["live_duckdb"]
        split = ", ".join(map(str, live.get("catch_up_processes") or [])) or "none"
        table.add_row("live worker CPU while projecting", f"{live['worker_cpu_cores']:.2f} cores "
                      f"(catch-ups split over: {split} processes)", "", "", "")
        table.add_row("live worker start-up (to first commit)", f"{live['startup_seconds']:.1f} s", "", "", "")
    if "outage_duckdb" in res:
        out = res["outage_duckdb"]
        table.add_row("  of which restore + catch-up (the worker's own count)",
                      f"{out['caught_up_in_ready']:,} in {out['ready_seconds']:.1f} s", "", "", "")
    startups = res.get("startup", [])
    for i, start in enumerate(startups):
        first = startups[0]["seconds_to_first_live_event"]
        ratio = start["seconds_to_first_live_event"] / first if first else 0
        table.add_row(f"worker start-up to first live event, {start['history_events']:,} events of history",
                      f"{start['seconds_to_first_live_event']:.1f} s", "", f"< 2 x the first ({ratio:.2f} x)" if i
                      else "", mark(ratio < 2) if i else "")
    if "latency_postgres" in res:
        lat = res["latency_postgres"]
        table.add_row(f"latency p50 / p99 at {lat['rate_per_s']} ev/s (Postgres; steady state, after the "
                      f"first {lat['settle_s']:.0f} s)", f"{lat['p50_ms']:.0f} / {lat['p99_ms']:.0f} ms", "",
                      "p99 < 250 ms", mark(lat["p99_ms"] < 250))
    if "scale_out" in res:
        import scale_out

        for row in scale_out.rows(res["scale_out"], ceiling):
            table.add_row(*row)
    for tick in res.get("tick", []):
        target = TARGETS["tick_100000_s"] if tick["contacts"] == 100_000 else None
        table.add_row(f"run_tick, {tick['contacts']:,} contacts", f"{tick['seconds']:.3f} s", "",
                      f"< {target} s" if target else "", mark(tick["seconds"] < target if target else None))
    if "growth" in res:
        import growth

        for row in growth.rows(res["growth"]):
            table.add_row(*row)
    for key, label in (("live_duckdb", "worker peak RSS (DuckDB run)"),
                       ("latency_postgres", "worker peak RSS (Postgres run)")):
        if key in res and res[key]["memory_mib"].get("VmHWM"):
            table.add_row(label, f"{res[key]['memory_mib']['VmHWM']:,.0f} MiB", "", "", "")
    console.print(table)
    for key, prof in res.get("profiles", {}).items():
        console.print(f"\n[bold]profile: {key}[/] ({prof.get('how', '')})")
        if "threads" in prof:
            console.print("  threads: " + ", ".join(f"{t['thread']} {t['pct']}%" for t in prof["threads"]))
            for r in prof["inclusive"]:
                console.print(f"  incl {r['incl_pct']:5.1f}%  {r['function']}")
            for r in prof["by_own_samples"][:10]:
                console.print(f"  own  {r['own_pct']:5.1f}%  {r['function']}")
        elif "by_cumulative_time" in prof:
            for r in prof["by_cumulative_time"][:10]:
                console.print(f"  cum  {r['cum_pct']:5.1f}%  {r['cum_s']:7.3f}s  {r['function']}")
            for r in prof["by_own_time"][:10]:
                calls = f"  x{r['calls']:,}" if "calls" in r else ""
                console.print(f"  own  {r['own_pct']:5.1f}%  {r['own_s']:7.3f}s  {r['function']}{calls}")


# ---- main -----------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=200_000, help="size of the book (about; 2 tenants)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tick-contacts", default="10000,100000", help="comma-separated tenant sizes for run_tick")
    ap.add_argument("--console-contacts", type=int, default=100_000,
                    help="tenant size for the console's page render times (0: skip; bench/console_pages.py)")
    ap.add_argument("--mail-messages", type=int, default=300,
                    help="test emails the mail classifier's throughput is measured on (0: skip; bench/mail_classification.py)")
    ap.add_argument("--latency-rate", type=int, default=200, help="touch events per second")
    ap.add_argument("--latency-seconds", type=float, default=20)
    ap.add_argument("--no-postgres", action="store_true", help="skip the Postgres replay and the latency run")
    ap.add_argument("--no-live", action="store_true", help="skip the worker runs")
    ap.add_argument("--startup-history", default="200000,2000000",
                    help="comma-separated history sizes for the worker start-up measure (empty: skip)")
    ap.add_argument("--scale-out", type=int, default=60_000,
                    help="events for the scale-out runs on Postgres: 3 workers with one killed, then 1 vs 2 "
                         "workers (0: skip; bench/scale_out.py)")
    ap.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                    help="profile missed targets (auto), every measure, or none")
    ap.add_argument("--peers", type=int, default=200_000,
                    help="JSON events for the peers' side by side (0: skip; bench/peers.py)")
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "bench.json"))
    args = ap.parse_args(argv)

    started = time.perf_counter()
    base = Settings.from_env()
    db_url = None if args.no_postgres else os.environ.get("DATABASE_URL")
    prefix = f"{base.topic_prefix}bench{int(time.time())}{uuid.uuid4().hex[:4]}."
    settings = replace(base, topic_prefix=prefix)
    workdir = tempfile.mkdtemp(prefix="revloop-bench-")
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    contacts = max(50, round(args.events / len(TENANTS) / EVENTS_PER_CONTACT))
    base_ms = int(time.time() * 1000) // HOUR * HOUR - 6 * HOUR
    res: dict = {"config": {
        "events": 0, "contacts_per_tenant": contacts, "tenants": len(TENANTS), "seed": args.seed,
        "partitions": settings.partitions, "bootstrap_servers": settings.bootstrap_servers,
        "cpus": os.cpu_count(), "python": platform.python_version(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip(),
    }, "profiles": {}}
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console) as pr:
            pr.add_task(f"generating {len(TENANTS)} tenants x {contacts:,} contacts (seed {args.seed}), encoding")
            t = time.perf_counter()
            records = encode_all(generate(TENANTS, contacts, base_ms, args.seed))
            res["config"]["generate_encode_seconds"] = round(time.perf_counter() - t, 2)
        res["config"]["events"] = total = len(records)
        create_topics(settings)
        res["config"]["produce_seconds"] = round(produce_all(settings, records, f"producing {total:,} events"), 2)

        res["ceiling"] = measure_ceiling(settings, total)
        res["replay_duckdb"] = measure_replay(settings, open_store(f"duckdb:{workdir}/replay.duckdb"),
                                              "replay -> fresh DuckDB file")
        if db_url:
            from revloop.projections.postgres_store import PostgresStore

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            try:
                res["replay_postgres"] = measure_replay(settings, PostgresStore(db_url, schema=schema),
                                                        "replay -> fresh Postgres schema")
            finally:
                pg_exec(db_url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        if args.peers:
            import peers

            console.print(f"[bold]peers[/]: one stateful workload over {args.peers:,} JSON events, one process each")
            res["peers"] = peers.measure(settings, args.peers, args.seed, console=console)
        if not args.no_live:
            res["faust_noop"] = measure_faust_noop(settings, total, workdir)
            res["live_duckdb"] = measure_live(settings, records, workdir)
            res["outage_duckdb"] = measure_outage(settings, records, workdir)
            res["startup"] = [measure_startup(settings, records, workdir, int(n))
                              for n in args.startup_history.split(",") if n.strip()]
            if db_url:
                res["latency_postgres"] = measure_latency(
                    settings, records, workdir, db_url, rate=args.latency_rate, seconds=args.latency_seconds,
                    warm_contacts=2000, keep_log=os.path.join(out_dir, "bench-latency-worker.log"))
                report_stalls(res["latency_postgres"])
            if db_url and args.scale_out:
                import scale_out

                res["scale_out"] = scale_out.measure(settings, db_url, args.scale_out, workdir, seed=args.seed)
        states = {}
        res["tick"] = []
        for n in (int(x) for x in args.tick_contacts.split(",") if x.strip()):
            figure, states[n] = measure_tick(n, base_ms, args.seed)
            res["tick"].append(figure)
        import growth

        res["growth"] = growth.measure()
        if args.console_contacts:
            import console_pages

            res["console_pages"] = console_pages.measure(args.console_contacts, seed=args.seed,
                                                         postgres=bool(db_url), progress=console.print)

        if args.mail_messages:
            import mail_classification

            console.print("[bold]mail classifier[/]: load time, throughput, test-split figures")
            mail = mail_classification.measure(args.mail_messages)
            figures = mail.pop("_figures")
            res["mail_classifier"] = mail

        # ---- profiles of what missed its target ----
        ceiling = res["ceiling"]["events_per_s"]
        want = {
            "replay_duckdb": res["replay_duckdb"]["events_per_s"] < TARGETS["replay_duckdb"] * ceiling,
            "live_duckdb": "live_duckdb" in res and
                           res["live_duckdb"]["events_per_s"] < TARGETS["live_duckdb"] * ceiling,
            "tick": any(t["contacts"] == 100_000 and t["seconds"] >= TARGETS["tick_100000_s"] for t in res["tick"]),
        }
        if args.profile != "never":
            if args.profile == "always":
                want = {k: True for k in want}
            if want["replay_duckdb"]:
                res["profiles"]["replay_duckdb"] = profile_replay(settings, workdir, out_dir)
            if want["tick"] and states:
                n = max(states)
                state, tick, sampler = states[n]
                seconds = next(t["seconds"] for t in res["tick"] if t["contacts"] == n)
                if seconds < 1.5:   # cheap enough to run again under cProfile (~5x slower), for call counts
                    _, prof = profiles.cprofile(run_tick, state, None, tick,
                                                out_path=os.path.join(out_dir, "bench-tick.prof"))
                    how = f"cProfile of one run_tick over {n:,} contacts, out/bench-tick.prof"
                else:
                    prof = sampler.summary()
                    how = (f"sampled (every 5 ms of CPU) during the first timed run_tick over {n:,} contacts; "
                           f"too slow to repeat under cProfile")
                res["profiles"][f"tick_{n}"] = {"how": how, **prof}
            if want["live_duckdb"] and not args.no_live:
                res["profiles"]["live_duckdb"] = profile_live(settings, records, workdir, out_dir)
    finally:
        res["config"]["bench_seconds"] = round(time.perf_counter() - started, 1)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as pr:
            pr.add_task(f"deleting topics and groups {prefix}*")
            delete_prefix(base, prefix)
            if "peers" in res:
                import peers

                peers.delete_topics(base, prefix)       # Quix's changelog topics hold the prefix inside
        shutil.rmtree(workdir, ignore_errors=True)
        with open(args.out, "w") as fh:
            json.dump(res, fh, indent=2)
    print_results(res)
    if "peers" in res:
        import peers

        console.print(peers.table(res["peers"]))
        if not res["peers"]["revloop_beats_every_peer"]:
            console.print("[red]peers: revloop's batched path does not beat every peer")
    if "mail_classifier" in res:
        import mail_classification

        mail_classification.print_results({**res["mail_classifier"], "_figures": figures}, console)
    if "console_pages" in res:
        import console_pages

        console.print(console_pages.table(res["console_pages"]))
    console.print(f"\n{args.out}  (bench took {res['config']['bench_seconds']:.0f}s)")
    return 0


def profile_replay(settings: Settings, workdir: str, out_dir: str, share: float = 0.35) -> dict:
    """cProfile of read_until (the replay loop, in this process: one shard's work) over the first
    `share` of every partition."""
    probe = kafka_clients.consumer(settings, f"{settings.topic_prefix}probe")
    try:
        stop_at = {tp: max(1, int(end * share)) for tp, end in
                   end_offsets(probe, settings, [t.name for t in TOPICS]).items() if end > 0}
    finally:
        probe.close()
    store = open_store(f"duckdb:{workdir}/profile.duckdb")
    store.ensure_schema()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as pr:
        pr.add_task(f"profiling replay over {sum(stop_at.values()):,} events (cProfile)")
        try:
            stats, prof = profiles.cprofile(read_until, settings, stop_at, Pipeline(), store=store,
                                            out_path=os.path.join(out_dir, "bench-replay.prof"))
        finally:
            store.close()
    return {"how": f"cProfile of streams.log_reader.read_until over {stats.records:,} events into DuckDB, "
                   f"out/bench-replay.prof", **prof}


def profile_live(settings: Settings, records, workdir: str, out_dir: str, share: float = 0.3) -> dict:
    """py-spy (all threads, sampling) on a fresh worker fed a share of the book."""
    if profiles.py_spy() is None:
        return {"how": "py-spy is not installed (.venv/bin/pip install py-spy): no worker profile"}
    n = max(1000, int(len(records) * share))
    path = os.path.join(out_dir, "bench-worker.pyspy.txt")
    if os.path.exists(path):
        os.remove(path)
    figure = measure_live(settings, records[:n], workdir, spy_path=path)
    if not profiles.wait_file(path):
        return {"how": "py-spy wrote no samples (ptrace not permitted?)"}
    summary = profiles.summarise_collapsed(path, focus=(
        "handle", "process", "decode", "apply_event", "apply", "take_changes", "write_batch", "flush",
        "_write_sql", "prepare_batch", "write_prepared", "execute", "_run", "run_once", "getmany", "_fetch_requests_routine",
        "take_events", "_py_aiter", "run_in_executor", "_commit"))
    return {"how": f"py-spy record (97 Hz, every thread, idle excluded) of the worker over {figure['events']:,} "
                   f"events ({figure['events_per_s']:,} ev/s while sampled), out/bench-worker.pyspy.txt",
            **summary}


if __name__ == "__main__":
    sys.modules.setdefault("run_bench", sys.modules[__name__])   # bench/scale_out.py uses its helpers
    sys.exit(main())
