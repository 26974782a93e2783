"""Run `revloop worker` as a real process and wait for it to catch up."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.streams import kafka_clients, offsets
from revloop.streams.config import Settings, child_environ
from revloop.streams.worker import progress_groups
from tests.support.broker import ROOT, wait_for


def worker_lag(settings: Settings) -> int:
    """Records of the input topics the worker has not yet applied, by the offsets it commits
    (each topic in the group worker.progress_groups names). A partition written in
    transactions ends in a commit marker no consumer receives (the email sender's outcomes):
    past the committed offset only records a read_committed reader gets are counted."""
    by_group: dict[str, list[str]] = {}
    for topic, group in progress_groups(settings).items():
        by_group.setdefault(group, []).append(topic)
    total = 0
    for group, topics in by_group.items():
        c = kafka_clients.consumer(settings, group)
        try:
            ends = offsets.end_offsets(c, settings, topics, timeout=10)
            behind = []
            for tp, at in offsets.committed_offsets(c, list(ends), timeout=10).items():
                gap = ends[tp] - at
                if gap > SMALL_GAP:
                    total += gap               # far behind: no need to look closer
                elif gap > 0:
                    behind.append(TopicPartition(*tp, at))
        finally:
            c.close()
        total += _committed_records_from(settings, behind)
    return total


SMALL_GAP = 200


def _committed_records_from(settings: Settings, starts: list[TopicPartition]) -> int:
    if not starts:
        return 0
    reader = kafka_clients.consumer_committed(settings, "lag-reader", **{"enable.partition.eof": True})
    try:
        reader.assign(starts)
        left, count = {(tp.topic, tp.partition) for tp in starts}, 0
        deadline = time.monotonic() + 10
        while left and time.monotonic() < deadline:
            msg = reader.poll(0.2)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    left.discard((msg.topic(), msg.partition()))
                    continue
                raise KafkaException(msg.error())
            count += 1
        return count + len(left)          # a partition that never ended: count it as behind
    finally:
        reader.close()


class WorkerProcess:
    def __init__(self, settings: Settings, store_url: str, log_path):
        self.settings, self.store_url, self.log_path = settings, store_url, log_path
        self.proc = None

    def start(self) -> "WorkerProcess":
        env = child_environ(self.settings)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "revloop.streams.cli", "worker", "--store", self.store_url],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def lag(self) -> int:
        """Records of the input topics the worker has not yet applied, by the offsets it
        commits (each topic in the group worker.progress_groups names)."""
        return worker_lag(self.settings)

    def wait_caught_up(self, timeout: float = 90) -> None:
        def done():
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited {self.proc.returncode}:\n{self.tail()}")
            try:
                return self.lag() == 0
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
