"""The processors' state of one tenant as bytes, and back: what a checkpoint keeps.

Generic over TenantState: every dataclass field is written by name order, whatever the
engines put there, as long as it is plain data (dicts, lists, sets, frozensets, tuples,
str, bytes, int, float, bool, None). marshal encodes exactly those types (and refuses any
other with ValueError, so a state that grew a custom object fails loudly at the first
checkpoint instead of restoring wrongly), keeps shared references shared, and reads back
several times faster than JSON; zlib makes it compact and checks it (adler-32).

A snapshot is only as good as the code that made it: its version names the encoding,
the Python and marshal versions, the state's fields and a digest of the processors'
source. Any change there (new code) makes older snapshots unreadable by design: the
worker rebuilds from the log instead of trusting state derived by other rules.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import marshal
import os
import sys
import zlib
from functools import lru_cache

from revloop.processors import state as state_module
from revloop.processors.state import TenantState

FORMAT = 1
MARSHAL_VERSION = 4
COMPRESS_LEVEL = 1      # level 1: most of the size gain for a fraction of the time


class SnapshotUnreadable(ValueError):
    """A snapshot this code cannot use: another version, or damaged bytes."""


def _fields() -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(TenantState))


@lru_cache(maxsize=1)
def state_version() -> str:
    """What a snapshot must match to be read by this code."""
    digest = hashlib.sha256()
    digest.update(repr(_fields()).encode())
    folder = os.path.dirname(os.path.abspath(state_module.__file__))
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), "rb") as fh:
                digest.update(name.encode() + b"\0" + fh.read())
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"{FORMAT}.m{MARSHAL_VERSION}.py{py}.{digest.hexdigest()[:16]}"


def encode_state(state: TenantState) -> bytes:
    """Raises ValueError naming the field when a value is not plain data."""
    names = _fields()
    values = tuple(getattr(state, name) for name in names)
    try:
        body = marshal.dumps(values, MARSHAL_VERSION)
    except ValueError:
        for name, value in zip(names, values):     # find the culprit for the message
            try:
                marshal.dumps(value, MARSHAL_VERSION)
            except ValueError as exc:
                raise ValueError(f"TenantState.{name} holds a value a snapshot cannot keep ({exc}): "
                                 f"state must be plain data") from None
        raise
    return zlib.compress(body, COMPRESS_LEVEL)


def decode_state(blob: bytes) -> TenantState:
    """The state encode_state wrote (of a snapshot whose version matched state_version())."""
    try:
        values = marshal.loads(zlib.decompress(blob))
    except (zlib.error, ValueError, EOFError, TypeError) as exc:
        raise SnapshotUnreadable(f"damaged state blob: {exc}") from None
    names = _fields()
    if type(values) is not tuple or len(values) != len(names) or not isinstance(values[0], str):
        raise SnapshotUnreadable("state blob does not have this code's fields")
    state = TenantState(values[0])
    for name, value in zip(names[1:], values[1:]):
        setattr(state, name, value)
    return state


def decode_states(blobs: dict[str, bytes]) -> dict[str, TenantState]:
    """decode_state of each blob, with the cyclic collector off meanwhile: a state is a graph
    of many small objects, and collections would walk it again and again as it grows (the
    bench's two tenants: 1.15 s with it on, 0.58 s off). On again after, whatever happened."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return {t: decode_state(blob) for t, blob in blobs.items()}
    finally:
        if enabled:
            gc.enable()


def encode_plain(value) -> bytes:
    """Any other plain data a checkpoint keeps (held ticks)."""
    return zlib.compress(marshal.dumps(value, MARSHAL_VERSION), COMPRESS_LEVEL)


def decode_plain(blob: bytes):
    try:
        return marshal.loads(zlib.decompress(blob))
    except (zlib.error, ValueError, EOFError, TypeError) as exc:
        raise SnapshotUnreadable(f"damaged checkpoint data: {exc}") from None
