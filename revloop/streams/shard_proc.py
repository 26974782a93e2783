"""Processes that each read part of the log for a parent: `revloop replay`'s shards and a long
catch-up's.

A child is a plain `python -c` process rather than a multiprocessing one: spawn would
re-import the caller's __main__ (a script without a main guard would start replays of its
own), and fork would copy the parent's database connection and librdkafka threads. It gets
its payload pickled on stdin and sends pickled messages back on an inherited pipe; a thread
in the parent moves them into a queue the parent reads (bounded: a child blocks once it is a
couple of messages ahead). With `replies`, stdin stays open for the parent's answers.
"""
from __future__ import annotations

import os
import pickle
import queue as queue_mod
import subprocess
import sys
import threading
import time

MAX_PROCESSES = 4    # the default's cap: beyond it, the one writer they feed is the limit

_CODE = ("import pickle, sys; sys.path[:0] = pickle.load(sys.stdin.buffer); "
         "from {module} import {func}; {func}()")


def process_count(configured: int | None) -> int:
    """How many processes to split over: the setting, else one per CPU up to MAX_PROCESSES."""
    return configured or min(os.cpu_count() or 1, MAX_PROCESSES)


def balance(sizes: dict[int, int], workers: int) -> list[set[int]]:
    """Partition numbers in up to `workers` groups of about equal size (largest first, each
    onto the lightest group); only groups with work, [] when fewer than two have any."""
    groups: list[tuple[int, set]] = [(0, set()) for _ in range(min(workers, len(sizes)))]
    for part in sorted(sizes, key=lambda p: (-sizes[p], p)):
        i = min(range(len(groups)), key=lambda g: (groups[g][0], g))
        groups[i] = (groups[i][0] + sizes[part], groups[i][1] | {part})
    groups = [parts for total, parts in groups if total > 0]
    return groups if len(groups) >= 2 else []


class Child:
    """A child process running `module.func()` and the thread moving its messages into
    `inbox`; when its pipe closes (it finished, or died mid-message) the thread puts
    ("eof", shard)."""

    def __init__(self, module: str, func: str, payload, shard: int, inbox: queue_mod.Queue, *,
                 replies: bool = False):
        self.shard = shard
        r, w = os.pipe()
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", _CODE.format(module=module, func=func)],
                                         stdin=subprocess.PIPE, pass_fds=(w,), close_fds=True)
        finally:
            os.close(w)
        reader = os.fdopen(r, "rb")

        def pump():
            try:
                while True:
                    inbox.put(pickle.load(reader))
            except BaseException:     # EOF, or a torn message: the child died mid-write
                inbox.put(("eof", shard))
            finally:
                reader.close()

        self.thread = threading.Thread(target=pump, name=f"revloop-shard-{shard}", daemon=True)
        self.thread.start()
        try:
            pickle.dump(list(sys.path), self.proc.stdin)
            pickle.dump((payload, w), self.proc.stdin)
            self.proc.stdin.flush()
            if not replies:
                self.proc.stdin.close()
        except BrokenPipeError:
            pass            # it died at once: the pump reports its end

    def reply(self, message) -> None:
        pickle.dump(message, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.flush()


def stop_all(children: list[Child], inbox: queue_mod.Queue, *, kill: bool) -> None:
    """Wait for every child to end (killing them first when the parent gave up), draining the
    inbox so no pump stays blocked on it."""
    for child in children:
        if kill and child.proc.poll() is None:
            child.proc.kill()
        if child.proc.stdin and not child.proc.stdin.closed:
            try:
                child.proc.stdin.close()
            except BrokenPipeError:
                pass
    while True:
        try:
            inbox.get_nowait()
        except queue_mod.Empty:
            if not any(child.thread.is_alive() for child in children):
                break
            time.sleep(0.01)
    for child in children:
        child.proc.wait()
        child.thread.join()


class Parent:
    """A child's end: the payload, messages out, and (with replies) the parent's answers."""

    def __init__(self):
        self.payload, fd = pickle.load(sys.stdin.buffer)
        self._out = os.fdopen(fd, "wb")
        self._lock = threading.Lock()

    def put(self, message) -> None:
        with self._lock:
            pickle.dump(message, self._out, protocol=pickle.HIGHEST_PROTOCOL)
            self._out.flush()

    def call(self, message):
        """Send a message and wait for the parent's answer. The parent answers a child's
        messages in the order sent; one call at a time may wait (a put may go meanwhile)."""
        self.put(message)
        return pickle.load(sys.stdin.buffer)

    def close(self) -> None:
        self._out.close()
