"""Scale-out on Postgres, for `make bench` (issue 14): several `revloop worker` processes in one
consumer group, started and killed as tests/integration/test_scale_out.py does
(tests/support/worker_proc.WorkerProcess), one tenant per partition (the tenant is the key, so
the partitions carry equal work).

  kill        3 workers on 6 partitions; the rest of the book streams in and one worker is
              SIGKILLed part-way. Once the other two hold every partition and have caught up
              (lag 0 by the offsets they commit), the store must equal a single-process replay
              of the same log into a fresh schema: every table of every tenant, row by row, as
              tests/support/projections.assert_same_rows compares; in warehouse_events every
              produced event_id exactly once (0 lost, 0 duplicated).
  throughput  the same events through 1 worker, then through 2 (fresh topics and schema each):
              the warm-up events first, until every partition is assigned and applied, then the
              rest of the book produced at once and timed from the first produce to lag 0, with
              each worker's CPU seconds. Where the workers, Postgres and the broker share fewer
              CPUs than they could use, 2 need not beat 1: the CPU figures say why.

Standalone (measures a ceiling of its own): .venv/bin/python bench/scale_out.py --events 20000
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, HERE]

from confluent_kafka import KafkaException  # noqa: E402
from rich.table import Table  # noqa: E402

import run_bench as rb  # noqa: E402
from revloop.projections.postgres_store import PostgresStore  # noqa: E402
from revloop.projections.store import open_store  # noqa: E402
from revloop.streams.config import Settings  # noqa: E402
from revloop.streams.demo_data import HOUR, generate  # noqa: E402
from revloop.streams.kafka_clients import partition_for  # noqa: E402
from revloop.streams.kafka_io import create_topics, producer  # noqa: E402
from revloop.streams.progress import worker_lag  # noqa: E402
from revloop.streams.replay import replay  # noqa: E402
from tests.support.projections import assert_same_rows, snapshot  # noqa: E402
from tests.support.worker_proc import WorkerProcess  # noqa: E402

PARTITIONS = 6
KILL_WORKERS = 3
KILL_AT = 0.4          # share of the stream sent when the victim is killed
STREAM_CHUNKS = 20     # the stream is produced in this many parts, STREAM_PAUSE_S apart
STREAM_PAUSE_S = 0.25
# Faust's group session, as the product runs it (Faust's default): a SIGKILLed member's
# partitions move after this. Shorter (the integration test's 6 s) gets members evicted on this
# loaded 2-CPU machine, whose heartbeat thread can starve for seconds.
SESSION_TIMEOUT_S = 60
WORKER_ENV = {"BROKER_SESSION_TIMEOUT": str(SESSION_TIMEOUT_S)}

console = rb.console


# ---- data -----------------------------------------------------------------------------------

def tenants_per_partition(partitions: int = PARTITIONS) -> list[str]:
    """One tenant name for each partition number."""
    found: dict[int, str] = {}
    i = 0
    while len(found) < partitions:
        name = f"scale-tenant-{i}"
        found.setdefault(partition_for(name, partitions), name)
        i += 1
    return [found[p] for p in range(partitions)]


def book(events: int, seed: int, base_ms: int) -> list[tuple]:
    """The demo book over one tenant per partition, encoded, the tenants interleaved (each
    tenant's events in their order) so every partition is busy all along the stream."""
    tenants = tenants_per_partition()
    contacts = max(50, round(events / len(tenants) / rb.EVENTS_PER_CONTACT))
    by_tenant: dict[str, list] = {t: [] for t in tenants}
    for rec in rb.encode_all(generate(tenants, contacts, base_ms, seed)):
        by_tenant[rec[4]["tenant_id"]].append(rec)
    longest = max(len(v) for v in by_tenant.values())
    return [v[i] for i in range(longest) for v in by_tenant.values() if i < len(v)]


# ---- workers --------------------------------------------------------------------------------

class Group:
    """N workers in one consumer group on one Postgres schema, on topics of their own."""

    def __init__(self, base: Settings, db_url: str, workdir: str, name: str, workers: int):
        self.settings = replace(base, topic_prefix=f"{base.topic_prefix}{name}.", partitions=PARTITIONS)
        create_topics(self.settings)
        self.db_url, self.schema = db_url, f"bench_{name}_{uuid.uuid4().hex[:8]}"
        rb.pg_exec(db_url, f'CREATE SCHEMA "{self.schema}"')
        self.store_url = rb.pg_schema_url(db_url, self.schema)
        env = dict(WORKER_ENV, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
        self.workers = [WorkerProcess(self.settings, self.store_url, os.path.join(workdir, f"{name}-{i}.log"),
                                      env=env, cwd=workdir) for i in range(workers)]
        self.dead: set[int] = set()

    def start(self) -> None:
        for w in self.workers:
            w.start()

    def alive(self) -> list[WorkerProcess]:
        return [w for i, w in enumerate(self.workers) if i not in self.dead]

    def check_alive(self) -> None:
        for w in self.alive():
            if w.proc.poll() is not None:
                raise RuntimeError(f"a worker exited with {w.proc.returncode}:\n{w.tail()}")

    def spread(self) -> bool:
        """Every live worker holds partitions, none held twice, all held."""
        owned = [w.owned() for w in self.alive()]
        return all(owned) and sum(len(o) for o in owned) == PARTITIONS and set().union(*owned) == set(
            range(PARTITIONS))

    def lag(self) -> int | None:
        try:
            return worker_lag(self.settings)
        except KafkaException:       # fresh topics: leaders still settling
            return None

    def wait(self, what: str, done, timeout: float, progress=None, task=None) -> float:
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            if done():
                return time.perf_counter()
            if time.monotonic() > deadline:
                logs = "\n".join(w.tail(1500) for w in self.alive())
                raise TimeoutError(f"{what}: not within {timeout:.0f}s (lag {self.lag()})\n{logs}")
            if progress is not None:
                progress.update(task, description=f"{what} (lag {self.lag()})")
            time.sleep(0.25)

    def wait_settled(self, what: str, timeout: float = 300) -> float:
        """Every partition held by a live worker and applied to the end of the log."""
        with rb.bar() as progress:
            task = progress.add_task(what, total=None)
            return self.wait(what, lambda: self.spread() and self.lag() == 0, timeout, progress, task)

    def stop(self) -> None:
        for i, w in enumerate(self.workers):
            if w.proc is not None and i not in self.dead:
                w.stop()

    def drop(self) -> None:
        rb.pg_exec(self.db_url, f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


# ---- kill one of three ----------------------------------------------------------------------

def measure_kill(base: Settings, db_url: str, records, workdir: str) -> dict:
    group = Group(base, db_url, workdir, "sokill", KILL_WORKERS)
    warm = [r for r in records if r[3] in rb.WARMUP_TYPES]
    stream = [r for r in records if r[3] not in rb.WARMUP_TYPES]
    head, stream = stream[:len(stream) // 4], stream[len(stream) // 4:]
    clean_schema = f"bench_soclean_{uuid.uuid4().hex[:8]}"
    try:
        # Started on empty topics: taking partitions on is instant, so the group settles at
        # once (a take-over runs inside the rebalance callback, where the member sends no
        # heartbeats: see the note in measure's docstring).
        group.start()
        group.wait_settled(f"kill: {KILL_WORKERS} workers share {PARTITIONS} partitions")
        rb.produce_all(group.settings, warm + head, f"kill: {len(warm) + len(head):,} events first")
        group.wait_settled(f"kill: {KILL_WORKERS} workers apply the first {len(warm) + len(head):,} events")
        victim_no = KILL_WORKERS - 1
        victim = group.workers[victim_no]
        victims = sorted(victim.owned())
        cpu_before = [w.cpu_seconds() for w in group.workers]

        size = -(-len(stream) // STREAM_CHUNKS)
        chunks = [stream[k:k + size] for k in range(0, len(stream), size)]
        kill_after = max(1, round(len(chunks) * KILL_AT))
        kill_now = threading.Event()
        failed: list[BaseException] = []

        def feed():
            try:
                produce_paced(group.settings, chunks, {kill_after: kill_now.set},
                              f"kill: streaming {len(stream):,} events; worker {victim_no} dies at part {kill_after}")
            except BaseException as exc:    # reported by the main thread
                failed.append(exc)
            finally:
                kill_now.set()

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        kill_now.wait()
        # The feeder goes on: the victim dies with records in flight, mid-stream.
        victim.stop(signal.SIGKILL)
        group.dead.add(victim_no)
        killed_at = time.perf_counter()
        feeder.join()
        if failed:
            raise failed[0]
        recovered = group.wait_settled(f"kill: the 2 survivors take partitions {victims} over, caught up", 600)
        cpu = [round(w.cpu_seconds() - cpu_before[i], 2) for i, w in enumerate(group.workers) if i != victim_no]
        took_over = [sorted(w.owned()) for w in group.alive()]
        logs = [w.tail(400_000) for w in group.alive()]
        group.stop()

        # The same log, one process, a fresh schema.
        console.print("[bold]kill[/]: single-process replay of the same log into a fresh schema")
        clean = PostgresStore(db_url, schema=clean_schema)
        try:
            stats = replay(group.settings, clean, show_progress=True, workers=1)
        finally:
            clean.close()
        result = compare(group.store_url, rb.pg_schema_url(db_url, clean_schema),
                         {r[4]["event_id"] for r in records}, tenants_per_partition())
        return {"workers": KILL_WORKERS, "partitions": PARTITIONS, "events": len(records),
                "session_timeout_s": SESSION_TIMEOUT_S,
                "killed_partitions": victims, "killed_after_events": len(warm) + len(head) + sum(
                    len(c) for c in chunks[:kill_after]),
                "recovery_seconds": round(recovered - killed_at, 2), "survivors_own": took_over,
                "survivor_cpu_seconds": cpu, "replayed_events": stats.records,
                "checkpoints_used_on_takeover": any("checkpoints used" in log_ for log_ in logs), **result}
    finally:
        group.stop()
        group.drop()
        rb.pg_exec(db_url, f'DROP SCHEMA IF EXISTS "{clean_schema}" CASCADE')


def produce_paced(settings: Settings, chunks, at: dict, label: str) -> None:
    """Each chunk produced and flushed, STREAM_PAUSE_S apart; at[i]() is called before chunk i."""
    p = producer(settings, **{"queue.buffering.max.messages": 1_000_000})
    with rb.bar() as progress:
        task = progress.add_task(label, total=sum(len(c) for c in chunks))
        for i, chunk in enumerate(chunks):
            if i in at:
                at[i]()
            for topic, key, value, _, _ in chunk:
                rb.produce_one(p, settings, topic, key, value)
            if p.flush(120):
                raise RuntimeError("events not delivered")
            progress.advance(task, len(chunk))
            time.sleep(STREAM_PAUSE_S)


def compare(live_url: str, clean_url: str, produced: set[str], tenants: list[str]) -> dict:
    """The live store against the replay: warehouse_events by event_id, then every table of
    every tenant as assert_same_rows compares them."""
    with open_store(live_url) as live, open_store(clean_url) as clean:
        ids = [r["event_id"] for r in live.rows("warehouse_events")]
        clean_ids = {r["event_id"] for r in clean.rows("warehouse_events")}
        differing = {}
        for t in tenants:
            try:
                assert_same_rows(snapshot(live, t), snapshot(clean, t))
            except AssertionError as exc:
                differing[t] = str(exc).splitlines()[0]
    return {"warehouse_rows": len(ids), "replay_warehouse_rows": len(clean_ids),
            "lost": len(produced - set(ids)), "duplicated": len(ids) - len(set(ids)),
            "tables_equal_replay": not differing, "differing": differing}


# ---- 1 worker, then 2 -----------------------------------------------------------------------

def measure_throughput(base: Settings, db_url: str, records, workdir: str, workers: int) -> dict:
    """Warm-up events until every partition is held and applied, then the rest of the book at
    once: first produce to lag 0 (the figure is conservative by up to the 1 s commit interval)."""
    group = Group(base, db_url, workdir, f"so{workers}w", workers)
    warm = [r for r in records if r[3] in rb.WARMUP_TYPES]
    bulk = [r for r in records if r[3] not in rb.WARMUP_TYPES]
    try:
        group.start()
        rb.produce_all(group.settings, warm, f"{workers} worker(s): warm-up events")
        group.wait_settled(f"{workers} worker(s): every partition held and applied")
        cpu0 = [w.cpu_seconds() for w in group.workers]
        load = [os.getloadavg()[0]]     # the machine is shared: how busy it was, for the reader
        started = time.perf_counter()
        produce_s = rb.produce_all(group.settings, bulk, f"{workers} worker(s): produce the book")
        finished = group.wait_settled(f"{workers} worker(s): projecting {len(bulk):,} events", 1800)
        cpu = [round(w.cpu_seconds() - c, 2) for w, c in zip(group.workers, cpu0)]
        load.append(os.getloadavg()[0])
        owned = [sorted(w.owned()) for w in group.workers]
    finally:
        group.stop()
        group.drop()
    seconds = finished - started
    return {"workers": workers, "events": len(bulk), "seconds": round(seconds, 3),
            "events_per_s": round(len(bulk) / seconds), "produce_seconds": round(produce_s, 3),
            "worker_cpu_seconds": cpu, "worker_cpu_cores": round(sum(cpu) / seconds, 2), "partitions_owned": owned,
            "loadavg_1m_before_after": [round(x, 2) for x in load]}


# ---- the whole measure ----------------------------------------------------------------------

def measure(base: Settings, db_url: str, events: int, workdir: str, *, seed: int = 7) -> dict:
    """base: settings under the bench run's topic prefix (everything here goes below it)."""
    base_ms = int(time.time() * 1000) // HOUR * HOUR - 6 * HOUR
    records = book(events, seed, base_ms)
    console.print(f"[bold]scale-out[/]: {len(records):,} events, {len(tenants_per_partition())} tenants, "
                  f"{PARTITIONS} partitions, Postgres")
    res = {"events": len(records), "partitions": PARTITIONS, "tenants": len(tenants_per_partition())}
    # A failed run is a finding: kept (with the worker's last words), and the bench goes on.
    try:
        res["kill"] = measure_kill(base, db_url, records, workdir)
    except Exception as exc:
        res["kill"] = {"error": f"{type(exc).__name__}: {exc}"[-3000:]}
    try:
        res["throughput"] = [measure_throughput(base, db_url, records, workdir, n) for n in (1, 2)]
        one, two = res["throughput"]
        res["two_vs_one"] = round(two["events_per_s"] / one["events_per_s"], 2)
    except Exception as exc:
        res["throughput_error"] = f"{type(exc).__name__}: {exc}"[-3000:]
    return res


def kill_ok(res: dict) -> bool:
    kill = res["kill"]
    return "error" not in kill and kill["lost"] == 0 and kill["duplicated"] == 0 and kill["tables_equal_replay"]


def rows(res: dict, ceiling: float) -> list[tuple[str, str, str, str, str]]:
    """(measure, figure, x ceiling, target, met) rows for the bench table."""
    kill = res["kill"]
    label = f"scale-out: {KILL_WORKERS} workers / {res['partitions']} partitions (Postgres), one SIGKILLed"
    if "error" in kill:
        out = [(label, "failed: " + kill["error"].splitlines()[0][:120], "", "0 lost, 0 duplicated, = replay",
                "[red]missed")]
    else:
        out = [(label, f"lost {kill['lost']}, duplicated {kill['duplicated']}, tables "
                       f"{'=' if kill['tables_equal_replay'] else '!='} replay", "",
                "0 lost, 0 duplicated, = replay", "[green]met" if kill_ok(res) else "[red]missed"),
               (f"scale-out: survivors caught up after the kill (session timeout {kill['session_timeout_s']} s)",
                f"{kill['recovery_seconds']:.1f} s", "", "", "")]
    if "throughput_error" in res:
        return out + [("scale-out: 1 vs 2 workers", "failed: " + res["throughput_error"].splitlines()[0][:120],
                       "", "", "[red]missed")]
    for t in res["throughput"]:
        cpu = " + ".join(f"{c:.0f}" for c in t["worker_cpu_seconds"])
        out.append((f"scale-out: {t['workers']} worker(s) on {res['partitions']} partitions (Postgres; "
                    f"worker CPU {cpu} s in {t['seconds']:.0f} s)", rb.fmt_rate(t["events_per_s"]),
                    f"{t['events_per_s'] / ceiling:.2f}", "", ""))
    out.append(("scale-out: 2 workers vs 1", f"{res['two_vs_one']:.2f} x", "", "", ""))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "scale_out.json"))
    args = ap.parse_args(argv)
    db_url = os.environ.get("DATABASE_URL")
    if not db_url:
        raise SystemExit("DATABASE_URL is not set (eval \"$(bash scripts/pg-local.sh env)\")")
    base = Settings.from_env()
    prefix = f"{base.topic_prefix}soalone{int(time.time())}{uuid.uuid4().hex[:4]}."
    settings = replace(base, topic_prefix=prefix)
    workdir = tempfile.mkdtemp(prefix="revloop-scale-out-")
    try:
        ceiling_settings = replace(settings, topic_prefix=f"{prefix}ceil.", partitions=PARTITIONS)
        create_topics(ceiling_settings)
        records = book(args.events, args.seed, int(time.time() * 1000) // HOUR * HOUR - 6 * HOUR)
        rb.produce_all(ceiling_settings, records, f"ceiling: producing {len(records):,} events")
        ceiling = rb.measure_ceiling(ceiling_settings, len(records))
        res = measure(settings, db_url, args.events, workdir, seed=args.seed)
        res["ceiling"] = ceiling
    finally:
        rb.delete_prefix(base, prefix)
        shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(res, fh, indent=2)
    table = Table(title=f"scale-out: {res['events']:,} events; ceiling {rb.fmt_rate(ceiling['events_per_s'])}")
    for col in ("measure", "figure", "x ceiling", "target", ""):
        table.add_column(col)
    for row in rows(res, ceiling["events_per_s"]):
        table.add_row(*row)
    console.print(table)
    return 0 if kill_ok(res) and "throughput_error" not in res else 1


if __name__ == "__main__":
    sys.exit(main())
