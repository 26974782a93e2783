"""After `make run`'s summary, from a terminal: the console, the worker and the broker stay up.

The demo's DuckDB file cannot be read while a worker writes it (DuckDB locks the file to
one process), so the live phase projects into Postgres, which `make run` has up anyway: a
schema of its own (revloop_demo, made afresh each run), filled by a worker of the demo's
consumer group (its start-up rebuilds every row from the log, then it goes on live), and
read by the console through each tenant's reader role, as in production. The console's
writes (a kill switch, a card's answer) are events the worker applies while you watch.
Ctrl-C stops the console and the worker; `scripts/with-services.sh` then stops the broker
and Postgres it started.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import psycopg

SCHEMA = "revloop_demo"
LOGIN = "sam@{tenant}.example"          # an operator of the demo's people directory (demo_data.PEOPLE)


def wanted(mode: str) -> bool:
    """auto: only when a person is at a terminal (CI and scripts exit after the summary)."""
    if mode == "auto":
        return sys.stdin.isatty() and sys.stdout.isatty()
    return mode == "yes"


def _schema_url(url: str, schema: str) -> str:
    return url + ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={schema}")


def keep_serving(console, settings, tenants: list[str], out_dir: str, env: dict, *, port: int = 8780) -> int:
    from revloop.console.passwords import hash_password
    from revloop.console.users import write_user
    from revloop.projections.pg_tenants import provision_reader
    from revloop.projections.postgres_store import PostgresStore

    owner, admin = settings.database_url, settings.db_admin_url
    if not owner or not admin:
        console.print("[yellow]No Postgres (DATABASE_URL, DATABASE_URL_ADMIN): the console needs one to read while "
                      "the worker runs; run `make run` for the full setup.[/]")
        return 0
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
    with PostgresStore(owner, schema=SCHEMA) as store:
        store.ensure_schema()
    folder = os.path.join(out_dir, "console")
    readers = os.path.join(folder, "readers")
    os.makedirs(readers, mode=0o700, exist_ok=True)
    for tenant in tenants:
        password = secrets.token_urlsafe(24)
        provision_reader(owner, admin, tenant, password, schema=SCHEMA)
        fd = os.open(os.path.join(readers, tenant), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
    login, password = LOGIN.format(tenant=tenants[0]), secrets.token_urlsafe(9)
    users = os.path.join(folder, "users.json")
    if os.path.exists(users):
        os.remove(users)
    write_user(users, login, role=None, tenants=list(tenants), password_hash=hash_password(password))
    url = _schema_url(owner, SCHEMA)
    env = dict(env, REVLOOP_STORE=url, REVLOOP_CONSOLE_USERS=users, REVLOOP_CONSOLE_READERS=readers,
               REVLOOP_CONSOLE_AUDIT=os.path.join(folder, "audit.jsonl"),
               REVLOOP_CONSOLE_SECRET=secrets.token_hex(32))
    logs = {name: open(os.path.join(out_dir, f"{name}-live.log"), "wb") for name in ("worker", "console")}
    procs = {"worker": subprocess.Popen([sys.executable, "-m", "revloop.streams.cli", "worker", "--store", url],
                                        env=env, stdout=logs["worker"], stderr=subprocess.STDOUT)}
    try:
        with console.status("the worker projects the demo's log into Postgres for the console"):
            _wait_rows(owner, tenants, procs["worker"])
        procs["console"] = subprocess.Popen(
            [sys.executable, "-m", "revloop.streams.cli", "console", "--store", url, "--port", str(port)],
            env=env, stdout=logs["console"], stderr=subprocess.STDOUT)
        address = _wait_address(os.path.join(out_dir, "console-live.log"), procs["console"])
        if address is None:         # the port is taken: any free one
            procs["console"] = subprocess.Popen(
                [sys.executable, "-m", "revloop.streams.cli", "console", "--store", url, "--port", "0"],
                env=env, stdout=logs["console"], stderr=subprocess.STDOUT)
            address = _wait_address(os.path.join(out_dir, "console-live.log"), procs["console"])
        if address is None:
            console.print(f"[red]The console did not start: see {out_dir}/console-live.log[/]")
            return 1
        console.print(f"\n[bold]Console:[/] {address}/   sign in as [bold]{login}[/] with password "
                      f"[bold]{password}[/]  (an operator of the demo's people; tenants {', '.join(tenants)})")
        console.print("The worker and the broker stay up: throw a kill switch or answer a card and watch it "
                      "applied. Ctrl-C stops everything.")
        for sig in (signal.SIGINT, signal.SIGTERM):     # SIGINT too: a background job inherits it ignored
            signal.signal(sig, _interrupt)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        for fh in logs.values():
            fh.close()
        console.print("stopped the console and the worker")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _wait_rows(owner: str, tenants: list[str], worker, timeout: float = 600) -> None:
    """Until the worker has rebuilt the runs of every tenant (the last thing the demo wrote)."""
    deadline = time.monotonic() + timeout
    sql = f'SELECT count(DISTINCT tenant_id) FROM "{SCHEMA}"."agent_autonomous_runs" WHERE tenant_id = ANY(%s)'
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}: see its log")
        try:
            with psycopg.connect(owner, autocommit=True) as conn:
                if conn.execute(sql, [tenants]).fetchone()[0] == len(tenants):
                    return
        except psycopg.Error:
            pass
        time.sleep(1)
    raise TimeoutError("the worker did not project the demo into Postgres in time")


def _wait_address(log_path: str, proc, timeout: float = 30) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(log_path, "rb") as fh:
            m = re.findall(rb"console on (http://[\d.]+:\d+)/", fh.read())
        if m:
            return m[-1].decode()
        if proc.poll() is not None:
            return None
        time.sleep(0.2)
    return None
