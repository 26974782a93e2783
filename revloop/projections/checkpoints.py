"""Checkpoints of the worker's state: what one holds, and how a DuckDB store keeps them.

A checkpoint covers one partition number of the co-partitioned topics (a tenant's events
all sit on the same partition number of every topic): the encoded state of each tenant
on it, the positions those states reflect, and other plain data the worker needs back
(ticks read but not yet decided). A store keeps a few per partition, newest first.

Postgres keeps them in tables (postgres_store); a DuckDB store in files beside its
database file: one file per checkpoint, written to a temporary name and renamed, so a
crash leaves the old set or the new one, never half a file. The files hold addresses:
they are created 0600 in folders created 0700.
"""
from __future__ import annotations

import json
import os
import re
import struct
import zlib
from dataclasses import dataclass, field

MAGIC = b"RVLCKPT1"
Positions = dict[tuple[str, int], int]     # (physical topic, partition) -> next offset


class CheckpointMissing(LookupError):
    """The checkpoint was pruned or never finished."""


class CheckpointDamaged(ValueError):
    """The stored bytes are not a readable checkpoint."""


@dataclass
class CheckpointInfo:
    scope: str                # the worker group (physical), so deployments sharing a store never mix
    partition: int
    seq: int                  # increasing per (scope, partition); the store assigns it
    version: str              # state_codec.state_version() of the code that wrote it
    positions: Positions
    created_at: int           # epoch ms, for people
    tenants: int


@dataclass
class Checkpoint:
    scope: str
    partition: int
    version: str
    positions: Positions
    states: dict[str, bytes]                # tenant -> encoded state
    meta: bytes = b""                       # encoded plain data (held ticks)
    created_at: int = 0
    seq: int = 0

    def info(self) -> CheckpointInfo:
        return CheckpointInfo(self.scope, self.partition, self.seq, self.version, dict(self.positions),
                              self.created_at, len(self.states))


def positions_json(positions: Positions) -> list:
    return sorted([topic, part, off] for (topic, part), off in positions.items())


def positions_of(items) -> Positions:
    return {(topic, int(part)): int(off) for topic, part, off in items}


@dataclass
class MemoryCheckpoints:
    """For stores that live in memory (duckdb::memory:): gone with the process, like the rows."""
    saved: dict[tuple[str, int], list[Checkpoint]] = field(default_factory=dict)

    def save(self, cp: Checkpoint, keep: int) -> int:
        kept = self.saved.setdefault((cp.scope, cp.partition), [])
        cp.seq = (kept[0].seq + 1) if kept else 1
        kept.insert(0, cp)
        del kept[max(keep, 1):]
        return cp.seq

    def infos(self, scope: str, partition: int) -> list[CheckpointInfo]:
        return [cp.info() for cp in self.saved.get((scope, partition), [])]

    def load(self, scope: str, partition: int, seq: int) -> Checkpoint:
        for cp in self.saved.get((scope, partition), []):
            if cp.seq == seq:
                return cp
        raise CheckpointMissing(f"no checkpoint {seq} of partition {partition}")


def _private_dirs(root: str, leaf: str) -> None:
    """Create root .. leaf, each folder 0700 whatever the umask."""
    path = root
    for part in [""] + os.path.relpath(leaf, root).split(os.sep):
        path = os.path.join(path, part) if part else path
        try:
            os.mkdir(path, 0o700)
            os.chmod(path, 0o700)
        except FileExistsError:
            pass


class CheckpointFiles:
    """One file per checkpoint under `folder`/<scope>/p<partition>/<seq>.ckpt.

    File: MAGIC, a 4-byte header length, the header (JSON: what it covers, and where each
    tenant's state starts in the body), the body (the encoded states, then meta)."""

    def __init__(self, folder: str):
        self.folder = folder

    def _dir(self, scope: str, partition: int) -> str:
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", scope)[:80] + "-" + format(zlib.crc32(scope.encode()), "08x")
        return os.path.join(self.folder, safe, f"p{partition}")

    def _seqs(self, scope: str, partition: int) -> list[int]:
        try:
            names = os.listdir(self._dir(scope, partition))
        except FileNotFoundError:
            return []
        return sorted((int(n[:-5]) for n in names if n.endswith(".ckpt") and n[:-5].isdigit()), reverse=True)

    def save(self, cp: Checkpoint, keep: int) -> int:
        folder = self._dir(cp.scope, cp.partition)
        _private_dirs(self.folder, folder)
        seqs = self._seqs(cp.scope, cp.partition)
        cp.seq = (seqs[0] + 1) if seqs else 1
        spans, at = [], 0
        for tenant, blob in cp.states.items():
            spans.append([tenant, at, len(blob)])
            at += len(blob)
        header = json.dumps({"scope": cp.scope, "partition": cp.partition, "seq": cp.seq, "version": cp.version,
                             "positions": positions_json(cp.positions), "created_at": cp.created_at,
                             "states": spans, "meta": [at, len(cp.meta)]}).encode()
        path = os.path.join(folder, f"{cp.seq:016d}.ckpt")
        tmp = path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + struct.pack(">I", len(header)) + header)
                for blob in cp.states.values():
                    fh.write(blob)
                fh.write(cp.meta)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        for old in ([cp.seq] + seqs)[max(keep, 1):]:
            try:
                os.unlink(os.path.join(folder, f"{old:016d}.ckpt"))
            except FileNotFoundError:
                pass
        return cp.seq

    def _header(self, fh) -> tuple[dict, int]:
        head = fh.read(len(MAGIC) + 4)
        if len(head) < len(MAGIC) + 4 or head[:len(MAGIC)] != MAGIC:
            raise CheckpointDamaged("not a revloop checkpoint file")
        (size,) = struct.unpack(">I", head[len(MAGIC):])
        try:
            return json.loads(fh.read(size)), len(head) + size
        except ValueError as exc:
            raise CheckpointDamaged(f"damaged checkpoint header: {exc}") from None

    def infos(self, scope: str, partition: int) -> list[CheckpointInfo]:
        out = []
        for seq in self._seqs(scope, partition):
            path = os.path.join(self._dir(scope, partition), f"{seq:016d}.ckpt")
            try:
                with open(path, "rb") as fh:
                    h, _ = self._header(fh)
                out.append(CheckpointInfo(scope, partition, seq, h["version"], positions_of(h["positions"]),
                                          h["created_at"], len(h["states"])))
            except (OSError, CheckpointDamaged, KeyError, TypeError, ValueError):
                # Listed with a version nobody matches: the loader logs it and takes an older one.
                out.append(CheckpointInfo(scope, partition, seq, "damaged", {}, 0, 0))
        return out

    def load(self, scope: str, partition: int, seq: int) -> Checkpoint:
        path = os.path.join(self._dir(scope, partition), f"{seq:016d}.ckpt")
        try:
            with open(path, "rb") as fh:
                h, start = self._header(fh)
                body = fh.read()
        except FileNotFoundError:
            raise CheckpointMissing(f"no checkpoint {seq} of partition {partition}") from None
        try:
            states = {tenant: body[at:at + n] for tenant, at, n in h["states"]}
            if any(len(blob) != n for (_, _, n), blob in zip(h["states"], states.values())):
                raise CheckpointDamaged("checkpoint file is truncated")
            meta_at, meta_n = h["meta"]
            if len(body) != meta_at + meta_n:
                raise CheckpointDamaged("checkpoint file is truncated or has trailing bytes")
            return Checkpoint(scope, partition, h["version"], positions_of(h["positions"]), states,
                              body[meta_at:meta_at + meta_n], h["created_at"], seq)
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CheckpointDamaged):
                raise
            raise CheckpointDamaged(f"damaged checkpoint header: {exc}") from None
