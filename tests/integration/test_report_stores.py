"""`revloop report --store URL [--tenant T]`: the same page from DuckDB and from Postgres."""
from __future__ import annotations

import re
import uuid

import pytest

from revloop.projections.store import open_store
from tests.support.broker import run_cli
from tests.support.projections import pg_url
from tests.unit.test_report import H1, H2, action, chart, marks, run

pytestmark = pytest.mark.integration


def _rows(tenant: str, other: str) -> dict:
    acts = [dict(action(i, H1, d), tenant_id=tenant, action_id=f"{tenant}-{i}")
            for i, d in enumerate(("approved", "approved", "deferred"))]
    return {"agent_autonomous_runs": [run(tenant, H1, 0.5), run(tenant, H2, 0.625), run(other, H1, 0.9)],
            "agent_actions": acts}


def test_the_report_reads_duckdb_and_postgres_alike_one_tenant_or_all(kafka, tmp_path):
    tenant, other = f"rep-{uuid.uuid4().hex[:8]}", f"oth-{uuid.uuid4().hex[:8]}"
    duck = f"duckdb:{tmp_path / 'r.duckdb'}"
    for url in (duck, pg_url()):
        with open_store(url) as store:
            store.ensure_schema()
            store.write_batch(_rows(tenant, other))
    pages = {}
    for name, url in (("duckdb", duck), ("postgres", pg_url())):
        out = tmp_path / f"{name}.html"
        proc = run_cli(kafka, "report", "--store", url, "--tenant", tenant, "--out", str(out), check=True)
        assert proc.stdout.strip() == str(out)
        pages[name] = out.read_text()
    for page in pages.values():
        points = marks(chart(page, "chart-compliance"), "circle", "tenant", "hour")
        assert points == {(tenant, "2026-11-25 10:00"): 0.5, (tenant, "2026-11-25 11:00"): 0.625}
        assert marks(chart(page, "chart-actions"), "rect", "hour", "series") == {
            ("2026-11-25 10:00", "approved"): 2, ("2026-11-25 10:00", "deferred"): 1}
        assert other not in page
    strip = lambda p: re.sub(r"From <code>.*?</code>, generated [^.]*\.", "", p)  # noqa: E731
    assert strip(pages["duckdb"]) == strip(pages["postgres"])
    every = tmp_path / "all.html"
    run_cli(kafka, "report", "--store", duck, "--out", str(every), check=True)
    assert other in every.read_text()
    bad = run_cli(kafka, "report", "--store", "mysql://nope", "--out", str(every))
    assert bad.returncode == 2 and "unsupported store url" in bad.stderr
