"""The batched reader's writes: one every FLUSH_EVERY records, and small ones over the last
FLUSH_EVERY, so the write nobody overlaps (the one after the reading is done) is short."""
from __future__ import annotations

import pytest

from revloop.schemas.codec import Codec
from revloop.streams import kafka_clients
from revloop.streams.log_reader import BATCH, FLUSH_EVERY, TAIL_FLUSH_EVERY, end_offsets, read_until
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
    total = 2 * FLUSH_EVERY + 4 * TAIL_FLUSH_EVERY      # before: a last write of 4 x TAIL_FLUSH_EVERY
    codec = Codec()
    produce_raw(kafka, "touches", [(b"t1", codec.encode("touch", touch(f"p{i % 500}", at=T0 + i, event_id=f"tt-{i}")))
                                   for i in range(total)])
    probe = kafka_clients.consumer(kafka, "probe")
    try:
        stop_at = end_offsets(probe, kafka, [t.name for t in TOPICS])
    finally:
        probe.close()
    writer = CountingWriter()
    stats = read_until(kafka, stop_at, Pipeline(), writer=writer)

    assert stats.records == total and sum(writer.writes) == total
    carried = [n for n in writer.writes if n]       # the closing write may only carry positions
    left = total
    for n in carried[:-1]:
        left -= n
        if left + n > FLUSH_EVERY + BATCH:        # far from the end: full-size writes
            assert n >= FLUSH_EVERY, writer.writes
    # The last write holds at most what one consume call adds past a tail flush.
    assert carried[-1] < TAIL_FLUSH_EVERY + BATCH, writer.writes
    assert len(writer.writes) <= total // FLUSH_EVERY + 1 + FLUSH_EVERY // TAIL_FLUSH_EVERY + 1, writer.writes
