"""The sending brake: given the tenant's sends and what bounced or complained, then it pauses itself at once,
tells people, and only a person resumes it."""
from __future__ import annotations

import pytest

from revloop.processors import cards, sending_brake
from revloop.processors.controls import Controls
from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import H0, tick_at
from tests.support.events import DAY, contact, event

MIN = 60_000


def sent(h: Harness, n: int, start: int = 0, at: int = H0) -> None:
    for i in range(start, start + n):
        h.feed("email_outcome", event("email_outcome", at=at + i * 1000, event_id=f"sent:a{i:04d}", outcome="sent",
                                      recipient=f"r{i}@lender.example", action_id=f"a{i:04d}"))


def bounced(h: Harness, ids, at: int, kind: str = "bounced", bounce_type: str | None = "hard"):
    out = []
    for i in ids:
        out += h.feed("email_outcome", event("email_outcome", at=at + i, event_id=f"wh-{kind}-{i}", outcome=kind,
                                             recipient=f"r{i}@lender.example", action_id=f"a{i:04d}",
                                             bounce_type=bounce_type if kind == "bounced" else None))
    return out


def pauses(out) -> list[dict]:
    return [e for t, e in out if t == "control"]


def test_a_burst_of_hard_bounces_past_five_percent_pauses_client_email_at_once_with_the_figures():
    h = Harness()
    sent(h, 60)
    out = bounced(h, range(3), at=H0 + 10 * MIN)            # 3 of 60: 5.0%, not past it
    assert pauses(out) == []
    out = bounced(h, [3], at=H0 + 11 * MIN)                 # 4 of 60: 6.7%
    [pause] = pauses(out)
    assert (pause["sending_paused"], pause["actor"], pause["occurred_at"]) == (True, "system:sending-brake",
                                                                                H0 + 11 * MIN + 3)
    assert "4 hard bounces in the last 60 sends (6.7%, over 5%)" in pause["reason"]
    [alert] = [e for t, e in out if t == "alert"]
    assert (alert["kind"], alert["severity"]) == ("sending_paused", "critical")
    assert h.pipeline.state("t1").controls["sending_paused"] is True
    # More bounces while paused: no second pause.
    assert pauses(bounced(h, range(4, 10), at=H0 + 12 * MIN)) == []


def test_fewer_than_fifty_sends_say_nothing_yet_and_soft_bounces_are_not_hard_ones():
    h = Harness()
    sent(h, 49)
    assert pauses(bounced(h, range(10), at=H0 + 10 * MIN)) == []
    h2 = Harness()
    sent(h2, 60)
    assert pauses(bounced(h2, range(20), at=H0 + 10 * MIN, bounce_type="soft")) == []


def test_two_complaints_past_a_tenth_of_a_percent_pause_but_one_does_not():
    h = Harness()
    sent(h, 200)
    assert pauses(bounced(h, [0], at=H0 + HOUR_MS, kind="complained")) == []
    [pause] = pauses(bounced(h, [1], at=H0 + HOUR_MS, kind="complained"))
    assert "2 spam complaints in the last 200 sends (1.00%, over 0.1%)" in pause["reason"]


def test_only_the_last_two_hundred_sends_count():
    h = Harness()
    sent(h, 260)
    assert pauses(bounced(h, range(20), at=H0 + HOUR_MS)) == []     # all 20 bounced sends are older than the window


HOUR_MS = 3_600_000


def test_a_tenant_that_sends_for_years_keeps_a_bounded_memory_and_the_same_figures():
    """Every 25th send hard-bounces (4 %: never a pause) over 24,000 sends: the brake keeps
    only what can still count, and its figures are those of the whole history's last 200 sends."""
    h = Harness()
    bounced_ids = set()
    for start in range(0, 24_000, 300):
        sent(h, 300, start=start)
        ids = [i for i in range(start, start + 300) if i % 25 == 7]
        assert pauses(bounced(h, ids, at=H0 + start * 1000 + 400_000)) == []
        bounced_ids.update(ids)
        memory = h.pipeline.state("t1").brake
        assert len(memory["hard"]) <= sending_brake.PRUNE_AT + 1
        last = range(start + 100, start + 300)
        assert sending_brake.figures(h.pipeline.state("t1")) == {
            "sends": 200, "hard_bounces": sum(1 for i in last if i in bounced_ids), "complaints": 0}
    assert len(bounced_ids) == 960 and len(memory["hard"]) <= sending_brake.PRUNE_AT + 1


def test_a_bounce_logged_before_its_send_still_counts_after_the_memory_is_pruned():
    """A webhook's bounce can reach the log before the sender's `sent` outcome (a sender restarted
    after a crash reports it again). Pruning keeps the newest SENDS_WINDOW such ids."""
    h = Harness()
    sent(h, 400)
    for n in range(650):                                        # bounces of sends never kept
        h.feed("email_outcome", event("email_outcome", at=H0 + HOUR_MS + n, event_id=f"wh-old-{n}", outcome="bounced",
                                      recipient=f"o{n}@lender.example", action_id=f"old{n:04d}", bounce_type="hard"))
    bounced(h, [5000, 5001], at=H0 + 2 * HOUR_MS)               # their sends not reported yet
    # Older kept sends bounce (outside the last 200: no pause), past PRUNE_AT ids: pruned.
    assert pauses(bounced(h, range(150), at=H0 + 3 * HOUR_MS)) == []
    memory = h.pipeline.state("t1").brake
    assert len(memory["hard"]) < sending_brake.PRUNE_AT
    assert "a5000" in memory["hard"] and "a5001" in memory["hard"] and "old0000" not in memory["hard"]
    sent(h, 2, start=5000, at=H0 + 4 * HOUR_MS)
    # The last 200 sends: a0202..a0399 (none bounced) and the two reported late, both bounced.
    assert sending_brake.figures(h.pipeline.state("t1")) == {"sends": 200, "hard_bounces": 2, "complaints": 0}


def test_while_paused_no_client_email_is_approved_and_the_operators_get_one_card():
    h = Harness()
    h.feed("contact", contact("p1", at=H0 - DAY))
    sent(h, 60, at=H0 - DAY)
    bounced(h, range(4), at=H0 - DAY + HOUR_MS)
    out = tick_at(h, H0)
    decided = [e for t, e in out if t == "action_decided"]
    emails = [e for e in decided if e["kind"] in ("send_email", "follow_up")]
    assert emails and {(e["decision"], e["policy"]) for e in emails} == {("blocked", "sending_paused")}
    [card] = [e for e in decided if e["rule"] == "brake.paused"]
    assert (card["kind"], card["decision"]) == ("escalate", "approved")
    assert "accept this card to resume sending" in card["reason"]
    assert [e for t, e in tick_at(h, H0 + HOUR_MS) if t == "action_decided" and e["rule"] == "brake.paused"] == []


def test_a_person_resumes_and_the_count_starts_afresh():
    h = Harness()
    sent(h, 60, at=H0 - DAY)
    bounced(h, range(4), at=H0 - DAY + HOUR_MS)
    [card] = [e for t, e in tick_at(h, H0) if t == "action_decided" and e["rule"] == "brake.paused"]
    events = cards.decide(h.pipeline.state("t1"), Controls(), card["action_id"], "accept", "sam",
                          "removed the stale list", H0 + HOUR_MS)
    [(_, resume)] = [(t, e) for t, e in events if t == "control"]
    assert (resume["sending_paused"], resume["actor"]) == (False, "sam")
    for t, e in events:
        h.feed(t, e)
    assert h.pipeline.state("t1").controls["sending_paused"] is False
    # One more old bounce after the resume: the sends before it no longer count.
    assert pauses(bounced(h, [10], at=H0 + 2 * HOUR_MS)) == []
    assert sending_brake.figures(h.pipeline.state("t1"))["sends"] == 0


@pytest.mark.parametrize("paused, expected", [(True, "cancel"), (False, "send")])
def test_the_sender_cancels_client_email_while_paused(paused, expected):
    from revloop.processors.execution import judge

    action = {"decision": "approved", "kind": "send_email", "recipient": "p1@lender.example",
              "send_mode": "limited_live"}
    assert judge(action, Controls(send_mode="limited_live", sending_paused=paused)).verdict == expected
    assert judge(action, Controls(send_mode="limited_live"), brake="4 hard bounces").verdict == "cancel"
