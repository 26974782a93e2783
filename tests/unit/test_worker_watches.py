"""streams.worker: the tick gate (a tick waits for the inputs produced before it, and says so when it waits long) and
the slow-GC watch."""
import logging

from revloop.streams.config import Settings
from revloop.streams.worker import TickGate

TICK = {"event_id": "tick:t1:1", "tick_id": "t1:1", "tenant_id": "t1"}


def gate_waiting_on(positions, target, held_warn_s):
    gate = TickGate(Settings(topic_prefix="p."), positions, partitions=0, held_warn_s=held_warn_s)
    gate.targets[TICK["event_id"]] = target       # the end offsets noted when the tick arrived
    return gate


def test_a_tick_runs_once_its_inputs_are_applied():
    positions = {("orders", 0): 100}
    gate = gate_waiting_on(positions, {("orders", 0): 150, ("control", 0): 0}, held_warn_s=60)
    assert gate(TICK) is False
    positions[("orders", 0)] = 150
    assert gate(TICK) is True
    assert TICK["event_id"] not in gate.targets and TICK["event_id"] not in gate.since


def test_a_tick_held_long_is_logged_once_with_what_it_waits_for(caplog):
    gate = gate_waiting_on({("orders", 0): 100, ("touches", 0): 40},
                           {("orders", 0): 150, ("touches", 0): 40}, held_warn_s=0.0)
    with caplog.at_level(logging.WARNING, logger="revloop.worker"):
        for _ in range(3):
            assert gate(TICK) is False
    held = [r.getMessage() for r in caplog.records if "held for over" in r.getMessage()]
    assert len(held) == 1, held
    assert "t1:1" in held[0] and "orders/0" in held[0] and "at 100 of 150" in held[0]
    assert "touches/0" not in held[0]            # applied to its end: not what it waits for


def test_a_tick_held_briefly_is_not_logged(caplog):
    gate = gate_waiting_on({("orders", 0): 100}, {("orders", 0): 150}, held_warn_s=60)
    with caplog.at_level(logging.WARNING, logger="revloop.worker"):
        assert gate(TICK) is False
    assert not [r for r in caplog.records if "held for over" in r.getMessage()]


def test_a_slow_garbage_collection_is_logged_as_a_slow_step(caplog):
    import gc

    from revloop.streams.worker import watch_gc

    callback = watch_gc(0.0)           # any collection is "slow" at 0 s
    try:
        with caplog.at_level(logging.WARNING, logger="revloop.worker"):
            gc.collect()
    finally:
        gc.callbacks.remove(callback)
    [line] = [r.getMessage() for r in caplog.records if "garbage collection" in r.getMessage()]
    assert line.startswith("slow step: a generation-2 garbage collection ran ")


def test_the_gate_forgets_ticks_of_a_released_partition_and_only_those():
    other = {"event_id": "tick:t2:1", "tick_id": "t2:1", "tenant_id": "t2"}
    gate = gate_waiting_on({("orders", 0): 100}, {("orders", 0): 150}, held_warn_s=60)
    gate.targets[other["event_id"]] = {("orders", 1): 10}
    assert gate(TICK) is False and gate.since            # held: noted when and what for
    gate.forget([TICK])                                  # its partition went to another worker
    assert set(gate.targets) == {other["event_id"]} and TICK["event_id"] not in gate.since
