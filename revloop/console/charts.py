"""Charts as inline SVG, for the console's pages and the static report: no script, no font or
stylesheet fetched, so a page works with no network.

Every plotted value is also in the SVG as a <title> tooltip and data-* attributes, so the
numbers can be read (and tested) without looking at pixels.
"""
from __future__ import annotations

import datetime as dt
import html

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

def compliance_axis(values: list[float], floor: float = COMPLIANCE_FLOOR) -> tuple[float, float, float]:
    """(low, high, gridline step) of the y axis, as fractions: fitted to the data and the alert
    floor with a margin, on round 5 % / 10 % / 20 % steps, never outside 0..100 %."""
    lo, hi = min(values + [floor]), max(values + [floor])
    span = max(hi - lo, 0.10)
    step = 0.05 if span <= 0.25 else 0.10 if span <= 0.5 else 0.20
    low = max(0.0, (int((lo - step * 0.5) / step + 1e-9) if lo - step * 0.5 > 0 else 0) * step)
    high = min(1.0, -(-int(round((hi + step * 0.5) * 1000)) // int(round(step * 1000))) * step)
    return round(low, 4), round(high, 4), step


def compliance_chart(rows: list[tuple[str, dt.datetime, float]]) -> str:
    """rows: (series, hour, compliance rate 0..1). One line per series (tenant), y fitted to the data."""
    chart_id, title = "chart-compliance", "Engagement compliance by hour"
    if not rows:
        return _empty(chart_id, title, "no hourly runs yet: drive a tick (revloop tick) and look again")
    hours = sorted({h for _, h, _ in rows})
    labels = _short_hours(hours)
    tenants = sorted({t for t, _, _ in rows})
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    step = pw / max(len(hours) - 1, 1)
    low, high, grid = compliance_axis([v for _, _, v in rows])

    def x(i):
        return LEFT + (i * step if len(hours) > 1 else pw / 2)

    def y(v):
        return TOP + ph * (1 - (v - low) / (high - low))

    parts = [f'<svg id="{chart_id}" class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{esc(title)}" '
             f'data-low="{low:g}" data-high="{high:g}">']
    k = 0
    while low + k * grid <= high + 1e-9:
        v = low + k * grid
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'class="grid"/><text x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end" '
                     f'class="axis">{v * 100:.0f}%</text>')
        k += 1
    if low <= COMPLIANCE_FLOOR <= high:
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(COMPLIANCE_FLOOR):.1f}" '
                     f'y2="{y(COMPLIANCE_FLOOR):.1f}" class="floor"/><text x="{W - RIGHT}" '
                     f'y="{y(COMPLIANCE_FLOOR) - 5:.1f}" text-anchor="end" class="floor-label">'
                     f'alert floor {COMPLIANCE_FLOOR:.0%}</text>')
    every = max(1, -(-len(hours) // 12))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(hours) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{H - BOTTOM + 18}" text-anchor="middle" class="axis">'
                         f'{esc(label)}</text>')
    parts.append(f'<text x="{LEFT + pw / 2}" y="{H - 10}" text-anchor="middle" class="axis-title">'
                 f'hour (UTC)</text>')
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
                parts.append(f'<text x="{x(i):.1f}" y="{point_label_y(y(v), n):.1f}" text-anchor="middle" '
                             f'class="point-label" fill="{colour}" data-tenant="{esc(tenant)}">{v:.1%}</text>')
        parts.append("</g>")
    parts.append(_legend([(t, PALETTE[n % len(PALETTE)]) for n, t in enumerate(tenants)]))
    parts.append("</svg>")
    return "".join(parts)


def point_label_y(py: float, series_no: int) -> float:
    """A point label's baseline: above the point for even series, below for odd ones (two close
    lines stay readable), flipped where it would leave the plot: into the legend above it or
    onto the hour labels below it."""
    above, below = py - 9, py + 17
    top_room, bottom_room = TOP + 11, H - BOTTOM - 2
    want = above if series_no % 2 == 0 else below
    if want < top_room:
        want = below
    if want > bottom_room:
        want = above
    return want


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


CHART_CSS = """
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-family: inherit; } .axis { font-size: 12px; fill: #616e7c; } .axis-title { font-size: 12px; fill: #9aa5b1; }
.legend { font-size: 12px; fill: #3e4c59; } .point { font-size: 11px; font-weight: 600; fill: #3e4c59; }
.point-label { font-size: 11px; font-weight: 600; }
.code { font-size: 12px; fill: #3e4c59; font-family: ui-monospace, Menlo, Consolas, monospace; }
.grid { stroke: #e4e7eb; stroke-width: 1; } .floor { stroke: #c62828; stroke-dasharray: 6 4; stroke-width: 1.2; }
.floor-label { font-size: 11px; fill: #c62828; }
"""
