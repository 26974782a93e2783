"""Bids: given bid events and ticks, then intel requests, confirmations, follow-ups and win / loss patterns."""
from __future__ import annotations

from tests.support.cycle_harness import HOUR, Harness
from tests.support.engine_helpers import H0, by_rule, report, state, tick_at
from tests.support.events import DAY, event


def bid(at, status, bid_id="b1", **kw):
    fields = dict(bid_id=bid_id, client_id="c1", submitter_email="Quotes@Lender.example", status=status,
                  amount_cents=52_500)
    fields.update(kw)
    return event("bid", at=at, **fields)


def test_a_requested_bid_asks_the_submitter_for_intel_once():
    h = Harness()
    h.feed("bid", bid(H0, "requested"))
    [intel] = by_rule(h, tick_at(h, H0 + HOUR), "bids.intel_request", "approved")
    assert intel["recipient"] == "quotes@lender.example" and intel["template"] == "bid_intel_request"
    assert by_rule(h, tick_at(h, H0 + 2 * HOUR), "bids.intel_request") == []      # approved, not yet sent
    assert state(h).bids["b1"]["intel_requested_at"] is None
    report(h, intel, "sent", at=H0 + 2 * HOUR + 5)
    assert state(h).bids["b1"]["intel_requested_at"] == H0 + 2 * HOUR + 5
    assert by_rule(h, tick_at(h, H0 + 3 * HOUR), "bids.intel_request") == []


def test_a_submitted_bid_is_confirmed_once():
    h = Harness()
    h.feed("bid", bid(H0, "submitted"))
    [confirmation] = by_rule(h, tick_at(h, H0 + HOUR), "bids.confirmation", "approved")
    report(h, confirmation, "sent", at=H0 + HOUR + 5)
    assert by_rule(h, tick_at(h, H0 + 2 * HOUR), "bids.confirmation") == []
    assert state(h).bids["b1"]["confirmed_at"] == H0 + HOUR + 5


def test_an_intel_request_that_failed_is_not_done_and_is_asked_again_after_a_day():
    h = Harness()
    h.feed("bid", bid(H0, "requested"))
    [intel] = by_rule(h, tick_at(h, H0 + HOUR), "bids.intel_request", "approved")
    report(h, intel, "failed", at=H0 + HOUR + 5)
    assert state(h).bids["b1"]["intel_requested_at"] is None
    assert by_rule(h, tick_at(h, H0 + 2 * HOUR), "bids.intel_request") == []      # the retry wait
    [again] = by_rule(h, tick_at(h, H0 + DAY + 2 * HOUR), "bids.intel_request", "approved")
    assert again["action_id"] != intel["action_id"]


def test_a_dry_run_confirmation_counts_as_done_so_it_is_not_proposed_every_hour():
    h = Harness()
    h.feed("bid", bid(H0, "submitted"))
    [confirmation] = by_rule(h, tick_at(h, H0 + HOUR), "bids.confirmation", "approved")
    report(h, confirmation, "dry_run", at=H0 + HOUR + 5)
    assert state(h).bids["b1"]["confirmed_at"] == H0 + HOUR + 5
    assert [a for t in range(2, 30) for a in by_rule(h, tick_at(h, H0 + t * HOUR), "bids.confirmation")] == []


def confirmed(h: Harness) -> None:
    """The submission confirmed the hour after: the submitter's one email that day (their cap)."""
    [confirmation] = by_rule(h, tick_at(h, H0 + HOUR), "bids.confirmation", "approved")
    report(h, confirmation, "sent", at=H0 + HOUR + 5)


def test_a_bid_is_followed_up_on_its_cadence_until_it_is_won_and_never_after():
    h = Harness()
    h.feed("bid", bid(H0, "submitted"))                      # default cadence: every 3 days
    confirmed(h)
    assert by_rule(h, tick_at(h, H0 + 3 * DAY - HOUR), "bids.follow_up") == []
    first = by_rule(h, tick_at(h, H0 + 3 * DAY), "bids.follow_up", "approved")
    report(h, first[0], "sent", at=H0 + 3 * DAY)
    assert by_rule(h, tick_at(h, H0 + 3 * DAY + HOUR), "bids.follow_up") == []
    # The second is due on a Sunday (H0 is a Monday): it waits for the submitter's Monday hours.
    [sunday] = by_rule(h, tick_at(h, H0 + 6 * DAY), "bids.follow_up", "deferred")
    assert sunday["policy"] == "sending_window"
    second = by_rule(h, tick_at(h, H0 + 7 * DAY), "bids.follow_up", "approved")
    report(h, second[0], "delivered", at=H0 + 7 * DAY)
    h.feed("bid", bid(H0 + 8 * DAY, "won", competitor="ValuCo", reason="turn time"))
    after = [a for t in (9, 12, 15) for a in by_rule(h, tick_at(h, H0 + t * DAY), "bids.follow_up")]

    assert [a["kind"] for a in first + second] == ["follow_up", "follow_up"]
    assert '"follow_up":1' in first[0]["payload_json"] and '"follow_up":2' in second[0]["payload_json"]
    assert after == []
    row = state(h).bids["b1"]
    assert (row["outcome"], row["follow_ups"], row["last_follow_up_at"]) == ("won", 2, H0 + 7 * DAY)


def test_the_follow_up_cadence_is_tunable_through_control_goals():
    h = Harness()
    h.feed("control", event("control", at=H0 - DAY, goals={"bid_follow_up_days": 1}))
    h.feed("bid", bid(H0, "submitted"))
    confirmed(h)
    assert by_rule(h, tick_at(h, H0 + DAY), "bids.follow_up", "approved")


def test_a_lost_bids_reason_is_stored_as_a_pattern_per_client_and_competitor():
    h = Harness()
    h.feed("bid", bid(H0, "submitted", bid_id="b1"))
    h.feed("bid", bid(H0 + DAY, "lost", bid_id="b1", competitor="ValuCo", competitor_amount_cents=48_000,
                      reason="Price too high"))
    h.feed("bid", bid(H0 + 2 * DAY, "lost", bid_id="b2", competitor="ValuCo", competitor_amount_cents=50_000,
                      reason="  price too HIGH "))
    h.feed("bid", bid(H0 + 2 * DAY, "lost", bid_id="b3", competitor="ValuCo", reason="turn time"))

    patterns = state(h).bid_patterns
    price = patterns[("c1", "ValuCo", "lost", "price too high")]
    assert price["bids"] == 2 and price["avg_price_gap_cents"] == 3_500.0
    assert patterns[("c1", "ValuCo", "lost", "turn time")]["bids"] == 1
    assert state(h).bids["b1"]["reason"] == "Price too high"


def test_a_corrected_outcome_moves_the_bid_to_its_new_pattern():
    h = Harness()
    h.feed("bid", bid(H0, "lost", competitor="ValuCo", reason="price"))
    h.feed("bid", bid(H0 + DAY, "won", competitor="ValuCo", reason="quality"))
    patterns = state(h).bid_patterns
    assert patterns[("c1", "ValuCo", "lost", "price")]["bids"] == 0
    assert patterns[("c1", "ValuCo", "won", "quality")]["bids"] == 1


def test_a_stale_bid_event_changes_nothing():
    h = Harness()
    h.feed("bid", bid(H0 + DAY, "lost", reason="price"))
    h.feed("bid", bid(H0, "submitted"))
    assert state(h).bids["b1"]["status"] == "lost"


def test_win_loss_patterns_kept_as_bids_come_and_go_equal_a_count_from_scratch():
    # The patterns' sums are kept as bids move in and out (not summed anew per bid): after many
    # bids changing outcome, competitor, reason and prices, each pattern's count and mean gap
    # equal those counted from the bids as they now stand.
    import random

    from revloop.processors.bids import pattern_key

    rng = random.Random(16)
    h = Harness()
    for n in range(600):
        price = rng.choice([None, 48_000, 51_500, 55_250])
        h.feed("bid", bid(H0 + n * HOUR, rng.choice(["submitted", "lost", "won", "lost", "withdrawn"]),
                          bid_id=f"b{rng.randrange(40)}", client_id=rng.choice(["c1", "c2"]),
                          amount_cents=rng.choice([None, 50_000, 52_500]), competitor=rng.choice(["ValuCo", "Apex"]),
                          competitor_amount_cents=price, reason=rng.choice(["price", "Turn time", "PRICE "])))
    st = state(h)
    expected: dict = {}
    for b in st.bids.values():
        key = pattern_key(b)
        if key is not None:
            gaps = expected.setdefault(key, [])
            if b["amount_cents"] is not None and b["competitor_amount_cents"] is not None:
                gaps.append(b["amount_cents"] - b["competitor_amount_cents"])
            else:
                gaps.append(None)
    assert len(expected) > 10
    for key, row in st.bid_patterns.items():
        members = expected.get(key, [])
        gaps = [g for g in members if g is not None]
        assert row["bids"] == len(members), key
        assert row["avg_price_gap_cents"] == (round(sum(gaps) / len(gaps), 2) if gaps else None), key
    assert set(expected) <= set(st.bid_patterns)
