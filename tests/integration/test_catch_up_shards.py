"""A long catch-up split over processes (streams.catch_up_shards) leaves what one process
leaves: the rows a clean replay gives, every output produced once (a dead letter of a
control record that every child reads included), and states the live tail goes on from."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from revloop.projections.store import open_store
from revloop.schemas.codec import Codec
from revloop.streams.kafka_clients import partition_for
from revloop.streams.kafka_io import read_topic
from tests.support.broker import produce_raw, run_cli
from tests.support.events import DAY, T0, client, contact, event, good_order, touch
from tests.support.outage_services import wait_caught_up
from tests.support.projections import assert_same_rows, produce_events, snapshot
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration
CODEC = Codec()


def tenants_on_every_partition(prefix: str, partitions: int, per_partition: int) -> list[str]:
    found: dict[int, list[str]] = {p: [] for p in range(partitions)}
    n = 0
    while any(len(v) < per_partition for v in found.values()):
        name = f"cs{n}-{prefix}"
        bucket = found[partition_for(name, partitions)]
        if len(bucket) < per_partition:
            bucket.append(name)
        n += 1
    return [t for p in sorted(found) for t in found[p]]


def test_a_catch_up_split_over_processes_writes_what_one_process_would(kafka, tmp_path):
    tenants = tenants_on_every_partition(kafka.topic_prefix.strip("."), kafka.partitions, 2)
    book, outage, tail = [], [], []
    for t in tenants:
        book.append(("client", client("c1", tenant=t, at=T0 - 30 * DAY, event_id=f"{t}-c1")))
        book += [("contact", contact(f"p{i}", client_id="c1", tenant=t, at=T0 - 20 * DAY, event_id=f"{t}-p{i}"))
                 for i in range(10)]
        outage += [("touch", touch(f"p{i % 10}", tenant=t, at=T0 - i * 1000, event_id=f"{t}-o{i}"))
                   for i in range(1500)]
        outage += [("order", good_order(f"o{i}", tenant=t, at=T0 - DAY + i, event_id=f"{t}-order{i}"))
                   for i in range(5)]
        # A message from someone new: the worker makes a contact event of it (an output).
        outage.append(("gmail_message", event("gmail_message", tenant=t, at=T0 - DAY, mailbox="agent@ourfirm.example",
                                              message_id="m1", thread_id="th1", event_id=f"{t}-m1",
                                              from_header="Robin New <robin@lender.example>",
                                              subject="Hello", body_text="Just saying hello.")))
        # The tail's order moves the client's credit: right only if the state came back.
        tail.append(("order", good_order("o-tail", tenant=t, at=T0 + 1, event_id=f"{t}-order-tail")))
        tail.append(("touch", touch("p3", tenant=t, at=T0 + 3, event_id=f"{t}-tail")))
    produce_events(kafka, book)
    settings = replace(kafka, catch_up_threshold=300, catch_up_workers=2, catch_up_shard_min=1000)
    worker = WorkerProcess(settings, f"duckdb:{tmp_path / 'live.duckdb'}", tmp_path / "worker.log").start()
    try:
        wait_caught_up(worker, timeout=120)
    finally:
        worker.stop()           # its last checkpoint: the restart restores it and catches up from there
    produce_events(kafka, outage)
    # Unreadable records while it is away: one on a tenant's partition, one on control, which
    # every catch-up process reads.
    produce_raw(kafka, "touches", [(tenants[0].encode(), b"not an event")])
    produce_raw(kafka, "control", [(b"*", b"not a control event either")])
    worker.start()
    try:
        wait_caught_up(worker, timeout=180)
        produce_events(kafka, tail)
        wait_caught_up(worker, timeout=60)
    finally:
        worker.stop()
    log = worker.tail(60_000)
    assert "catching up in 2 processes" in log, log
    assert "checkpoints used p0#" in log and "p1#" in log, log      # the children started from restored states

    dead = Counter(CODEC.decode(m.value())[1]["source_topic"] for m in read_topic(kafka, kafka.topic("dead.letter")))
    assert dead == {"touches": 1, "control": 1}
    found = Counter(CODEC.decode(m.value())[1]["event_id"] for m in read_topic(kafka, kafka.topic("contacts")))
    assert {found[f"contact:{t}-m1:robin@lender.example"] for t in tenants} == {1}

    replayed = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    assert run_cli(kafka, "replay", "--store", replayed, "--quiet").returncode == 0
    with open_store(f"duckdb:{tmp_path / 'live.duckdb'}") as live, open_store(replayed) as clean:
        for t in tenants:
            assert_same_rows(snapshot(live, t), snapshot(clean, t))
            credit = {r["client_id"]: r["outstanding_cents"] for r in live.rows("clients", t)}
            assert credit["c1"] == 6 * 47_500          # five orders caught up, one in the tail
            clocks = {r["contact_id"]: r["last_touch_at"] for r in live.rows("engagement_clocks", t)}
            assert clocks["p3"] == T0 + 3
