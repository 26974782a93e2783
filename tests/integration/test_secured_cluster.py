"""revloop on a secured cluster, for real: import, worker, tick and replay through the local
broker's SASL_SSL listener (SCRAM-SHA-512 over TLS, the CA made by openssl when the broker
started; tests/support/secured_kafka.py), and a wrong password refused in seconds with one
clear line."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

from revloop.projections.store import open_store
from revloop.schemas.jsonl import format_time, to_line
from revloop.streams import kafka_clients, offsets
from tests.support.broker import run_cli, wait_for
from tests.support.events import DAY, T0, client, contact, event, touch
from tests.support.projections import assert_same_rows, snapshot
from tests.support.worker_proc import WorkerProcess

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("broker-security")]
TENANT = "acme"


def book_file(path) -> str:
    ev = [("control", event("control", tenant=TENANT, at=T0 - 5 * DAY, event_id="ctl", enabled=True,
                            send_mode="dry_run", caps={"emails": 3})),
          ("client", client("c1", tenant=TENANT, at=T0 - 50 * DAY, event_id="c1"))]
    for i in range(4):
        ev.append(("contact", contact(f"p{i}", client_id="c1", tenant=TENANT, at=T0 - 40 * DAY, event_id=f"p{i}")))
        ev.append(("touch", touch(f"p{i}", tenant=TENANT, at=T0 - (20 + 2 * i) * DAY, event_id=f"t{i}")))
    path.write_text("".join(to_line(t, e) + "\n" for t, e in ev))
    return str(path)


def runs_on_log(settings) -> int:
    c = kafka_clients.consumer(settings, "revloop-test-probe")
    try:
        return offsets.records_on(c, settings, "runs")
    finally:
        c.close()


def test_import_worker_tick_and_replay_over_sasl_ssl(secured_kafka, tmp_path):
    s = secured_kafka
    assert s.bootstrap_servers.endswith(tuple(f":{p}" for p in range(1, 65536))) and s.sasl_username
    done = run_cli(s, "import", book_file(tmp_path / "book.jsonl"))
    assert done.returncode == 0, done.stderr
    assert "imported 10 event(s), rejected 0 line(s)" in done.stderr

    live = f"duckdb:{tmp_path / 'live.duckdb'}"
    worker = WorkerProcess(s, live, tmp_path / "worker.log").start()
    try:
        worker.wait_caught_up(timeout=120)
        tick = run_cli(s, "tick", "--at", format_time(T0 + 60_000), "--tenant", TENANT, "--json")
        assert tick.returncode == 0, tick.stderr
        assert '"tick_id": "acme:' in tick.stdout
        wait_for(lambda: runs_on_log(s) >= 1, timeout=120, what="the tick's run record")
        worker.wait_caught_up(timeout=60)
    finally:
        worker.stop()

    replayed = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    rebuilt = run_cli(s, "replay", "--store", replayed, "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert '"records": ' in rebuilt.stdout
    with open_store(live) as a, open_store(replayed) as b:
        rows = snapshot(a, TENANT)
        assert len(rows["agent_autonomous_runs"]) == 1 and len(rows["engagement_clocks"]) == 4
        assert_same_rows(rows, snapshot(b, TENANT))


@pytest.mark.parametrize("command", [("import", "BOOK"), ("worker", "--store", "duckdb:STORE"),
                                     ("tick", "--tenant", TENANT), ("replay", "--store", "duckdb:STORE")])
def test_a_wrong_password_fails_fast_with_one_clear_line(secured_kafka, tmp_path, command):
    bad = replace(secured_kafka, sasl_password="not-the-password")
    args = [a.replace("BOOK", book_file(tmp_path / "b.jsonl")).replace("STORE", str(tmp_path / "s.duckdb"))
            for a in command]
    started = time.monotonic()
    proc = run_cli(bad, *args, timeout=60)
    took = time.monotonic() - started
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 69, proc.stderr
    assert took < 15, f"took {took:.1f}s"
    assert "Traceback" not in proc.stderr and "not-the-password" not in proc.stderr + proc.stdout
    assert f"refused the credentials of user '{bad.sasl_username}' (SCRAM-SHA-512)" in lines[-1]
