"""A long catch-up split over processes by partition, as `revloop replay` splits a log.

A worker far behind (after an outage, or at its first start on a long log) is bound by one
process: decoding and applying every record takes a core, and the store's writes most of
another. Here each group of its partitions (about equal lag, streams.shard_proc.balance) is
caught up by a child process running the same streams.catch_up.catch_up over its partitions,
from the states the worker holds for their tenants (handed over as a checkpoint keeps them,
streams.state_codec) and their positions and control coverage.

The worker stays the only writer and the only producer: a child's outputs and store writes
come to it as messages, handled in the order each child sent them, and the child waits for
the answer to each write (one at a time, while it reads on). So outputs are durable before
the positions past them are written (they were sent first), each write is fenced on the
positions the store holds, as in one process, and a refused write stops everything. At the end each child hands back
its states, positions, coverage and the ticks it read, and the worker goes on as after a
catch-up in its own process.

Every child reads the control topic over the same range and applies a record only to its
own tenants and the global settings (ControlCoverage): the global state comes out the same
from each (the worker keeps the first child's), and a control record that cannot be read is
dead-lettered by the first child only.
"""
from __future__ import annotations

import logging
import queue as queue_mod
import resource
import time
import traceback

from revloop.streams import kafka_clients
from revloop.streams.catch_up import CatchUpStats, catch_up
from revloop.streams.checkpointing import GLOBAL
from revloop.streams.cli_support import configure_logging
from revloop.streams.config import Settings
from revloop.streams.control_feed import CONTROL, ControlCoverage
from revloop.streams.kafka_clients import partition_for
from revloop.streams.log_reader import settle
from revloop.streams.pipeline import Pipeline
from revloop.streams.shard_proc import Child, Parent, stop_all
from revloop.streams.state_codec import decode_states, encode_state

log = logging.getLogger("revloop.catch_up")


class CatchUpError(RuntimeError):
    """A catch-up child failed (its traceback is in the message)."""


def catch_up_sharded(settings: Settings, pipeline: Pipeline, store, *, topics: tuple[str, ...],
                     groups: list[set[int]], ends: dict[tuple[str, int], int], positions: dict[tuple[str, int], int],
                     stored: dict[tuple[str, int], int], coverage: ControlCoverage, emit) -> tuple[CatchUpStats, int]:
    """catch_up's contract (positions, stored, coverage and pipeline's states and ticks_read
    updated in place), one child per group of partitions."""
    started, cpu = time.perf_counter(), _cpu()
    control_tp = (settings.topic(CONTROL), 0)
    control_from = coverage.low()
    log.info("catching up in %d processes: partitions %s", len(groups), " | ".join(
        ",".join(map(str, sorted(g))) for g in groups))
    inbox: queue_mod.Queue = queue_mod.Queue(maxsize=2 * len(groups))
    children: list[Child] = []
    stats = CatchUpStats()
    running = set(range(len(groups)))
    first_spoke = taken = 0.0
    try:
        for i, parts in enumerate(groups):
            payload = {
                "settings": settings, "shard": i, "topics": topics, "partitions": set(parts),
                "ends": {tp: end for tp, end in ends.items() if tp[1] in parts or tp == control_tp},
                "control_from": control_from,
                "positions": {k: v for k, v in positions.items() if k[0] != CONTROL and k[1] in parts},
                "stored": {k: v for k, v in stored.items() if k != control_tp and k[1] in parts},
                "partition_count": coverage.partitions,
                "covered": {u: off for u, off in coverage.covered.items() if u == GLOBAL or u in parts},
                "states": {t: encode_state(st) for t, st in pipeline.states.items()
                           if t == GLOBAL or partition_for(t, coverage.partitions) in parts},
                "prepare": type(store).prepare,
            }
            children.append(Child(__name__, "_child_main", payload, i, inbox, replies=True))
        while running:
            msg = inbox.get()
            first_spoke = first_spoke or time.perf_counter()
            kind, shard = msg[0], msg[1]
            if kind == "write":
                store.write_prepared(msg[2])
                children[shard].reply(None)
            elif kind == "emit":
                outputs = msg[2] if shard == 0 else [o for o in msg[2] if not _control_dead_letter(o)]
                emit(outputs)
            elif kind == "done":      # taken back at once: while the others still read
                taking = time.perf_counter()
                _take_back(msg[2], shard == 0, pipeline, positions, stored, coverage, stats)
                taken += time.perf_counter() - taking
                running.discard(shard)
            elif kind == "error":
                raise CatchUpError(f"catch-up process {shard} failed:\n{msg[2]}")
            elif shard in running:      # its pipe closed before it said "done"
                raise CatchUpError(f"catch-up process {shard} exited ({children[shard].proc.wait()}) "
                                   "before finishing")
    finally:
        stop_all(children, inbox, kill=bool(running))
    stats.seconds = time.perf_counter() - started
    used = [b - a for a, b in zip(cpu, _cpu())]
    log.info("catch-up processes done in %.2fs (the first spoke after %.2fs), their states taken back in %.2fs; "
             "CPU %.1fs here, %.1fs in them", stats.seconds, first_spoke - started if first_spoke else 0.0,
             taken, used[0], used[1])
    return stats, ends.get(control_tp, 0)


def _take_back(result: dict, first: bool, pipeline: Pipeline, positions, stored, coverage: ControlCoverage,
               stats: CatchUpStats) -> None:
    """A child's states, positions, coverage and ticks into the worker's (the global settings
    from the first child only: every child's are the same)."""
    kept = {t: blob for t, blob in result["states"].items() if t != GLOBAL or first}
    pipeline.states.update(_decoded(kept))
    stats.encoded.update(kept)
    coverage.covered.update((u, off) for u, off in result["covered"].items() if u != GLOBAL or first)
    positions.update(result["positions"])
    stored.update(result["stored"])
    pipeline.ticks_read += result["ticks"]
    stats.rebuilt += result["rebuilt"]
    stats.written += result["written"]


def _decoded(blobs: dict[str, bytes]) -> dict:
    """States from their blobs (state_codec.decode_states), then kept out of the cyclic
    collector's sight (log_reader.settle)."""
    states = decode_states(blobs)
    settle()
    return states


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its ended children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _control_dead_letter(output: tuple[str, dict]) -> bool:
    type_name, event = output
    return type_name == "dead_letter" and event.get("source_topic") == CONTROL     # records' topics are logical


class _ParentStore:
    """What catch_up's writer sees in a child: batches prepared here, written by the parent."""

    def __init__(self, parent: Parent, shard: int, prepare):
        self._parent, self._shard, self.prepare = parent, shard, prepare

    def write_prepared(self, batch) -> None:
        self._parent.call(("write", self._shard, batch))


def _child_main() -> None:
    parent = Parent()
    p = parent.payload
    shard = p["shard"]
    try:
        settings: Settings = p["settings"]
        configure_logging(verbose=False, log_format=settings.log_format)
        pipeline = Pipeline(kafka_clients.codec(settings), enrich=True, collect_ticks=True,
                            action_key=settings.action_key, max_skew_ms=settings.max_clock_skew_ms)
        pipeline.states = _decoded(p["states"])
        coverage = ControlCoverage(p["partition_count"])
        coverage.covered.update(p["covered"])
        positions, stored = dict(p["positions"]), dict(p["stored"])
        stats, _ = catch_up(settings, pipeline, _ParentStore(parent, shard, p["prepare"]), topics=p["topics"],
                            partitions=p["partitions"], positions=positions, stored=stored, coverage=coverage,
                            emit=lambda outputs: parent.put(("emit", shard, outputs)), ends=p["ends"],
                            control_from=p["control_from"])
        parent.put(("done", shard, {
            "states": {t: encode_state(st) for t, st in pipeline.states.items()},
            "covered": coverage.covered, "positions": positions, "stored": stored,
            "ticks": pipeline.ticks_read, "rebuilt": stats.rebuilt, "written": stats.written}))
    except BaseException:
        parent.put(("error", shard, traceback.format_exc()))
    finally:
        parent.close()
