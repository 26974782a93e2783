"""streams.report: a tiny DuckDB projection file in, one self-contained HTML page out."""
from __future__ import annotations

import re

from revloop.processors.tables import TABLES
from revloop.projections.store import open_store
from revloop.streams.report import write_report

HOUR = 3_600_000
H1 = 1_795_600_800_000            # 2026-11-25 10:00 UTC
H2 = H1 + HOUR


def row(table: str, **values) -> dict:
    """A full row of `table`: every column present, the given ones set."""
    unknown = set(values) - set(TABLES[table].column_names)
    assert not unknown, f"{table} has no column(s) {unknown}"
    return {c: values.get(c) for c in TABLES[table].column_names}


def run(tenant: str, at: int, rate: float) -> dict:
    return row("agent_autonomous_runs", tenant_id=tenant, run_id=f"{tenant}:{at}", tick_id=f"{tenant}:{at}", as_of=at,
               changes={}, metrics={"compliance_rate": rate, "contacts": 8.0}, actions={}, blocks={},
               hints=[f"hint for {tenant}"], failed=False, last_event_id=f"run:{at}", last_event_at=at)


def action(n: int, at: int, decision: str, kind: str = "send_email") -> dict:
    return row("agent_actions", tenant_id="acme", action_id=f"a{n}", tick_id=f"acme:{at}", kind=kind,
               rule="engagement.overdue", target_type="contact", target_id=f"c{n}", decision=decision,
               payload={}, decided_at=at, last_event_id=f"act{n}", last_event_at=at)


def exception(order: str, code: str, status: str) -> dict:
    return row("order_processing_exceptions", tenant_id="acme", order_id=order, code=code, client_id="cl1",
               category="pricing", severity="error", message=code, status=status, opened_at=H1,
               resolved_at=H2 if status == "resolved" else None, last_event_id=f"o-{order}", last_event_at=H1)


def chart(page: str, chart_id: str) -> str:
    m = re.search(rf'<svg id="{chart_id}".*?</svg>', page, re.S)
    assert m, f"no {chart_id} in the page"
    return m.group(0)


def marks(svg: str, tag: str, *keys: str) -> dict:
    """{(data-key values...): data-value} of every `tag` carrying them."""
    out = {}
    for attrs in re.findall(rf"<{tag} ([^>]*)>", svg):
        data = dict(re.findall(r'data-([a-z]+)="([^"]*)"', attrs))
        if "value" in data:
            out[tuple(data[k] for k in keys)] = float(data["value"])
    return out


def test_report_has_three_charts_with_the_numbers(tmp_path):
    db = tmp_path / "p.duckdb"
    store = open_store(f"duckdb:{db}")
    store.ensure_schema()
    store.write_batch({
        "agent_autonomous_runs": [run("acme", H1, 0.5), run("acme", H2, 0.625), run("keystone", H1, 0.9)],
        "agent_actions": [action(1, H1, "approved"), action(2, H1, "approved"), action(3, H1, "approved"),
                          action(4, H1, "deferred"), action(5, H1, "deferred"),
                          action(6, H2, "approved"), action(7, H2, "blocked", kind="research")],
        "order_processing_exceptions": [exception("o1", "PRICING_FEE_OFF_CATALOG", "open"),
                                        exception("o2", "PRICING_FEE_OFF_CATALOG", "open"),
                                        exception("o3", "PRICING_FEE_OFF_CATALOG", "resolved"),
                                        exception("o4", "CREDIT_LIMIT_EXCEEDED", "open")],
    })
    store.close()

    out = write_report(str(db), str(tmp_path / "report.html"))
    page = open(out, encoding="utf-8").read()

    assert marks(chart(page, "chart-compliance"), "circle", "tenant", "hour") == {
        ("acme", "2026-11-25 10:00"): 0.5, ("acme", "2026-11-25 11:00"): 0.625,
        ("keystone", "2026-11-25 10:00"): 0.9}
    assert "62.5%" in chart(page, "chart-compliance")

    assert marks(chart(page, "chart-actions"), "rect", "hour", "series") == {
        ("2026-11-25 10:00", "approved"): 3, ("2026-11-25 10:00", "deferred"): 2,
        ("2026-11-25 11:00", "approved"): 1, ("2026-11-25 11:00", "blocked"): 1}

    exceptions = chart(page, "chart-exceptions")
    assert marks(exceptions, "rect", "code", "series") == {
        ("PRICING_FEE_OFF_CATALOG", "open"): 2, ("PRICING_FEE_OFF_CATALOG", "resolved"): 1,
        ("CREDIT_LIMIT_EXCEEDED", "open"): 1}
    assert exceptions.index("PRICING_FEE_OFF_CATALOG") < exceptions.index("CREDIT_LIMIT_EXCEEDED")   # biggest first

    # The summary tables, and nothing fetched from anywhere.
    assert re.search(r"<td>acme</td><td class=num>50\.0%</td><td class=num>62\.5%</td><td class=num>2</td>", page)
    assert re.search(r"<td>send_email</td><td>approved</td><td class=num>4</td>", page)
    assert "hint for keystone" in page
    assert "<script" not in page and not re.search(r'(src|href)="?(https?:)?//', page)


def test_report_of_an_empty_store_says_so(tmp_path):
    db = tmp_path / "empty.duckdb"
    store = open_store(f"duckdb:{db}")
    store.ensure_schema()
    store.close()
    page = open(write_report(str(db), str(tmp_path / "r.html")), encoding="utf-8").read()
    for chart_id in ("chart-compliance", "chart-actions", "chart-exceptions"):
        assert f'id="{chart_id}"' in page
    assert "no hourly runs yet" in page and "no order exceptions" in page


# ---- the chart defects, fixed -------------------------------------------------------------------

def _store(tmp_path, runs=(), actions=()) -> str:
    db = tmp_path / "c.duckdb"
    store = open_store(f"duckdb:{db}")
    store.ensure_schema()
    store.write_batch({"agent_autonomous_runs": list(runs), "agent_actions": list(actions)})
    store.close()
    return str(db)


def test_point_labels_take_their_series_colour(tmp_path):
    db = _store(tmp_path, [run("acme", H1, 0.5), run("acme", H2, 0.6), run("keystone", H1, 0.9)])
    page = open(write_report(db, str(tmp_path / "r.html"))).read()
    svg = chart(page, "chart-compliance")
    # A stylesheet fill would override the attribute (CSS beats SVG presentation attributes).
    assert "fill" not in re.search(r"\.point-label \{([^}]*)\}", page).group(1)
    strokes = dict(re.findall(r'<g class="series" data-tenant="([^"]+)"><polyline [^>]*stroke="([^"]+)"', svg))
    labels = re.findall(r'<text [^>]*class="point-label" fill="([^"]+)" data-tenant="([^"]+)"', svg)
    assert len(labels) == 3 and len(set(strokes.values())) == 2
    assert all(fill == strokes[tenant] for fill, tenant in labels)


def test_point_labels_stay_clear_of_the_legend_and_the_hour_labels(tmp_path):
    from revloop.console.charts import BOTTOM, H, TOP
    db = _store(tmp_path, [run("acme", H1, 1.0), run("acme", H2, 0.0), run("keystone", H1, 1.0),
                           run("keystone", H2, 0.0)])
    svg = chart(open(write_report(db, str(tmp_path / "r.html"))).read(), "chart-compliance")
    ys = [float(y) for y in re.findall(r'<text x="[^"]+" y="([^"]+)" text-anchor="middle" class="point-label"', svg)]
    assert len(ys) == 4
    legend_baseline, hour_labels = 18, H - BOTTOM + 18
    assert all(TOP + 10 <= y <= H - BOTTOM - 2 for y in ys), ys
    assert all(y - legend_baseline > 12 and hour_labels - y > 12 for y in ys)


def test_the_compliance_axis_fits_the_data(tmp_path):
    db = _store(tmp_path, [run("acme", H1, 0.5), run("acme", H2, 0.625)])
    svg = chart(open(write_report(db, str(tmp_path / "r.html"))).read(), "chart-compliance")
    low, high = (float(v) for v in re.search(r'data-low="([^"]+)" data-high="([^"]+)"', svg).groups())
    assert (low, high) == (0.4, 0.9)                      # the data and the 80 % alert floor, with room
    axis = re.findall(r'class="axis">(\d+)%<', svg)
    assert axis[0] == "40" and axis[-1] == "90" and "0" not in axis and "100" not in axis


def test_a_target_deferred_hour_after_hour_counts_once(tmp_path):
    same_target = [row("agent_actions", tenant_id="acme", action_id=f"d{h}", tick_id=f"acme:{h}", kind="send_email",
                       rule="engagement.overdue", target_type="contact", target_id="c9", decision="deferred",
                       payload={}, decided_at=H1 + h * HOUR, last_event_id=f"d{h}", last_event_at=H1)
                   for h in range(3)]
    db = _store(tmp_path, [run("acme", H1, 0.5)], same_target + [action(1, H2, "approved")])
    page = open(write_report(db, str(tmp_path / "r.html"))).read()
    assert marks(chart(page, "chart-actions"), "rect", "hour", "series") == {
        ("2026-11-25 10:00", "deferred"): 1, ("2026-11-25 11:00", "approved"): 1}
    assert re.search(r"<td>send_email</td><td>deferred</td><td class=num>1</td>", page)
