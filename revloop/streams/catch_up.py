"""Bring a worker's partitions from their restored positions to the log's end, at batch speed.

The same batched reader and Pipeline as `revloop replay` (streams.log_reader.read_until),
in two phases:

1. Up to the positions the store's rows already reflect (consumer_offsets), the records
   only rebuild the state: nothing is written (rewriting those rows from an older state
   would show readers older rows for a while).
2. From there to the end as of now, rows and positions are written together, each
   write refused unless the store still holds the positions this worker last wrote
   (another worker taking the partitions over fences this one).

The control topic is read in phase 2 from the lowest offset any restored state lacks,
each record applied only to the states that lack it (streams.control_feed.ControlCoverage).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.control_feed import CONTROL, ControlCoverage
from revloop.streams.log_reader import _Writer, read_until
from revloop.streams.offsets import last_stable_offsets
from revloop.streams.pipeline import Pipeline
from revloop.streams.shard_proc import balance

log = logging.getLogger("revloop.catch_up")


@dataclass
class CatchUpStats:
    rebuilt: int = 0          # phase 1 records (state only)
    written: int = 0          # phase 2 records (state, rows and positions)
    seconds: float = 0.0
    # A split catch-up's states as its children encoded them (tenant -> blob, streams.state_codec):
    # the checkpoint right after it keeps them as they are rather than encoding the states again.
    encoded: dict = field(default_factory=dict)

    @property
    def records(self) -> int:
        return self.rebuilt + self.written


class PositionedWriter(_Writer):
    """A _Writer whose every write carries the positions it reflects, fenced on the ones
    the store held before (`stored`, physical names, kept up to date as writes are issued).
    Control positions are per worker (a broadcast), never written."""

    def __init__(self, store, stored: dict[tuple[str, int], int], skip_topic: str):
        super().__init__(store)
        self.stored, self.skip_topic = stored, skip_topic

    def submit(self, upserts, inserts, offsets=()) -> None:
        moved = [(t, p, o) for t, p, o in offsets if t != self.skip_topic and self.stored.get((t, p), 0) != o]
        expect = [(t, p, self.stored.get((t, p), 0)) for t, p, _ in moved]
        batch = self.store.prepare(upserts, inserts, moved, expect)
        self.wait()
        self._pending = self._pool.submit(self.store.write_prepared, batch)
        for t, p, o in moved:          # the next write expects these (a failed one stops the reader)
            self.stored[(t, p)] = o


def _progress_logger(label: str, total: int):
    started, last, done = time.monotonic(), [time.monotonic()], [0]

    def progress(n: int) -> None:
        done[0] += n
        now = time.monotonic()
        if now - last[0] >= 5.0:
            last[0] = now
            log.info("%s: %d of %d record(s), %.0f/s", label, done[0], total, done[0] / (now - started))
    return progress


# A split hands each child the states of its tenants and takes them back at the end: about
# 7 us of the worker's time per state entry (encode, decode; measured on the bench's book:
# 205k entries per 100k-event tenant, 1.2-1.4 s there and back), against about 30 us a split
# saves per record read. Below a quarter of a record behind per entry held, it costs more than
# it saves (measured: a worker holding 200k events' state, 61k behind: 8.9 s split over two
# processes, 6.6 s in one).
ENTRIES_PER_RECORD = 4


def state_entries(states: dict, partitions, partition_count: int) -> int:
    """How much state a split would hand over for `partitions`: the entries (rows, index
    entries, remembered ids) of the states of their tenants and the global one."""
    total = 0
    for tenant, state in states.items():
        if tenant == "*" or kafka_clients.partition_for(tenant, partition_count) in partitions:
            total += sum(len(v) for v in vars(state).values() if isinstance(v, (dict, list, set)))
    return total


def shard_groups(lag: dict[int, int], workers: int, minimum: int, held: int = 0) -> list[set[int]]:
    """How a catch-up of `lag` (partition -> records behind) splits over processes: [] when it
    stays in one (fewer than `minimum` records, one worker, lag on one partition only, or
    fewer records than held / ENTRIES_PER_RECORD: state entries that would be handed over).
    Every partition lands in a group, those with nothing to read too: their states still need
    the control records read meanwhile."""
    behind = sum(lag.values())
    if workers < 2 or behind < minimum or behind * ENTRIES_PER_RECORD < held:
        return []
    groups = balance(lag, workers)
    if groups:
        idle = set(lag) - set().union(*groups)
        min(groups, key=lambda g: sum(lag[p] for p in g)).update(idle)
    return groups


CHASE_ROUNDS = 5     # at most this many further reads of what arrived meanwhile


def _log_ends(settings: Settings, topics: tuple[str, ...], partitions, also=()) -> dict[tuple[str, int], int]:
    """The end offsets of `topics` on `partitions` (and of the partitions in `also`), now: the
    last stable offsets, where the batched reader's read_committed consumer can read to."""
    return {tp: end for tp, end in last_stable_offsets(kafka_clients.shared_admin(settings), settings, topics).items()
            if tp[1] in partitions or tp in also}


def _chase(settings: Settings, pipeline: Pipeline, store, stored, at, topics: tuple[str, ...], partitions,
           emit, limit: int | None) -> int:
    """Read on through what arrived while catching up, as long as more than the catch-up
    threshold did (and, given a limit, fewer than that): a burst still being produced when
    the catch-up began would otherwise be left to the per-record path, or to a second
    catch-up that hands the states over again. The control topic stays read to where it was
    (the worker reads on from there, and a split's children must all have read it over the
    same range)."""
    read = 0
    for _ in range(CHASE_ROUNDS):
        ends = _log_ends(settings, topics, partitions)
        start = {tp: at.get(tp, 0) for tp in ends}
        behind = sum(max(0, end - start[tp]) for tp, end in ends.items())
        if behind <= settings.catch_up_threshold or (limit is not None and behind >= limit):
            break
        log.info("catching up: %d more record(s) arrived meanwhile", behind)
        s = read_until(settings, ends, pipeline, start_at=start, positions=at,
                       writer=PositionedWriter(store, stored, settings.topic(CONTROL)),
                       progress=_progress_logger("catching up", behind),
                       on_batch=lambda _b, result: result.outputs and emit(result.outputs))
        read += s.records
    return read


def catch_up(settings: Settings, pipeline: Pipeline, store, *, topics: tuple[str, ...], partitions,
             positions: dict[tuple[str, int], int], stored: dict[tuple[str, int], int],
             coverage: ControlCoverage, emit, workers: int = 1,
             ends: dict[tuple[str, int], int] | None = None, control_from: int | None = None
             ) -> tuple[CatchUpStats, int]:
    """positions: logical (topic, partition) -> next offset the state reflects, updated in place
    (and ("control", 0) set to where the control topic was read to). stored: physical
    (topic, partition) -> what consumer_offsets holds, updated as writes are issued.
    emit(outputs): produce a phase-2 batch's outputs (dead letters, contacts found in mail:
    records read for the first time) durably, before the positions past them are written.
    Ticks are only applied (pipeline.ticks_read): the caller decides the undecided ones.
    workers: more than one, and at least settings.catch_up_shard_min records to read, splits
    the partitions over that many processes (streams.catch_up_shards).
    ends: the log's end offsets to read to (default: read now); control_from: where to read
    the control topic from (default: the lowest offset any state lacks).
    Returns the stats and the control offset reached."""
    stats = CatchUpStats()
    started = time.perf_counter()
    prefix = settings.topic_prefix
    control_tp = (settings.topic(CONTROL), 0)
    if ends is None:
        ends = _log_ends(settings, topics + (CONTROL,), partitions, also=(control_tp,))
    at = {(settings.topic(t), p): off for (t, p), off in positions.items() if t != CONTROL and p in partitions}
    if workers > 1:
        lag: dict[int, int] = {p: 0 for p in partitions}
        for tp, end in ends.items():
            if tp != control_tp:
                lag[tp[1]] += max(0, end - at.get(tp, 0))
        held = state_entries(pipeline.states, partitions, coverage.partitions)
        groups = shard_groups(lag, workers, settings.catch_up_shard_min, held)
        behind = sum(lag.values())
        if not groups and settings.catch_up_shard_min <= behind < held / ENTRIES_PER_RECORD:
            log.info("catching up in one process: %d record(s) behind, and splitting would hand over %d state "
                     "entries", behind, held)
        if groups:
            from revloop.streams.catch_up_shards import catch_up_sharded

            return catch_up_sharded(settings, pipeline, store, topics=topics, groups=groups, ends=ends,
                                    positions=positions, stored=stored, coverage=coverage, emit=emit)
    ends = dict(ends)
    control_end = ends.pop(control_tp, 0)
    was = pipeline.enrich
    pipeline.enrich = False
    try:
        # Phase 1: the state only, up to what the rows already reflect.
        upto = {tp: min(stored.get(tp, 0), end) for tp, end in ends.items()}
        if any(upto[tp] > at.get(tp, 0) for tp in upto):
            total = sum(max(0, upto[tp] - at.get(tp, 0)) for tp in upto)
            log.info("rebuilding state: %d record(s) up to the store's positions", total)
            s = read_until(settings, upto, pipeline, start_at=dict(at), positions=at,
                           progress=_progress_logger("rebuilding state", total),
                           on_batch=lambda _b, _r: pipeline.discard_changes())
            stats.rebuilt = s.records
        # Phase 2: rows and positions together, to the end.
        stop = dict(ends)
        start = {tp: at.get(tp, 0) for tp in ends}
        control_from = coverage.low() if control_from is None else control_from
        if control_end > control_from:
            stop[control_tp], start[control_tp] = control_end, control_from
        total = sum(max(0, stop[tp] - start.get(tp, 0)) for tp in stop)
        if total:
            log.info("catching up: %d record(s) to the end of the log", total)
            writer = PositionedWriter(store, stored, settings.topic(CONTROL))
            pipeline.enrich = True
            s = read_until(settings, stop, pipeline, start_at=start, positions=at, writer=writer,
                           control_filter=coverage.applies, progress=_progress_logger("catching up", total),
                           on_batch=lambda _b, result: result.outputs and emit(result.outputs))
            stats.written = s.records
            # A catch-up that could have been split stops chasing once what arrived is worth a
            # split: its caller catches that up anew (a child, or one process by choice, reads on).
            limit = settings.catch_up_shard_min if workers > 1 else None
            stats.written += _chase(settings, pipeline, store, stored, at, topics, partitions, emit, limit)
    finally:
        pipeline.enrich = was
    coverage.passed(control_end)
    at.pop(control_tp, None)
    for (topic, p), off in at.items():
        positions[(topic[len(prefix):], p)] = off
    positions[(CONTROL, 0)] = control_end
    stats.seconds = time.perf_counter() - started
    return stats, control_end
