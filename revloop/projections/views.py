"""Views for the questions people ask of the DuckDB store (and its published snapshot).

v_run_metrics       one row per run, one column per metric (instead of JSON to unpack)
v_action_backlog    the latest decision per target (what was last decided about each one)
v_overdue_contacts  contacts due for a touch as of the tenant's latest run, never-touched
                    included, with names and client; each person once (standing_aside)
v_open_exceptions   open order exceptions with their order and client

"As of the run": overdue and open-for are measured at the tenant's latest run (its tick's
hour), not at the wall clock, so a snapshot reads the same tomorrow as today.
"""
from __future__ import annotations

from revloop.processors.cycle import metrics_of
from revloop.processors.state import TenantState
from revloop.projections.ddl import lit, q

# The metrics of a run record, in the order the cycle computes them.
METRICS = tuple(metrics_of(TenantState("metrics"), 0))


def standing_aside(alias: str) -> str:
    """SQL true for a row of `alias` (tenant_id, contact_id, email) that is a contact found in mail
    whose address a recorded contact shares: the same person, listed once under the recorded
    one, as processors.engagement.stands_aside counts it. (left(), not LIKE: no % for psycopg.)"""
    return (f"(left({alias}.\"contact_id\", 6) = 'email:' AND EXISTS (SELECT 1 FROM \"contacts\" o "
            f"WHERE o.\"tenant_id\" = {alias}.\"tenant_id\" AND o.\"email\" = {alias}.\"email\" "
            f"AND left(o.\"contact_id\", 6) <> 'email:'))")


def standing_aside_ids() -> str:
    """SQL: the ids of one tenant's (parameter) contacts found in mail that stand aside for a
    recorded contact of the same address. A range on the id, not left() or LIKE, so Postgres
    reads it from the contacts key."""
    return ('SELECT f."contact_id" FROM "contacts" f JOIN "contacts" o ON o."tenant_id" = f."tenant_id" '
            'AND o."email" = f."email" WHERE f."tenant_id" = ? AND f."contact_id" >= \'email:\' '
            'AND f."contact_id" < \'email;\' AND NOT (o."contact_id" >= \'email:\' AND o."contact_id" < \'email;\')')


_LATEST_RUN = ('SELECT "tenant_id", max("as_of") AS "as_of" FROM "agent_autonomous_runs" GROUP BY "tenant_id"')

VIEWS = {
    "v_run_metrics": (
        "One row per hourly run, one column per metric.",
        'SELECT "tenant_id", "run_id", "tick_id", "as_of", "failed", '
        + ", ".join(f'CAST("metrics"->>{lit(m)} AS DOUBLE) AS {q(m)}' for m in METRICS)
        + ' FROM "agent_autonomous_runs"'),
    "v_action_backlog": (
        "The latest decision per target (tenant, kind, target): approved, blocked or deferred, and why.",
        'SELECT "tenant_id", "kind", "target_type", "target_id", "decision", "policy", "policy_reason", "rule", '
        '"recipient", "tick_id", "decided_at", "action_id" FROM "agent_actions" '
        'QUALIFY row_number() OVER (PARTITION BY "tenant_id", "kind", "target_type", "target_id" '
        'ORDER BY "decided_at" DESC, "action_id" DESC) = 1'),
    "v_overdue_contacts": (
        "Contacts due for a touch as of the tenant's latest run, never-touched included (a person found in "
        "mail and also recorded is listed once, as the recorded contact).",
        f'WITH last_run AS ({_LATEST_RUN}) '
        'SELECT e."tenant_id", e."contact_id", c."name" AS "contact_name", e."email", e."client_id", '
        'cl."name" AS "client_name", e."last_touch_at", e."last_touch_channel", e."next_touch_due", '
        'e."last_touch_at" IS NULL AS "never_touched", '
        'CASE WHEN e."next_touch_due" IS NULL THEN NULL '
        'ELSE date_diff(\'day\', e."next_touch_due", r."as_of") END AS "days_overdue", '
        'r."as_of" AS "as_of_run", coalesce(c."opted_out", false) AS "opted_out" '
        'FROM "engagement_clocks" e JOIN last_run r ON r."tenant_id" = e."tenant_id" '
        'LEFT JOIN "contacts" c ON c."tenant_id" = e."tenant_id" AND c."contact_id" = e."contact_id" '
        'LEFT JOIN "clients" cl ON cl."tenant_id" = e."tenant_id" AND cl."client_id" = e."client_id" '
        'WHERE (e."next_touch_due" IS NULL OR e."next_touch_due" <= r."as_of") '
        f'AND NOT {standing_aside("e")}'),
    "v_open_exceptions": (
        "Open order exceptions with their order and client, and how long they have been open as of the latest run.",
        f'WITH last_run AS ({_LATEST_RUN}) '
        'SELECT x."tenant_id", x."order_id", x."code", x."category", x."severity", x."message", x."opened_at", '
        'date_diff(\'hour\', x."opened_at", r."as_of") / 24.0 AS "days_open", x."proposed_fix", '
        'x."client_id", cl."name" AS "client_name", cl."available_credit_cents", '
        'o."status" AS "order_status", o."product_code", o."total_cents", o."due_at" AS "order_due_at", '
        'o."property_address" '
        'FROM "order_processing_exceptions" x '
        'LEFT JOIN last_run r ON r."tenant_id" = x."tenant_id" '
        'LEFT JOIN "orders" o ON o."tenant_id" = x."tenant_id" AND o."order_id" = x."order_id" '
        'LEFT JOIN "clients" cl ON cl."tenant_id" = x."tenant_id" AND cl."client_id" = x."client_id" '
        'WHERE x."status" = \'open\''),
}


def view_statements() -> list[str]:
    """DuckDB: create or replace every view, with its comment."""
    out = []
    for name, (doc, sql) in VIEWS.items():
        out.append(f"CREATE OR REPLACE VIEW {q(name)} AS {sql}")
        out.append(f"COMMENT ON VIEW {q(name)} IS {lit(doc)}")
    return out
