"""The static report: one self-contained HTML page of the projections, from any store.

    write_report("duckdb:out/revloop.duckdb", "out/report.html")            # every tenant
    write_report("postgresql://...", "out/acme.html", tenant="acme")

`revloop report --store URL [--tenant T] [--out FILE]` calls it; `revloop demo` writes one at
the end. No scripts, no fonts or stylesheets fetched: three inline SVG charts (engagement
compliance per tenant by hour, actions per hour by decision, order exceptions by code) and
the summary tables. A deferred action is re-proposed every hour until the caps let it
through: it counts once, in the hour it was first deferred, not once per hour.
"""
from __future__ import annotations

import datetime as dt
import os

from revloop.console.charts import CHART_CSS, actions_chart, compliance_chart, esc, exceptions_chart
from revloop.projections.reader import ProjectionReader, open_reader

PAGE_CSS = """
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
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 18px 28px; }
section.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef0f2; }
th { color: #616e7c; font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.hints { margin: 4px 0 0 18px; padding: 0; }
"""


def _hour(ts: dt.datetime) -> str:
    return ts.strftime("%Y-%m-%d %H:%M")


def table_html(title: str, columns: tuple[str, ...], rows: list[tuple], numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{esc(c)}</th>' for i, c in enumerate(columns))
    if rows:
        body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{esc(v)}</td>'
                                        for i, v in enumerate(r)) + "</tr>" for r in rows)
    else:
        body = f'<tr><td colspan="{len(columns)}" class="muted">none</td></tr>'
    return f"<section class=table><h3>{esc(title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>"


def _scope(tenant: str | None) -> tuple[str, list]:
    return ("WHERE tenant_id = ?", [tenant]) if tenant else ("", [])


def collect(r: ProjectionReader, tenant: str | None = None) -> dict:
    """Everything the page shows (every tenant, or one)."""
    where, params = _scope(tenant)
    and_ = "AND" if where else "WHERE"

    def q(sql: str) -> list[tuple]:
        # The store URL's own login reads (the owner; or a tenant reader's URL, which RLS scopes).
        return [tuple(row.values()) for row in r.fetch(None, sql.format(where=where, and_=and_),
                                                       params * sql.count("{where}"))]

    runs = q("SELECT tenant_id, as_of, metrics->>'compliance_rate' AS rate, hints, failed "
             "FROM agent_autonomous_runs {where} ORDER BY tenant_id, as_of")
    compliance = [(t, as_of, float(rate)) for t, as_of, rate, _, _ in runs if rate is not None]
    latest = {t: (as_of, hints or [], failed) for t, as_of, _, hints, failed in runs}
    summary = []
    for t in sorted({t for t, _, _ in compliance}):
        pts = [v for s, _, v in compliance if s == t]
        summary.append((t, f"{pts[0]:.1%}", f"{pts[-1]:.1%}", len(pts)))
    # Each deferred target once, at its first deferral; approvals and blocks as decided.
    actions = q("""
        SELECT hour, decision, count(*) AS n FROM (
            SELECT date_trunc('hour', decided_at) AS hour, decision FROM agent_actions
                {where} {and_} decision <> 'deferred'
            UNION ALL
            SELECT date_trunc('hour', min(decided_at)) AS hour, 'deferred' AS decision FROM agent_actions
                {where} {and_} decision = 'deferred' GROUP BY tenant_id, kind, rule, target_type, target_id
        ) AS a GROUP BY hour, decision ORDER BY hour, decision""")
    by_kind = q("""
        SELECT kind, decision, count(*) AS n FROM (
            SELECT kind, decision FROM agent_actions {where} {and_} decision <> 'deferred'
            UNION ALL
            SELECT kind, 'deferred' AS decision FROM agent_actions {where} {and_} decision = 'deferred'
                GROUP BY tenant_id, kind, rule, target_type, target_id
        ) AS a GROUP BY kind, decision ORDER BY n DESC, kind, decision""")
    kpis = q("SELECT (SELECT count(DISTINCT tenant_id) FROM contacts {where}) AS tenants, "
             "(SELECT count(*) FROM contacts {where}) AS contacts, (SELECT count(*) FROM orders {where}) AS orders, "
             "(SELECT count(*) FROM agent_autonomous_runs {where}) AS runs, "
             "(SELECT count(*) FROM agent_actions {where}) AS actions, "
             "(SELECT count(*) FROM warehouse_events {where}) AS events")
    return {
        "compliance": compliance,
        "actions": actions,
        "exceptions": q("SELECT code, status, count(*) AS n FROM order_processing_exceptions {where} "
                        "GROUP BY code, status ORDER BY code, status"),
        "compliance_table": summary,
        "exceptions_table": q("SELECT code, status, count(*) AS n FROM order_processing_exceptions {where} "
                              "GROUP BY code, status ORDER BY n DESC, code, status"),
        "actions_table": by_kind,
        "policies_table": q("SELECT policy, count(*) AS n FROM agent_policy_violations {where} "
                            "GROUP BY policy ORDER BY n DESC, policy"),
        "alerts_table": q("SELECT kind, severity, count(*) AS n FROM agent_alerts {where} "
                          "GROUP BY kind, severity ORDER BY n DESC, kind, severity"),
        "latest": latest,
        "kpis": kpis[0],
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
<title>revloop report</title><style>{PAGE_CSS}{CHART_CSS}</style></head>
<body><main>
<h1>revloop report</h1>
<p class="sub">From <code>{esc(source)}</code>, generated {generated}.</p>
<div class="kpis">{kpis}</div>
<div class="card"><h2>Engagement compliance by hour</h2>
<p class="note">Share of each tenant's contacts touched within the last 21 days, from every hourly run
(<code>agent_autonomous_runs.metrics.compliance_rate</code>). Below the dashed line the run raises an alert.</p>
{compliance_chart(data["compliance"])}</div>
<div class="card"><h2>Actions per hour by decision</h2>
<p class="note">What the policy gate decided each hour (<code>agent_actions</code>, every tenant): approved
actions go out, deferred ones wait for next hour's caps (each target counted once, in the hour it was first deferred),
blocked ones broke a policy.</p>
{actions_chart(data["actions"])}</div>
<div class="card"><h2>Order exceptions by code</h2>
<p class="note">Every exception ever raised on an order (<code>order_processing_exceptions</code>), open or resolved.</p>
{exceptions_chart(data["exceptions"])}</div>
<div class="card"><h2>Summary</h2><div class="tables">{tables}</div></div>
<div class="card"><h2>Hints from the latest run</h2>{hints or '<p class=muted>no runs yet</p>'}</div>
</main></body></html>
"""


def write_report(store_url: str, html_path: str, *, tenant: str | None = None) -> str:
    """Read the projections at store_url (every tenant, or one), write the page; return html_path."""
    with open_reader(store_url) as r:
        data = collect(r, tenant)
    os.makedirs(os.path.dirname(os.path.abspath(html_path)), exist_ok=True)
    tmp = html_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(render(data, store_url if tenant is None else f"{store_url} (tenant {tenant})"))
    os.replace(tmp, html_path)
    return html_path
