"""A self-contained HTML report of a DuckDB projection file (what `revloop demo` leaves behind).

    write_report("out/revloop.duckdb", "out/report.html")

One file, no scripts, no fonts or stylesheets fetched: three inline SVG charts
(engagement compliance per tenant over the simulated hours, actions per hour by
decision, order exceptions by code) and the summary tables `revloop demo` prints.
Every plotted value is also in the SVG as a <title> tooltip and data-* attributes, so
the numbers can be read (and tested) without looking at pixels.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os

COMPLIANCE_FLOOR = 0.80          # the alert threshold (processors.cycle.COMPLIANCE_FLOOR), drawn as a rule
DECISION_COLOURS = {"approved": "#2e7d32", "deferred": "#f2a900", "blocked": "#c62828"}
STATUS_COLOURS = {"open": "#c62828", "resolved": "#90a4ae"}
PALETTE = ["#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e", "#283593"]
OTHER = "#78909c"

W, H = 920, 320                  # chart canvas (the SVGs scale to the page width)
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 40, 56


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def _hour(ts: dt.datetime) -> str:
    return ts.strftime("%Y-%m-%d %H:%M")


def _short_hours(hours: list[dt.datetime]) -> list[str]:
    one_day = len({h.date() for h in hours}) <= 1
    return [h.strftime("%H:%M") if one_day else h.strftime("%d %b %H:%M") for h in hours]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 6, 8, 10):     # each divides into 4 round gridlines
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _empty(chart_id: str, title: str, message: str) -> str:
    return (f'<svg id="{chart_id}" class="chart" viewBox="0 0 {W} 120" role="img" aria-label="{esc(title)}">'
            f'<text x="{W / 2}" y="64" text-anchor="middle" class="muted">{esc(message)}</text></svg>')


def _legend(items: list[tuple[str, str]], y: float = 18) -> str:
    out, x = [], LEFT
    for label, colour in items:
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" rx="2" fill="{colour}"/>'
                   f'<text x="{x + 17}" y="{y}" class="legend">{esc(label)}</text>')
        x += 30 + 7.2 * len(label)
    return "".join(out)


# ---- the three charts ----------------------------------------------------------------------------

def compliance_chart(rows: list[tuple[str, dt.datetime, float]]) -> str:
    """rows: (tenant, hour, compliance rate 0..1). One line per tenant, y from 0 to 100 %."""
    chart_id, title = "chart-compliance", "Engagement compliance by simulated hour"
    if not rows:
        return _empty(chart_id, title, "no hourly runs yet: drive a tick (revloop tick) and look again")
    hours = sorted({h for _, h, _ in rows})
    labels = _short_hours(hours)
    tenants = sorted({t for t, _, _ in rows})
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    step = pw / max(len(hours) - 1, 1)

    def x(i):
        return LEFT + (i * step if len(hours) > 1 else pw / 2)

    def y(v):
        return TOP + ph * (1 - v)

    parts = [f'<svg id="{chart_id}" class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{esc(title)}">']
    for pct in (0, 20, 40, 60, 80, 100):
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(pct / 100):.1f}" y2="{y(pct / 100):.1f}" '
                     f'class="grid"/><text x="{LEFT - 8}" y="{y(pct / 100) + 4:.1f}" text-anchor="end" '
                     f'class="axis">{pct}%</text>')
    parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(COMPLIANCE_FLOOR):.1f}" y2="{y(COMPLIANCE_FLOOR):.1f}" '
                 f'class="floor"/><text x="{W - RIGHT}" y="{y(COMPLIANCE_FLOOR) - 5:.1f}" text-anchor="end" '
                 f'class="floor-label">alert floor {COMPLIANCE_FLOOR:.0%}</text>')
    every = max(1, -(-len(hours) // 12))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(hours) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle" class="axis">'
                         f'{esc(label)}</text>')
    parts.append(f'<text x="{LEFT + pw / 2}" y="{H - 10}" text-anchor="middle" class="axis-title">'
                 f'simulated hour (UTC)</text>')
    index = {h: i for i, h in enumerate(hours)}
    label_points = len(hours) <= 24
    for n, tenant in enumerate(tenants):
        colour = PALETTE[n % len(PALETTE)]
        points = sorted((index[h], v) for t, h, v in rows if t == tenant)
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
        parts.append(f'<g class="series" data-tenant="{esc(tenant)}">'
                     f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, v in points:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}" data-tenant="{esc(tenant)}" '
                         f'data-hour="{_hour(hours[i])}" data-value="{v:.4f}"><title>{esc(tenant)} at '
                         f'{_hour(hours[i])}: {v:.1%}</title></circle>')
            if label_points:
                # Alternate label sides per tenant so two close lines stay readable.
                dy = -9 if n % 2 == 0 else 17
                parts.append(f'<text x="{x(i):.1f}" y="{y(v) + dy:.1f}" text-anchor="middle" class="point" '
                             f'fill="{colour}">{v:.1%}</text>')
        parts.append("</g>")
    parts.append(_legend([(t, PALETTE[n % len(PALETTE)]) for n, t in enumerate(tenants)]))
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(chart_id: str, title: str, categories: list[str], keys: list[str],
                 series: list[tuple[str, str, list[int]]], x_title: str, data_key: str) -> str:
    """Vertical stacked bars: categories (axis labels) along x, keys (data-* values) one per category,
    series = (name, colour, value per category)."""
    if not categories:
        return _empty(chart_id, title, "nothing to show yet")
    totals = [sum(vals[i] for _, _, vals in series) for i in range(len(categories))]
    top = _nice_max(max(4, max(totals)))            # counts: at least 4, so gridlines stay whole
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    slot = pw / len(categories)
    bw = min(64.0, slot * 0.7)

    def y(v):
        return TOP + ph * (1 - v / top)

    parts = [f'<svg id="{chart_id}" class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{esc(title)}">']
    for k in range(5):
        v = top * k / 4
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
                     f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end" class="axis">{v:g}</text>')
    every = max(1, -(-len(categories) // 12))
    for i, cat in enumerate(categories):
        cx = LEFT + slot * (i + 0.5)
        base = 0
        for name, colour, vals in series:
            v = vals[i]
            if v:
                parts.append(f'<rect x="{cx - bw / 2:.1f}" y="{y(base + v):.1f}" width="{bw:.1f}" '
                             f'height="{y(base) - y(base + v):.1f}" fill="{colour}" data-{data_key}="{esc(keys[i])}" '
                             f'data-series="{esc(name)}" data-value="{v}"><title>{esc(keys[i])} {esc(name)}: {v}'
                             f'</title></rect>')
            base += v
        parts.append(f'<text x="{cx:.1f}" y="{y(base) - 5:.1f}" text-anchor="middle" class="point">'
                     f'{totals[i]}</text>')
        if i % every == 0 or i == len(categories) - 1:
            parts.append(f'<text x="{cx:.1f}" y="{H - BOTTOM + 18}" text-anchor="middle" class="axis">'
                         f'{esc(cat)}</text>')
    parts.append(f'<text x="{LEFT + pw / 2}" y="{H - 10}" text-anchor="middle" class="axis-title">'
                 f'{esc(x_title)}</text>')
    parts.append(_legend([(name, colour) for name, colour, _ in series]))
    parts.append("</svg>")
    return "".join(parts)


def actions_chart(rows: list[tuple[dt.datetime, str, int]]) -> str:
    """rows: (hour, decision, count) over every tenant."""
    hours = sorted({h for h, _, _ in rows})
    order = [d for d in DECISION_COLOURS if any(r[1] == d for r in rows)]
    order += sorted({d for _, d, _ in rows} - set(order))
    counts = {(h, d): n for h, d, n in rows}
    series = [(d, DECISION_COLOURS.get(d, OTHER), [counts.get((h, d), 0) for h in hours]) for d in order]
    return stacked_bars("chart-actions", "Actions per hour by decision", _short_hours(hours),
                        [_hour(h) for h in hours], series, "simulated hour (UTC), every tenant", "hour")


def exceptions_chart(rows: list[tuple[str, str, int]]) -> str:
    """rows: (code, status, count). Horizontal bars, open and resolved stacked, biggest first."""
    chart_id, title = "chart-exceptions", "Order exceptions by code"
    if not rows:
        return _empty(chart_id, title, "no order exceptions")
    by_code: dict[str, dict[str, int]] = {}
    for code, status, n in rows:
        by_code.setdefault(code, {})[status] = by_code.get(code, {}).get(status, 0) + n
    codes = sorted(by_code, key=lambda c: (-sum(by_code[c].values()), c))
    statuses = [s for s in STATUS_COLOURS if any(s in v for v in by_code.values())]
    statuses += sorted({s for v in by_code.values() for s in v} - set(statuses))
    left, bar_h, gap = 250, 22, 10
    height = TOP + len(codes) * (bar_h + gap) + 30
    top = _nice_max(max(4, max(sum(v.values()) for v in by_code.values())))
    pw = W - left - RIGHT - 40

    def x(v):
        return left + pw * v / top

    parts = [f'<svg id="{chart_id}" class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{esc(title)}">']
    for k in range(5):
        v = top * k / 4
        parts.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{TOP - 6}" y2="{height - 24}" class="grid"/>'
                     f'<text x="{x(v):.1f}" y="{height - 8}" text-anchor="middle" class="axis">{v:g}</text>')
    for i, code in enumerate(codes):
        yy = TOP + i * (bar_h + gap)
        parts.append(f'<text x="{left - 10}" y="{yy + bar_h * 0.7:.1f}" text-anchor="end" class="code">'
                     f'{esc(code)}</text>')
        base = 0
        for status in statuses:
            v = by_code[code].get(status, 0)
            if v:
                parts.append(f'<rect x="{x(base):.1f}" y="{yy}" width="{x(base + v) - x(base):.1f}" height="{bar_h}" '
                             f'fill="{STATUS_COLOURS.get(status, OTHER)}" data-code="{esc(code)}" '
                             f'data-series="{esc(status)}" data-value="{v}"><title>{esc(code)} {esc(status)}: {v}'
                             f'</title></rect>')
            base += v
        parts.append(f'<text x="{x(base) + 6:.1f}" y="{yy + bar_h * 0.7:.1f}" class="point">{base}</text>')
    parts.append(_legend([(s, STATUS_COLOURS.get(s, OTHER)) for s in statuses]))
    parts.append("</svg>")
    return "".join(parts)


# ---- tables and the page -------------------------------------------------------------------------

def table_html(title: str, columns: tuple[str, ...], rows: list[tuple], numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{esc(c)}</th>' for i, c in enumerate(columns))
    if rows:
        body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{esc(v)}</td>'
                                        for i, v in enumerate(r)) + "</tr>" for r in rows)
    else:
        body = f'<tr><td colspan="{len(columns)}" class="muted">none</td></tr>'
    return f"<section class=table><h3>{esc(title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>"


CSS = """
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2933;
       margin: 0; background: #f5f7fa; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 0 0 2px; } h3 { font-size: 15px; margin: 0 0 6px; }
.sub, .muted { color: #616e7c; } .sub { margin: 0 0 20px; }
.card { background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; padding: 16px 18px; margin: 0 0 18px; }
.card p.note { margin: 2px 0 8px; color: #616e7c; font-size: 13px; }
.kpis { display: flex; gap: 12px; flex-wrap: wrap; margin: 0 0 18px; }
.kpi { background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.kpi b { display: block; font-size: 22px; } .kpi span { color: #616e7c; font-size: 12px; }
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-family: inherit; } .axis { font-size: 12px; fill: #616e7c; } .axis-title { font-size: 12px; fill: #9aa5b1; }
.legend { font-size: 12px; fill: #3e4c59; } .point { font-size: 11px; font-weight: 600; fill: #3e4c59; }
.code { font-size: 12px; fill: #3e4c59; font-family: ui-monospace, Menlo, Consolas, monospace; }
.grid { stroke: #e4e7eb; stroke-width: 1; } .floor { stroke: #c62828; stroke-dasharray: 6 4; stroke-width: 1.2; }
.floor-label { font-size: 11px; fill: #c62828; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 18px 28px; }
section.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef0f2; }
th { color: #616e7c; font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.hints { margin: 4px 0 0 18px; padding: 0; }
"""


def _rate(metrics) -> float | None:
    data = json.loads(metrics) if isinstance(metrics, str) else (metrics or {})
    value = data.get("compliance_rate")
    return None if value is None else float(value)


def collect(con) -> dict:
    """Everything the page shows, read from an open DuckDB connection."""
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    runs = q("SELECT tenant_id, as_of, metrics, hints, failed FROM agent_autonomous_runs ORDER BY tenant_id, as_of")
    compliance = [(t, as_of, r) for t, as_of, m, _, _ in runs if (r := _rate(m)) is not None]
    latest: dict[str, tuple] = {}
    for t, as_of, _, hints, failed in runs:
        latest[t] = (as_of, json.loads(hints) if isinstance(hints, str) else (hints or []), failed)
    summary = []
    for tenant in sorted({t for t, _, _ in compliance}):
        pts = [(h, v) for t, h, v in compliance if t == tenant]
        summary.append((tenant, f"{pts[0][1]:.1%}", f"{pts[-1][1]:.1%}", len(pts)))
    return {
        "compliance": compliance,
        "actions": q("SELECT date_trunc('hour', decided_at) AS hour, decision, count(*) FROM agent_actions "
                     "GROUP BY ALL ORDER BY 1, 2"),
        "exceptions": q("SELECT code, status, count(*) FROM order_processing_exceptions GROUP BY ALL ORDER BY 1, 2"),
        "compliance_table": summary,
        "exceptions_table": q("SELECT code, status, count(*) FROM order_processing_exceptions "
                              "GROUP BY ALL ORDER BY 3 DESC, 1, 2"),
        "actions_table": q("SELECT kind, decision, count(*) FROM agent_actions GROUP BY ALL ORDER BY 3 DESC, 1, 2"),
        "policies_table": q("SELECT policy, count(*) FROM agent_policy_violations GROUP BY 1 ORDER BY 2 DESC, 1"),
        "alerts_table": q("SELECT kind, severity, count(*) FROM agent_alerts GROUP BY ALL ORDER BY 3 DESC, 1, 2"),
        "latest": latest,
        "kpis": q("SELECT (SELECT count(DISTINCT tenant_id) FROM contacts), (SELECT count(*) FROM contacts), "
                  "(SELECT count(*) FROM orders), (SELECT count(*) FROM agent_autonomous_runs), "
                  "(SELECT count(*) FROM agent_actions), (SELECT count(*) FROM warehouse_events)")[0],
    }


def render(data: dict, source: str) -> str:
    tenants, contacts, orders, runs, actions, events = data["kpis"]
    kpis = "".join(f'<div class="kpi"><b>{v:,}</b><span>{esc(k)}</span></div>' for k, v in (
        ("tenants", tenants), ("contacts", contacts), ("orders", orders), ("hourly runs", runs),
        ("actions decided", actions), ("events warehoused", events)))
    hints = "".join(
        f"<h3>{esc(t)} <span class=muted>(run at {_hour(as_of)}{', failed' if failed else ''})</span></h3>"
        + ("<ul class=hints>" + "".join(f"<li>{esc(h)}</li>" for h in hs) + "</ul>" if hs
           else "<p class=muted>no hints</p>")
        for t, (as_of, hs, failed) in sorted(data["latest"].items()))
    tables = "".join([
        table_html("Engagement compliance", ("tenant", "first hour", "last hour", "runs"),
                   data["compliance_table"], (1, 2, 3)),
        table_html("Order exceptions by code", ("code", "status", "count"), data["exceptions_table"], (2,)),
        table_html("Actions by kind and decision", ("kind", "decision", "count"), data["actions_table"], (2,)),
        table_html("Policies that blocked most", ("policy", "count"), data["policies_table"], (1,)),
        table_html("Alerts raised", ("kind", "severity", "count"), data["alerts_table"], (2,)),
    ])
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>revloop report</title><style>{CSS}</style></head>
<body><main>
<h1>revloop report</h1>
<p class="sub">From <code>{esc(source)}</code>, generated {generated}.</p>
<div class="kpis">{kpis}</div>
<div class="card"><h2>Engagement compliance by simulated hour</h2>
<p class="note">Share of each tenant's contacts touched within the last 21 days, from every hourly run
(<code>agent_autonomous_runs.metrics.compliance_rate</code>). Below the dashed line the run raises an alert.</p>
{compliance_chart(data["compliance"])}</div>
<div class="card"><h2>Actions per hour by decision</h2>
<p class="note">What the policy gate decided each hour (<code>agent_actions</code>, every tenant): approved
actions go out, deferred ones wait for next hour's caps, blocked ones broke a policy.</p>
{actions_chart(data["actions"])}</div>
<div class="card"><h2>Order exceptions by code</h2>
<p class="note">Every exception ever raised on an order (<code>order_processing_exceptions</code>), open or resolved.</p>
{exceptions_chart(data["exceptions"])}</div>
<div class="card"><h2>Summary</h2><div class="tables">{tables}</div></div>
<div class="card"><h2>Hints from the latest run</h2>{hints or '<p class=muted>no runs yet</p>'}</div>
</main></body></html>
"""


def write_report(duckdb_path: str, html_path: str) -> str:
    """Read the projections in duckdb_path, write the report to html_path; return html_path."""
    import duckdb

    con = duckdb.connect(duckdb_path, read_only=True)
    try:
        data = collect(con)
    finally:
        con.close()
    os.makedirs(os.path.dirname(os.path.abspath(html_path)), exist_ok=True)
    tmp = html_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(render(data, duckdb_path))
    os.replace(tmp, html_path)
    return html_path
