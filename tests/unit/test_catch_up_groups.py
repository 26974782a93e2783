"""How a long catch-up splits over processes (streams.catch_up.shard_groups)."""
from __future__ import annotations

from revloop.streams.catch_up import shard_groups


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
