"""Fault-injection fixtures: a private Kafka broker and a private Postgres that a test may stop.

The shared services (Kafka on 9092, Postgres on 54329) are used by every other
test at the same time, so a test that takes a service away starts its own copy
on free loopback ports through the same scripts `make test` uses
(scripts/kafka-local.sh, scripts/pg-local.sh), each with its own data directory,
and wipes it afterwards. Nothing here ever stops the shared services.

Also the tally: every reliability test records the faults it injected, the bad
inputs it tried and what was lost; `pytest` prints the totals at the end.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from revloop.streams.config import Settings
from revloop.streams.kafka_io import create_topics
from revloop.streams.progress import partition_lag
from tests.support.broker import ROOT

SCRIPTS = Path(ROOT) / "scripts"


# ---- the tally -------------------------------------------------------------------------------

TALLY: dict[str, Counter] = {}

# Attacks on the control plane (tests/integration/test_security_*.py): each tried, refused,
# and what it wrote where it should not have (must stay 0).
SECURITY: dict[str, Counter] = {}

# What this process recorded since its last test report. The counts travel on the reports
# (pytest_runtest_makereport), so that under pytest-xdist, where tests run in worker processes,
# the process that prints the summary adds them up as well (pytest_runtest_logreport).
_PENDING: list[tuple[str, str, dict[str, int]]] = []


def tally(kind: str, **counts: int) -> None:
    """Add counts (injected, survived, bad_inputs, dead_lettered, lost, ...) under a fault kind."""
    _PENDING.append(("tally", kind, counts))
    line = ", ".join(f"{k}={v}" for k, v in counts.items())
    print(f"[reliability] {kind}: {line}")


def tally_attack(attack: str, *, tried: int, refused: int, written: int) -> None:
    """Record one attack: how often it was tried, how often refused, how many events/rows/sends it
    got through where it should not have."""
    _PENDING.append(("attack", attack, dict(tried=tried, refused=refused, written=written)))
    print(f"[security] {attack}: tried={tried}, refused={refused}, written={written}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if _PENDING:
        report.revloop_tally = list(_PENDING)     # plain lists and dicts: xdist serialises them
        _PENDING.clear()


def pytest_runtest_logreport(report):
    counts = getattr(report, "revloop_tally", None)
    if not counts or os.environ.get("PYTEST_XDIST_WORKER"):   # a worker: its controller adds them up
        return
    for what, name, c in counts:
        (TALLY if what == "tally" else SECURITY).setdefault(name, Counter()).update(c)
    out = os.environ.get("REVLOOP_TALLY_FILE")
    if out and TALLY:
        with open(out, "w") as fh:
            json.dump({k: dict(v) for k, v in TALLY.items()}, fh, indent=1, sort_keys=True)


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        terminalreporter.section("reliability tally")
        for kind, counts in sorted(TALLY.items()):
            terminalreporter.write_line(f"{kind:28} " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if SECURITY:
        terminalreporter.section("reliability tally: security (attacks tried, refused, written)")
        for attack, c in sorted(SECURITY.items()):
            terminalreporter.write_line(f"{attack:66} tried={c['tried']}, refused={c['refused']}, "
                                        f"written={c['written']}")
        total = sum(SECURITY.values(), Counter())
        terminalreporter.write_line(f"{'all attacks':66} tried={total['tried']}, refused={total['refused']}, "
                                    f"written={total['written']}")


# ---- helpers ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _run(script: str, args: list[str], env: dict, timeout: float) -> None:
    proc = subprocess.run(["bash", str(SCRIPTS / script), *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{script} {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0


def lag(worker, attempts: int = 20) -> int:
    """worker.lag(), retried while the group coordinator or a leader is still moving."""
    from confluent_kafka import KafkaException

    for attempt in range(attempts):
        try:
            return worker.lag()
        except KafkaException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def wait_caught_up(worker, timeout: float = 120) -> None:
    """WorkerProcess.wait_caught_up, tolerant of a broker that is still electing leaders
    (right after a restart, offset queries answer NOT_LEADER for a moment)."""
    from confluent_kafka import KafkaException

    deadline = time.monotonic() + timeout
    while True:
        if worker.proc.poll() is not None:
            raise AssertionError(f"worker exited {worker.proc.returncode}:\n{worker.tail()}")
        try:
            behind = partition_lag(worker.settings) if worker.has_taken_partitions() else "partitions not taken on yet"
            if behind == {}:
                return
        except KafkaException as exc:
            behind = exc
        if time.monotonic() > deadline:
            # Which (topic, partition) is stuck, and the worker's whole story since the outage.
            raise AssertionError(f"timed out after {timeout}s waiting for the worker to catch up "
                                 f"(lag by partition: {behind}); worker log ({worker.log_path}):\n{worker.tail(40000)}")
        time.sleep(0.5)


# ---- a private broker ------------------------------------------------------------------------

class OwnBroker:
    """A single-node KRaft broker on free ports with its own state directory."""

    def __init__(self, state_dir: Path):
        self.port, self.controller_port = free_port(), free_port()
        self.state_dir = state_dir
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.env = dict(os.environ, KAFKA_PORT=str(self.port), KAFKA_CONTROLLER_PORT=str(self.controller_port),
                        KAFKA_STATE_DIR=str(state_dir), KAFKA_BOOTSTRAP_SERVERS=self.bootstrap,
                        KAFKA_SKIP_TXN_CHECK="1", KAFKA_START_TIMEOUT="90",
                        # C1 only: a throwaway broker starts ~30% sooner on a small machine.
                        KAFKA_HEAP_OPTS="-Xmx384m -Xms128m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=2")
        # A plaintext broker of its own: the SASL_SSL listener's port belongs to the shared one.
        for name in ("KAFKA_SASL_SSL_PORT", "KAFKA_AUTHORIZER"):
            self.env.pop(name, None)

    def up(self) -> float:
        started = time.monotonic()
        _run("kafka-local.sh", ["up"], self.env, timeout=150)
        return time.monotonic() - started

    def down(self) -> None:
        _run("kafka-local.sh", ["down"], self.env, timeout=60)
        assert not port_open(self.port)

    def kill(self) -> None:
        """SIGKILL the broker (no controlled shutdown)."""
        pid = int((self.state_dir / "broker.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.1)

    def settings(self, partitions: int = 2) -> Settings:
        settings = replace(Settings.from_env(), bootstrap_servers=self.bootstrap,
                           topic_prefix=f"out{uuid.uuid4().hex[:8]}.", partitions=partitions)
        create_topics(settings)
        return settings


@pytest.fixture
def own_broker(tmp_path):
    """A private broker that the test may stop and start; stopped and wiped afterwards."""
    if _docker_answers():
        pytest.skip("kafka-local.sh would manage the shared docker-compose broker; outage tests need the JVM mode")
    broker = OwnBroker(tmp_path / "kafka")
    broker.up()
    try:
        yield broker
    finally:
        subprocess.run(["bash", str(SCRIPTS / "kafka-local.sh"), "down", "--wipe"], env=broker.env,
                       capture_output=True, timeout=60)


# ---- a private Postgres ----------------------------------------------------------------------

class OwnPostgres:
    """A throwaway PostgreSQL 15 cluster on a free port (data in .cache/pg-<port>)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(ROOT) / ".cache" / f"pg-{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_URL_APP")}
        self.env = dict(env, PGPORT_LOCAL=str(self.port), PG_LOCAL_DIR=str(self.dir))
        self.url = f"postgresql://revloop_owner:revloop_owner@127.0.0.1:{self.port}/revloop"
        self.app_url = f"postgresql://revloop_app:revloop_app@127.0.0.1:{self.port}/revloop"

    def up(self) -> None:
        _run("pg-local.sh", ["up"], self.env, timeout=120)

    def down(self) -> None:
        _run("pg-local.sh", ["down"], self.env, timeout=90)
        assert not port_open(self.port)


@pytest.fixture
def own_postgres():
    """A private Postgres that the test may stop and start; stopped and wiped afterwards."""
    if not (shutil.which("pg_ctl") or list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))):
        pytest.skip("PostgreSQL server binaries not found")
    pg = OwnPostgres()
    pg.up()
    try:
        yield pg
    finally:
        subprocess.run(["bash", str(SCRIPTS / "pg-local.sh"), "down", "--wipe"], env=pg.env, capture_output=True,
                       timeout=90)
        shutil.rmtree(pg.dir, ignore_errors=True)
