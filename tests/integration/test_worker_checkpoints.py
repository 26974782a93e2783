"""Checkpoints: a restarted worker resumes from its state and positions, not from offset 0;
a checkpoint it cannot read means a full rebuild, said in the log; the store's positions,
not Kafka's, decide what is applied; every tick records the positions it was decided on."""
from __future__ import annotations

import json

import pytest
from confluent_kafka import TopicPartition

from revloop.projections.store import open_store
from revloop.streams import kafka_clients, offsets
from revloop.streams.kafka_clients import partition_for
from revloop.streams.topics import INPUT_TOPICS
from revloop.streams.worker import FAUST_TOPICS, group_id
from tests.support.broker import run_cli
from tests.support.events import DAY, T0, client, contact, event, good_order, touch
from tests.support.projections import assert_same_rows, produce_events, run_worker_until_caught_up, snapshot

pytestmark = pytest.mark.integration
HOUR = 3_600_000


def book(tenant: str) -> list[tuple[str, dict]]:
    ev = [("control", event("control", tenant=tenant, at=T0 - 10 * DAY, event_id=f"{tenant}-ctl", enabled=True,
                            send_mode="dry_run", caps={"emails": 5})),
          ("client", client("c1", tenant=tenant, at=T0 - 20 * DAY, credit_limit_cents=90_000, event_id=f"{tenant}-c1"))]
    for i in range(8):
        ev.append(("contact", contact(f"p{i}", client_id="c1", tenant=tenant, at=T0 - 9 * DAY,
                                      event_id=f"{tenant}-p{i}")))
        ev.append(("touch", touch(f"p{i}", tenant=tenant, at=T0 - (3 + i) * DAY, event_id=f"{tenant}-t{i}")))
    ev.append(("order", good_order("o1", tenant=tenant, at=T0 - 2 * DAY, event_id=f"{tenant}-o1")))
    return ev


def tick(tenant: str, hour: int) -> tuple[str, dict]:
    at = T0 + hour * HOUR
    return ("tick", event("tick", tenant=tenant, at=at, event_id=f"tick:{tenant}:{at}", tick_id=f"{tenant}:{at}",
                          as_of=at))


def delete_log_prefix(settings) -> int:
    """Delete every record of every input topic produced so far (what retention would do):
    a worker that still needed them could not rebuild its state."""
    admin = kafka_clients.admin(settings)
    probe = kafka_clients.consumer(settings, "probe")
    try:
        tps = [TopicPartition(t, p, high) for (t, p), high in
               offsets.end_offsets(probe, settings, INPUT_TOPICS, timeout=10).items() if high]
    finally:
        probe.close()
    for future in admin.delete_records(tps, operation_timeout=30).values():
        future.result()
    return len(tps)


def test_a_restarted_worker_resumes_from_its_checkpoint_even_with_the_old_log_gone(kafka, tmp_path):
    tenant = f"ck-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    first = book(tenant)
    produce_events(kafka, first)
    run_worker_until_caught_up(kafka, url, tmp_path, "first")       # SIGTERM: a last checkpoint
    with open_store(url) as store:
        infos = store.checkpoint_infos(group_id(kafka), partition_for(tenant, kafka.partitions))
    assert infos and infos[0].tenants >= 1

    assert delete_log_prefix(kafka) > 0
    later = [("touch", touch("p3", tenant=tenant, at=T0 + DAY, event_id=f"{tenant}-t-late")),
             ("order", good_order("o2", tenant=tenant, at=T0 + DAY, total_cents=99_000, event_id=f"{tenant}-o2"))]
    produce_events(kafka, later)
    second = run_worker_until_caught_up(kafka, url, tmp_path, "second")

    log = second.tail(20_000)
    assert "checkpoints used p" in log and "0 record(s) re-applied, 2 caught up" in log, log
    with open_store(url) as store:
        clocks = {r["contact_id"]: r for r in store.rows("engagement_clocks", tenant)}
        # The touch found its contact, and the order its client and credit: both only in the checkpoint.
        assert clocks["p3"]["last_touch_at"] == T0 + DAY
        codes = {(r["order_id"], r["code"]) for r in store.rows("order_processing_exceptions", tenant)}
        assert ("o2", "CREDIT_LIMIT_EXCEEDED") in codes              # 47,500 open + 99,000 > 90,000
        assert not any(code.startswith("CREDIT_CLIENT") for _, code in codes)
        assert store.count("warehouse_events") == len(first) + len(later)


def test_an_unreadable_checkpoint_is_logged_and_the_state_rebuilt_from_the_log(kafka, tmp_path):
    tenant = f"bad-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    produce_events(kafka, book(tenant))
    run_worker_until_caught_up(kafka, url, tmp_path, "first")
    files = list((tmp_path / "live.duckdb.checkpoints").rglob("*.ckpt"))
    assert files
    for f in files:
        f.write_bytes(f.read_bytes()[:40])             # damaged, as by a full disk
    produce_events(kafka, [("touch", touch("p5", tenant=tenant, at=T0 + DAY, event_id=f"{tenant}-t-late"))])
    second = run_worker_until_caught_up(kafka, url, tmp_path, "second")
    log = second.tail(20_000)
    assert "no usable checkpoint" in log and "rebuilding its state from offset 0" in log, log

    replayed = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    assert run_cli(kafka, "replay", "--store", replayed, "--quiet").returncode == 0
    with open_store(url) as live, open_store(replayed) as clean:
        assert_same_rows(snapshot(live, tenant), snapshot(clean, tenant))


def test_offsets_kafka_forgot_do_not_apply_a_record_twice_and_ticks_record_their_positions(kafka, tmp_path):
    tenant = f"eo-{kafka.topic_prefix.strip('.')}"
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    produce_events(kafka, book(tenant) + [tick(tenant, 1)])
    run_worker_until_caught_up(kafka, url, tmp_path, "first")
    # Kafka loses the group's offsets (expired, reset by an operator): back to 0 everywhere.
    c = kafka_clients.consumer(kafka, group_id(kafka))
    try:
        c.commit(offsets=[TopicPartition(kafka.topic(t), p, 0) for t in FAUST_TOPICS for p in range(kafka.partitions)],
                 asynchronous=False)
    finally:
        c.close()
    produce_events(kafka, [("touch", touch(f"p{i}", tenant=tenant, at=T0 + HOUR + i, event_id=f"{tenant}-n{i}"))
                           for i in range(3)] + [tick(tenant, 2)])
    run_worker_until_caught_up(kafka, url, tmp_path, "second")
    with open_store(url) as store:
        runs = {r["tick_id"]: r for r in store.rows("agent_autonomous_runs", tenant)}
        positions = {r["tick_id"]: r for r in store.rows("tick_positions", tenant)}
    second = runs[f"{tenant}:{T0 + 2 * HOUR}"]
    # What arrived since the first tick: three touches, each once (nothing re-read counted again).
    arrived = {k: v for k, v in second["changes"].items() if k in {"touch", "contact", "client", "order", "control"}}
    assert arrived == {"touch": 3}
    assert set(positions) == set(runs)
    p = partition_for(tenant, kafka.partitions)
    got = positions[second["tick_id"]]
    assert got["partition"] == p
    touches = got["positions"][f"{kafka.topic('touches')}:{p}"]
    assert touches == sum(1 for t, e in book(tenant) if t == "touch") + 3        # every touch before it
    assert got["positions"][f"{kafka.topic('control')}:0"] == 1
    assert json.dumps(got["positions"])          # plain JSON for a tool to read


def test_restore_takes_the_newest_checkpoint_the_store_has_reached_and_this_code_can_read(tmp_path, caplog):
    from revloop.processors.state import TenantState
    from revloop.projections.checkpoints import Checkpoint
    from revloop.streams.checkpointing import Checkpoints
    from revloop.streams.config import Settings
    from revloop.streams.state_codec import encode_state

    settings = Settings(topic_prefix="x.")
    store = open_store(f"duckdb:{tmp_path / 's.duckdb'}")
    store.ensure_schema()
    store.write_batch({}, offsets=[("x.touches", 1, 50), ("x.orders", 1, 7)])
    checkpoints = Checkpoints(settings, store, "grp", ("touches", "orders"), 2)

    def save(version, touches, who):
        state = TenantState(who)
        return store.save_checkpoint(Checkpoint("grp", 1, version, {("x.touches", 1): touches, ("x.orders", 1): 7,
                                                                    ("x.control", 0): 3},
                                                {who: encode_state(state)}), keep=5)
    save(checkpoints.version, 40, "old")
    save(checkpoints.version, 50, "good")
    save(checkpoints.version, 60, "ahead")             # the store never got there (rebuilt under it)
    save("0.other-code", 50, "foreign")
    caplog.set_level("WARNING", logger="revloop.checkpoint")
    got = checkpoints.restore({1})
    assert set(got.states) == {"good"} and got.seqs == {1: 2}
    assert got.positions == {("touches", 1): 50, ("orders", 1): 7} and got.control == {1: 3, "*": 3}
    assert "#3 is ahead of the store's rows" in caplog.text and "#4 was written by other code" in caplog.text
    # A partition with nothing usable starts from scratch, and says so.
    assert checkpoints.restore({0}).seqs == {}
    store.close()
