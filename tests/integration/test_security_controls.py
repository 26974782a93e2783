"""Global settings are an admin act, and business time has bounds.

Attacks: a plain import line for tenant '*' (kill switch, limited_live with a huge cap);
a control dated in year 9999, by import or straight onto the topic, that would win
last-writer-wins for good; one dated before 2000.
"""
from __future__ import annotations

import json
import time

import pytest

from revloop.projections.store import open_store
from revloop.schemas.codec import Codec
from revloop.schemas.jsonl import to_line
from revloop.streams.kafka_io import producer, read_topic
from revloop.streams.replay import replay
from tests.support.events import event
from tests.support.outage_services import tally_attack
from tests.support.projections import assert_same_rows, produce_events, snapshot
from tests.support.worker_proc import WorkerProcess

pytestmark = pytest.mark.integration
CODEC = Codec()
YEAR_9999 = 253_402_300_000_000


def now_ms() -> int:
    return int(time.time() * 1000)


def controls_on(settings):
    return [CODEC.decode(m.value())[1] for m in read_topic(settings, settings.topic("control"))]


def test_attack_import_a_global_control_is_refused(kafka, cli, tmp_path):
    lines = [to_line("control", event("control", tenant="*", at=now_ms() - 1000, kill_switch=True)),
             to_line("control", event("control", tenant="*", at=now_ms() - 1000, send_mode="limited_live",
                                      caps={"emails": 100_000}))]
    path = tmp_path / "global.jsonl"
    path.write_text("\n".join(lines) + "\n")
    proc = cli(kafka, "import", str(path))
    assert proc.returncode == 1
    refused = [l for l in proc.stderr.splitlines() if "set only by `revloop control set --global`" in l]
    assert len(refused) == 2, proc.stderr
    assert controls_on(kafka) == []
    tally_attack("import a global ('*') control", tried=2, refused=len(refused), written=len(controls_on(kafka)))


def test_control_set_global_is_the_admin_path_and_records_actor_and_reason(kafka, cli):
    proc = cli(kafka, "control", "set", "--global", "--kill-switch", "on", "--reason", "incident 42: bounces",
               "--actor", "ops-pat")
    assert proc.returncode == 0, proc.stderr
    no_reason = cli(kafka, "control", "set", "--tenant", "acme", "--send-mode", "dry_run")
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    bad_tenant = cli(kafka, "control", "set", "--tenant", "ACME", "--send-mode", "dry_run", "--reason", "x")
    assert bad_tenant.returncode == 2 and "does not match" in bad_tenant.stderr
    [made] = controls_on(kafka)
    assert (made["tenant_id"], made["kill_switch"], made["actor"], made["reason"]) == \
        ("*", True, "ops-pat", "incident 42: bounces")
    assert json.loads(proc.stdout)["event_id"] == made["event_id"]
    assert abs(made["occurred_at"] - now_ms()) < 60_000


def test_attack_import_a_control_dated_in_year_9999_or_before_2000_is_refused(kafka, cli, tmp_path):
    lines = [to_line("control", event("control", tenant="acme", at=YEAR_9999, kill_switch=False)),
             to_line("contact", event("contact", tenant="acme", at=now_ms() + 3_600_000, contact_id="p1",
                                      email="p1@lender.example")),
             to_line("control", event("control", tenant="acme", at=946_684_799_999, kill_switch=True))]
    path = tmp_path / "dated.jsonl"
    path.write_text("\n".join(lines) + "\n")
    proc = cli(kafka, "import", str(path))
    assert proc.returncode == 1
    ahead = [l for l in proc.stderr.splitlines() if "ahead of the clock" in l]
    early = [l for l in proc.stderr.splitlines() if "before 2000" in l]
    assert (len(ahead), len(early)) == (2, 1), proc.stderr
    assert "rejected 3 line(s)" in proc.stderr and controls_on(kafka) == []
    tally_attack("import an event dated ahead of the clock or before 2000", tried=3, refused=3, written=0)


def test_attack_a_future_dated_control_on_the_topic_cannot_pin_the_kill_switch(kafka, tmp_path):
    """Straight onto the topic (past import): the broker stamps the record (LogAppendTime), and
    the worker dead-letters a control dated more than the skew after that stamp, so a later real
    'kill switch on' wins; replay from the log decides the same way."""
    tenant = "acme"
    pinned_off = event("control", tenant=tenant, at=YEAR_9999, event_id="pin-off", kill_switch=False)
    produce_events(kafka, [("control", event("control", tenant=tenant, at=now_ms() - 60_000, event_id="c0",
                                             enabled=True))])
    # The attacker also claims the record was written in year 9999: the broker overwrites that.
    p = producer(kafka)
    p.produce(kafka.topic("control"), key=tenant.encode(), value=CODEC.encode("control", pinned_off),
              timestamp=YEAR_9999)
    assert p.flush(30) == 0
    time.sleep(0.01)
    produce_events(kafka, [("control", event("control", tenant=tenant, at=now_ms(), event_id="real-on",
                                             kill_switch=True))])
    url = f"duckdb:{tmp_path / 'live.duckdb'}"
    worker = WorkerProcess(kafka, url, tmp_path / "worker.log").start()
    try:
        worker.wait_caught_up()
    finally:
        worker.stop()
    with open_store(url) as store:
        [row] = store.rows("tenant_controls", tenant)
        live = snapshot(store, tenant)
    assert row["kill_switch"] is True and row["last_event_id"] == "real-on"
    dead = [CODEC.decode(m.value())[1] for m in read_topic(kafka, kafka.topic("dead.letter"))]
    assert len(dead) == 1 and "ahead of the broker's timestamp" in dead[0]["reason"]
    assert CODEC.decode(dead[0]["value"])[1]["event_id"] == "pin-off"

    with open_store(f"duckdb:{tmp_path / 'replay.duckdb'}") as fresh:
        fresh.ensure_schema()
        replay(kafka, fresh, show_progress=False, workers=1)
        assert_same_rows(live, snapshot(fresh, tenant))
    tally_attack("produce a year-9999 control straight onto the topic", tried=1, refused=len(dead),
                 written=int(row["last_event_id"] == "pin-off"))
