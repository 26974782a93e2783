"""What each page shows: plain functions over a read-only projection reader, one per page.

Every query names its tenant twice: as the session scope (Postgres row-level security) and in
its WHERE clause (DuckDB has no RLS). Each function returns plain data for a template; the
work stays in the database (LIMIT, ORDER BY, aggregates), so a page costs the same over
1,000 contacts as over 100,000.
"""
from __future__ import annotations

import datetime as dt

from revloop.processors import bids as bid_rules
from revloop.processors import deals as deal_rules
from revloop.processors import feedback as feedback_rules
from revloop.processors import vendor_compliance as vc_rules
from revloop.processors.controls import GLOBAL, effective_controls
from revloop.projections.ddl import SEARCH_FUNCTION
from revloop.projections.reader import NoReader, ProjectionReader
from revloop.projections.views import standing_aside_ids

UTC = dt.timezone.utc
DAY = dt.timedelta(days=1)
PAGE = 50


def now_utc() -> dt.datetime:
    return dt.datetime.now(UTC)


# ---- as of ----------------------------------------------------------------------------------

def last_run(r: ProjectionReader, t: str) -> dict | None:
    return r.one(t, "SELECT run_id, tick_id, as_of, changes, metrics, actions, blocks, hints, failed "
                    "FROM agent_autonomous_runs WHERE tenant_id = ? ORDER BY as_of DESC LIMIT 1", (t,))


def last_applied_at(r: ProjectionReader, t: str) -> dt.datetime | None:
    """Business time of the newest event the worker applied for the tenant. Postgres: the
    newest per topic, each answered from the (tenant, topic, occurred_at) index instead of a
    scan; DuckDB: one columnar scan, cheaper than one per topic."""
    from revloop.streams.topics import TOPICS

    if r.dialect == "duckdb":
        row = r.one(t, "SELECT max(occurred_at) AS newest FROM warehouse_events WHERE tenant_id = ?", (t,))
        return row["newest"] if row else None
    names = [spec.name for spec in TOPICS]
    union = " UNION ALL ".join("SELECT max(occurred_at) AS newest FROM warehouse_events WHERE tenant_id = ? AND topic = ?"
                               for _ in names)
    row = r.one(t, f"SELECT max(newest) AS newest FROM ({union}) AS per_topic", [v for n in names for v in (t, n)])
    return row["newest"] if row else None


def data_as_of(r: ProjectionReader, t: str, *, with_last_event: bool = False) -> dict:
    """The tenant's last hourly run (and, for the overview, the newest applied event)."""
    run = last_run(r, t)
    return {"last_event_at": last_applied_at(r, t) if with_last_event else None,
            "last_run_at": run["as_of"] if run else None, "last_run": run}


def business_now(as_of: dict) -> dt.datetime:
    """The time pages measure "overdue" and "age" against: the last run's hour (business
    time, which is what the agent acted on), or the wall clock before the first run."""
    return as_of["last_run_at"] or now_utc()


# ---- overview -------------------------------------------------------------------------------

def compliance_series(r: ProjectionReader, t: str, until: dt.datetime | None, days: int = 7) -> list[tuple]:
    """(hour, compliance rate) of every run in the `days` days up to the last run."""
    if until is None:
        return []
    rows = r.fetch(t, "SELECT as_of, metrics->>'compliance_rate' AS rate FROM agent_autonomous_runs "
                      "WHERE tenant_id = ? AND as_of > ? ORDER BY as_of", (t, until - days * DAY))
    return [(row["as_of"], float(row["rate"])) for row in rows if row["rate"] is not None]


def overview(r: ProjectionReader, t: str) -> dict:
    as_of = data_as_of(r, t, with_last_event=True)
    run = as_of["last_run"]
    at = as_of["last_run_at"]
    alerts = r.fetch(t, "SELECT kind, severity, message, value, threshold, raised_at FROM agent_alerts "
                        "WHERE tenant_id = ? AND raised_at = ? ORDER BY severity, kind", (t, at)) if at else []
    decisions = r.fetch(t, "SELECT kind, decision, count(*) AS n FROM agent_actions WHERE tenant_id = ? "
                           "AND decided_at = ? GROUP BY kind, decision ORDER BY kind, decision", (t, at)) if at else []
    by_decision: dict[str, int] = {}
    for d in decisions:
        by_decision[d["decision"]] = by_decision.get(d["decision"], 0) + d["n"]
    since = business_now(as_of) - DAY
    outcomes = r.fetch(t, "SELECT payload->>'outcome' AS outcome, count(*) AS n, max(occurred_at) AS last_at "
                          "FROM warehouse_events WHERE tenant_id = ? AND topic = 'email.outcomes' AND occurred_at > ? "
                          "GROUP BY payload->>'outcome' ORDER BY 1", (t, since))
    return {
        "as_of": as_of,
        "compliance": compliance_series(r, t, at),
        "metrics": (run or {}).get("metrics") or {},
        "hints": (run or {}).get("hints") or [],
        "alerts": alerts,
        "decisions": decisions,
        "by_decision": by_decision,
        "outcomes": outcomes,
    }


# ---- backlog --------------------------------------------------------------------------------

def backlog(r: ProjectionReader, t: str) -> dict:
    """Deferred work: one row per target whose latest decision is a deferral (re-proposed each
    hour until the caps let it through), with its first deferral; blocks grouped by policy."""
    deferred = r.fetch(t, """
        SELECT kind, rule, target_type, target_id, max(recipient) AS recipient, max(reason) AS reason,
               min(decided_at) FILTER (WHERE decision = 'deferred') AS first_deferred_at,
               count(*) FILTER (WHERE decision = 'deferred') AS times_deferred,
               max(policy_reason) FILTER (WHERE decision = 'deferred') AS policy_reason
        FROM agent_actions WHERE tenant_id = ?
        GROUP BY kind, rule, target_type, target_id
        HAVING max(decided_at) FILTER (WHERE decision = 'deferred') = max(decided_at)
        ORDER BY first_deferred_at, kind, target_id LIMIT 200""", (t,))
    total = r.one(t, """
        SELECT count(*) AS n FROM (SELECT 1 FROM agent_actions WHERE tenant_id = ?
            GROUP BY kind, rule, target_type, target_id
            HAVING max(decided_at) FILTER (WHERE decision = 'deferred') = max(decided_at)) AS b""", (t,))
    policies = r.fetch(t, "SELECT policy, count(*) AS n, max(decided_at) AS last_at FROM agent_actions "
                          "WHERE tenant_id = ? AND decision = 'blocked' GROUP BY policy ORDER BY n DESC, policy", (t,))
    blocked = r.fetch(t, "SELECT decided_at, kind, rule, target_type, target_id, recipient, policy, policy_reason "
                         "FROM agent_actions WHERE tenant_id = ? AND decision = 'blocked' "
                         "ORDER BY decided_at DESC, action_id LIMIT 100", (t,))
    return {"deferred": deferred, "deferred_total": total["n"] if total else 0, "policies": policies,
            "blocked": blocked}


# ---- contacts -------------------------------------------------------------------------------

ORDER = "e.next_touch_due NULLS FIRST, e.contact_id"
ORDER_BACK = "e.next_touch_due DESC NULLS LAST, e.contact_id DESC"
# A person found in mail and also recorded is listed once, as the recorded contact (the run's
# counts already count them so). The few such doubles are looked up first and passed as a list:
# judging every clock row by a correlated look-up cost a 100,000-contact page ~100 ms.
ASIDE = "e.contact_id NOT IN (SELECT unnest(CAST(? AS VARCHAR[])))"
CLOCK_COLS = "e.tenant_id, e.contact_id, e.last_touch_at, e.last_touch_channel, e.next_touch_due"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
MICRO = dt.timedelta(microseconds=1)


class BadCursor(ValueError):
    """A paging cursor this code did not write."""


def cursor_of(row: dict) -> str:
    """A row's place in the contacts order, for "next"/"previous" links: its due time in
    microseconds ("never" when never touched) and its id."""
    due = row["next_touch_due"]
    return ("never" if due is None else str((due - EPOCH) // MICRO)) + "_" + row["contact_id"]


def parse_cursor(text: str) -> tuple[dt.datetime | None, str]:
    due, sep, contact_id = text.partition("_")
    if not sep or not contact_id:
        raise BadCursor("want <due>_<contact id>")
    if due == "never":
        return None, contact_id
    try:
        return EPOCH + int(due) * MICRO, contact_id
    except (ValueError, OverflowError):
        raise BadCursor("want <due>_<contact id>") from None


def _keyset_sql(due: dt.datetime | None, contact_id: str, forward: bool, t: str, size: int,
                aside: list[str]) -> tuple[str, list]:
    """The clocks of the page after (forward) or before a cursor, in the page's order. Each
    branch is one range of the (tenant, due NULLS FIRST, contact) order, so Postgres answers it
    from its index and DuckDB scans without sorting the book to an offset."""
    if forward:
        branches = ([("e.next_touch_due IS NULL AND e.contact_id > ?", [contact_id]), ("e.next_touch_due IS NOT NULL", [])]
                    if due is None else
                    [("e.next_touch_due = ? AND e.contact_id > ?", [due, contact_id]), ("e.next_touch_due > ?", [due])])
    else:
        branches = ([("e.next_touch_due IS NULL AND e.contact_id < ?", [contact_id])] if due is None else
                    [("e.next_touch_due = ? AND e.contact_id < ?", [due, contact_id]), ("e.next_touch_due < ?", [due]),
                     ("e.next_touch_due IS NULL", [])])
    order = ORDER if forward else ORDER_BACK
    parts, params = [], []
    for i, (cond, values) in enumerate(branches):
        parts.append(f"SELECT * FROM (SELECT {CLOCK_COLS} FROM engagement_clocks e WHERE e.tenant_id = ? AND {cond} "
                     f"AND {ASIDE} "
                     f"ORDER BY {order} LIMIT ?) AS b{i}")
        params += [t, *values, aside, size]
    return f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS e ORDER BY {order} LIMIT ?", params + [size]


def contacts(r: ProjectionReader, t: str, *, search: str = "", page: int = 0, after: str | None = None,
             before: str | None = None) -> dict:
    """Never touched and most overdue first: by next due date, never-touched (no due date)
    ahead of all. Every contact has its engagement clock row (a contact event writes both),
    so the page is chosen on the clocks alone and only its rows are joined to names.

    Paging: "next"/"previous" carry the edge row's place (`after`/`before`, keyset paging),
    so page 500 costs what page 1 does; `page` alone (a typed URL, a search) is an offset.
    A search matches a substring of the name or address: Postgres answers it from trigram
    indexes when the server has pg_trgm (ddl.PG_SEARCH_INDEXES); it picks the matching
    contacts first and joins only those to their clocks."""
    as_of = data_as_of(r, t)
    at = business_now(as_of)
    aside = [row["contact_id"] for row in r.fetch(t, standing_aside_ids(), (t,))]
    if search:
        pattern = "%" + search.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        if r.dialect == "postgres":      # ddl.search_statements: index-backed, the reader's tenant only
            matched = f"SELECT * FROM {SEARCH_FUNCTION}(?) AS e WHERE e.tenant_id = ? AND {ASIDE}"
            terms = (pattern, t, aside)
        else:
            matched = f"""SELECT e.tenant_id, e.contact_id, e.name, e.email, e.client_id, e.last_touch_at,
                                e.last_touch_channel, e.next_touch_due
                         FROM engagement_clocks e
                         WHERE e.tenant_id = ? AND (lower(e.name) LIKE ? OR lower(e.email) LIKE ?)
                           AND {ASIDE}"""
            terms = (t, pattern, pattern, aside)
        # One pass over the matching clocks (each carries its contact's name and address) for both
        # the page and the counts: a common word can match a tenth of the book, so nothing is joined
        # to every match; only the page's rows are joined to their contact and client. The page is a
        # LEFT JOIN so the counts come without rows.
        found = r.fetch(t, f"""
            WITH m AS MATERIALIZED ({matched}),
                 n AS (SELECT count(*) AS total, count(*) FILTER (WHERE last_touch_at IS NULL) AS never_touched,
                              count(*) FILTER (WHERE last_touch_at IS NOT NULL AND next_touch_due < ?) AS overdue
                       FROM m),
                 p AS (SELECT * FROM m e ORDER BY {ORDER} LIMIT ? OFFSET ?)
            SELECT n.total, n.never_touched, n.overdue, e.contact_id, coalesce(c.name, e.name) AS name,
                   coalesce(c.email, e.email) AS email, coalesce(c.client_id, e.client_id) AS client_id,
                   cl.name AS client_name, c.opted_out, e.last_touch_at, e.last_touch_channel, e.next_touch_due
            FROM n LEFT JOIN p e ON true
            LEFT JOIN contacts c ON c.tenant_id = e.tenant_id AND c.contact_id = e.contact_id
            LEFT JOIN clients cl ON cl.tenant_id = e.tenant_id AND cl.client_id = coalesce(c.client_id, e.client_id)
            ORDER BY {ORDER}""", (*terms, at, PAGE, page * PAGE))
        counts = {k: found[0][k] for k in ("total", "never_touched", "overdue")} if found else None
        rows = [{k: v for k, v in row.items() if k not in counts} for row in found if row["contact_id"] is not None]
    else:
        if after or before:
            due, contact_id = parse_cursor(after or before)
            page_sql, params = _keyset_sql(due, contact_id, bool(after), t, PAGE, aside)
        else:
            page_sql = (f"SELECT {CLOCK_COLS} FROM engagement_clocks e WHERE e.tenant_id = ? AND {ASIDE} "
                        f"ORDER BY {ORDER} LIMIT ? OFFSET ?")
            params = [t, aside, PAGE, page * PAGE]
        rows = r.fetch(t, f"""
            WITH page AS ({page_sql})
            SELECT e.contact_id, c.name, c.email, c.client_id, cl.name AS client_name, c.opted_out,
                   e.last_touch_at, e.last_touch_channel, e.next_touch_due
            FROM page e
            LEFT JOIN contacts c ON c.tenant_id = e.tenant_id AND c.contact_id = e.contact_id
            LEFT JOIN clients cl ON cl.tenant_id = c.tenant_id AND cl.client_id = c.client_id
            ORDER BY {ORDER}""", params)
        counts = run_counts(as_of["last_run"]) or r.one(t, """
            SELECT count(*) AS total, count(*) FILTER (WHERE last_touch_at IS NULL) AS never_touched,
                   count(*) FILTER (WHERE last_touch_at IS NOT NULL AND next_touch_due < ?) AS overdue
            FROM engagement_clocks WHERE tenant_id = ?""", (at, t))
    for row in rows:
        due = row["next_touch_due"]
        row["never_touched"] = row["last_touch_at"] is None
        row["days_overdue"] = (at - due).days if due is not None and due < at else 0
    keyset = not search
    return {"rows": rows, "counts": counts, "as_of": at, "page": page, "page_size": PAGE, "search": search,
            "next_after": cursor_of(rows[-1]) if keyset and len(rows) == PAGE else None,
            "prev_before": cursor_of(rows[0]) if keyset and rows and page > 1 else None}


def run_counts(run: dict | None) -> dict | None:
    """The book's counts as the last hourly run measured them (no scan of the book)."""
    m = (run or {}).get("metrics") or {}
    if not all(k in m for k in ("contacts", "overdue", "never_touched")):
        return None
    return {"total": int(m["contacts"]), "overdue": int(m["overdue"]), "never_touched": int(m["never_touched"])}


# ---- orders ---------------------------------------------------------------------------------

def open_exceptions(r: ProjectionReader, t: str) -> dict:
    at = business_now(data_as_of(r, t))
    rows = r.fetch(t, """
        SELECT x.order_id, x.code, x.category, x.severity, x.message, x.proposed_fix, x.opened_at,
               x.client_id, cl.name AS client_name, o.status AS order_status, o.total_cents, o.product_code
        FROM order_processing_exceptions x
        LEFT JOIN orders o ON o.tenant_id = x.tenant_id AND o.order_id = x.order_id
        LEFT JOIN clients cl ON cl.tenant_id = x.tenant_id AND cl.client_id = x.client_id
        WHERE x.tenant_id = ? AND x.status = 'open'
        ORDER BY x.opened_at, x.order_id, x.code LIMIT 200""", (t,))
    for row in rows:
        row["age_days"] = max(0, (at - row["opened_at"]).days) if row["opened_at"] else None
    counts = r.fetch(t, "SELECT code, count(*) AS n FROM order_processing_exceptions WHERE tenant_id = ? "
                        "AND status = 'open' GROUP BY code ORDER BY n DESC, code", (t,))
    return {"rows": rows, "by_code": counts, "total": sum(c["n"] for c in counts), "as_of": at}


# ---- engines --------------------------------------------------------------------------------

def _goals(r: ProjectionReader, t: str) -> dict:
    return controls_now(r, t)["effective"].goals


def _date(ms_or_dt) -> str:
    if ms_or_dt is None:
        return "-"
    return ms_or_dt.strftime("%Y-%m-%d")


def deal_next(row: dict, at: dt.datetime, goals: dict) -> str:
    if row["stage"] in deal_rules.CLOSED or row.get("outcome"):
        return "nothing: closed"
    moved = row["last_moved_at"]
    stall = dt.timedelta(milliseconds=deal_rules.stall_ms(row["stage"], goals))
    if moved is None:
        return "-"
    if at - moved >= stall:
        return f"follow-up on the next step now, then every {deal_rules.FOLLOW_UP_EVERY_DAYS} days while stalled"
    return f"follow-up on {_date(moved + stall)} if it has not moved (stall after {stall.days} days in {row['stage']})"


def bid_next(row: dict, at: dt.datetime, goals: dict) -> str:
    if row["status"] in bid_rules.CLOSED:
        return "nothing: " + row["status"]
    if row["status"] == "requested":
        if row.get("intel_requested_at"):
            return "waiting for the submission"
        return "intel request to the submitter"
    if row["status"] == "submitted" and row.get("submitted_at"):
        cadence = float((goals or {}).get("bid_follow_up_days", bid_rules.FOLLOW_UP_DAYS))
        most = int((goals or {}).get("bid_max_follow_ups", bid_rules.MAX_FOLLOW_UPS))
        done = row.get("follow_ups") or 0
        if not row.get("confirmed_at"):
            return "confirmation of receipt"
        if done >= most:
            return f"nothing: {most} follow-ups sent, waiting for the outcome"
        return f"follow-up {done + 1} of {most} on {_date(row['submitted_at'] + dt.timedelta(days=cadence * (done + 1)))}"
    return "-"


ENGINE_PAGE = 25
ENGINE_TABLES = ("deals", "bids", "cases", "vendor")


def engines(r: ProjectionReader, t: str, *, pages: dict[str, int] | None = None, size: int = ENGINE_PAGE) -> dict:
    """Each engine's rows, what needs attention first (open and stalled deals, open bids by due
    date, open recovery cases, vendors out of compliance), one page of `size` each
    (pages: table -> page number), with counts of the whole table so a page says how much
    is left."""
    pages = pages or {}
    at = business_now(data_as_of(r, t))
    goals = _goals(r, t)

    def window(name):
        return size, pages.get(name, 0) * size

    deals = r.fetch(t, """
        SELECT d.deal_id, d.name, d.stage, d.amount_cents, d.next_step, d.last_moved_at, d.stalled, d.outcome,
               d.client_id, cl.name AS client_name
        FROM deals d LEFT JOIN clients cl ON cl.tenant_id = d.tenant_id AND cl.client_id = d.client_id
        WHERE d.tenant_id = ?
        ORDER BY CASE WHEN d.outcome IS NULL THEN 0 ELSE 1 END, d.stalled DESC, d.last_moved_at, d.deal_id
        LIMIT ? OFFSET ?""", (t, *window("deals")))
    for d in deals:
        d["next"] = deal_next(d, at, goals)
    bids = r.fetch(t, """
        SELECT b.bid_id, b.status, b.amount_cents, b.competitor, b.due_at, b.submitted_at, b.outcome,
               b.intel_requested_at, b.confirmed_at, b.follow_ups, b.client_id, cl.name AS client_name
        FROM bids b LEFT JOIN clients cl ON cl.tenant_id = b.tenant_id AND cl.client_id = b.client_id
        WHERE b.tenant_id = ?
        ORDER BY CASE WHEN b.outcome IS NULL THEN 0 ELSE 1 END, b.due_at NULLS LAST, b.bid_id LIMIT ? OFFSET ?""",
                   (t, *window("bids")))
    for b in bids:
        b["next"] = bid_next(b, at, goals)
    cases = r.fetch(t, """
        SELECT f.order_id, f.status, f.opened_at, f.resolved_at, f.rating, f.sentiment_score, f.summary,
               f.client_id, cl.name AS client_name
        FROM feedback_cases f LEFT JOIN clients cl ON cl.tenant_id = f.tenant_id AND cl.client_id = f.client_id
        WHERE f.tenant_id = ? ORDER BY CASE WHEN f.status = 'open' THEN 0 ELSE 1 END, f.opened_at DESC, f.order_id
        LIMIT ? OFFSET ?""", (t, *window("cases")))
    for c in cases:
        c["next"] = ("service recovery: " + feedback_rules.RECOVERY_STEPS[0] if c["status"] == "open"
                     else "nothing: resolved")
    feedback = r.one(t, "SELECT count(*) AS n, avg(rating) AS avg_rating, "
                        "count(*) FILTER (WHERE sentiment = 'negative') AS negative "
                        "FROM feedback WHERE tenant_id = ?", (t,))
    quarter = r.one(t, "SELECT max(quarter) AS q FROM vendor_compliance WHERE tenant_id = ?", (t,))
    quarter = quarter["q"] if quarter else None
    vendor = r.fetch(t, """
        SELECT v.client_id, cl.name AS client_name, v.quarter, v.profile_status, v.missing, v.compliant,
               v.reminded_at, v.escalated_at
        FROM vendor_compliance v LEFT JOIN clients cl ON cl.tenant_id = v.tenant_id AND cl.client_id = v.client_id
        WHERE v.tenant_id = ? AND v.quarter = ?
        ORDER BY v.compliant, v.client_id LIMIT ? OFFSET ?""", (t, quarter, *window("vendor")))
    days = int((goals or {}).get("compliance_escalation_days", vc_rules.ESCALATION_DAYS))
    for v in vendor:
        if v["compliant"]:
            v["next"] = "nothing: compliant"
        elif v["escalated_at"]:
            v["next"] = "task created for the deadline; waiting for the profile"
        elif v["reminded_at"]:
            v["next"] = f"task on {_date(v['reminded_at'] + dt.timedelta(days=days))} if still missing"
        else:
            v["next"] = "reminder to the vendor manager this quarter"
    # Whole-table counts: what the pages leave out, and how much of it wants attention.
    counts = {
        "deals": r.one(t, "SELECT count(*) AS total, count(*) FILTER (WHERE outcome IS NULL) AS open, "
                          "count(*) FILTER (WHERE outcome IS NULL AND stalled) AS stalled "
                          "FROM deals WHERE tenant_id = ?", (t,)),
        "bids": r.one(t, "SELECT count(*) AS total, count(*) FILTER (WHERE outcome IS NULL) AS open "
                         "FROM bids WHERE tenant_id = ?", (t,)),
        "cases": r.one(t, "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'open') AS open "
                          "FROM feedback_cases WHERE tenant_id = ?", (t,)),
        "vendor": r.one(t, "SELECT count(*) AS total, count(*) FILTER (WHERE compliant IS NOT TRUE) AS open "
                           "FROM vendor_compliance WHERE tenant_id = ? AND quarter = ?", (t, quarter)),
    }
    paging = {name: {"page": pages.get(name, 0), "size": size, "shown": len(rows),
                     "total": (counts[name] or {}).get("total") or 0}
              for name, rows in (("deals", deals), ("bids", bids), ("cases", cases), ("vendor", vendor))}
    return {"deals": deals, "bids": bids, "cases": cases, "feedback": feedback or {}, "vendor": vendor,
            "quarter": quarter, "counts": counts, "paging": paging, "as_of": at}


# ---- runs -----------------------------------------------------------------------------------

def runs(r: ProjectionReader, t: str, *, page: int = 0, size: int = 24) -> dict:
    rows = r.fetch(t, "SELECT run_id, tick_id, as_of, changes, metrics, actions, blocks, hints, failed "
                      "FROM agent_autonomous_runs WHERE tenant_id = ? ORDER BY as_of DESC LIMIT ? OFFSET ?",
                   (t, size, page * size))
    total = r.one(t, "SELECT count(*) AS n FROM agent_autonomous_runs WHERE tenant_id = ?", (t,))
    return {"rows": rows, "total": total["n"] if total else 0, "page": page, "page_size": size}


# ---- controls -------------------------------------------------------------------------------

def controls_now(r: ProjectionReader, t: str) -> dict:
    """The tenant's own settings, the global ones (tenant '*', read in its own scope) and what
    the gate applies: the tenant's over the global's (processors.controls)."""
    own = r.one(t, "SELECT * FROM tenant_controls WHERE tenant_id = ?", (t,))
    try:
        glob = own if t == GLOBAL else r.one(GLOBAL, "SELECT * FROM tenant_controls WHERE tenant_id = ?", (GLOBAL,))
        global_known = True
    except NoReader:          # Postgres with no reader for the global scope: say so, not guess
        glob, global_known = None, False
    return {"tenant": own, "global": glob, "global_known": global_known, "effective": effective_controls(glob, own)}


def control_history(r: ProjectionReader, t: str, limit: int = 50) -> list[dict]:
    rows = r.fetch(t, "SELECT event_id, occurred_at, payload FROM warehouse_events "
                      "WHERE tenant_id = ? AND topic = 'control' ORDER BY occurred_at DESC, event_id LIMIT ?",
                   (t, limit))
    return [{"event_id": row["event_id"], "occurred_at": row["occurred_at"], "tenant_id": t,
             **{k: v for k, v in (row["payload"] or {}).items() if k not in ("event_id", "occurred_at")}}
            for row in rows]


def applied(r: ProjectionReader, t: str, event_ids: list[str]) -> set[str]:
    """Which of these events the worker has applied (every applied event has its warehouse row)."""
    if not event_ids:
        return set()
    marks = ", ".join("?" for _ in event_ids)
    rows = r.fetch(t, f"SELECT event_id FROM warehouse_events WHERE tenant_id = ? AND event_id IN ({marks})",
                   (t, *event_ids))
    return {row["event_id"] for row in rows}
