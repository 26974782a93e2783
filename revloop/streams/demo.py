"""`revloop demo` (what `make run` runs): the whole loop on the embedded default.

Creates fresh topics, produces a seeded demonstration book, starts the real
worker, drives simulated hours of ticks, stops the worker and summarises the
DuckDB projections for people to read.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from revloop.schemas.codec import codec_from_env
from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.demo_data import HOUR, generate
from revloop.streams.kafka_io import create_topics, flush_or_raise, producer
from revloop.streams.tick_producer import tick_event
from revloop.streams.topics import topic_for

TENANTS = ["acme-appraisals", "keystone-inspections"]
QUERIES = {
    "compliance by hour": "SELECT tenant_id, as_of, json_extract(metrics, '$.compliance_rate') AS compliance "
                          "FROM agent_autonomous_runs ORDER BY tenant_id, as_of",
    "open exceptions by code": "SELECT code, count(*) FROM order_processing_exceptions WHERE status = 'open' "
                               "GROUP BY code ORDER BY 2 DESC",
    "most overdue contacts": "SELECT tenant_id, email, next_touch_due FROM engagement_clocks "
                             "WHERE next_touch_due < now() ORDER BY next_touch_due LIMIT 10",
    "actions by decision": "SELECT kind, decision, count(*) FROM agent_actions GROUP BY ALL ORDER BY 3 DESC",
}


def _lag_zero(settings: Settings, group: str) -> bool:
    from confluent_kafka import TopicPartition

    from revloop.streams.topics import INPUT_TOPICS
    c = kafka_clients.consumer(settings, group)
    try:
        meta = c.list_topics(timeout=10).topics
        tps = [TopicPartition(settings.topic(t), p) for t in INPUT_TOPICS for p in meta[settings.topic(t)].partitions]
        return all(c.get_watermark_offsets(tp, timeout=10)[1] <= max(tp.offset, 0)
                   for tp in c.committed(tps, timeout=10))
    finally:
        c.close()


def _runs_so_far(settings: Settings) -> int:
    from confluent_kafka import TopicPartition
    c = kafka_clients.consumer(settings, "revloop-demo-probe")
    try:
        topic = settings.topic("runs")
        parts = c.list_topics(topic, timeout=10).topics[topic].partitions
        return sum(c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts)
    finally:
        c.close()


def _wait(predicate, timeout: float, what: str, worker=None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if worker is not None and worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}: see its log")
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.5)


def run_demo(settings: Settings, *, contacts: int, hours: int, out_dir: str, seed: int) -> int:
    console = Console()
    started = time.perf_counter()
    settings = replace(settings, topic_prefix=f"{settings.topic_prefix}demo{int(time.time())}.")
    os.makedirs(out_dir, exist_ok=True)
    db = os.path.join(out_dir, "revloop.duckdb")
    for path in (db, db + ".wal"):
        if os.path.exists(path):
            os.remove(path)
    create_topics(settings)
    base = int(time.time() * 1000) // HOUR * HOUR - hours * HOUR
    events = generate(TENANTS, contacts, base, seed)
    codec, p = codec_from_env(), producer(settings)
    with Progress(console=console) as bar:
        task = bar.add_task(f"producing {len(events):,} events", total=len(events))
        for i, (type_name, event) in enumerate(events):
            p.produce(settings.topic(topic_for(type_name, event)), key=event["tenant_id"].encode(),
                      value=codec.encode(type_name, event))
            if i % 1000 == 0:
                p.poll(0)
                bar.update(task, completed=i)
        flush_or_raise(p)
        bar.update(task, completed=len(events))

    env = dict(os.environ, REVLOOP_TOPIC_PREFIX=settings.topic_prefix,
               KAFKA_BOOTSTRAP_SERVERS=settings.bootstrap_servers)
    log = open(os.path.join(out_dir, "worker.log"), "wb")
    worker = subprocess.Popen([sys.executable, "-m", "revloop.streams.cli", "worker", "--store", f"duckdb:{db}"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    group = f"{settings.topic_prefix}{settings.consumer_group}"
    try:
        with Progress(console=console) as bar:
            task = bar.add_task("worker projecting the book", total=None)
            _wait(lambda: _lag_zero(settings, group), 600, "the worker to project the book", worker)
            bar.update(task, total=1, completed=1)
            task = bar.add_task(f"simulating {hours} hourly ticks", total=hours)
            for h in range(hours):
                for tenant in TENANTS:
                    p.produce(settings.topic("ticks"), key=tenant.encode(),
                              value=codec.encode("tick", tick_event(tenant, base + (h + 1) * HOUR)))
                flush_or_raise(p)
                _wait(lambda: _runs_so_far(settings) >= len(TENANTS) * (h + 1), 300, f"hour {h + 1} to run", worker)
                bar.update(task, advance=1)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        log.close()
    summarise(console, db)
    from revloop.streams.report import write_report

    report = write_report(db, os.path.join(out_dir, "report.html"))
    console.print(f"\nDuckDB file: [bold]{db}[/]  (finished in {time.perf_counter() - started:.0f}s)")
    console.print(f"HTML report: [bold]{report}[/]  (open it in a browser; self-contained, no network)")
    return 0


def summarise(console: Console, db: str) -> None:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    runs = con.execute("SELECT tenant_id, min_by(json_extract(metrics, '$.compliance_rate'), as_of), "
                       "max_by(json_extract(metrics, '$.compliance_rate'), as_of), count(*) "
                       "FROM agent_autonomous_runs GROUP BY 1 ORDER BY 1").fetchall()
    table = Table(title="Engagement compliance")
    for col in ("tenant", "first hour", "last hour", "runs"):
        table.add_column(col)
    for tenant, first, last, n in runs:
        table.add_row(tenant, f"{float(first):.1%}", f"{float(last):.1%}", str(n))
    console.print(table)
    for title, sql, cols in (
        ("Order exceptions by code", "SELECT code, status, count(*) FROM order_processing_exceptions "
                                     "GROUP BY ALL ORDER BY 3 DESC", ("code", "status", "count")),
        ("Actions by kind and decision", "SELECT kind, decision, count(*) FROM agent_actions GROUP BY ALL "
                                         "ORDER BY 3 DESC", ("kind", "decision", "count")),
        ("Policies that blocked most", "SELECT policy, count(*) FROM agent_policy_violations GROUP BY 1 "
                                       "ORDER BY 2 DESC", ("policy", "count")),
        ("Alerts raised", "SELECT kind, severity, count(*) FROM agent_alerts GROUP BY ALL ORDER BY 3 DESC",
         ("kind", "severity", "count")),
    ):
        table = Table(title=title)
        for col in cols:
            table.add_column(col)
        for row in con.execute(sql).fetchall():
            table.add_row(*(str(v) for v in row))
        console.print(table)
    console.print("\nQueries to try (duckdb " + db + "):")
    for title, sql in QUERIES.items():
        console.print(f"  -- {title}\n  {sql};")
    con.close()
