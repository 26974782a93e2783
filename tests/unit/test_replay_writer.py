"""streams.log_reader._Writer: replay's background store writes stay in order, one in flight,
and a failed write stops the replay."""
from __future__ import annotations

import threading

import pytest

from revloop.streams.log_reader import _Writer
from revloop.projections.store import PreparedBatch, prepare_batch


def catalog_row(tenant: str, code: str, fee: int) -> dict:
    return {"tenant_id": tenant, "product_code": code, "name": code, "fee_cents": fee, "tolerance_pct": 1.0,
            "last_event_id": "e", "last_event_at": 1}


class RecordingStore:
    prepare = staticmethod(prepare_batch)

    def __init__(self, fail_on: int | None = None, gate: threading.Event | None = None):
        self.batches: list[PreparedBatch] = []
        self.fail_on, self.gate = fail_on, gate
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def write_prepared(self, batch: PreparedBatch) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.gate is not None:
                self.gate.wait(5)
            if self.fail_on is not None and len(self.batches) == self.fail_on:
                raise RuntimeError("the store refused the batch")
            self.batches.append(batch)
        finally:
            with self._lock:
                self.in_flight -= 1


def test_batches_are_written_in_order_one_at_a_time_from_copies():
    store = RecordingStore()
    writer = _Writer(store)
    rows = [catalog_row("t", "A", 1)]
    writer.submit({"product_catalog": rows}, {})
    rows[0]["fee_cents"] = 2          # the pipeline goes on changing its rows
    writer.submit({"product_catalog": [catalog_row("t", "A", 3)]}, {})
    writer.wait()
    writer.close()
    fees = [[rec[3] for _, _, recs in b.jobs for rec in recs] for b in store.batches]
    assert fees == [[1], [3]]
    assert store.max_in_flight == 1


def test_a_failed_write_surfaces_at_the_next_check():
    gate = threading.Event()
    store = RecordingStore(fail_on=0, gate=gate)
    writer = _Writer(store)
    writer.submit({"product_catalog": [catalog_row("t", "A", 1)]}, {})
    writer.check()                    # still in flight: nothing to report yet
    gate.set()
    with pytest.raises(RuntimeError, match="refused"):
        writer.wait()
    writer.close()


def test_a_bad_row_is_refused_before_anything_is_queued():
    store = RecordingStore()
    writer = _Writer(store)
    row = catalog_row("t", "A", 1)
    del row["name"]
    with pytest.raises(ValueError, match="name"):
        writer.submit({"product_catalog": [row]}, {})
    writer.close()
    assert store.batches == []
