"""`revloop worker`: the live projection worker, a Faust agent around the Pipeline.

Start-up: rebuild the in-memory state from the log up to the offsets the
worker group last committed (input topics) and to the end (output topics),
then let Faust consume from those offsets. Each batch is decoded by our codec
(Faust only sees raw bytes, so nothing undecodable is skipped silently),
applied, written to the store in one transaction, and its outputs flushed to
Kafka before Faust may commit the batch's offsets.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

import faust
from confluent_kafka import KafkaException

from revloop.streams.log_reader import end_offsets, read_until
from revloop.projections.store import StoreFileGone, open_store
from revloop.streams import kafka_clients, offsets
from revloop.streams.config import Settings
from revloop.streams.kafka_io import producer as make_producer
from revloop.streams.pipeline import BatchResult, Pipeline, RawRecord
from revloop.streams.topics import INPUT_TOPICS, OUTPUT_TOPICS, DEAD_LETTER, topic_for

log = logging.getLogger("revloop.worker")

BATCH_MAX = 2000
BATCH_WITHIN_S = 0.25


def group_id(settings: Settings) -> str:
    return f"{settings.topic_prefix}{settings.consumer_group}"


def committed_offsets(settings: Settings) -> dict[tuple[str, int], int]:
    """Where the worker group stands on each input partition (0 where it never committed)."""
    consumer = kafka_clients.consumer(settings, group_id(settings))
    try:
        return offsets.committed_offsets(consumer, list(end_offsets(consumer, settings, INPUT_TOPICS)))
    finally:
        consumer.close()


def rebuild_state(settings: Settings, pipeline: Pipeline, store) -> dict[tuple[str, int], int]:
    stop_at = committed_offsets(settings)
    prefix = len(settings.topic_prefix)
    # The worker resumes from these positions; the tick gate measures from them too.
    positions = {(t[prefix:], p): off for (t, p), off in stop_at.items()}
    probe = kafka_clients.consumer(settings, "revloop-probe")
    try:
        stop_at.update(end_offsets(probe, settings, OUTPUT_TOPICS + (DEAD_LETTER,)))
    finally:
        probe.close()
    replaying = pipeline.emit_actions
    pipeline.emit_actions = False
    stats = read_until(settings, stop_at, pipeline, store=store)
    pipeline.emit_actions = replaying
    # A tick whose offset was committed while it was held, but that never ran
    # (the worker died first), runs now; run_tick skips the ones already done.
    for tick in sorted(pipeline.replayed_ticks, key=lambda t: t["as_of"]):
        if tick["tick_id"] not in pipeline.state(tick["tenant_id"]).ticks_done:
            pipeline.pending_ticks.append(tick)
    pipeline.replayed_ticks.clear()
    log.info("rebuilt state from %d record(s) in %.2fs", stats.records, stats.seconds)
    return positions


class TickGate:
    """Hold a tick until every input record produced before it has been applied.

    Topics are consumed in no fixed interleaving, so a tick could otherwise be
    decided before the touches and orders that preceded it. When a tick arrives
    we note each input partition's end offset; the tick runs once the worker's
    position has reached all of them. The decision then depends on the log, not
    on fetch timing.
    """

    def __init__(self, settings: Settings, positions: dict[tuple[str, int], int]):
        self.settings = settings
        self.positions = positions          # logical (topic, partition) -> next offset to apply
        self.targets: dict[str, dict] = {}
        self._probe = kafka_clients.consumer(settings, "revloop-tick-gate")

    def __call__(self, tick: dict) -> bool:
        target = self.targets.get(tick["event_id"])
        if target is None:
            try:
                ends = end_offsets(self._probe, self.settings, [t for t in INPUT_TOPICS if t != "ticks"],
                                   timeout=5.0, retry_for=5.0)
            except KafkaException as exc:
                # The broker is away: the tick waits (the timer asks again), the worker goes on.
                log.warning("tick %s held: input end offsets unavailable (%s)", tick["tick_id"], exc)
                return False
            prefix = len(self.settings.topic_prefix)
            target = self.targets[tick["event_id"]] = {(t[prefix:], p): end for (t, p), end in ends.items()}
        if all(self.positions.get(tp, 0) >= end for tp, end in target.items()):
            del self.targets[tick["event_id"]]
            return True
        return False


class ProjectionWorker:
    """The batch step, independent of Faust so it can be driven directly too."""

    def __init__(self, settings: Settings, store, producer=None):
        self.settings = settings
        self.store = store
        self.codec = kafka_clients.codec(settings)
        self.positions: dict[tuple[str, int], int] = {}
        self.pipeline = Pipeline(self.codec, tick_gate=TickGate(settings, self.positions),
                                 action_key=settings.action_key, max_skew_ms=settings.max_clock_skew_ms)
        self._undelivered: list[str] = []
        self.producer = producer or make_producer(settings, **{"message.timeout.ms": 0,
                                                               "on_delivery": self._delivered})
        self.processed = 0

    def _delivered(self, err, msg) -> None:
        if err is not None:
            self._undelivered.append(f"{msg.topic()}: {err.str()}")

    def handle(self, records: list[RawRecord]) -> None:
        self.store.check_file()        # a deleted or replaced DuckDB file: stop before writing into it
        for rec in records:
            self.positions[(rec.topic, rec.partition)] = max(self.positions.get((rec.topic, rec.partition), 0),
                                                             rec.offset + 1)
        result = self.pipeline.process(records)
        self._finish(result)

    def run_pending_ticks(self) -> None:
        if self.pipeline.pending_ticks:
            self._finish(self.pipeline.run_due_ticks(BatchResult()))

    def _finish(self, result: BatchResult) -> None:
        for type_name, event in result.outputs:
            topic = self.settings.topic(topic_for(type_name, event))
            self._produce(topic, event["tenant_id"].encode(), self.codec.encode(type_name, event))
        upserts, inserts = self.pipeline.take_changes()
        self._write(upserts, inserts)
        # Outputs must be durable before Faust may commit the inputs' offsets. The
        # producer never expires a message (message.timeout.ms=0), so while the
        # broker is away we wait here instead of losing outputs.
        waited = 0.0
        while self.producer.flush(5.0):
            waited += 5.0
            log.warning("output events still waiting for the broker after %.0fs", waited)
        if self._undelivered:
            # A refused output (not a slow one) must not be committed past: stop here.
            raise RuntimeError(f"{len(self._undelivered)} output event(s) refused by the broker, "
                               f"first: {self._undelivered[0]}")
        self.processed += result.applied

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
        """Write one batch; while the store is down, back off and keep our place."""
        delay = 0.5
        while True:
            try:
                self.store.write_batch(upserts, inserts)
                return
            except self.store.transient_errors as exc:
                log.warning("store unavailable (%s); retrying in %.1fs", type(exc).__name__, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                try:
                    self.store.reconnect()
                except self.store.transient_errors:
                    pass


def fail_stop(message: str) -> None:
    """Exit at once, committing nothing more: the unfinished batch is read again on restart.

    Only for failures the worker cannot route around (a store refusing a write for a
    reason no check foresaw, a broker refusing an output). Bad records never get here:
    they go to the dead-letter topic. Exit status 70 (EX_SOFTWARE) for the supervisor.
    """
    log.critical(message, exc_info=True)
    logging.shutdown()
    os._exit(70)


def create_app(settings: Settings, worker: ProjectionWorker) -> faust.App:
    app = faust.App(
        group_id(settings),
        **kafka_clients.faust_broker_options(settings),
        value_serializer="raw", key_serializer="raw",
        store="memory://", web_enabled=False,
        topic_allow_declare=False, topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        broker_commit_every=BATCH_MAX, broker_commit_interval=1.0,
    )
    prefix = settings.topic_prefix
    # One thread: the store connection is used by one batch at a time, in order.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="revloop-batch")
    topic = app.topic(*(settings.topic(name) for name in INPUT_TOPICS), value_serializer="raw", key_serializer="raw")

    # concurrency=1: a second actor could commit offsets past records still in flight.
    @app.agent(topic, concurrency=1)
    async def project(stream):
        async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            records = [RawRecord(ev.message.topic[len(prefix):], ev.message.partition, ev.message.offset,
                                 ev.message.key, ev.message.value, round((ev.message.timestamp or 0) * 1000))
                       for ev in events]
            try:
                await asyncio.get_running_loop().run_in_executor(executor, worker.handle, records)
            except StoreFileGone as exc:
                fail_stop(str(exc))
            except Exception:
                # Raising out of take_events would ack the batch (Faust acks in a finally)
                # and commit offsets past records whose rows were never written.
                fail_stop("a batch of %d record(s) failed; stopping before its offsets commit" % len(records))

    # The store's file, watched between batches too: an idle worker notices as well.
    @app.timer(2.0)
    async def watch_store_file():
        try:
            worker.store.check_file()
        except StoreFileGone as exc:
            fail_stop(str(exc))

    # A held tick must not wait for the next record to arrive.
    @app.timer(1.0)
    async def run_held_ticks():
        try:
            await asyncio.get_running_loop().run_in_executor(executor, worker.run_pending_ticks)
        except Exception:
            fail_stop("a held tick failed; stopping")

    return app


def run_worker(settings: Settings, store_url: str | None = None, *, verbose: bool = False) -> None:
    if settings.action_key is None:
        log.warning("REVLOOP_ACTION_KEY is not set: decisions go out untagged, and executors refuse them")
    store = open_store(store_url or settings.store_url, app_role=settings.app_role,
                       snapshot_interval_s=settings.snapshot_interval_s)
    store.ensure_schema()
    worker = ProjectionWorker(settings, store)
    worker.positions.update(rebuild_state(settings, worker.pipeline, store))
    app = create_app(settings, worker)
    from faust.worker import Worker

    # Logging stays the CLI's (revloop.streams.cli_support.configure_logging): its format
    # (--log-format json) and its level (-v: DEBUG, Faust's and aiokafka's loggers included).
    faust_worker = Worker(app, loglevel="DEBUG" if verbose else "INFO", quiet=True, override_logging=False)
    # Without Faust's logging set-up its terminal spinner stays, and swallows the "Ready" line
    # (quiet) that operators and the crash tests wait for: no spinner, so Faust logs it.
    faust_worker.spinner = None
    faust_worker.execute_from_commandline()
