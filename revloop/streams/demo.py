"""`revloop demo` (what `make run` runs): the whole loop on the embedded default.

Creates fresh topics, produces a seeded demonstration book, starts the real worker and the
real sender (limited_live, to a local Resend-shaped server), drives simulated hours of
ticks in a fixed past business week (DEMO_WEEK_START: nothing depends on the day it runs),
lets a simulated operator answer cards every few hours, stops everything and summarises the
DuckDB projections: compliance first vs last hour, cards by kind and status, outcomes.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from revloop.connectors.resend_local import LocalResend
from revloop.processors.cards import CardError
from revloop.streams import kafka_clients
from revloop.streams.card_desk import Desk
from revloop.streams.config import Settings, child_environ
from revloop.streams.demo_data import DEMO_WEEK_START, HOUR, generate
from revloop.streams.mail_classify import MailReader, with_classifications
from revloop.streams.email_sink import EmailSink, SenderConfig
from revloop.streams.kafka_io import create_topics, flush_or_raise, producer
from revloop.streams.tick_producer import tick_event
from revloop.streams.topics import topic_for

TENANTS = ["acme-appraisals", "keystone-inspections"]
QUERIES = {   # README "Querying": the views over the snapshot (FILE.snapshot.duckdb)
    "compliance by hour": "SELECT tenant_id, as_of, compliance_rate, overdue FROM v_run_metrics ORDER BY tenant_id, as_of",
    "who to call first": "SELECT tenant_id, contact_name, client_name, days_overdue, never_touched FROM v_overdue_contacts "
                         "ORDER BY never_touched DESC, days_overdue DESC NULLS LAST LIMIT 10",
    "open exceptions by client": "SELECT client_name, code, count(*) FROM v_open_exceptions GROUP BY ALL ORDER BY 3 DESC",
    "latest decision per target": "SELECT kind, decision, count(*) FROM v_action_backlog GROUP BY ALL ORDER BY 3 DESC",
    "open cards, soonest due first": "SELECT tenant_id, kind, title, asked, due_at FROM cards WHERE status = 'open' "
                                     "ORDER BY due_at LIMIT 20",
}


def _lag_zero(settings: Settings) -> bool:
    from revloop.streams.progress import worker_lag

    return worker_lag(settings) == 0


def _runs_so_far(settings: Settings) -> int:
    """Run records committed (runs is written in transactions: its end offset counts commit
    markers too)."""
    from revloop.streams.kafka_io import read_topic

    return sum(1 for _ in read_topic(settings, settings.topic("runs")))


def _wait(predicate, timeout: float, what: str, worker=None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if worker is not None and worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}: see its log")
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.5)


def run_demo(settings: Settings, *, contacts: int, hours: int, out_dir: str, seed: int, serve: bool = False) -> int:
    console = Console()
    started = time.perf_counter()
    settings = replace(settings, topic_prefix=f"{settings.topic_prefix}demo{int(time.time())}.")
    if settings.action_key is None:
        # The worker signs its decisions and the sender verifies them: a key for this run only.
        settings = replace(settings, action_key=secrets.token_hex(16).encode())
    if settings.unsubscribe_secret is None:                  # the local sender's links
        settings = replace(settings, unsubscribe_secret=secrets.token_hex(24))
    os.makedirs(out_dir, exist_ok=True)
    db = os.path.join(out_dir, "revloop.duckdb")
    sent_log = os.path.join(out_dir, "sent-log.sqlite")
    from revloop.projections.duckdb_store import snapshot_path

    for path in (db, db + ".wal", snapshot_path(db), sent_log, sent_log + "-wal", sent_log + "-shm"):
        if os.path.exists(path):
            os.remove(path)
    create_topics(settings)
    base = DEMO_WEEK_START
    events = generate(TENANTS, contacts, base, seed)
    # The demo's mail is read as the Gmail poller reads it: classified once, recorded beside it.
    reader = MailReader.load(settings)
    reader.clock = lambda: base / 1000
    events = with_classifications(events, reader)
    codec, p = kafka_clients.codec(settings), producer(settings)
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

    env = child_environ(settings)
    log = open(os.path.join(out_dir, "worker.log"), "wb")
    worker = subprocess.Popen([sys.executable, "-m", "revloop.streams.cli", "worker", "--store", f"duckdb:{db}"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    # The sender runs beside the worker on simulated time, sending to a local Resend-shaped server.
    clock = {"now": base}
    resend = LocalResend().start()
    sink = EmailSink(settings, SenderConfig(api_key="re_demo_local_server", sent_log_path=sent_log,
                                            api_url=resend.url), clock=lambda: clock["now"])
    stop = threading.Event()
    sender = threading.Thread(target=sink.run, kwargs={"stop": stop}, name="demo-sender", daemon=True)
    sender.start()
    operator = DemoOperator(settings)
    try:
        with Progress(console=console) as bar:
            task = bar.add_task("worker projecting the book", total=None)
            _wait(lambda: _lag_zero(settings), 600, "the worker to project the book", worker)
            bar.update(task, total=1, completed=1)
            task = bar.add_task(f"simulating {hours} hourly ticks (sending, people answering cards)", total=hours)
            for h in range(hours):
                as_of = base + (h + 1) * HOUR
                clock["now"] = as_of
                for tenant in TENANTS:
                    p.produce(settings.topic("ticks"), key=tenant.encode(),
                              value=codec.encode("tick", tick_event(tenant, as_of)))
                flush_or_raise(p)
                _wait(lambda: _runs_so_far(settings) >= len(TENANTS) * (h + 1), 300, f"hour {h + 1} to run", worker)
                # Minutes later the sender has worked through the hour's approved email.
                clock["now"] = as_of + 10 * 60_000
                ends = _end_offsets(settings, "actions")
                _wait(lambda: sink.settled_through(ends) or not sender.is_alive(), 300,
                      f"the sender to settle hour {h + 1}", worker)
                if not sender.is_alive():
                    raise RuntimeError("the sender stopped: see the log above")
                if h % OPERATOR_EVERY_HOURS == OPERATOR_EVERY_HOURS - 1 or h == hours - 1:
                    operator.work(TENANTS, at=as_of + 30 * 60_000)
                bar.update(task, advance=1)
    finally:
        stop.set()
        sender.join(60)
        resend.stop()
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        log.close()
    summarise(console, db, sent=len(resend.emails), operator=operator)
    from revloop.streams.report import write_report

    report = write_report(db, os.path.join(out_dir, "report.html"))
    console.print(f"\nDuckDB file: [bold]{db}[/]  (finished in {time.perf_counter() - started:.0f}s)")
    console.print(f"HTML report: [bold]{report}[/]  (open it in a browser; self-contained, no network)")
    if serve:        # from a terminal: the console, the worker and the broker stay up until Ctrl-C
        from revloop.streams.demo_console import keep_serving

        return keep_serving(console, settings, TENANTS, out_dir, env)
    return 0


def _end_offsets(settings: Settings, topic: str) -> dict[int, int]:
    from revloop.streams.log_reader import end_offsets

    probe = kafka_clients.consumer(settings, "revloop-demo-probe")
    try:
        return {part: end for (_, part), end in end_offsets(probe, settings, [topic]).items()}
    finally:
        probe.close()


OPERATOR_EVERY_HOURS = 3
ANSWERS_PER_ROUND = 12      # per tenant: a person gets through some of the queue, not all of it


class DemoOperator:
    """A person working the card queue every few simulated hours, as `revloop cards` would: accepts order
    fixes, stage advances and clients' requests (and finishes the ones accepted before), takes on
    escalations about clients' mail and feedback, and leaves the rest open."""

    def __init__(self, settings: Settings):
        self.desk = Desk(settings, topics=("actions", "cards", "orders", "clients", "catalog", "deals", "control"))
        self.answered: dict[str, int] = {}

    def work(self, tenants: list[str], at: int) -> None:
        self.desk.load()
        for tenant in tenants:
            queue = self.desk.cards(tenant)
            # Finish what was taken on in an earlier round, then take on new work, most consequential first.
            for card in [c for c in queue if c["status"] == "accepted"]:
                self._answer(tenant, card, "done", at)
            fresh = sorted((c for c in queue if c["status"] == "open" and self.takes(c)),
                           key=lambda c: (TAKE_ORDER.index(c["rule"].split(".")[0]), c["due_at"], c["card_id"]))
            for card in fresh[:ANSWERS_PER_ROUND]:
                self._answer(tenant, card, "accept", at)

    def _answer(self, tenant: str, card: dict, decision: str, at: int) -> None:
        try:
            self.desk.answer(tenant, card["card_id"], decision, "u1", "demo operator", at=at)
        except CardError as exc:     # e.g. the order changed since: said so, and left for the next check
            decision = "reject"
            self.desk.answer(tenant, card["card_id"], decision, "u1", f"demo operator: {exc}", at=at)
        self.answered[decision] = self.answered.get(decision, 0) + 1

    @staticmethod
    def takes(card: dict) -> bool:
        """Order fixes, stage advances, clients' requests, and escalations about clients' mail and feedback;
        order escalations stay for someone else."""
        return card["rule"].split(".")[0] in TAKE_ORDER and not card["rule"].startswith("orders.escalate")


# The families of cards the demo operator takes, in the order it takes them.
TAKE_ORDER = ("orders", "deals", "tasks", "replies", "feedback", "compliance")


# An email deferred to its recipient's hours (or a contact's cap) is decided once per wait; "went" counts
# those approved afterwards (the sender's outcome says whether each was sent).
WAITED_SQL = """
SELECT w.tenant_id, w.policy, count(DISTINCT w.rule || ':' || w.target_id) AS waited,
       count(DISTINCT CASE WHEN a.action_id IS NOT NULL THEN w.rule || ':' || w.target_id END) AS went
FROM agent_actions w
LEFT JOIN agent_actions a ON a.tenant_id = w.tenant_id AND a.rule = w.rule AND a.target_id = w.target_id
     AND a.decision = 'approved' AND a.decided_at > w.decided_at
WHERE w.decision = 'deferred' AND w.policy IN ('sending_window', 'contact_frequency')
GROUP BY 1, 2 ORDER BY 1, 2"""


def waiting_table(con) -> Table:
    """How many emails waited for their recipients' hours (and for a contact's cap), and how many went."""
    counts: dict[str, dict] = {}
    for tenant, policy, waited, went in con.execute(WAITED_SQL).fetchall():
        counts.setdefault(tenant, {})[policy] = (waited, went)
    approved = dict(con.execute("SELECT tenant_id, count(*) FROM agent_actions WHERE decision = 'approved' "
                                "AND kind IN ('send_email', 'follow_up') GROUP BY 1").fetchall())
    table = Table(title="Sending etiquette: emails that waited for their recipients' hours (8:00-17:00 their "
                        "time, working days) or for a contact's cap (1 a day, 3 a week)")
    for col in ("tenant", "client emails approved", "waited for recipients' hours", "of them went later",
                "waited for a contact's cap", "of them went later"):
        table.add_column(col)
    for tenant in sorted(set(counts) | set(approved)):
        hours = counts.get(tenant, {}).get("sending_window", (0, 0))
        cap = counts.get(tenant, {}).get("contact_frequency", (0, 0))
        table.add_row(tenant, str(approved.get(tenant, 0)), str(hours[0]), str(hours[1]), str(cap[0]), str(cap[1]))
    return table


def summarise(console: Console, db: str, sent: int | None = None, operator: DemoOperator | None = None) -> None:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    runs = con.execute("SELECT tenant_id, min_by(json_extract(metrics, '$.compliance_rate'), as_of), "
                       "max_by(json_extract(metrics, '$.compliance_rate'), as_of), count(*) "
                       "FROM agent_autonomous_runs GROUP BY 1 ORDER BY 1").fetchall()
    table = Table(title="Engagement compliance, first vs last simulated hour")
    for col in ("tenant", "first hour", "last hour", "change", "runs"):
        table.add_column(col)
    for tenant, first, last, n in runs:
        table.add_row(tenant, f"{float(first):.1%}", f"{float(last):.1%}",
                      f"{(float(last) - float(first)) * 100:+.1f} pts", str(n))
    console.print(table)
    console.print(waiting_table(con))
    for title, sql, cols in (
        ("Cards by kind and status", "SELECT kind, status, count(*) FROM cards GROUP BY ALL ORDER BY 1, 2",
         ("kind", "status", "count")),
        ("Email outcomes (what the sender did with approved email)",
         "SELECT json_extract_string(payload, '$.outcome') AS outcome, count(*) FROM warehouse_events "
         "WHERE event_type = 'email_outcome' AND json_extract_string(payload, '$.action_id') IS NOT NULL "
         "GROUP BY 1 ORDER BY 2 DESC", ("outcome", "count")),
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
    if sent is not None:
        console.print(f"Emails received by the local Resend-shaped server: [bold]{sent}[/]")
    if operator is not None:
        console.print("The simulated operator answered: " + (", ".join(f"{n} {d}" for d, n in
                                                                      sorted(operator.answered.items())) or "nothing"))
    from revloop.projections.duckdb_store import snapshot_path

    console.print(f"\nQueries to try (duckdb -readonly {snapshot_path(db)}; it opens while a worker runs):")
    for title, sql in QUERIES.items():
        console.print(f"  -- {title}\n  {sql};")
    con.close()
