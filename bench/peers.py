"""Peers: one trivial stateful workload through revloop's batched path and through other
stream processors, side by side, each in one process of its own.

    python bench/peers.py --events 20000          (KAFKA_BOOTSTRAP_SERVERS set; make bench runs it)

The workload: per (tenant, contact), the number of events and the latest `occurred_at`,
over N JSON events of about 216 bytes, generated deterministically and produced once to a
fresh topic (keyed by tenant, REVLOOP_PARTITIONS partitions). Every peer reads that topic
from the start and ends when all N are counted:
  raw      confluent-kafka consume + json.loads + a dict: the ceiling of this comparison
           (the consumer settings of streams.log_reader, a Kafka client of ours);
  revloop  streams.log_reader.read_until, the reader replay, catch-up and start-up use, with
           a pipeline that counts (what the product's batched path costs over raw);
  quix     Quix Streams: a StreamingDataFrame's stateful apply, State scoped by the message
           key (the tenant), defaults otherwise (RocksDB, changelog topic, at-least-once);
  bytewax  Bytewax: KafkaSource (tail=False), stateful_map keyed by (tenant, contact), one worker;
  faust    a Faust agent updating a Table (in-memory store, changelog topic); not in the
           default set: one event at a time it ran 336 ev/s on 20,000 events here (a 200,000-event
           run would take ten minutes of a shared machine), so `--peers ...,faust` asks for it.
Each peer's result (count, latest per pair, as its state held them) is checked against a
plain-Python computation over the same events: a peer that miscounts is reported as wrong,
not fast. The rate is events over the time from the first event seen to the last counted
(start-up, group joins and imports are left out, for every peer alike; `wall` includes them).

Quix Streams pins confluent-kafka < 2.13 and revloop runs on 2.16, so Quix runs in a venv of
its own (REVLOOP_BENCH_QUIX_PYTHON, default .venv-quix/bin/python; `make bench` builds it
from bench/quix-constraints.txt). The other peers run in revloop's venv (the `bench` extra).
This module imports only the standard library at the top: a peer's process imports what it uses.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

TOPIC = "peers.events"
TENANTS = 8
EVENTS_PER_CONTACT = 5
BASE_MS = 1_767_225_600_000          # 2026-01-01T00:00:00Z: fixed, so the events are too
PEERS = ("raw", "revloop", "quix", "bytewax", "faust")
DEFAULT_PEERS = ("raw", "revloop", "quix", "bytewax")
QUIX_PYTHON_ENV = "REVLOOP_BENCH_QUIX_PYTHON"
CHILD_TIMEOUT_S = 900


# ---- the events and the expected answer ----------------------------------------------------

def events(n: int, seed: int = 7):
    """(tenant key, JSON value) for n events; the same n and seed give the same bytes. Times
    wander back and forth a little, so "latest" (the largest) is not simply the last seen."""
    rng = random.Random(seed)
    contacts = max(1, n // (TENANTS * EVENTS_PER_CONTACT))
    channels = ("email", "phone", "sms", "meeting")
    for i in range(n):
        tenant = f"tenant-{rng.randrange(TENANTS):02d}"
        record = {
            "event_id": f"ev-{i:09d}", "type": "touch", "tenant_id": tenant,
            "contact_id": f"c-{rng.randrange(contacts):07d}",
            "occurred_at": BASE_MS + i * 1000 + rng.randrange(-600_000, 600_000),
            "channel": channels[i % 4], "direction": "outbound" if i % 3 else "inbound",
            "subject": f"Follow-up on order no. {rng.randrange(10**6):06d}", "source": "bench",
        }
        yield tenant.encode(), json.dumps(record, separators=(",", ":")).encode()


def expected(n: int, seed: int = 7) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for _, value in events(n, seed):
        e = json.loads(value)
        key = f"{e['tenant_id']}/{e['contact_id']}"
        cur = out.get(key)
        if cur is None:
            out[key] = [1, e["occurred_at"]]
        else:
            cur[0] += 1
            if e["occurred_at"] > cur[1]:
                cur[1] = e["occurred_at"]
    return out


# ---- the peers (each runs as `peers.py --child NAME`, in a process of its own) --------------

class Clock:
    """First event seen to the last one counted."""

    def __init__(self, total: int):
        self.total, self.seen, self.first, self.last = total, 0, None, None

    def start(self) -> None:
        if self.first is None:
            self.first = time.perf_counter()

    def counted(self, k: int = 1) -> bool:
        self.seen += k
        if self.seen >= self.total:
            self.last = time.perf_counter()
            return True
        return False


def count_into(table: dict, value: bytes) -> None:
    """The workload on one event, into a plain dict (the raw and revloop peers)."""
    e = json.loads(value)
    key = f"{e['tenant_id']}/{e['contact_id']}"
    cur = table.get(key)
    if cur is None:
        table[key] = [1, e["occurred_at"]]
    else:
        cur[0] += 1
        if e["occurred_at"] > cur[1]:
            cur[1] = e["occurred_at"]


def _settings(args):
    from dataclasses import replace

    from revloop.streams.config import Settings

    return replace(Settings.from_env(), bootstrap_servers=args.bootstrap, topic_prefix=args.prefix)


def run_raw(args, clock: Clock, finish=None) -> dict:
    from confluent_kafka import KafkaError, KafkaException, TopicPartition

    from revloop.streams import kafka_clients
    from revloop.streams.offsets import end_offsets

    settings = _settings(args)
    probe = kafka_clients.consumer(settings, f"{args.prefix}peers-probe")
    try:
        todo = {tp: end for tp, end in end_offsets(probe, settings, [TOPIC]).items() if end > 0}
    finally:
        probe.close()
    consumer = kafka_clients.consumer(settings, f"{args.prefix}peers-raw", **{
        "fetch.max.bytes": 64 * 1024 * 1024, "max.partition.fetch.bytes": 8 * 1024 * 1024,
        "queued.max.messages.kbytes": 262144})
    table: dict = {}
    try:
        consumer.assign([TopicPartition(t, p, 0) for (t, p) in todo])
        done = False
        while not done:
            msgs = consumer.consume(5000, 0.5)
            if msgs:
                clock.start()
            for msg in msgs:
                if msg.error():
                    if msg.error().code() == KafkaError._PARTITION_EOF:
                        continue
                    raise KafkaException(msg.error())
                count_into(table, msg.value())
                if clock.counted():
                    done = True
    finally:
        consumer.close()
    return table


class _Counting:
    """What read_until feeds its batches to (a Pipeline's process, for this workload)."""

    class Result:
        dead_letters = ()

    def __init__(self, clock: Clock):
        self.clock, self.table = clock, {}

    def process(self, batch):
        self.clock.start()
        table = self.table
        for rec in batch:
            count_into(table, rec.value)
        self.clock.counted(len(batch))
        return self.Result


def run_revloop(args, clock: Clock, finish=None) -> dict:
    from revloop.streams import kafka_clients
    from revloop.streams.log_reader import end_offsets, read_until

    settings = _settings(args)
    probe = kafka_clients.consumer(settings, f"{args.prefix}peers-probe")
    try:
        stop_at = end_offsets(probe, settings, [TOPIC])
    finally:
        probe.close()
    counting = _Counting(clock)
    read_until(settings, stop_at, counting)
    return counting.table


def run_quix(args, clock: Clock, finish=None) -> dict:
    from quixstreams import Application

    table: dict = {}
    state_dir = tempfile.mkdtemp(prefix="peers-quix-")
    app = Application(broker_address=args.bootstrap, consumer_group=f"{args.prefix}peers-quix",
                      auto_offset_reset="earliest", state_dir=state_dir, loglevel="WARNING")
    topic = app.topic(f"{args.prefix}{TOPIC}", value_deserializer="json")
    sdf = app.dataframe(topic)

    def update(e: dict, state):
        # State is scoped by the message key (the tenant): one entry per contact within it.
        clock.start()
        contact = e["contact_id"]
        cur = state.get(contact)
        if cur is None:
            cur = [1, e["occurred_at"]]
        else:
            cur = [cur[0] + 1, max(cur[1], e["occurred_at"])]
        state.set(contact, cur)
        table[f"{e['tenant_id']}/{contact}"] = cur
        clock.counted()
        return cur

    sdf.apply(update, stateful=True)
    # count: stop after N outputs; timeout: a guard should it stall (then it miscounts, and says so).
    app.run(count=args.events, timeout=120, collect=False)
    return table


def run_bytewax(args, clock: Clock, finish=None) -> dict:
    import bytewax.operators as op
    from bytewax.connectors.kafka import KafkaSource
    from bytewax.dataflow import Dataflow
    from bytewax.outputs import DynamicSink, StatelessSinkPartition
    from bytewax.testing import run_main

    table: dict = {}

    class _Part(StatelessSinkPartition):
        def write_batch(self, items) -> None:
            for key, cur in items:
                table[key] = cur
            clock.counted(len(items))

    class _Sink(DynamicSink):
        def build(self, step_id, worker_index, worker_count):
            return _Part()

    def decode(msg):
        clock.start()
        e = json.loads(msg.value)
        return f"{e['tenant_id']}/{e['contact_id']}", e["occurred_at"]

    def update(cur, occurred_at):
        cur = [1, occurred_at] if cur is None else [cur[0] + 1, max(cur[1], occurred_at)]
        return cur, cur

    flow = Dataflow("peers")
    # tail=False: the source ends at the end of each partition, and with it the dataflow.
    messages = op.input("in", flow, KafkaSource([args.bootstrap], [f"{args.prefix}{TOPIC}"], tail=False))
    keyed = op.map("decode", messages, decode)
    counted = op.stateful_map("count", keyed, update)
    op.output("out", counted, _Sink())
    run_main(flow)
    return table


def run_faust(args, clock: Clock, finish) -> None:
    """Writes its result itself once all are counted, then stops its worker (as
    bench/faust_noop.py does: SIGTERM, a clean stop)."""
    import signal
    import traceback

    import faust
    from faust.worker import Worker

    from revloop.streams import kafka_clients

    settings = _settings(args)
    table: dict = {}
    app = faust.App(f"{args.prefix}peers-faust", **kafka_clients.faust_broker_options(settings),
                    store="memory://", web_enabled=False, consumer_auto_offset_reset="earliest",
                    topic_partitions=settings.partitions)
    topic = app.topic(f"{args.prefix}{TOPIC}", key_type=bytes, value_serializer="json")
    contacts = app.Table("contacts", partitions=settings.partitions)

    @app.agent(topic)
    async def count(stream):
        async for e in stream:
            if clock.last is not None:
                continue
            try:
                clock.start()
                key = f"{e['tenant_id']}/{e['contact_id']}"
                cur = contacts.get(key)
                cur = [1, e["occurred_at"]] if cur is None else [cur[0] + 1, max(cur[1], e["occurred_at"])]
                contacts[key] = cur
                table[key] = cur
            except Exception:
                traceback.print_exc()      # a crashed agent leaves the worker running: fail now instead
                os._exit(1)
            if clock.counted():
                finish(table)
                os.kill(os.getpid(), signal.SIGTERM)

    try:
        Worker(app, loglevel="WARNING", quiet=True).execute_from_commandline()
    except SystemExit:
        pass
    return None


RUNNERS = {"raw": run_raw, "revloop": run_revloop, "quix": run_quix, "bytewax": run_bytewax, "faust": run_faust}


def child(args) -> int:
    started = time.perf_counter()
    clock = Clock(args.events)

    def finish(table: dict) -> None:
        end = clock.last or time.perf_counter()
        with open(args.result, "w") as fh:
            json.dump({"seen": clock.seen, "seconds": (end - clock.first) if clock.first else None,
                       "wall": time.perf_counter() - started, "table": table}, fh)

    table = RUNNERS[args.child](args, clock, finish)
    if table is not None:
        finish(table)
    return 0


# ---- the parent: topic, events, one process per peer, checks, table --------------------------

def python_for(peer: str) -> str | None:
    if peer != "quix":
        return sys.executable
    path = os.environ.get(QUIX_PYTHON_ENV) or os.path.join(ROOT, ".venv-quix", "bin", "python")
    return path if os.path.exists(path) else None


def prepare(settings, n: int, seed: int, progress=None) -> float:
    """A fresh topic with the N events on it; returns the seconds producing took."""
    from confluent_kafka.admin import NewTopic

    from revloop.streams import kafka_clients

    admin = kafka_clients.admin(settings)
    for future in admin.create_topics([NewTopic(settings.topic(TOPIC), settings.partitions, 1)]).values():
        future.result()
    p = kafka_clients.producer(settings, **{"queue.buffering.max.messages": 1_000_000, "linger.ms": 20})
    started = time.perf_counter()
    name = settings.topic(TOPIC)
    for i, (key, value) in enumerate(events(n, seed)):
        while True:
            try:
                p.produce(name, key=key, value=value)
                break
            except BufferError:
                p.poll(0.05)
        if i % 5000 == 0:
            p.poll(0)
            if progress:
                progress(i)
    if p.flush(120):
        raise RuntimeError("the peers' events were not all delivered")
    return time.perf_counter() - started


def run_peer(settings, peer: str, n: int, workdir: str) -> dict:
    python = python_for(peer)
    if python is None:
        return {"peer": peer, "status": "missing",
                "detail": f"no Quix Streams venv ({QUIX_PYTHON_ENV} or .venv-quix; `make bench` builds it)"}
    result = os.path.join(workdir, f"{peer}.json")
    cmd = [python, os.path.abspath(__file__), "--child", peer, "--events", str(n), "--result", result,
           "--bootstrap", settings.bootstrap_servers, "--prefix", settings.topic_prefix]
    env = {**os.environ, "PYTHONPATH": ROOT if peer != "quix" else ""}
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"peer": peer, "status": "failed", "detail": f"no result within {CHILD_TIMEOUT_S}s"}
    if proc.returncode != 0 or not os.path.exists(result):
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"peer": peer, "status": "failed", "detail": f"exit {proc.returncode}: " + " | ".join(tail)}
    with open(result) as fh:
        out = json.load(fh)
    out["wall"] = round(time.perf_counter() - started, 2)
    return {"peer": peer, **out}


def check(result: dict, want: dict) -> dict:
    """The peer's table against the plain-Python one: right, or what is wrong with it."""
    table = result.pop("table", None)
    if table is None:
        return result
    wrong = [k for k, v in want.items() if table.get(k) != v]
    extra = [k for k in table if k not in want]
    if wrong or extra:
        sample = wrong[0] if wrong else extra[0]
        result.update(status="wrong", detail=f"{len(wrong)} of {len(want)} pairs differ, {len(extra)} unexpected; "
                                             f"e.g. {sample}: {table.get(sample)} != {want.get(sample)}")
    else:
        result["status"] = "ok"
    return result


def measure(settings, n: int, seed: int = 7, peers=DEFAULT_PEERS, console=None) -> dict:
    """Run the peers on N events under settings' topic prefix (the caller deletes its topics)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    workdir = tempfile.mkdtemp(prefix="revloop-peers-")
    out: dict = {"events": n, "partitions": settings.partitions, "seed": seed, "peers": {}}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(f"peers: producing {n:,} JSON events", total=n)
        out["produce_seconds"] = round(prepare(settings, n, seed, lambda i: progress.update(task, completed=i)), 2)
        progress.update(task, completed=n)
        want = expected(n, seed)
        out["pairs"] = len(want)
        value_bytes = [len(v) for _, v in events(min(n, 2000), seed)]
        out["mean_event_bytes"] = round(sum(value_bytes) / len(value_bytes))
        for peer in peers:
            task = progress.add_task(f"peers: {peer}", total=None)
            r = check(run_peer(settings, peer, n, workdir), want)
            if r.get("status") == "ok" and r.get("seconds"):
                r["events_per_s"] = round(n / r["seconds"])
                r["seconds"] = round(r["seconds"], 3)
            r["wall"] = round(r["wall"], 2) if "wall" in r else None
            out["peers"][peer] = r
            progress.update(task, total=1, completed=1,
                            description=f"peers: {peer} {r.get('status')} {r.get('events_per_s', '')}")
    ceiling = out["peers"].get("raw", {}).get("events_per_s")
    for r in out["peers"].values():
        if ceiling and r.get("events_per_s"):
            r["ratio"] = round(r["events_per_s"] / ceiling, 3)
    ours = out["peers"].get("revloop", {}).get("events_per_s")
    others = {p: r.get("events_per_s") for p, r in out["peers"].items() if p not in ("raw", "revloop")}
    out["revloop_beats_every_peer"] = bool(ours) and all(v is not None and ours > v for v in others.values())
    return out


def table(res: dict):
    from rich.table import Table

    t = Table(title=f"peers: per (tenant, contact) count + latest occurred_at, {res['events']:,} JSON events "
                    f"(~{res.get('mean_event_bytes', '?')} B), {res['partitions']} partitions, one process each")
    for col, just in (("peer", "left"), ("events/s", "right"), ("x raw", "right"), ("seconds", "right"),
                      ("wall s", "right"), ("result", "left")):
        t.add_column(col, justify=just)
    for peer, r in res["peers"].items():
        status = r.get("status", "?")
        shown = "[green]ok[/]" if status == "ok" else f"[red]{status}[/] {r.get('detail', '')}"
        t.add_row(peer, f"{r['events_per_s']:,}" if r.get("events_per_s") else "-",
                  f"{r['ratio']:.2f}" if r.get("ratio") else "-",
                  f"{r['seconds']:.2f}" if isinstance(r.get("seconds"), (int, float)) else "-",
                  f"{r['wall']:.1f}" if r.get("wall") else "-", shown)
    return t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--peers", default=",".join(DEFAULT_PEERS), help=f"comma-separated, of {', '.join(PEERS)}")
    ap.add_argument("--out", help="write the figures here as JSON")
    ap.add_argument("--child", choices=PEERS, help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--bootstrap", help=argparse.SUPPRESS)
    ap.add_argument("--prefix", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args)

    sys.path.insert(0, ROOT)
    from dataclasses import replace
    import uuid

    from rich.console import Console

    from revloop.streams.config import Settings

    console = Console()
    base = Settings.from_env()
    settings = replace(base, topic_prefix=f"{base.topic_prefix}peers{int(time.time())}{uuid.uuid4().hex[:4]}.")
    peers = tuple(p.strip() for p in args.peers.split(",") if p.strip())
    unknown = set(peers) - set(PEERS)
    if unknown:
        ap.error(f"unknown peer(s): {', '.join(sorted(unknown))}")
    try:
        res = measure(settings, args.events, args.seed, peers, console)
    finally:
        delete_topics(base, settings.topic_prefix)
    console.print(table(res))
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(res, fh, indent=2)
    bad = [p for p, r in res["peers"].items() if r.get("status") != "ok"]
    if bad:
        console.print(f"[red]not ok: {', '.join(bad)}")
    return 1 if bad else 0


def delete_topics(settings, prefix: str) -> None:
    """The peers' topic, Quix's and Faust's changelogs and the groups, all under the prefix."""
    from revloop.streams import kafka_clients, offsets

    admin = kafka_clients.admin(settings)
    names = [t for t in offsets.all_topics(admin, timeout=15) if t.startswith(prefix)
             or prefix in t]     # Quix names its changelog topics changelog__<group>--<topic>--<store>
    for future in admin.delete_topics(names, operation_timeout=60).values() if names else ():
        try:
            future.result()
        except Exception:
            pass
    try:
        groups = [g.group_id for g in admin.list_consumer_groups(request_timeout=15).result().valid
                  if g.group_id.startswith(prefix)]
        for future in admin.delete_consumer_groups(groups, request_timeout=30).values() if groups else ():
            future.result()
    except Exception:
        pass          # best effort: a group is small and harmless


if __name__ == "__main__":
    sys.exit(main())
