"""Rebuild projections from the log: `revloop replay`.

Reads every topic from offset 0 to its end (as of the start) through the batched
reader (revloop.streams.log_reader), feeds the records through the same Pipeline
the live worker uses, and writes the rows into a fresh store.

A big log is replayed by several processes (`workers`, default: one per CPU, at
most 4), each owning a group of partition numbers across every topic: a tenant
is a Kafka key, so its events sit on the same partition number of every topic
(the co-partitioning a multi-instance worker relies on too), and its state is
its own. The single-partition control topic is read by every shard (its rows
come out the same from each). Shards (streams.shard_proc) send their prepared
batches to this process, which alone writes the store. Each shard reports the
tenants it applies, and this process checks them before it writes a batch: should one
tenant turn up in two shards (a key-less record, or topics produced with
different partitioners), the rows written so far may stem from part of that
tenant's events, so replay clears the store (sharding only starts on an empty
one) and replays again in one process.
"""
from __future__ import annotations

import logging
import queue as queue_mod
import time
import traceback

from revloop.projections import ddl
from revloop.schemas.codec import Codec
from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.log_reader import ReplayStats, end_offsets, read_until
from revloop.streams.pipeline import Pipeline, RawRecord
from revloop.streams.shard_proc import Child, Parent, balance, process_count, stop_all
from revloop.streams.topics import TOPICS

log = logging.getLogger("revloop.replay")

SHARD_MIN_RECORDS = 50_000   # below this, starting processes costs more than it saves
PROGRESS_EVERY = 20_000      # records a shard reports read between its writes
CONTROL = "control"          # the one topic every shard reads whole


class ReplayError(RuntimeError):
    """A replay shard failed."""


class ShardConflict(ReplayError):
    """A tenant's records turned up in two shards: the log is not co-partitioned by tenant."""


def replay(settings: Settings, store, *, show_progress: bool = True, workers: int | None = None) -> ReplayStats:
    """Rebuild every projection from offset 0 into ``store`` (expected fresh).
    workers: shard processes (default $REVLOOP_REPLAY_WORKERS, else one per CPU, at most 4);
    1, a log too small or not shardable, or a store that is not empty replays in this process."""
    probe = kafka_clients.consumer(settings, "revloop-probe")
    try:
        stop_at = end_offsets(probe, settings, [t.name for t in TOPICS])
    finally:
        probe.close()
    store.ensure_schema()
    total = sum(stop_at.values())
    if workers is None:
        workers = process_count(settings.replay_workers)
    shards = shard_plan(settings, stop_at, workers) if total >= SHARD_MIN_RECORDS else []
    if shards and not all(store.count(t.name) == 0 for t in ddl.all_tables()):
        shards = []      # sharding may need to start over, which only an empty store allows
    if not show_progress:
        return _replay(settings, store, stop_at, shards, None, None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    label = f"replay ({len(shards)} shards)" if shards else "replay"
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                  TimeRemainingColumn(), transient=False) as bar:
        task = bar.add_task("replay", total=total, rate="")
        started = [time.perf_counter()]

        def advance(n):
            done = bar.tasks[0].completed + n
            bar.update(task, advance=n, rate=f"{done / max(time.perf_counter() - started[0], 1e-9):,.0f} ev/s")

        def restart():
            bar.reset(task, rate="")
            started[0] = time.perf_counter()

        return _replay(settings, store, stop_at, shards, advance, restart)


def _replay(settings: Settings, store, stop_at, shards, progress, restart) -> ReplayStats:
    if shards:
        try:
            return _replay_sharded(settings, store, shards, progress)
        except ShardConflict as exc:
            log.warning("%s; the store was empty: clearing it and replaying in one process", exc)
            store.clear()
            if restart is not None:
                restart()
    # Replay rebuilds; it never re-decides. Ticks were decided once, and their
    # decisions are read back from the action topics.
    pipeline = Pipeline(max_skew_ms=settings.max_clock_skew_ms)
    return read_until(settings, stop_at, pipeline, store=store, progress=progress)


# ---- sharded replay -----------------------------------------------------------------------

def shard_plan(settings: Settings, stop_at: dict[tuple[str, int], int], workers: int) -> list[dict]:
    """Split stop_at into up to `workers` shards by partition number, balanced by record
    count, each with the whole control topic; [] when sharding does not apply (one
    worker, topics with different partition counts, or fewer than two non-empty groups)."""
    control = settings.topic(CONTROL)
    counts: dict[str, int] = {}
    for topic, _ in stop_at:
        if topic != control:
            counts[topic] = counts.get(topic, 0) + 1
    if workers < 2 or len(set(counts.values())) != 1:
        return []
    size: dict[int, int] = {}
    for (topic, part), end in stop_at.items():
        if topic != control:
            size[part] = size.get(part, 0) + end
    return [{(t, p): end for (t, p), end in stop_at.items() if t == control or p in parts}
            for parts in balance(size, workers)]


class _ShardSink:
    """A shard's writer: prepared batches go to the parent, with the tenants (Kafka keys)
    first seen since the previous batch and the number of records behind it."""

    def __init__(self, out, shard: int, prepare):
        self.out, self.shard, self.prepare = out, shard, prepare
        self.seen: set = set()
        self.new: set = set()
        self.records = 0
        self.control = ReplayStats()      # what every shard reads: counted once, by the parent
        self._codec = Codec()

    def note(self, batch: list[RawRecord], result) -> None:
        keys = {r.key for r in batch if r.topic != CONTROL}
        if None in keys:             # a key-less record: its tenant is in the event (if it decodes)
            keys.discard(None)
            for r in batch:
                if r.key is None and r.topic != CONTROL:
                    try:
                        keys.add(self._codec.decode(r.value)[1]["tenant_id"].encode())
                    except Exception:   # undecodable: dead-lettered under "unknown", no state
                        pass
        fresh = keys - self.seen
        if fresh:
            self.seen |= fresh
            self.new |= fresh
        control = sum(1 for r in batch if r.topic == CONTROL)
        self.records += len(batch) - (control if self.shard else 0)     # progress: control once
        self.control.records += control
        self.control.dead_letters += sum(1 for d in result.dead_letters if d["source_topic"] == CONTROL)
        if self.records >= PROGRESS_EVERY:       # writes are far apart: the bar moves in between
            self.out.put(("progress", self.shard, self.records))
            self.records = 0

    def submit(self, upserts, inserts) -> None:
        self.out.put(("batch", self.shard, self.prepare(upserts, inserts), self.records, frozenset(self.new)))
        self.new, self.records = set(), 0

    def check(self) -> None:
        pass

    def wait(self) -> None:
        pass

    def close(self) -> None:
        pass


def _shard_main() -> None:
    """A shard process: read its partitions through a fresh pipeline, hand batches to the parent."""
    parent = Parent()
    settings, stop_at, shard, prepare = parent.payload
    try:
        sink = _ShardSink(parent, shard, prepare)
        stats = read_until(settings, stop_at, Pipeline(max_skew_ms=settings.max_clock_skew_ms),
                           writer=sink, on_batch=sink.note)
        parent.put(("done", shard, stats, sink.control))
    except BaseException:
        parent.put(("error", shard, traceback.format_exc()))
    finally:
        parent.close()


def _replay_sharded(settings: Settings, store, shards: list[dict], progress) -> ReplayStats:
    inbox: queue_mod.Queue = queue_mod.Queue(maxsize=2 * len(shards))
    started = time.perf_counter()
    children: list[Child] = []
    stats, owner, running = ReplayStats(), {}, set(range(len(shards)))
    try:
        for i, stop_at in enumerate(shards):
            children.append(Child(__name__, "_shard_main", (settings, stop_at, i, type(store).prepare), i, inbox))
        while running:
            msg = inbox.get()
            kind, shard = msg[0], msg[1]
            if kind == "batch":
                _, _, batch, records, tenants = msg
                for tenant in tenants:
                    first = owner.setdefault(tenant, shard)
                    if first != shard:
                        raise ShardConflict(f"tenant {tenant[:60]!r} has records in two replay shards ({first} "
                                            f"and {shard}): the topics are not co-partitioned by tenant")
                store.write_prepared(batch)
                if progress is not None and records:
                    progress(records)
            elif kind == "progress":
                if progress is not None:
                    progress(msg[2])
            elif kind == "done":
                _, _, shard_stats, control = msg
                first = shard == 0
                stats.records += shard_stats.records - (0 if first else control.records)
                stats.dead_letters += shard_stats.dead_letters - (0 if first else control.dead_letters)
                running.discard(shard)
            elif kind == "error":
                raise ReplayError(f"replay shard {shard} failed:\n{msg[2]}")
            elif shard in running:      # its pipe closed before it said "done"
                raise ReplayError(f"replay shard {shard} exited ({children[shard].proc.wait()}) before finishing")
    finally:
        stop_all(children, inbox, kill=bool(running))      # replay failed: stop the other shards
    stats.seconds = time.perf_counter() - started
    stats.shards = len(shards)
    return stats
