"""`revloop worker`: the live projection worker, a Faust agent around the Pipeline.

Start-up: restore the newest usable checkpoint of every partition (streams.checkpointing),
catch up from its positions to the end of the log at batch speed (streams.catch_up), then
let Faust consume from there. Each batch Faust delivers is decoded by our codec (Faust
only sees raw bytes, so nothing undecodable is skipped silently), applied, its outputs
flushed to Kafka, and its rows written to the store in one transaction with the positions
they reflect: the store, not Kafka's committed offsets, says what has been applied, so a
record Faust delivers again is skipped and none is applied twice. Every so often the state
is checkpointed with those positions.

The control topic is read by a consumer of its own, outside the group (every worker
needs the global settings; streams.control_feed).
"""
from __future__ import annotations

import asyncio
import gc
import logging
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import faust
from faust.types import TP
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.projections.store import StoreFileGone, open_store
from revloop.streams import faust_transport, kafka_clients, offsets
from revloop.streams.catch_up import catch_up
from revloop.streams.checkpointing import Checkpoints
from revloop.streams.config import Settings
from revloop.streams.control_feed import CONTROL, ControlCoverage, ControlFeed
from revloop.streams.kafka_clients import partition_for
from revloop.streams.kafka_io import producer as make_producer
from revloop.streams.log_reader import settle
from revloop.streams.pipeline import BatchResult, Pipeline, RawRecord
from revloop.streams.progress import progress_groups  # noqa: F401  (where the worker commits its progress)
from revloop.streams.shard_proc import process_count
from revloop.streams.tick_transactions import TICKS, TickTransactions
from revloop.streams.topics import INPUT_TOPICS, OUTPUT_TOPICS, topic_for

log = logging.getLogger("revloop.worker")

BATCH_MAX = 2000
# How long Faust waits to fill a batch: the floor of produce-to-row latency at low rates. A
# busy worker fills its batches sooner, and a backlog goes through the batched catch-up, so a
# short wait costs throughput nothing measurable (live bench, 100k events: 3.8-4.0k ev/s at
# 0.02 s and at 0.05 s) and takes ~20 ms off the median at 200 ev/s.
BATCH_WITHIN_S = 0.02
TIMER_S = 0.1           # how often the control topic and held ticks are looked at
LAG_CHECK_S = 2.0       # how often the worker asks how far behind it is
LAG_CHECK_BUSY_S = 0.5  # ... while Faust hands it full batches
AGAIN_AT_MOST = 3       # catch-ups run back to back while still far behind after one

# Every topic but control has the same partitions and tenants on them (key = tenant): the
# worker's state, positions and checkpoints are per partition of these.
FAUST_TOPICS = tuple(t for t in INPUT_TOPICS if t not in (CONTROL, TICKS))
CO_PARTITIONED = FAUST_TOPICS + (TICKS,) + OUTPUT_TOPICS


def group_id(settings: Settings) -> str:
    return f"{settings.topic_prefix}{settings.consumer_group}"


HELD_WARN_S = 60.0   # a tick waiting this long for its inputs is logged
MARKER_GAP = 20      # more than this between position and end offset: records to read, surely


class TickGate:
    """Hold a tick until every input record produced before it has been applied.

    Topics are consumed in no fixed interleaving, so a tick could otherwise be
    decided before the touches and orders that preceded it. When a tick arrives
    we note the end offset of each input partition its tenant's events can be on
    (its own partition number, and control); the tick runs once the worker's
    position has reached all of them. The decision then depends on the log, not
    on fetch timing.
    """

    def __init__(self, settings: Settings, positions: dict[tuple[str, int], int], partitions: int = 0,
                 held_warn_s: float = HELD_WARN_S):
        self.settings = settings
        self.positions = positions          # logical (topic, partition) -> next offset to apply
        self.partitions = partitions        # of the co-partitioned topics (0: watch every partition)
        self.targets: dict[str, dict] = {}
        self.held_warn_s = held_warn_s
        self.since: dict[str, float | None] = {}    # tick event_id -> when first held (monotonic; None: logged)
        self._probe = self._new_probe()
        self.probe_renewals = 0

    def _new_probe(self):
        return kafka_clients.consumer(self.settings, "revloop-tick-gate", **{"enable.partition.eof": True})

    def __call__(self, tick: dict) -> bool:
        target = self.targets.get(tick["event_id"])
        if target is None:
            try:
                ends = offsets.last_stable_offsets(kafka_clients.shared_admin(self.settings),
                                                   self.settings, [t for t in INPUT_TOPICS if t != "ticks"],
                                                   timeout=5.0, retry_for=5.0)
            except KafkaException as exc:
                # The broker is away: the tick waits (the timer asks again), the worker goes on.
                log.warning("tick %s held: input end offsets unavailable (%s)", tick["tick_id"], exc)
                kafka_clients.renew_shared_admin(self.settings)
                return False
            prefix = len(self.settings.topic_prefix)
            mine = partition_for(tick["tenant_id"], self.partitions) if self.partitions else None
            target = self.targets[tick["event_id"]] = {
                (t[prefix:], p): end for (t, p), end in ends.items()
                if mine is None or p == mine or t[prefix:] == CONTROL}
        if all(self.positions.get(tp, 0) >= end or self._only_markers(tp, end) for tp, end in target.items()):
            del self.targets[tick["event_id"]]
            self.since.pop(tick["event_id"], None)
            return True
        self._say_why_held(tick, target)
        return False

    def forget(self, ticks) -> None:
        """Drop what was noted about ticks this worker no longer holds (their partition went to
        another worker, which notes its own): otherwise every rebalance would leave them here."""
        for tick in ticks:
            self.targets.pop(tick["event_id"], None)
            self.since.pop(tick["event_id"], None)

    def _say_why_held(self, tick: dict, target: dict) -> None:
        """A tick held past held_warn_s is logged once, with the inputs it still waits for: an
        operator sees why the hour's decisions have not come."""
        first = self.since.setdefault(tick["event_id"], time.monotonic())
        if first is not None and time.monotonic() - first > self.held_warn_s:
            self.since[tick["event_id"]] = None
            waiting = {f"{t}/{p}": f"at {self.positions.get((t, p), 0)} of {end}" for (t, p), end in target.items()
                       if self.positions.get((t, p), 0) < end}
            log.warning("tick %s held for over %.0fs: waiting for %s", tick["tick_id"], self.held_warn_s, waiting)

    def _only_markers(self, tp: tuple[str, int], end: int) -> bool:
        """Whether nothing but commit markers lies between the position and `end`: a topic
        written in transactions (the sender's outcomes) ends in a marker no consumer receives,
        so the position stops short of the end offset although every record is applied."""
        at = self.positions.get(tp, 0)
        if end - at > MARKER_GAP:
            return False
        self._probe.assign([TopicPartition(self.settings.topic(tp[0]), tp[1], at)])
        try:
            deadline = time.monotonic() + 5.0
            while time.monotonic() < deadline:
                msg = self._probe.poll(0.2)
                if msg is None:
                    continue
                if msg.error() is not None:
                    # The end of what a read_committed reader gets, at `end`: only markers between.
                    return msg.error().code() == KafkaError._PARTITION_EOF and msg.offset() >= end
                return msg.offset() >= end
            # Neither a record nor the end in 5 s: the broker is away, or the probe lost every
            # broker for good (stall_watch): the next look asks through a new one.
            old, self._probe = self._probe, self._new_probe()
            old.close()
            self.probe_renewals += 1
            return False
        finally:
            self._probe.unassign()

    def close(self) -> None:
        self._probe.close()


class ProjectionWorker:
    """The worker's state and every step that touches it, independent of Faust (it can be
    driven directly too). Not thread-safe: one thread calls it (the Faust app's executor)."""

    def __init__(self, settings: Settings, store, producer=None, partitions: int | None = None):
        self.settings = settings
        self.store = store
        self.scope = group_id(settings)
        self.codec = kafka_clients.codec(settings)
        self.partitions = partitions or topic_partitions(settings)
        # logical (topic, partition) -> next offset the state reflects: every co-partitioned
        # topic of the partitions owned, and ("control", 0).
        self.positions: dict[tuple[str, int], int] = {}
        # physical (topic, partition) -> what consumer_offsets holds: each write expects it.
        self.stored: dict[tuple[str, int], int] = {}
        self.pipeline = Pipeline(self.codec, enrich=True, collect_ticks=True, action_key=settings.action_key,
                                 max_skew_ms=settings.max_clock_skew_ms)
        self.gate = TickGate(settings, self.positions, self.partitions)
        # partition -> ticks applied but not decided, in offset order: (tick, offset)
        self.held: dict[int, list[tuple[dict, int]]] = {}
        self.ticks_committed: dict[int, int] = {}     # partition -> ticks offset last committed
        self.checkpoints = Checkpoints(settings, store, self.scope, CO_PARTITIONED, self.partitions)
        self.coverage = ControlCoverage(self.partitions)
        self.control = ControlFeed(settings, self.scope)
        self.owned: set[int] = set()
        self.paused: set[int] = set()      # owned, but the group is rebalancing them away maybe
        self.last_catch_up = None
        self._lag_checked = time.monotonic()
        self.busy = False                  # the last batch was full: the log is running ahead
        self._undelivered: list[str] = []
        self.producer = producer or make_producer(settings, **{"message.timeout.ms": 0,
                                                               "on_delivery": self._delivered})
        self.ticks = TickTransactions(settings, self.scope, self._delivered)
        self.processed = 0

    # ---- ownership ----

    def rebalance(self, assigned: set[int]) -> dict[tuple[str, int], int]:
        """The group gave this worker `assigned` (partition numbers): let go of the partitions
        it no longer has, take on the new ones. A partition kept whose positions moved in the
        store meanwhile (another worker had it while this one was out of the group) is taken
        on afresh. Returns where Faust should fetch each of its partitions from."""
        stored = self.store.offsets()
        moved = {p for p in self.owned & assigned
                 if any(stored.get((self.settings.topic(t), p), 0) != self.stored.get((self.settings.topic(t), p), 0)
                        for t in CO_PARTITIONED)}
        if moved:
            log.warning("partitions %s were written by another worker meanwhile: reloading them", sorted(moved))
        self.release(self.owned - assigned, save=True)
        self.release(moved, save=False)
        for p in sorted(self.paused & assigned - moved):
            # Kept: read its ticks again from what the state reflects (some may have been
            # fetched and passed over while it was paused).
            self.ticks.seek(p, self.positions[(TICKS, p)])
        if assigned - self.owned:
            self.acquire(assigned - self.owned)
        self.paused -= assigned
        return {(self.settings.topic(t), p): off for (t, p), off in self.positions.items()
                if t in FAUST_TOPICS and p in assigned}

    def pause(self, partitions: set[int]) -> None:
        """The group is taking partitions back (a rebalance began): decide no tick of theirs and
        write nothing for them until it says who has them now (rebalance). Run in the
        executor, so no step for them is in flight once this returns."""
        self.paused |= partitions & self.owned

    def release(self, partitions: set[int], save: bool) -> None:
        """Stop owning partitions: checkpoint them (when our state of them is current) and
        forget their tenants, positions and held ticks."""
        if not partitions:
            return
        if save:
            try:
                self.checkpoint(partitions)
            except Exception:
                log.exception("no checkpoint of partitions %s on release", sorted(partitions))
        for tenant in [t for t in self.pipeline.states if t != "*"]:
            if partition_for(tenant, self.partitions) in partitions:
                del self.pipeline.states[tenant]
        for key in [k for k in self.positions if k[0] != CONTROL and k[1] in partitions]:
            del self.positions[key]
        for key in [k for k in self.stored if k[1] in partitions and k[0] != self.settings.topic(CONTROL)]:
            del self.stored[key]
        for p in partitions:
            self.coverage.drop(p)
            self.gate.forget(tick for tick, _ in self.held.pop(p, []))
            self.ticks_committed.pop(p, None)
            self.ticks.release(p)
        self.owned -= partitions
        self.paused -= partitions
        log.info("released partitions %s", sorted(partitions))

    def acquire(self, partitions: set[int]) -> None:
        """Take partitions on: restore their checkpoints, catch up to the end of the log."""
        started = time.perf_counter()
        restored = self.checkpoints.restore(partitions)
        self.stored.update({tp: off for tp, off in self.store.offsets().items() if tp[1] in partitions})
        glob = restored.states.pop("*", None)
        if "*" not in self.coverage.covered:
            if glob is not None:
                self.pipeline.states["*"] = glob
            self.coverage.add("*", restored.control["*"])
        self.pipeline.states.update(restored.states)
        for p in partitions:
            self.coverage.add(p, restored.control[p])
            for t in CO_PARTITIONED:
                self.positions[(t, p)] = restored.positions.get((t, p), 0)
        self.owned |= partitions
        self.ticks.fence_all(partitions)
        stats, control_at = catch_up(self.settings, self.pipeline, self.store, topics=CO_PARTITIONED,
                                     partitions=partitions, positions=self.positions, stored=self.stored,
                                     coverage=self.coverage, emit=self._emit,
                                     workers=self.catch_up_workers())
        settle()        # the restored and caught-up state: long-lived (log_reader.settle)
        self.control.seek(control_at)
        self._hold_ticks(restored.held)
        for p in sorted(partitions):
            self.ticks.assign(p, self.positions[(TICKS, p)])
        self.checkpoints.applied_since += stats.records
        self.last_catch_up = stats
        used = ", ".join(f"p{p}#{s}" for p, s in sorted(restored.seqs.items())) or "none"
        log.info("partitions %s ready in %.2fs: checkpoints used %s; %d record(s) re-applied, %d caught up "
                 "(%.0f/s)", sorted(partitions), time.perf_counter() - started, used, stats.rebuilt,
                 stats.written, stats.records / stats.seconds if stats.seconds else 0)
        if stats.records >= max(1, self.settings.checkpoint_every // 10) or len(restored.seqs) < len(partitions):
            # Nothing has changed the caught-up states since: a split catch-up's blobs are theirs.
            self.checkpoint(partitions, encoded=stats.encoded)
        stats.encoded = {}
        self.decide_due_ticks()

    # ---- records ----

    def _delivered(self, err, msg) -> None:
        if err is not None:
            self._undelivered.append(f"{msg.topic()}: {err.str()}")
            return
        topic = msg.topic()[len(self.settings.topic_prefix):]
        if topic in OUTPUT_TOPICS:       # our own outputs, already applied: the state reflects them
            key = (topic, msg.partition())
            if msg.offset() + 1 > self.positions.get(key, 0):
                self.positions[key] = msg.offset() + 1

    def handle(self, records: list[RawRecord]) -> None:
        """A batch from Faust: what the state already reflects is skipped."""
        self.store.check_file()        # a deleted or replaced DuckDB file: stop before writing into it
        fresh = []
        positions = self.positions
        for rec in records:
            key = (rec.topic, rec.partition)
            if rec.partition not in self.owned:
                log.warning("%s[%d]@%d delivered for a partition this worker does not own: skipped",
                            rec.topic, rec.partition, rec.offset)
                continue
            if rec.offset >= positions.get(key, 0):
                positions[key] = rec.offset + 1
                fresh.append(rec)
        if fresh:
            self._finish(self.pipeline.process(fresh))
        # A full batch says the log is running ahead: look at the lag sooner (watch_lag).
        self.busy = len(records) >= BATCH_MAX

    def poll_control(self) -> None:
        records = self.control.poll()
        if records:
            result = self.pipeline.process(records, control_filter=self.coverage.applies)
            self.coverage.passed(self.control.position)
            self.positions[(CONTROL, 0)] = self.control.position
            self._finish(result)
            self.control.commit()

    def poll_ticks(self) -> None:
        fresh = []
        for rec in self.ticks.poll():
            key = (TICKS, rec.partition)
            if rec.partition in self.owned and rec.partition not in self.paused \
                    and rec.offset >= self.positions.get(key, 0):
                self.positions[key] = rec.offset + 1
                fresh.append(rec)
        if fresh:
            self._finish(self.pipeline.process(fresh))
            self._hold_ticks([])

    def _hold_ticks(self, restored: list) -> None:
        """Ticks applied but not decided (read just now, by a catch-up, or held when the last
        run stopped) wait in offset order per partition; one whose run record is already on
        the log was decided before."""
        fresh = [tuple(t) for t in restored] + self.pipeline.ticks_read
        self.pipeline.ticks_read = []
        for tick, p, offset in sorted(fresh, key=lambda t: (t[1], t[2])):
            queue = self.held.setdefault(p, [])
            if p not in self.owned or offset in {o for _, o in queue}:
                continue
            if tick["tick_id"] not in self.pipeline.state(tick["tenant_id"]).ticks_done:
                queue.append((tick, offset))
        for queue in self.held.values():
            queue.sort(key=lambda h: h[1])

    def decide_due_ticks(self) -> None:
        """Per partition: decide the held ticks whose inputs are in, in order, and commit their
        outputs with the ticks' offset in one transaction; then the rows, in one store
        transaction with the positions. A tick still waiting holds the ones after it."""
        for p in sorted(self.owned - self.paused):
            queue = self.held.get(p, [])
            due = []
            while queue and self.gate(queue[0][0]):
                due.append(queue.pop(0))
            upto = queue[0][1] if queue else self.positions.get((TICKS, p), 0)
            if not due and self.ticks_committed.get(p) == upto:
                continue
            outputs, decided = [], []
            for tick, _ in due:
                at = self._tick_positions(tick)
                events = self.pipeline.decide(tick)
                outputs += [(self.settings.topic(topic_for(type_name, event)), event["tenant_id"].encode(),
                             self.codec.encode(type_name, event)) for type_name, event in events]
                if events:
                    decided.append(at)
            # TransactionFailed propagates: the outputs are applied to the state but not on the
            # log, and only a restart from the checkpoint and the log is consistent again.
            self.ticks.commit(p, outputs, upto)
            self.ticks_committed[p] = upto
            if self._undelivered:
                raise RuntimeError(f"output event(s) refused by the broker: {self._undelivered[0]}")
            upserts, inserts = self.pipeline.take_changes()
            if decided:
                inserts = dict(inserts, tick_positions=decided)
            self._write(upserts, inserts)

    def tick(self) -> None:
        """The timer's work: control settings, held ticks and a due checkpoint. (The lag is
        looked at by watch_lag: asking the broker takes a round trip this thread must not wait on.)"""
        self.poll_control()
        self.poll_ticks()
        self.decide_due_ticks()
        if self.checkpoints.due():
            self.checkpoint()

    def lag_check_due(self) -> bool:
        return time.monotonic() >= self._lag_checked + (LAG_CHECK_BUSY_S if self.busy else LAG_CHECK_S)

    def log_ends(self) -> dict[tuple[str, int], int] | None:
        """The end offsets of Faust's topics, ticks and control (None while the broker is away). Only I/O: called
        off the batch thread, so the broker's round trip (0.1-0.7 s measured under load) never
        holds a batch back."""
        self._lag_checked = time.monotonic()
        try:
            # One ListOffsets request (asked per partition, 36 round trips took 40-90 ms here, more
            # under load), every LAG_CHECK_S and before each catch-up.
            return offsets.last_stable_offsets(kafka_clients.shared_admin(self.settings), self.settings,
                                               FAUST_TOPICS + (TICKS, CONTROL), timeout=5.0, retry_for=5.0)
        except KafkaException:
            kafka_clients.renew_shared_admin(self.settings)
            return None      # the broker is away: nothing to catch up from either

    def lag(self, ends: dict[tuple[str, int], int] | None = None) -> int:
        """Records of the owned partitions of Faust's topics not yet applied (at the given end
        offsets, default: the log's ends now)."""
        if ends is None:
            ends = self.log_ends()
            if ends is None:
                return 0
        prefix = len(self.settings.topic_prefix)
        return sum(max(0, end - self.positions.get((t[prefix:], p), 0)) for (t, p), end in ends.items()
                   if p in self.owned and t[prefix:] in FAUST_TOPICS)

    def watch_readers(self, ends: dict[tuple[str, int], int]) -> None:
        """Ticks or control records on the log that their consumer has not delivered for a while:
        the consumer is renewed (stall_watch). ends: log_ends()."""
        prefix = len(self.settings.topic_prefix)
        mine = {p: end for (t, p), end in ends.items()
                if t[prefix:] == TICKS and p in self.owned and p not in self.paused}
        self.ticks.watch(mine, {p: self.positions.get((TICKS, p), 0) for p in self.ticks.assigned})
        self.control.watch(ends.get((self.settings.topic(CONTROL), 0)))

    def after_lag_check(self, ends: dict[tuple[str, int], int]) -> dict[tuple[str, int], int] | None:
        """The timer's look at the log's ends, on the batch thread: stalled readers, then a
        catch-up if far behind (its new positions returned, for Faust to fetch from)."""
        self.watch_readers(ends)
        return self.catch_up_if_behind(ends)

    def catch_up_if_behind(self, ends: dict[tuple[str, int], int] | None = None) -> dict[tuple[str, int], int] | None:
        """Far behind (an outage, a burst), read through the batched path, then let Faust
        take the tail again from the new positions. ends: the log's end offsets, read by the
        caller (default: read now)."""
        behind = self.lag(ends)
        threshold = self.catch_up_threshold()
        if not self.owned or behind <= threshold:
            return None
        log.info("behind by %d record(s) (threshold %d): catching up through the batched reader", behind, threshold)
        def once():
            return catch_up(self.settings, self.pipeline, self.store, topics=CO_PARTITIONED,
                            partitions=self.owned, positions=self.positions, stored=self.stored,
                            coverage=self.coverage, emit=self._emit, workers=self.catch_up_workers())

        stats, control_at = once()
        # Still far behind (a burst went on arriving, more than a catch-up reads on by itself):
        # again at once, rather than through Faust's batches until the next lag check (a few
        # times at most: held ticks and control wait for the catch-up to end).
        for _ in range(AGAIN_AT_MOST):
            behind = self.lag()
            if behind <= threshold:
                break
            log.info("still behind by %d record(s): catching up again", behind)
            more, control_at = once()
            stats.rebuilt, stats.written = stats.rebuilt + more.rebuilt, stats.written + more.written
            stats.seconds += more.seconds
        self.control.seek(control_at)
        self._hold_ticks([])
        self.checkpoints.applied_since += stats.records
        stats.encoded = {}          # the states move on from here: their blobs are of no use
        self.last_catch_up = stats
        log.info("caught up %d record(s) in %.2fs (%.0f/s); Faust takes the tail", stats.records, stats.seconds,
                 stats.records / stats.seconds if stats.seconds else 0)
        self.decide_due_ticks()
        return {(self.settings.topic(t), p): off for (t, p), off in self.positions.items()
                if t in FAUST_TOPICS and p in self.owned}

    def catch_up_workers(self) -> int:
        return process_count(self.settings.catch_up_workers)

    def catch_up_threshold(self) -> int:
        return catch_up_threshold(self.settings.catch_up_threshold, len(self.owned), self.partitions)

    def checkpoint(self, partitions: set[int] | None = None, encoded: dict | None = None) -> None:
        """encoded: tenant -> its state's blob, for states known unchanged since (kept as they are)."""
        held = [(tick, p, offset) for p, queue in self.held.items() for tick, offset in queue]
        parts = self.owned if partitions is None else partitions & self.owned
        if parts:
            self.checkpoints.save(self.pipeline.states, parts, self.positions,
                                  self.positions.get((CONTROL, 0), 0), held, encoded=encoded)

    def _emit(self, outputs: list[tuple[str, dict]]) -> None:
        """Produce outputs and wait until the broker has them all."""
        for type_name, event in outputs:
            topic = self.settings.topic(topic_for(type_name, event))
            self._produce(topic, event["tenant_id"].encode(), self.codec.encode(type_name, event))
        # Outputs must be durable before their positions are written. The producer never
        # expires a message (message.timeout.ms=0), so while the broker is away we wait
        # here instead of losing outputs.
        waited = 0.0
        while self.producer.flush(5.0):
            waited += 5.0
            log.warning("output events still waiting for the broker after %.0fs", waited)
        if self._undelivered:
            # A refused output (not a slow one) must not be committed past: stop here.
            raise RuntimeError(f"{len(self._undelivered)} output event(s) refused by the broker, "
                               f"first: {self._undelivered[0]}")

    def _finish(self, result: BatchResult) -> None:
        self._emit(result.outputs)
        self._write(*self.pipeline.take_changes())
        self.processed += result.applied
        self.checkpoints.applied_since += result.applied

    def _tick_positions(self, tick: dict) -> dict:
        p = partition_for(tick["tenant_id"], self.partitions)
        covered = {f"{self.settings.topic(t)}:{p}": self.positions.get((t, p), 0) for t in CO_PARTITIONED}
        covered[f"{self.settings.topic(CONTROL)}:0"] = self.positions.get((CONTROL, 0), 0)
        return {"tenant_id": tick["tenant_id"], "tick_id": tick["tick_id"], "as_of": tick["as_of"], "partition": p,
                "positions": covered, "decided_at": int(time.time() * 1000)}

    def _produce(self, topic: str, key: bytes, value: bytes) -> None:
        """Produce, waiting while the local queue is full (a long broker outage)."""
        waited = 0.0
        while True:
            try:
                self.producer.produce(topic, key=key, value=value)
                return
            except BufferError:
                self.producer.poll(1.0)
                waited += 1.0
                if waited % 30 == 0:
                    log.warning("producer queue full for %.0fs; waiting for the broker", waited)

    def _write(self, upserts, inserts) -> None:
        """Write one batch with the positions it reflects; while the store is down, back off
        and keep our place. A PositionConflict (another worker wrote these partitions' positions)
        is not retried: this worker no longer owns them."""
        moved = [(self.settings.topic(t), p, off) for (t, p), off in self.positions.items()
                 if t != CONTROL and self.stored.get((self.settings.topic(t), p), 0) != off]
        expect = [(t, p, self.stored.get((t, p), 0)) for t, p, _ in moved]
        delay = 0.5
        while True:
            try:
                self.store.write_batch(upserts, inserts, offsets=moved, expect=expect)
                break
            except self.store.transient_errors as exc:
                log.warning("store unavailable (%s); retrying in %.1fs", type(exc).__name__, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                try:
                    self.store.reconnect()
                except self.store.transient_errors:
                    pass
        for t, p, off in moved:
            self.stored[(t, p)] = off

    def close(self) -> None:
        self.ticks.close()
        self.control.close()
        self.gate.close()


def catch_up_threshold(group_threshold: int, owned: int, partitions: int) -> int:
    """REVLOOP_CATCH_UP_THRESHOLD is the group's lag: a worker holding `owned` of `partitions`
    weighs its share of it. (Weighed whole, a burst spread over 2 workers left each under it, on
    the Faust path, which costs ~3 x the CPU per record: at 12,000 events 2 workers used 11 s of
    CPU where 1 used 6 s.)"""
    share = min(owned / partitions, 1.0) if partitions else 1.0
    return max(1, round(group_threshold * share))


def topic_partitions(settings: Settings) -> int:
    """The partition count of the co-partitioned topics (all the same, or the worker refuses:
    a tenant's events would not sit on one partition number)."""
    found = offsets.topic_partitions(kafka_clients.admin(settings), [settings.topic(t) for t in CO_PARTITIONED])
    counts = {t: len(found[settings.topic(t)]) for t in CO_PARTITIONED if settings.topic(t) in found}
    if not counts:
        raise RuntimeError("no revloop topics on the broker: run `revloop topics create` first")
    if len(set(counts.values())) != 1:
        raise RuntimeError(f"the tenant-keyed topics have different partition counts ({counts}): a tenant's "
                           f"events would not share a partition number")
    return next(iter(counts.values()))


def fail_stop(message: str) -> None:
    """Exit at once, committing nothing more: the unfinished batch is read again on restart.

    Only for failures the worker cannot route around (a store refusing a write for a
    reason no check foresaw, a broker refusing an output). Bad records never get here:
    they go to the dead-letter topic. Exit status 70 (EX_SOFTWARE) for the supervisor.
    """
    log.critical(message, exc_info=True)
    logging.shutdown()
    os._exit(70)


async def _on_thread(executor: ThreadPoolExecutor, slow_s: float, step, *args, what: str | None = None):
    """Run step(*args) on the executor's thread; log it when it, or its wait for the thread,
    took longer than slow_s (REVLOOP_SLOW_STEP_S): a stall of produce-to-row latency then
    names its cause in the worker's log."""
    queued = time.monotonic()

    def timed():
        started = time.monotonic()
        try:
            return step(*args)
        finally:
            ran, waited = time.monotonic() - started, started - queued
            if ran > slow_s or waited > slow_s:
                log.warning("slow step: %s ran %.2fs on %s after waiting %.2fs for it",
                            what or step.__name__, ran, threading.current_thread().name, waited)

    return await asyncio.get_running_loop().run_in_executor(executor, timed)


def create_app(settings: Settings, worker: ProjectionWorker) -> faust.App:
    app = faust_transport.App(
        group_id(settings),
        **kafka_clients.faust_broker_options(settings),
        value_serializer="raw", key_serializer="raw",
        store="memory://", web_enabled=False,
        topic_allow_declare=False, topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        broker_commit_every=BATCH_MAX, broker_commit_interval=1.0,
        # Faust's data folder holds nothing here (tables are in memory, the state is in the
        # store): out of the working directory, which it would litter with one per group.
        datadir=settings.faust_datadir or str(Path(tempfile.gettempdir()) / "revloop-faust-{conf.name}"),
    )
    prefix = settings.topic_prefix
    # One thread: the state and the store connection are used by one step at a time, in order.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="revloop-batch")
    topic = app.topic(*(settings.topic(name) for name in FAUST_TOPICS), value_serializer="raw", key_serializer="raw")

    # concurrency=1: a second actor could commit offsets past records still in flight.
    @app.agent(topic, concurrency=1)
    async def project(stream):
        async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            records = [RawRecord(ev.message.topic[len(prefix):], ev.message.partition, ev.message.offset,
                                 ev.message.key, ev.message.value, round((ev.message.timestamp or 0) * 1000))
                       for ev in events]
            try:
                await _on_thread(executor, settings.slow_step_s, worker.handle, records,
                                 what=f"a batch of {len(records)} record(s)")
            except StoreFileGone as exc:
                fail_stop(str(exc))
            except Exception:
                # Raising out of take_events would ack the batch (Faust acks in a finally)
                # and commit offsets past records whose rows were never written.
                fail_stop("a batch of %d record(s) failed; stopping before its offsets commit" % len(records))

    async def seek(starts) -> None:
        """The state moved past what Faust delivered (a catch-up): commit the new positions
        (through Faust's own commit, which never goes back below them afterwards) and fetch from
        there. What Faust already buffered below them is skipped by handle."""
        consumer = app.consumer
        assigned = consumer.assignment()
        offsets = {TP(topic, p): off for (topic, p), off in starts.items() if TP(topic, p) in assigned and off > 0}
        if offsets:
            # Faust commits what its agent acked on a timer, through the consumer's own thread: a
            # commit of records delivered before the catch-up may be in flight now, and landing
            # after ours it would move the group back for good (Faust then sees a gap below the
            # next acks and never commits past it; seen in the bench). Take Faust's commit turn as
            # its commit() does: wait for the one in flight, and make the next wait for ours.
            await consumer.maybe_wait_for_commit_to_finish()
            consumer._commit_fut = turn = asyncio.get_running_loop().create_future()
            try:
                await consumer._commit_offsets(offsets)
            finally:
                consumer._commit_fut = None
                turn.set_result(None)
            for tp, off in offsets.items():
                await consumer.seek(tp, off)

    # The store's file, watched between batches too: an idle worker notices as well.
    @app.timer(2.0)
    async def watch_store_file():
        try:
            worker.store.check_file()
        except StoreFileGone as exc:
            fail_stop(str(exc))

    # Control settings and held ticks must not wait for the next record to arrive.
    @app.timer(TIMER_S)
    async def side_work():
        try:
            await _on_thread(executor, settings.slow_step_s, worker.tick,
                             what="control, held ticks and checkpoints")
        except Exception:
            fail_stop("control, a held tick or a checkpoint failed; stopping")

    # How far behind: the end offsets are read on a thread of their own, the lag is weighed
    # (and a catch-up run) on the batch thread, where the positions change.
    probe = ThreadPoolExecutor(max_workers=1, thread_name_prefix="revloop-lag")

    @app.timer(LAG_CHECK_BUSY_S)
    async def watch_lag():
        if not worker.lag_check_due():
            return
        try:
            ends = await _on_thread(probe, settings.slow_step_s, worker.log_ends,
                                    what="reading the log's end offsets")
            starts = None if ends is None else await _on_thread(
                executor, settings.slow_step_s, worker.after_lag_check, ends, what="the lag check (and a catch-up)")
        except Exception:
            fail_stop("a catch-up failed; stopping")
        if starts:
            await seek(starts)

    @app.on_partitions_assigned.connect
    async def take_partitions(app, assigned, **kwargs):
        # Catch up on new partitions (the rebalance waits: nothing of theirs may be applied
        # before their state is back), then have Faust fetch from where the state stands.
        numbers = {tp.partition for tp in assigned}
        by_number: dict[int, set] = {}
        for tp in assigned:
            by_number.setdefault(tp.partition, set()).add(tp.topic)
        partial = {p for p, topics in by_number.items() if len(topics) != len(FAUST_TOPICS)}
        if partial:
            log.error("the group assigned partitions %s of only some topics: tenants must be co-partitioned",
                      sorted(partial))
        # Not awaited here: aiokafka sends no heartbeat until this callback returns, and a
        # take-over (restore + catch-up) can outlast the session timeout, which would evict
        # the member (seen in the scale-out bench). The batch thread is one FIFO queue, so
        # every batch of the new partitions runs after the take-over, and handle skips what
        # the restored state already reflects.
        taking = asyncio.get_running_loop().run_in_executor(executor, worker.rebalance, numbers)

        async def taken():
            try:
                starts = await taking
            except Exception:
                fail_stop("taking partitions %s on failed" % sorted(numbers))
            # Faust fetches from the committed offsets meanwhile: commit ours and seek there, so
            # it need not deliver what the state already has (handle would skip it anyway).
            try:
                await seek(starts)
            except Exception:  # noqa: BLE001  (a rebalance moved on; the next one seeks again)
                log.warning("could not move the fetch positions of partitions %s", sorted(numbers), exc_info=True)

        app.add_future(taken())

    @app.on_partitions_revoked.connect
    async def pause_partitions(app, revoked, **kwargs):
        try:
            await asyncio.get_running_loop().run_in_executor(executor, worker.pause,
                                                             {tp.partition for tp in revoked})
        except Exception:
            fail_stop("pausing partitions failed")

    @app.on_before_shutdown.connect
    async def last_checkpoint(app, **kwargs):
        # After the consumer stopped, behind any batch still in the executor.
        try:
            await asyncio.get_running_loop().run_in_executor(executor, worker.checkpoint)
        except Exception:
            log.exception("no checkpoint at shutdown; the next start reads more of the log")

    return app


def watch_gc(slow_s: float):
    """Log a garbage collection that held the process up longer than slow_s: every thread,
    the batch thread's rows included, waits for it (a latency stall with no slow step of ours)."""
    started: list[float] = []

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            ran = time.perf_counter() - started.pop()
            if ran > slow_s:
                log.warning("slow step: a generation-%d garbage collection ran %.2fs (%d object(s) collected)",
                            info["generation"], ran, info["collected"])
    gc.callbacks.append(on_gc)
    return on_gc


def run_worker(settings: Settings, store_url: str | None = None, *, verbose: bool = False,
               worker_class: type[ProjectionWorker] = ProjectionWorker) -> None:
    """worker_class: the ProjectionWorker to run (a test's stand-in for slow steps)."""
    if settings.action_key is None:
        log.warning("REVLOOP_ACTION_KEY is not set: decisions go out untagged, and executors refuse them")
    store = open_store(store_url or settings.store_url, app_role=settings.app_role,
                       snapshot_interval_s=settings.snapshot_interval_s)
    store.ensure_schema()
    worker = worker_class(settings, store)
    app = create_app(settings, worker)
    watch_gc(settings.slow_step_s)
    from faust.worker import Worker

    # Logging stays the CLI's (revloop.streams.cli_support.configure_logging): its format
    # (--log-format json) and its level (-v: DEBUG, Faust's and aiokafka's loggers included).
    faust_worker = Worker(app, loglevel="DEBUG" if verbose else "INFO", quiet=True, override_logging=False)
    # Without Faust's logging set-up its terminal spinner stays, and swallows the "Ready" line
    # (quiet) that operators and the crash tests wait for: no spinner, so Faust logs it.
    faust_worker.spinner = None
    faust_worker.execute_from_commandline()
