"""The catch-up threshold is the group's: each worker judges its own lag against its share."""
from revloop.streams.worker import catch_up_threshold


def test_a_worker_holding_every_partition_uses_the_whole_threshold():
    assert catch_up_threshold(10_000, 6, 6) == 10_000


def test_workers_sharing_partitions_each_weigh_their_share():
    # A 12,000-event burst over 2 workers (6,000 each) is past each one's share: both batch it.
    assert catch_up_threshold(10_000, 3, 6) == 5_000
    assert catch_up_threshold(10_000, 2, 6) == 3_333
    assert 6_000 > catch_up_threshold(10_000, 3, 6)


def test_the_share_never_reaches_zero_and_never_exceeds_the_whole():
    assert catch_up_threshold(10_000, 0, 6) == 1
    assert catch_up_threshold(1, 1, 6) == 1
    assert catch_up_threshold(10_000, 8, 6) == 10_000      # owned counted before a shrink: capped
    assert catch_up_threshold(10_000, 3, 0) == 10_000      # partitions unknown: the whole
