"""The shell around the processors: raw records in, rows and output events out.

Both the live worker (Faust) and replay (confluent-kafka) feed batches of raw
records through the same Pipeline, so they cannot disagree about what an event
means. Decoding happens here, not in Faust: a record we cannot read goes to the
dead-letter topic with its coordinates and reason instead of vanishing.
"""
from __future__ import annotations

import logging
import operator
from dataclasses import dataclass, field
from typing import NamedTuple

from revloop.connectors import action_auth
from revloop.processors.contact_enrichment import contact_events
from revloop.processors.cycle import failed_run, run_tick
from revloop.processors.event_checks import check as check_content
from revloop.processors.projector import apply as project
from revloop.processors.warehouse import COLUMNS as WAREHOUSE_COLUMNS
from revloop.processors.state import TenantState, row_of
from revloop.processors.tables import TABLES
from revloop.schemas.admission import DEFAULT_MAX_SKEW_MS
from revloop.schemas.codec import Codec, DecodeError, EventValidationError, check_storable
from revloop.streams.dead_letter import RecordCoordinates, dead_letter_event
from revloop.streams.topics import BY_NAME, DEAD_LETTER, topic_for

log = logging.getLogger("revloop.pipeline")


class RawRecord(NamedTuple):
    """One record as read from Kafka (a named tuple: replay makes one per record, and a
    frozen dataclass costs three times as much to build)."""
    topic: str            # the logical topic name (prefix stripped)
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int = 0


@dataclass
class BatchResult:
    outputs: list[tuple[str, dict]] = field(default_factory=list)   # (type, event) to produce
    dead_letters: list[dict] = field(default_factory=list)
    applied: int = 0


class RecordRejected(ValueError):
    """A decodable record that breaks the topic's contract."""


class Pipeline:
    def __init__(self, codec: Codec | None = None, *, enrich: bool = False, collect_ticks: bool = False,
                 action_key: bytes | None = None, max_skew_ms: int = DEFAULT_MAX_SKEW_MS):
        """enrich: the live worker: contacts found in Gmail messages become contact events, and
        events an apply derives (an opt-out reply's suppression, a feedback reply) are applied
        and handed out to produce (replay reads back the ones it made). collect_ticks: keep each tick applied in
        ticks_read, for the caller to decide (decide()) when its inputs are in; a pipeline
        never decides a tick by itself (replay never re-decides: it reads decisions back)."""
        self.codec = codec or Codec()
        # An input record whose occurred_at is ahead of the broker's append time by more than
        # this is dead-lettered: a future-dated control or contact would otherwise win
        # last-writer-wins until that date. The broker's time is in the log, so replay agrees.
        self.max_skew_ms = max_skew_ms
        # Decisions this pipeline emits are tagged with this key, so executors can tell them
        # from decisions someone else put on the topic (revloop.connectors.action_auth).
        self.action_key = action_key
        self.enrich = enrich
        self.collect_ticks = collect_ticks
        self.ticks_read: list[tuple[dict, int, int]] = []      # (tick, partition, offset), not yet decided
        self.states: dict[str, TenantState] = {}
        self._dirty: dict[str, dict] = {}           # table -> {(tenant, key): None}, insertion-ordered
        self._warehouse: list[tuple] = []          # warehouse_events rows, in column order
        self._derived: list[tuple[str, dict]] = []   # derived events not yet handed to the shell

    def state(self, tenant_id: str) -> TenantState:
        st = self.states.get(tenant_id)
        if st is None:
            st = self.states[tenant_id] = TenantState(tenant_id)
        return st

    def decode(self, rec: RawRecord) -> tuple[str, dict]:
        type_name, event = self.codec.decode(rec.value)
        spec = BY_NAME.get(rec.topic)
        if spec is not None and type_name not in spec.event_types:
            raise RecordRejected(f"a {type_name} event does not belong on topic {rec.topic}")
        if rec.key is not None and rec.key != event["tenant_id"].encode():
            raise RecordRejected(f"key {rec.key[:60]!r} is not the event's tenant_id {event['tenant_id'][:60]!r}")
        if rec.timestamp_ms > 0 and spec is not None and spec.role == "input" \
                and event["occurred_at"] > rec.timestamp_ms + self.max_skew_ms:
            raise RecordRejected(f"occurred_at {event['occurred_at']} is ahead of the broker's timestamp "
                                 f"{rec.timestamp_ms} by more than {self.max_skew_ms // 1000} s")
        try:
            # Values Avro allows but a store refuses (NUL, NaN, year 20000, ...) would fail
            # the write of the whole batch: they stop here, with the record.
            check_storable(type_name, event)
        except EventValidationError as exc:
            raise RecordRejected(f"not storable: {exc}") from None
        try:
            check_content(type_name, event)
        except ValueError as exc:
            raise RecordRejected(str(exc)) from None
        return type_name, event

    def process(self, records: list[RawRecord], control_filter=None) -> BatchResult:
        """control_filter(record, event) -> bool: whether a decoded control record applies here
        (a worker that reads the control topic once for several checkpoints, each covering it
        up to another offset, applies each record only where it is not yet covered)."""
        result = BatchResult()
        for rec in records:
            try:
                type_name, event = self.decode(rec)
                if control_filter is not None and rec.topic == "control" and not control_filter(rec, event):
                    continue
                self.apply_event(rec.topic, type_name, event)
                if self._derived:
                    result.outputs += self._take_derived()
                if type_name == "tick":
                    if self.collect_ticks:
                        self.ticks_read.append((event, rec.partition, rec.offset))
                elif type_name == "gmail_message" and self.enrich:
                    self._enrich(event, result)
            except (DecodeError, RecordRejected) as exc:
                self._dead_letter(rec, exc, result)
                continue
            except Exception as exc:  # a poison record must not stall the partition
                log.exception("processor failed on %s[%d]@%d", rec.topic, rec.partition, rec.offset)
                self._dead_letter(rec, exc, result)
                continue
            result.applied += 1
        return result

    def _enrich(self, message: dict, result: BatchResult) -> None:
        """Contacts found in a message become contact events of their own (replay reads them back)."""
        for contact in contact_events(self.state(message["tenant_id"]), message):
            _, contact = self._as_logged("contact", contact)
            self.apply_event("contacts", "contact", contact)
            result.outputs.append(("contact", contact))

    def decide(self, tick: dict) -> list[tuple[str, dict]]:
        """The hourly cycle for one tick: its output events (none for a tick already run),
        already applied to the state exactly as replay will apply them from their topics."""
        state = self.state(tick["tenant_id"])
        global_controls = self.states["*"].controls if "*" in self.states else None
        try:
            outputs = run_tick(state, global_controls, tick)
        except Exception as exc:
            log.exception("the hourly cycle failed for %s", tick["tick_id"])
            outputs = [failed_run(state, tick, f"{type(exc).__name__}: {exc}")]
        signed = []
        for type_name, event in outputs:
            if type_name == "action_decided" and self.action_key is not None:
                event = action_auth.sign(self.action_key, event)
            self.apply_event(topic_for(type_name, event), type_name, event)
            signed.append((type_name, event))
            signed += self._take_derived()
        return signed

    def _dead_letter(self, rec: RawRecord, exc: Exception, result: BatchResult) -> None:
        coords = RecordCoordinates(rec.topic, rec.partition, rec.offset, rec.timestamp_ms)
        event = dead_letter_event(coords, rec.key, rec.value, str(exc) or type(exc).__name__, type(exc).__name__)
        result.dead_letters.append(event)
        result.outputs.append(("dead_letter", event))
        # Dead letters are events too: warehouse them as replay will from the topic.
        self.apply_event(DEAD_LETTER, "dead_letter", event)

    def apply_event(self, topic: str, type_name: str, event: dict) -> None:
        state = self.state(event["tenant_id"])
        touched, warehouse = project(state, topic, type_name, event)
        tenant = event["tenant_id"]
        for table, key in touched:
            self._dirty.setdefault(table, {})[(tenant, key)] = None
        self._warehouse.append(warehouse)
        if state.outbox:
            # Events the apply derived (an opt-out reply's suppression, a feedback reply): live, they are
            # applied now and produced; while rebuilding or replaying they are already on their topics.
            derived, state.outbox = state.outbox, []
            if self.enrich:
                for derived_type, derived_event in derived:
                    derived_type, derived_event = self._as_logged(derived_type, derived_event)
                    self._derived.append((derived_type, derived_event))
                    self.apply_event(topic_for(derived_type, derived_event), derived_type, derived_event)

    def _as_logged(self, type_name: str, event: dict) -> tuple[str, dict]:
        """A derived event as its topic will hold it (the schema's defaults filled in): live
        applies this, replay reads it back decoded, and the rows agree."""
        return self.codec.decode(self.codec.encode(type_name, event))

    def _take_derived(self) -> list[tuple[str, dict]]:
        derived, self._derived = self._derived, []
        return derived

    def take_changes(self, *, as_tuples: bool = False) -> tuple[dict[str, list], dict[str, list]]:
        """Rows changed since the last call: (upserts by table, inserts by table), each row a
        dict of the table's columns, or with as_tuples a tuple of them in column order (what
        the stores turn rows into anyway; replay saves the dicts). The values are the
        state's own (a json column may hold the state's list): prepare them before the
        state changes again."""
        upserts = {}
        states = self.states
        for table, keys in self._dirty.items():
            columns = TABLES[table].column_names
            if as_tuples:
                get, rows = operator.itemgetter(*columns), []
                for tenant, key in keys:
                    row = row_of(states[tenant], table, key)
                    if row is not None:
                        try:
                            rows.append(get(row))
                        except KeyError:        # a row without some column: None there, as below
                            rows.append(tuple(row.get(c) for c in columns))
            else:
                rows = []
                for tenant, key in keys:
                    row = row_of(states[tenant], table, key)
                    if row is not None:
                        rows.append({c: row.get(c) for c in columns})
            upserts[table] = rows
        # One row per event id: a duplicate event inside one batch is still one row.
        unique = list({w[:2]: w for w in reversed(self._warehouse)}.values())[::-1]      # (tenant, event id)
        if not as_tuples:
            unique = [dict(zip(WAREHOUSE_COLUMNS, w)) for w in unique]
        inserts = {"warehouse_events": unique} if unique else {}
        self._dirty, self._warehouse = {}, []
        return upserts, inserts

    def discard_changes(self) -> None:
        """Forget the rows changed so far (state rebuilt for rows the store already has)."""
        self._dirty, self._warehouse = {}, []

    def all_rows(self) -> dict[str, list[dict]]:
        """Every row of every projected table (replay writes these once at the end)."""
        from revloop.processors.state import ROWS_OF

        out: dict[str, list[dict]] = {}
        for table, attr in ROWS_OF.items():
            columns = TABLES[table].column_names
            out[table] = [{c: row.get(c) for c in columns}
                          for tenant in sorted(self.states)
                          for row in getattr(self.states[tenant], attr).values()]
        out["tenant_controls"] = [{c: st.controls.get(c) for c in TABLES["tenant_controls"].column_names}
                                  for _, st in sorted(self.states.items()) if st.controls is not None]
        return out
