"""Where projected rows live: one interface, a DuckDB and a Postgres implementation.

Row shapes (what write_batch takes and rows() gives back), by column kind:
  text -> str, bigint/int -> int, double -> float, bool -> bool, all possibly None;
  ts   -> int epoch MILLISECONDS (stored as TIMESTAMP in DuckDB, TIMESTAMPTZ in Postgres, UTC,
          converted with integer arithmetic, so any millisecond in years 1..9999 round-trips);
  json -> written as JSON text (a str, stored as given); any other non-None value (list, dict,
          number, bool) is serialised with json.dumps(sort_keys=True). NOTE a top-level JSON
          *string* must therefore be passed as JSON text ('"abc"'). rows() returns json columns
          parsed (json.loads), so both stores compare equal even though Postgres' JSONB
          normalises the text (key order, whitespace, number spelling: very large floats may
          come back as ints there).
Text may not contain NUL (Postgres refuses it). Rows must carry every column of their table
(a missing one raises ValueError); extra keys are ignored.
"""
from __future__ import annotations

import abc
import json
import operator
from dataclasses import dataclass

from revloop.processors import canonical_json
from revloop.processors.tables import Table
from revloop.projections import ddl
from revloop.projections.checkpoints import Checkpoint, CheckpointInfo


@dataclass(frozen=True)
class PreparedBatch:
    """A batch validated and shaped for writing: per table, whether it upserts, and its rows
    (one per key) in the form the store's write_prepared takes: by default tuples in column
    order, json columns as text. Nothing in it refers to the caller's rows any more, so
    another thread, or another process, may write it while they change.
    expect: (topic, partition, next_offset) the writer believes consumer_offsets holds (0: no
    row); the write is refused with PositionConflict otherwise."""
    jobs: tuple[tuple[Table, bool, object], ...]
    expect: tuple[tuple[str, int, int], ...] = ()


class PositionConflict(RuntimeError):
    """The store's positions are not where this writer left them: another worker took its
    partitions over (this one is a zombie), or the store was rewritten underneath it."""


def prepare_batch(upserts: dict[str, list], inserts: dict[str, list] | None = None,
                  offsets: list[tuple[str, int, int]] | tuple = (),
                  expect: list[tuple[str, int, int]] | tuple = ()) -> PreparedBatch:
    """The CPU part of write_batch (raises ValueError for an unknown table or a missing column).
    A table's rows are dicts, or all tuples of every column in column order."""
    jobs = [(ddl.table(n), rows, True) for n, rows in upserts.items()]
    jobs += [(ddl.table(n), rows, False) for n, rows in (inserts or {}).items()]
    if offsets:
        jobs.append((ddl.OFFSETS, [tuple(o) for o in offsets], True))
    return PreparedBatch(tuple((t, update, _records(t, rows, update)) for t, rows, update in jobs if rows),
                         tuple((str(t), int(p), int(o)) for t, p, o in expect))


def check_expected(expect, found: dict[tuple[str, int], int]) -> None:
    """Raise PositionConflict unless consumer_offsets (found) holds what the writer expects."""
    for topic, part, offset in expect:
        if found.get((topic, part), 0) != offset:
            raise PositionConflict(f"{topic}[{part}] is at {found.get((topic, part), 0)} in the store, "
                                   f"this writer expected {offset}: another worker owns it now")


def _records(t, rows: list, keep_last: bool) -> list[tuple]:
    if rows[0].__class__ is not tuple:
        return records_of(t, dedupe(t, rows, keep_last=keep_last))
    n = len(t.columns)
    if set(map(len, rows)) != {n} or set(map(type, rows)) != {tuple}:
        raise ValueError(f"{t.name}: rows given as tuples must all be tuples of its {n} columns")
    names = t.column_names
    at = [names.index(c) for c in t.key]
    return json_as_text(t, dedupe(t, rows, keep_last=keep_last, key_at=at))


class ProjectionStore(abc.ABC):
    @abc.abstractmethod
    def ensure_schema(self) -> None:
        """Create every table of TABLES and consumer_offsets if missing (Postgres: plus RLS). Idempotent."""

    def write_batch(self, upserts: dict[str, list[dict]], inserts: dict[str, list[dict]] | None = None,
                    offsets: list[tuple[str, int, int]] | tuple = (),
                    expect: list[tuple[str, int, int]] | tuple = ()) -> None:
        """One transaction. upserts: full rows replacing by key (last row per key in the batch wins);
        inserts: rows written only if the key is new (first row per key wins);
        offsets: (topic, partition, next_offset) upserted into consumer_offsets;
        expect: the offsets the writer last wrote there (PositionConflict, nothing written, if not)."""
        self.write_prepared(self.prepare(upserts, inserts, offsets, expect))

    # The CPU part of write_batch, without the connection (a static method, so a replay
    # shard process can prepare batches for a store it does not have open).
    prepare = staticmethod(prepare_batch)

    @abc.abstractmethod
    def write_prepared(self, batch: PreparedBatch) -> None:
        """Write a prepare() result in one transaction. Safe to call from another thread
        (one call at a time): replay writes one batch while it computes the next."""

    @abc.abstractmethod
    def rows(self, table: str, tenant_id: str | None = None) -> list[dict]:
        """All rows (of one tenant if given), sorted by the key, in the shapes above."""

    @abc.abstractmethod
    def offsets(self) -> dict[tuple[str, int], int]:
        ...

    @abc.abstractmethod
    def count(self, table: str) -> int:
        ...

    # ---- checkpoints of the worker's state (see projections.checkpoints) ----

    @abc.abstractmethod
    def save_checkpoint(self, checkpoint: Checkpoint, keep: int = 3) -> int:
        """Store a checkpoint whole or not at all; keep the newest `keep` of its (scope,
        partition), delete older ones. Returns its seq (one more than the newest kept)."""

    @abc.abstractmethod
    def checkpoint_infos(self, scope: str, partition: int) -> list[CheckpointInfo]:
        """What each kept checkpoint covers, newest first (no state loaded)."""

    @abc.abstractmethod
    def load_checkpoint(self, scope: str, partition: int, seq: int) -> Checkpoint:
        """Raises CheckpointMissing (pruned meanwhile) or CheckpointDamaged."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Delete every row of every table, in one transaction (replay starting over on a
        store it found empty)."""

    # Errors that mean "the database is away for now": the worker backs off and retries.
    transient_errors: tuple[type[BaseException], ...] = ()

    def reconnect(self) -> None:
        """Open a fresh connection after a transient error (no-op for embedded stores)."""

    def check_file(self) -> None:
        """Raise StoreFileGone when the store's file is no longer the one this store opened
        (deleted or replaced under it); a no-op for stores without a file."""

    @abc.abstractmethod
    def close(self) -> None:
        ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class StoreFileGone(RuntimeError):
    """The store's file was deleted or replaced while the store had it open: every write from
    now on would go to a file nobody can open again (or that is not ours)."""


def open_store(url: str, *, app_role: str | None = None, snapshot_interval_s: float | None = None) -> ProjectionStore:
    """"duckdb:path/file.duckdb" or "duckdb::memory:" -> DuckDB; "postgresql://..." -> Postgres.
    snapshot_interval_s: a DuckDB file publishes its read-only snapshot at most this often
    (the worker and replay pass REVLOOP_SNAPSHOT_INTERVAL_S; None: no snapshot)."""
    if url.startswith("duckdb:"):
        from revloop.projections.duckdb_store import DuckDBStore
        return DuckDBStore(url[len("duckdb:"):], snapshot_interval_s=snapshot_interval_s)
    if url.startswith(("postgresql://", "postgres://")):
        from revloop.projections.postgres_store import PostgresStore
        return PostgresStore(url, app_role=app_role)
    raise ValueError(f"unsupported store url {url!r} (want duckdb:<path> or postgresql://...)")


# ---- helpers shared by the implementations ------------------------------------------------

def json_text(value):
    if value is None or isinstance(value, str):
        return value
    return canonical_json.dumps(value)


def dedupe(t, rows: list, keep_last: bool, key_at: list[int] | None = None) -> list:
    """One row per key (a single INSERT .. ON CONFLICT may not touch a row twice).
    key_at: the key's positions, for rows that are tuples."""
    key_of = operator.itemgetter(*(t.key if key_at is None else key_at))
    try:
        keys = list(map(key_of, rows))
    except KeyError as e:
        raise ValueError(f"{t.name}: row lacks key column {e}") from None
    if len(set(keys)) == len(rows):
        return rows
    if keep_last:
        return list(dict(zip(keys, rows)).values())
    by_key: dict = {}
    for k, r in zip(keys, rows):
        by_key.setdefault(k, r)
    return list(by_key.values())


def records_of(t, rows: list[dict]) -> list[tuple]:
    """Row tuples in column order, json columns as text."""
    get = operator.itemgetter(*t.column_names)
    try:
        records = list(map(get, rows))
    except KeyError as e:
        raise ValueError(f"{t.name}: row lacks column {e}") from None
    return json_as_text(t, records)


def json_as_text(t, records: list[tuple]) -> list[tuple]:
    """The records with every json column's value as JSON text (or None)."""
    json_at = [i for i, (_, k) in enumerate(t.columns) if k == "json"]
    # Usually every json value is already text (or None): one C-level pass per column finds out.
    if json_at and not all(set(map(type, map(operator.itemgetter(i), records))) <= _TEXT_OR_NONE
                           for i in json_at):
        records = [_with_json_text(rec, json_at) for rec in records]
    return records


def _with_json_text(rec: tuple, json_at: list[int]) -> tuple:
    """rec with its json columns as text: only those cells are touched (a state row's list or
    dict; a row of 20 columns is not rebuilt cell by cell for its one json value)."""
    for i in json_at:
        v = rec[i]
        if v is not None and v.__class__ is not str:
            out = list(rec)
            for j in json_at:
                out[j] = json_text(out[j])
            return tuple(out)
    return rec


_TEXT_OR_NONE = {str, type(None)}


def normalise(t, records) -> list[dict]:
    """DB tuples -> row dicts (json columns arrive as text and are parsed), sorted by key."""
    names = t.column_names
    json_cols = [c for c, k in t.columns if k == "json"]
    rows = [dict(zip(names, rec)) for rec in records]
    for r in rows:
        for c in json_cols:
            if r[c] is not None:
                r[c] = json.loads(r[c])
    rows.sort(key=lambda r: tuple(r[c] for c in t.key))
    return rows
