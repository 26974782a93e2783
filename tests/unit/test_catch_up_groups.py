"""How a long catch-up splits over processes (streams.catch_up.shard_groups)."""
from __future__ import annotations

from revloop.processors.state import TenantState
from revloop.streams.catch_up import ENTRIES_PER_RECORD, shard_groups, state_entries
from revloop.streams.kafka_clients import partition_for
from tests.support.events import contact
from revloop.processors.projector import apply


def test_every_partition_is_in_exactly_one_group_even_with_nothing_to_read():
    # Partition 3 has no records to read, but control records its tenants lack must still
    # reach their states: a catch-up that left it out would skip them for good.
    groups = shard_groups({0: 60_000, 1: 50_000, 3: 0}, workers=3, minimum=50_000)
    assert sorted(sorted(g) for g in groups) == [[0], [1, 3]]     # the idle one joins the lighter group


def test_groups_are_balanced_by_records_behind():
    groups = shard_groups({0: 60_000, 1: 50_000, 2: 10_000}, workers=2, minimum=50_000)
    assert sorted(sorted(g) for g in groups) == [[0], [1, 2]]


def test_a_short_catch_up_or_one_busy_partition_stays_in_one_process():
    assert shard_groups({0: 20_000, 1: 20_000}, workers=2, minimum=50_000) == []
    assert shard_groups({0: 90_000, 1: 0, 2: 0}, workers=4, minimum=50_000) == []
    assert shard_groups({0: 90_000, 1: 90_000}, workers=1, minimum=50_000) == []


def test_a_worker_holding_much_state_catches_a_short_burst_up_in_one_process():
    # Handing the states over and back costs the worker more than a split saves on a burst
    # short next to what it holds (measured: 200k events held, 61k behind: 8.9 s split, 6.6 s not).
    lag = {0: 40_000, 1: 40_000}
    assert shard_groups(lag, workers=2, minimum=50_000, held=0)
    assert shard_groups(lag, workers=2, minimum=50_000, held=80_000 * ENTRIES_PER_RECORD)
    assert shard_groups(lag, workers=2, minimum=50_000, held=80_000 * ENTRIES_PER_RECORD + 1) == []


def test_the_state_a_split_would_hand_over_counts_its_partitions_tenants_and_the_global_one():
    tenants = [f"tenant-{i}" for i in range(12)]
    states = {}
    for t in tenants:
        states[t] = TenantState(t)
        for i in range(3):
            apply(states[t], "contacts", "contact", contact(f"p{i}", tenant=t))
    states["*"] = TenantState("*")
    on_0 = [t for t in tenants if partition_for(t, 2) == 0]
    one = state_entries({tenants[0]: states[tenants[0]]}, {0, 1}, 2)
    assert one > 3                                    # rows, clocks and the indexes beside them
    assert state_entries(states, {0}, 2) == one * len(on_0) + state_entries({"*": states["*"]}, set(), 2)
    assert state_entries(states, {0, 1}, 2) == one * len(tenants) + state_entries({"*": states["*"]}, set(), 2)
