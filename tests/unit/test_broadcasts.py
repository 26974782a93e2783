"""Broadcasts (minimal): given a broadcast to a tag, then one email to each reachable contact carrying it, once."""
from __future__ import annotations

from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import H0, report, tick_at
from tests.support.events import DAY, contact, event


def test_a_broadcast_goes_once_to_each_reachable_contact_with_its_tag_and_ranks_last():
    h = Harness()
    for cid, tags, opted_out in (("a", ["newsletter"], False), ("b", ["newsletter", "vip"], False),
                                 ("c", ["vip"], False), ("d", ["newsletter"], True)):
        h.feed("contact", contact(cid, tags=tags, opted_out=opted_out, at=H0 - 30 * DAY))
        h.feed("touch", event("touch", contact_id=cid, channel="call", at=H0 - DAY))   # no engagement mail due
    h.feed("broadcast", event("broadcast", broadcast_id="autumn", template="check_in", tags=["newsletter"],
                              at=H0 + DAY))
    assert [a for t, a in tick_at(h, H0) if t == "action_decided" and a["rule"] == "broadcast.send"] == []  # not yet
    sent = [a for t, a in tick_at(h, H0 + DAY) if t == "action_decided" and a["rule"] == "broadcast.send"]
    assert sorted((a["target_id"], a["decision"]) for a in sent) == [("autumn:a", "approved"),
                                                                     ("autumn:b", "approved")]
    for a in sent:
        report(h, a, "sent", at=H0 + DAY + 60_000)
    assert [a for t, a in tick_at(h, H0 + 2 * DAY) if t == "action_decided" and a["rule"] == "broadcast.send"] == []
