"""Events and `revloop tick` on the real broker -> worker -> actions, violations, runs, alerts, projected."""
from __future__ import annotations

import pytest

from revloop.schemas.codec import Codec
from revloop.streams.kafka_io import read_topic
from tests.support.projections import assert_same_rows, produce_events, run_worker_until_caught_up, snapshot
from tests.support.events import DAY, T0, client, contact, event, touch
from revloop.schemas.jsonl import format_time

pytestmark = pytest.mark.integration
HOUR = 3_600_000


def book(tenant):
    ev = [("control", event("control", tenant=tenant, at=T0 - 5 * DAY, event_id=f"{tenant}-ctl", enabled=True,
                            send_mode="limited_live", caps={"emails": 3})),
          ("client", client("c1", tenant=tenant, at=T0 - 50 * DAY, event_id=f"{tenant}-c1"))]
    for i in range(5):
        ev.append(("contact", contact(f"p{i}", client_id="c1", tenant=tenant, at=T0 - 40 * DAY,
                                      event_id=f"{tenant}-p{i}")))
        ev.append(("touch", touch(f"p{i}", tenant=tenant, at=T0 - (22 + i) * DAY, event_id=f"{tenant}-t{i}")))
    return ev


def topic_events(kafka, topic):
    codec = Codec()
    return [(m.value(), codec.decode(m.value())[1]) for m in read_topic(kafka, kafka.topic(topic))]


def test_ticks_in_actions_violations_runs_and_alerts_out_and_projected(kafka, kafka2, cli, tmp_path):
    tenant = "acme"
    for settings in (kafka, kafka2):
        produce_events(settings, book(tenant))
        for hour in (0, 1):
            proc = cli(settings, "tick", "--at", format_time(T0 + hour * HOUR + 60_000), "--tenant", tenant)
            assert proc.returncode == 0, proc.stderr
        assert cli(settings, "tick", "--at", format_time(T0 + 90_000), "--tenant", tenant).returncode == 0  # same hour again
    url = f"duckdb:{tmp_path / 'cycle.duckdb'}"
    run_worker_until_caught_up(kafka, url, tmp_path, "a")
    run_worker_until_caught_up(kafka2, f"duckdb:{tmp_path / 'cycle2.duckdb'}", tmp_path, "b")

    approved = [e for _, e in topic_events(kafka, "actions")]
    held = [e for _, e in topic_events(kafka, "actions.held")]
    emails = [a for a in approved if a["kind"] == "send_email"]
    assert len(emails) == 5 and len({a["target_id"] for a in emails}) == 5           # 3 in hour one, 2 in hour two
    hour0 = T0 - T0 % HOUR
    assert sorted(a["tick_id"] for a in emails) == sorted([f"{tenant}:{format_time(hour0)}"] * 3
                                                          + [f"{tenant}:{format_time(hour0 + HOUR)}"] * 2)
    assert {a["decision"] for a in held} == {"deferred", "blocked"}
    violations = [e for _, e in topic_events(kafka, "policy.violations")]
    assert violations and {v["policy"] for v in violations} == {"research_while_overdue"}
    runs = [e for _, e in topic_events(kafka, "runs")]
    assert len(runs) == 2                                    # the repeated tick for hour one was a no-op
    assert {e["kind"] for _, e in topic_events(kafka, "alerts")} >= {"engagement_compliance_low"}

    from revloop.projections.store import open_store
    with open_store(url) as store:
        rows = snapshot(store, tenant)
    assert len(rows["agent_actions"]) == len(approved) + len(held)
    assert len(rows["agent_policy_violations"]) == len(violations)
    assert len(rows["agent_autonomous_runs"]) == 2 and rows["agent_alerts"]

    # The same log on independent topics gives byte-identical action events.
    for topic in ("actions", "actions.held"):
        mine = sorted(raw for raw, _ in topic_events(kafka, topic))
        theirs = sorted(raw for raw, _ in topic_events(kafka2, topic))
        assert mine == theirs

    replayed = f"duckdb:{tmp_path / 'replayed.duckdb'}"
    assert cli(kafka, "replay", "--store", replayed, "--quiet").returncode == 0
    with open_store(replayed) as store:
        assert_same_rows(snapshot(store, tenant), rows)
