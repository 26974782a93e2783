"""The batched reader's writes: one every flush_every records, and small ones over the last
TAIL_WINDOW, so the write nobody overlaps (the one after the reading is done) is short."""
from __future__ import annotations

import pytest

from revloop.schemas.codec import Codec
from revloop.streams import kafka_clients
from revloop.streams.log_reader import BATCH, FLUSH_EVERY, TAIL_FLUSH_EVERY, TAIL_WINDOW, end_offsets, read_until
from revloop.streams.pipeline import Pipeline
from revloop.streams.topics import TOPICS
from tests.support.broker import produce_raw
from tests.support.events import T0, touch

pytestmark = pytest.mark.integration


class CountingWriter:
    """A writer that keeps how many events each write carried (their warehouse rows)."""

    def __init__(self):
        self.writes: list[int] = []

    def submit(self, upserts, inserts, *offsets) -> None:
        self.writes.append(len(inserts.get("warehouse_events", ())))

    def check(self) -> None:
        pass

    def wait(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_writes_come_every_flush_and_small_at_the_end(kafka):
    # A flush size above the tail window, as the default (FLUSH_EVERY), at a size a test can read.
    flush = TAIL_WINDOW + 5000
    assert FLUSH_EVERY > TAIL_WINDOW
    total = 3 * flush      # before: a last write of a whole flush
    codec = Codec()
    produce_raw(kafka, "touches", [(b"t1", codec.encode("touch", touch(f"p{i % 500}", at=T0 + i, event_id=f"tt-{i}")))
                                   for i in range(total)])
    probe = kafka_clients.consumer(kafka, "probe")
    try:
        stop_at = end_offsets(probe, kafka, [t.name for t in TOPICS])
    finally:
        probe.close()
    writer = CountingWriter()
    stats = read_until(kafka, stop_at, Pipeline(), writer=writer, flush_every=flush)

    assert stats.records == total and sum(writer.writes) == total
    carried = [n for n in writer.writes if n]       # the closing write may only carry positions
    left = total
    for n in carried[:-1]:
        left -= n
        if left >= TAIL_WINDOW + BATCH:           # far from the end: full-size writes
            assert n >= flush, writer.writes
    assert sum(1 for n in carried if n >= flush) >= 2, writer.writes
    # The last write holds at most what one consume call adds past a tail flush.
    assert carried[-1] < TAIL_FLUSH_EVERY + BATCH, writer.writes
    assert len(writer.writes) <= total // flush + 1 + TAIL_WINDOW // TAIL_FLUSH_EVERY + 1, writer.writes
