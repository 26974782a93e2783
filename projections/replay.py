"""Rebuild projections from the log through a batched confluent-kafka path.

`revloop replay` reads every topic from offset 0 to its end (as of the start),
feeds the records through the same Pipeline the live worker uses, and writes
the rows into a fresh store. The worker uses the same function at start-up to
rebuild its in-memory state up to the offsets it had committed.

The store is written every FLUSH_EVERY records (a row changed many times in that
span is written once), by a background thread: the database works without the
GIL while the next records are decoded and applied. At most one write is in
flight, writes happen in order, and a failed write stops the replay.
"""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from confluent_kafka import Consumer, KafkaException, TopicPartition

from streams.config import Settings
from streams.pipeline import Pipeline, RawRecord
from streams.topics import TOPICS

BATCH = 5000            # records per consume call
FLUSH_EVERY = 25_000    # records between store writes


@dataclass
class ReplayStats:
    records: int = 0
    seconds: float = 0.0
    dead_letters: int = 0

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def end_offsets(consumer: Consumer, settings: Settings, topics, timeout=30.0) -> dict[tuple[str, int], int]:
    """(physical topic, partition) -> high watermark, for the topics that exist."""
    out = {}
    meta = consumer.list_topics(timeout=timeout).topics
    for name in topics:
        physical = settings.topic(name)
        if physical not in meta:
            continue
        for pid in meta[physical].partitions:
            out[(physical, pid)] = consumer.get_watermark_offsets(TopicPartition(physical, pid), timeout=timeout)[1]
    return out


class _Writer:
    """Writes batches to the store on one background thread, in order, at most one in flight."""

    def __init__(self, store):
        self.store = store
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="revloop-replay-writer")
        self._pending: Future | None = None

    def submit(self, upserts, inserts) -> None:
        batch = self.store.prepare(upserts, inserts)   # here: the rows are the pipeline's until copied
        self.wait()
        self._pending = self._pool.submit(self.store.write_prepared, batch)

    def check(self) -> None:
        """Raise now if the write in flight has already failed."""
        if self._pending is not None and self._pending.done():
            self.wait()

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Let a write in flight finish (its error, if any, was or will be raised by wait)."""
        self._pool.shutdown(wait=True)


def read_until(settings: Settings, stop_at: dict[tuple[str, int], int], pipeline: Pipeline, *,
               store=None, progress=None, timeout: float = 60.0, flush_every: int = FLUSH_EVERY) -> ReplayStats:
    """Feed every record below stop_at through the pipeline; write its changes to store
    every `flush_every` records and at the end (all written when this returns)."""
    stats = ReplayStats()
    todo = {tp: end for tp, end in stop_at.items() if end > 0}
    if not todo:
        return stats
    prefix = settings.topic_prefix
    consumer = Consumer({
        "bootstrap.servers": settings.bootstrap_servers, "group.id": f"{settings.consumer_group}-replay",
        "enable.auto.commit": False, "fetch.max.bytes": 64 * 1024 * 1024,
        "max.partition.fetch.bytes": 8 * 1024 * 1024, "queued.max.messages.kbytes": 262144,
    })
    started = time.perf_counter()
    writer = _Writer(store) if store is not None else None
    unwritten = 0
    try:
        consumer.assign([TopicPartition(t, p, 0) for (t, p) in todo])
        deadline = time.monotonic() + timeout
        while todo:
            msgs = consumer.consume(BATCH, 0.5)
            if not msgs:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"replay stalled with {len(todo)} partition(s) unfinished")
                continue
            deadline = time.monotonic() + timeout
            batch = []
            for msg in msgs:
                if msg.error():
                    raise KafkaException(msg.error())
                tp = (msg.topic(), msg.partition())
                end = todo.get(tp)
                if end is None or msg.offset() >= end:
                    continue
                batch.append(RawRecord(msg.topic()[len(prefix):], msg.partition(), msg.offset(), msg.key(),
                                       msg.value(), msg.timestamp()[1]))
                if msg.offset() + 1 >= end:
                    del todo[tp]
                    consumer.incremental_unassign([TopicPartition(*tp)])
            result = pipeline.process(batch)
            stats.records += len(batch)
            stats.dead_letters += len(result.dead_letters)
            if writer is not None:
                unwritten += len(batch)
                if unwritten >= flush_every:
                    writer.submit(*pipeline.take_changes())
                    unwritten = 0
                else:
                    writer.check()
            if progress is not None:
                progress(len(batch))
        if writer is not None:
            writer.submit(*pipeline.take_changes())
            writer.wait()
    finally:
        if writer is not None:
            writer.close()
        consumer.close()
    stats.seconds = time.perf_counter() - started
    return stats


def replay(settings: Settings, store, *, show_progress: bool = True) -> ReplayStats:
    """Rebuild every projection from offset 0 into ``store`` (expected fresh)."""
    probe = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": "revloop-probe"})
    try:
        stop_at = end_offsets(probe, settings, [t.name for t in TOPICS])
    finally:
        probe.close()
    store.ensure_schema()
    # Replay rebuilds; it never re-decides. Ticks were decided once, and their
    # decisions are read back from the action topics.
    pipeline = Pipeline(emit_actions=False)
    total = sum(stop_at.values())
    if not show_progress:
        return read_until(settings, stop_at, pipeline, store=store)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("replay"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                  TimeRemainingColumn(), transient=False) as bar:
        task = bar.add_task("replay", total=total, rate="")
        started = time.perf_counter()

        def advance(n):
            done = bar.tasks[0].completed + n
            bar.update(task, advance=n, rate=f"{done / max(time.perf_counter() - started, 1e-9):,.0f} ev/s")

        return read_until(settings, stop_at, pipeline, store=store, progress=advance)
