from revloop.streams.stall_watch import STALL_S, StallWatch


def test_a_reader_behind_without_moving_for_stall_s_is_stalled_once_per_position_and_end():
    w = StallWatch()
    assert not w.stalled("p", 0, 5, now=100.0)                  # behind from here on
    assert not w.stalled("p", 0, 5, now=100.0 + STALL_S - 0.1)
    assert w.since("p", 100.0 + STALL_S) == STALL_S
    assert w.stalled("p", 0, 5, now=100.0 + STALL_S)
    assert not w.stalled("p", 0, 5, now=100.0 + 9 * STALL_S)    # reported already (a marker?)
    assert not w.stalled("p", 0, 6, now=100.0 + 9 * STALL_S)    # a new record: the clock again
    assert w.stalled("p", 0, 6, now=100.0 + 10 * STALL_S)


def test_a_reader_moving_or_at_the_end_is_never_stalled():
    w = StallWatch()
    assert not w.stalled("p", 0, 5, now=0.0)
    assert not w.stalled("p", 1, 5, now=STALL_S)                 # moved: the clock again
    assert not w.stalled("p", 1, 5, now=2 * STALL_S - 0.1)
    assert not w.stalled("p", 5, 5, now=50 * STALL_S)            # read to the end
    assert not w.stalled("p", 5, None, now=60 * STALL_S)         # the end unknown
    assert w.seen == {}
    assert not w.stalled("q", 0, 1, now=0.0) and w.seen
    w.forget("q")
    assert not w.stalled("q", 0, 1, now=STALL_S)                 # forgotten: behind from now on
