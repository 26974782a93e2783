"""Run `revloop worker` as a real process and wait for it to catch up."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

from confluent_kafka import KafkaException

from revloop.streams.config import Settings, child_environ
from revloop.streams.progress import worker_lag
from tests.support.broker import ROOT, wait_for

# For a worker the test kills (SIGKILL, a fault-injected exit): a member that dies without leaving
# stays in its consumer group until its session times out (Faust: 60 s), and its successor's join
# waits that long. 6 s is the broker's minimum (group.min.session.timeout.ms); Faust reads both
# from the environment.
DIES_WITHOUT_LEAVING = {"BROKER_SESSION_TIMEOUT": "6", "BROKER_HEARTBEAT_INTERVAL": "1"}


class WorkerProcess:
    def __init__(self, settings: Settings, store_url: str, log_path, *, env: dict | None = None, cwd=ROOT,
                 module: tuple[str, ...] = ("revloop.streams.cli", "worker", "--store")):
        """env: variables added to the child's (e.g. Faust's BROKER_SESSION_TIMEOUT); cwd: where
        Faust puts its data folder; module: what `python -m` runs, the store URL last."""
        self.settings, self.store_url, self.log_path = settings, store_url, log_path
        self.env, self.cwd, self.module = env or {}, cwd, module
        self.proc = None

    def start(self) -> "WorkerProcess":
        env = {**child_environ(self.settings), **self.env}
        self.log = open(self.log_path, "ab")
        self.log_start = self.log.tell()     # this run's lines begin here (the file may hold an earlier run's)
        self.proc = subprocess.Popen([sys.executable, "-m", *self.module, self.store_url],
                                     cwd=self.cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def owned(self) -> set[int]:
        """The partitions the worker holds now, from its log (taken on, minus let go)."""
        have: set[int] = set()
        for line in self.tail(400_000).splitlines():
            m = re.search(r"partitions \[([\d, ]*)\] ready", line)
            if m:
                have |= {int(x) for x in m.group(1).split(",") if x.strip()}
            m = re.search(r"released partitions \[([\d, ]*)\]", line)
            if m:
                have -= {int(x) for x in m.group(1).split(",") if x.strip()}
        return have

    def cpu_seconds(self) -> float:
        """User + system CPU time of the worker process so far (Linux /proc)."""
        with open(f"/proc/{self.proc.pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def has_taken_partitions(self) -> bool:
        """This run has restored and caught up partitions of its own from the store (its
        "partitions [..] ready" line). Until then the committed offsets may be ahead of the
        store: a worker killed after a tick's transaction committed but before that tick's rows
        were written leaves lag 0 behind it, and its successor writes the rows on taking over."""
        self.log.flush()
        with open(self.log_path, "rb") as fh:
            fh.seek(self.log_start)
            return re.search(rb"partitions \[[\d, ]+\] ready", fh.read()) is not None

    def lag(self) -> int:
        """Records of the input topics the worker has not yet applied, by the offsets it
        commits (each topic in the group progress_groups names)."""
        return worker_lag(self.settings)

    def wait_caught_up(self, timeout: float = 90) -> None:
        def done():
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited {self.proc.returncode}:\n{self.tail()}")
            try:
                return self.has_taken_partitions() and self.lag() == 0
            except KafkaException:      # fresh topics: leaders still settling
                return False
        wait_for(done, timeout=timeout, interval=0.5, what="the worker to catch up")

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()
        return self.proc.returncode

    def tail(self, n: int = 4000) -> str:
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as fh:
            return fh.read()[-n:].decode(errors="replace")
