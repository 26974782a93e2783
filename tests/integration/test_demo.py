"""`revloop demo` (what `make run` runs), small: it sends through the local Resend-shaped server in
limited_live, compliance rises over the simulated hours, cards open and the simulated operator answers
some, and every simulated hour sits in the fixed past week, whatever day the test runs."""
from __future__ import annotations

import json

import duckdb
import pytest

from revloop.streams.demo_data import DEMO_WEEK_START, HOUR
from tests.support.broker import run_cli

pytestmark = pytest.mark.integration


def test_the_demo_sends_raises_compliance_and_people_answer_cards(kafka, tmp_path):
    proc = run_cli(kafka, "demo", "--contacts", "120", "--hours", "3", "--out", str(tmp_path), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]
    assert "Engagement compliance, first vs last simulated hour" in proc.stdout
    assert "Cards by kind and status" in proc.stdout
    assert "emails that waited for their recipients' hours" in proc.stdout

    con = duckdb.connect(str(tmp_path / "revloop.duckdb"), read_only=True)
    runs = con.execute("SELECT tenant_id, epoch_ms(as_of), metrics FROM agent_autonomous_runs "
                       "ORDER BY tenant_id, as_of").fetchall()
    assert [r[1] for r in runs] == [DEMO_WEEK_START + h * HOUR for h in (1, 2, 3)] * 2
    for tenant in {r[0] for r in runs}:
        rates = [json.loads(m)["compliance_rate"] for t, _, m in runs if t == tenant]
        assert rates[-1] > rates[0], (tenant, rates)
    sent = con.execute("SELECT count(*) FROM warehouse_events WHERE event_type = 'email_outcome' "
                       "AND json_extract_string(payload, '$.outcome') = 'sent'").fetchone()[0]
    assert sent > 0
    # The first hours are morning in the east and night in the west: western recipients' email waits.
    waited = con.execute("SELECT count(DISTINCT rule || target_id) FROM agent_actions "
                         "WHERE policy = 'sending_window'").fetchone()[0]
    assert waited > 0
    statuses = dict(con.execute("SELECT status, count(*) FROM cards GROUP BY 1").fetchall())
    assert statuses.get("open") and (statuses.get("accepted", 0) + statuses.get("done", 0)) > 0
    decided = con.execute("SELECT count(*) FROM warehouse_events WHERE event_type = 'card_decided'").fetchone()[0]
    assert decided > 0
    con.close()
