"""The worker's checkpoints: its state per partition with the positions that state reflects.

A tenant's events sit on one partition number of every co-partitioned topic (every topic
but control), so the state of the tenants on partition p, the offsets of every
co-partitioned topic's partition p, and the control offset their controls reflect make a
consistent cut: restoring it and reading on from those offsets gives the state a worker
that never stopped would have. Taken between batches, after the batch's rows and offsets
committed (so a checkpoint is never ahead of the store), and kept a few deep.

Restoring takes, per partition, the newest checkpoint this code can read whose positions
the store's rows have reached; anything else (other code, damaged bytes, a store rebuilt
underneath) is logged and an older one tried, and with none left the partition is rebuilt
from offset 0.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from revloop.processors.state import TenantState
from revloop.projections.checkpoints import Checkpoint, CheckpointDamaged, CheckpointMissing
from revloop.streams.config import Settings
from revloop.streams.kafka_clients import partition_for
from revloop.streams.state_codec import (SnapshotUnreadable, decode_plain, decode_states, encode_plain,
                                         encode_state, state_version)

log = logging.getLogger("revloop.checkpoint")

CONTROL = "control"
GLOBAL = "*"          # the tenant of global control settings: in every partition's checkpoint


@dataclass
class Restored:
    """What a set of partitions' checkpoints gave back (logical topic names)."""
    states: dict[str, TenantState] = field(default_factory=dict)
    positions: dict[tuple[str, int], int] = field(default_factory=dict)   # (topic, partition) -> next offset
    control: dict[int | str, int] = field(default_factory=dict)   # partition (or GLOBAL) -> control offset covered
    held: list[tuple[dict, int, int]] = field(default_factory=list)   # (tick, partition, offset) read, not decided
    seqs: dict[int, int] = field(default_factory=dict)     # partition -> checkpoint used (absent: rebuilt)


class Checkpoints:
    """Save and restore the checkpoints of the partitions a worker owns."""

    def __init__(self, settings: Settings, store, scope: str, topics: tuple[str, ...], partitions: int):
        self.settings, self.store, self.scope = settings, store, scope
        self.topics = topics              # the co-partitioned topics whose positions a checkpoint holds
        self.partitions = partitions      # their partition count
        self.version = state_version()
        self.saved_at = time.monotonic()
        self.applied_since = 0

    def owner(self, tenant: str) -> int | str:
        return GLOBAL if tenant == GLOBAL else partition_for(tenant, self.partitions)

    def due(self) -> bool:
        return self.applied_since > 0 and (
            self.applied_since >= self.settings.checkpoint_every
            or time.monotonic() - self.saved_at >= self.settings.checkpoint_seconds)

    # ---- save ----

    def save(self, states: dict[str, TenantState], partitions, positions: dict[tuple[str, int], int],
             control_offset: int, held: list[tuple[dict, int, int]], encoded: dict[str, bytes] | None = None
             ) -> dict[int, int]:
        """One checkpoint per partition in `partitions`; returns partition -> seq. A state that
        cannot be encoded is logged and no checkpoint is written (the worker goes on: the
        previous checkpoints stay valid, start-up just reads more of the log). encoded: tenant ->
        the blob of its state as it stands (a split catch-up's, just taken back), kept as given."""
        by_partition: dict[int, dict[str, bytes]] = {p: {} for p in partitions}
        encoded = encoded or {}

        def blob(tenant: str, state: TenantState) -> bytes:
            return encoded[tenant] if tenant in encoded else encode_state(state)
        try:
            glob = blob(GLOBAL, states[GLOBAL]) if GLOBAL in states else None
            for tenant, state in states.items():
                owner = self.owner(tenant)
                if owner in by_partition:
                    by_partition[owner][tenant] = blob(tenant, state)
        except ValueError:
            log.exception("no checkpoint written: the state cannot be snapshotted")
            return {}
        seqs = {}
        now = int(time.time() * 1000)
        for p, blobs in by_partition.items():
            if glob is not None:
                blobs[GLOBAL] = glob
            covered = {(self.settings.topic(t), p): positions.get((t, p), 0) for t in self.topics}
            covered[(self.settings.topic(CONTROL), 0)] = control_offset
            meta = encode_plain({"held": [h for h in held if h[1] == p]})
            seqs[p] = self.store.save_checkpoint(Checkpoint(self.scope, p, self.version, covered, blobs, meta, now),
                                                 keep=self.settings.checkpoint_keep)
        self.saved_at, self.applied_since = time.monotonic(), 0
        log.info("checkpoint of partition(s) %s saved (%s)", sorted(seqs),
                 ", ".join(f"p{p}#{s}" for p, s in sorted(seqs.items())))
        return seqs

    # ---- restore ----

    def restore(self, partitions) -> Restored:
        out = Restored()
        stored = self.store.offsets()
        control_phys = (self.settings.topic(CONTROL), 0)
        best_global: tuple[int, TenantState] | None = None
        for p in sorted(partitions):
            got = self._newest_usable(p, stored)
            if got is None:
                out.control[p] = 0
                continue
            cp, states, held = got
            out.seqs[p] = cp.seq
            control = cp.positions.get(control_phys, 0)
            out.control[p] = control
            for (topic, part), off in cp.positions.items():
                if (topic, part) != control_phys:
                    out.positions[(topic[len(self.settings.topic_prefix):], part)] = off
            glob = states.pop(GLOBAL, None)
            if glob is not None and (best_global is None or control > best_global[0]):
                best_global = (control, glob)
            out.states.update(states)
            out.held += [tuple(h) for h in held]
        if best_global is not None:
            out.states[GLOBAL] = best_global[1]
        # The global settings as of the furthest checkpoint (one without a "*" state saw none).
        out.control[GLOBAL] = max((out.control[p] for p in out.seqs), default=0)
        if best_global is not None and best_global[0] != out.control[GLOBAL]:
            out.control[GLOBAL] = best_global[0]
        return out

    def _newest_usable(self, p: int, stored: dict[tuple[str, int], int]):
        reasons = []
        control_topic = self.settings.topic(CONTROL)
        for info in self.store.checkpoint_infos(self.scope, p):
            if info.version != self.version:
                reasons.append(f"#{info.seq} was written by other code ({info.version})")
                continue
            ahead = [(t, part) for (t, part), off in info.positions.items()
                     if t != control_topic and off > stored.get((t, part), 0)]
            if ahead:
                reasons.append(f"#{info.seq} is ahead of the store's rows on {ahead[0][0]}[{ahead[0][1]}]")
                continue
            try:
                cp = self.store.load_checkpoint(self.scope, p, info.seq)
                states = decode_states(cp.states)
                held = decode_plain(cp.meta)["held"] if cp.meta else []
            except (CheckpointMissing, CheckpointDamaged, SnapshotUnreadable, KeyError, TypeError) as exc:
                reasons.append(f"#{info.seq} is unreadable ({exc})")
                continue
            if reasons:
                log.warning("partition %d: restored from checkpoint #%d; newer ones were passed over: %s",
                            p, cp.seq, "; ".join(reasons))
            return cp, states, held
        if reasons:
            log.warning("partition %d: no usable checkpoint (%s): rebuilding its state from offset 0",
                        p, "; ".join(reasons))
        else:
            log.info("partition %d: no checkpoint yet: building its state from offset 0", p)
        return None
