"""Read the log in bulk: end offsets, and a batched confluent-kafka reader into a Pipeline.

read_until feeds every record below given end offsets through a Pipeline and writes its
changes to a store every FLUSH_EVERY records (a row changed many times in that span is
written once; and each write is a transaction whose commit costs the store about as much as
its rows), by a background thread: the database works without the GIL while the next
records are decoded and applied. At most one write is in flight, writes happen in order,
and a failed write stops the read. Replay, the worker's start-up and the sender's view all
read the log this way.
"""
from __future__ import annotations

import gc
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.streams import kafka_clients

from revloop.streams.config import Settings
from revloop.streams.offsets import end_offsets  # noqa: F401  (re-exported: callers read the log's end here)
from revloop.streams.pipeline import Pipeline, RawRecord

BATCH = 5000            # records per consume call
# Records between store writes. Measured on the bench's 200k events into DuckDB (CPU of the
# prepare and the write): every 25k 5.1 s, every 100k 3.9 s (fewer commits, each one's
# checkpoint work shared by more rows, and fewer rows rewritten).
FLUSH_EVERY = 100_000
# Within the last TAIL_WINDOW records, a write every TAIL_FLUSH_EVERY: the last write is the
# one nothing overlaps (the reading is done), so it is kept small. (Replay's shards and a
# split catch-up all end about together, their last writes queued on one writer.)
TAIL_WINDOW = 25_000
TAIL_FLUSH_EVERY = 5000
SETTLE_EVERY = 25_000   # records between settle() calls

@dataclass
class ReplayStats:
    records: int = 0
    seconds: float = 0.0
    dead_letters: int = 0
    shards: int = 1          # processes that read the log

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


class _Writer:
    """Writes batches to the store on one background thread, in order, at most one in flight."""

    def __init__(self, store):
        self.store = store
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="revloop-replay-writer")
        self._pending: Future | None = None

    def submit(self, upserts, inserts, offsets=()) -> None:
        batch = self.store.prepare(upserts, inserts, offsets)   # here: the rows are the pipeline's until copied
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


def settle() -> None:
    """The state read so far lives on: move it out of the cyclic collector's sight, so that a
    collection stops walking all of it again and again as it grows (on the bench's 200k
    events, 2.3 s of ~10 s of CPU went to 11 full collections; 0.4 s with this). The
    projections make no cyclic garbage (tests/unit/test_state_heap.py), so freezing keeps
    nothing alive that would have been freed; the young generations are collected first, so
    the cyclic garbage of other code made since is not frozen with it."""
    gc.collect(1)
    gc.freeze()


def _offsets(positions) -> tuple:
    """The extra submit() argument when positions are kept: (topic, partition, next offset) rows."""
    if positions is None:
        return ()
    return ([(t, p, o) for (t, p), o in positions.items()],)


def read_until(settings: Settings, stop_at: dict[tuple[str, int], int], pipeline: Pipeline, *,
               store=None, progress=None, timeout: float = 120.0, flush_every: int = FLUSH_EVERY,
               writer=None, on_batch=None, start_at: dict[tuple[str, int], int] | None = None,
               positions: dict[tuple[str, int], int] | None = None, control_filter=None) -> ReplayStats:
    """Feed every record from start_at (default 0) below stop_at through the pipeline; write
    its changes to store every `flush_every` records and at the end (all written when this
    returns). Keys are (physical topic, partition).
    writer: instead of a store, anything with _Writer's methods; on_batch(records, result)
    sees every batch of raw records once the pipeline has processed it.
    positions: a dict this keeps at the next offset of every partition read; given, each
    write carries them, so the store commits rows and the positions they reflect together.
    control_filter: passed to Pipeline.process."""
    stats = ReplayStats()
    start_at = start_at or {}
    todo = {tp: end for tp, end in stop_at.items() if end > start_at.get(tp, 0)}
    if not todo:
        return stats
    # Records left at most (offsets a transaction marker or compaction took hold none).
    left = sum(end - start_at.get(tp, 0) for tp, end in todo.items())
    prefix = settings.topic_prefix
    consumer = kafka_clients.consumer(settings, f"{settings.consumer_group}-replay", **{
        "fetch.max.bytes": 64 * 1024 * 1024, "max.partition.fetch.bytes": 8 * 1024 * 1024,
        "queued.max.messages.kbytes": 262144,
        # An offset retention has deleted: read from the oldest record kept, not the end.
        "auto.offset.reset": "earliest",
        # The end of a partition written in transactions is a commit marker no consumer
        # receives: the end-of-partition event says the reader got there.
        "enable.partition.eof": True,
    })
    started = time.perf_counter()
    if writer is None and store is not None:
        writer = _Writer(store)
    unwritten = frozen = 0
    logical: dict[str, str] = {}      # physical topic -> its name without the prefix
    try:
        consumer.assign([TopicPartition(t, p, start_at.get((t, p), 0)) for (t, p) in todo])
        deadline = time.monotonic() + timeout
        while todo:
            msgs = consumer.consume(BATCH, 0.5)
            if not msgs:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"reading the log stalled with {len(todo)} partition(s) unfinished: "
                                       + ", ".join(f"{t}[{p}] before {end}" for (t, p), end in list(todo.items())[:5]))
                continue
            deadline = time.monotonic() + timeout
            batch = []
            for msg in msgs:
                if msg.error():
                    if msg.error().code() != KafkaError._PARTITION_EOF:
                        raise KafkaException(msg.error())
                    tp = (msg.topic(), msg.partition())
                    if tp in todo and msg.offset() >= todo[tp]:
                        del todo[tp]
                        consumer.incremental_unassign([TopicPartition(*tp)])
                        if positions is not None:       # past the marker
                            positions[tp] = max(positions.get(tp, 0), msg.offset())
                    continue
                topic, part, offset = msg.topic(), msg.partition(), msg.offset()
                end = todo.get((topic, part))
                if end is None or offset >= end:
                    continue
                name = logical.get(topic)
                if name is None:
                    name = logical[topic] = topic[len(prefix):]
                batch.append(RawRecord(name, part, offset, msg.key(), msg.value(), msg.timestamp()[1]))
                if positions is not None:
                    positions[(topic, part)] = offset + 1
                if offset + 1 >= end:
                    del todo[(topic, part)]
                    consumer.incremental_unassign([TopicPartition(topic, part)])
            result = pipeline.process(batch, control_filter) if control_filter else pipeline.process(batch)
            stats.records += len(batch)
            stats.dead_letters += len(result.dead_letters)
            if on_batch is not None:
                on_batch(batch, result)
            left -= len(batch)
            if writer is not None:
                unwritten += len(batch)
                if unwritten >= flush_every or (left < min(TAIL_WINDOW, flush_every)
                                                and unwritten >= min(TAIL_FLUSH_EVERY, flush_every)):
                    writer.submit(*pipeline.take_changes(as_tuples=True), *_offsets(positions))
                    unwritten = 0
                else:
                    writer.check()
            frozen += len(batch)
            if frozen >= SETTLE_EVERY:
                settle()
                frozen = 0
            if progress is not None:
                progress(len(batch))
        if writer is not None:
            writer.submit(*pipeline.take_changes(as_tuples=True), *_offsets(positions))
            writer.wait()
        settle()
    finally:
        if writer is not None:
            writer.close()
        consumer.close()
    stats.seconds = time.perf_counter() - started
    return stats
