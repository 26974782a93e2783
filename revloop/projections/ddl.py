"""DDL for the projection tables, generated from processors.tables.TABLES per dialect.

Dialects: "duckdb" (one analyst-facing file) and "postgres" (multi-tenant, with
row-level security). Nothing here lists tables by hand: a table added to TABLES
is created by the next ensure_schema(). Identifiers are always quoted (names
like "partition", "change", "at" are keywords in one dialect or the other).
"""
from __future__ import annotations

from revloop.processors.tables import TABLES, Table

# The worker's Kafka positions (physical topic names): what the rows reflect, written in the
# same transaction as the rows. Not tenant data, so no tenant_id and no RLS.
OFFSETS = Table("consumer_offsets", (("topic", "text"), ("partition", "int"), ("next_offset", "bigint")),
                ("topic", "partition"))
# The positions each tick was decided on ({"topic:partition": next offset}), so a tool can
# rebuild the state as of any tick from the nearest earlier checkpoint. Worker data, not a
# projection (a replay does not decide ticks), so not in TABLES; tenant rows, so RLS.
TICK_POSITIONS = Table("tick_positions", (("tenant_id", "text"), ("tick_id", "text"), ("as_of", "ts"),
                                          ("partition", "int"), ("positions", "json"), ("decided_at", "ts")),
                       ("tenant_id", "tick_id"))
INTERNAL = (OFFSETS, TICK_POSITIONS)

TYPES = {
    # Times are instants: TIMESTAMPTZ in both stores (an analyst's session shows them in its
    # own time zone; revloop's sessions use UTC).
    "duckdb": {"text": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "double": "DOUBLE",
               "bool": "BOOLEAN", "ts": "TIMESTAMPTZ", "json": "JSON"},
    "postgres": {"text": "TEXT", "int": "INTEGER", "bigint": "BIGINT", "double": "DOUBLE PRECISION",
                 "bool": "BOOLEAN", "ts": "TIMESTAMPTZ", "json": "JSONB"},
}
# How a column travels on its way in (staging / parameters): ts as epoch millis, json as text.
STAGE_KINDS = {"ts": "bigint", "json": "text"}

POLICY = "tenant_isolation"


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    """Quote a string literal."""
    return "'" + value.replace("'", "''") + "'"


def all_tables() -> list[Table]:
    return list(TABLES.values()) + list(INTERNAL)


def table(name: str) -> Table:
    for t in INTERNAL:
        if name == t.name:
            return t
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f"unknown projection table {name!r}") from None


def column_type(kind: str, dialect: str, staging: bool = False) -> str:
    if staging:
        kind = STAGE_KINDS.get(kind, kind)
    return TYPES[dialect][kind]


def create_table(t: Table, dialect: str) -> str:
    cols = [f"{q(c)} {column_type(k, dialect)}" for c, k in t.columns]
    cols.append(f"PRIMARY KEY ({', '.join(map(q, t.key))})")
    return f"CREATE TABLE IF NOT EXISTS {q(t.name)} (\n  " + ",\n  ".join(cols) + "\n)"


def add_missing_columns(t: Table, dialect: str) -> list[str]:
    """Columns added to a table in TABLES after a store first created it (new fields only ever
    extend a table). Postgres: only when missing, since ALTER TABLE takes an ACCESS EXCLUSIVE lock."""
    if dialect == "duckdb":
        return [f"ALTER TABLE {q(t.name)} ADD COLUMN IF NOT EXISTS {q(c)} {column_type(k, dialect)}"
                for c, k in t.columns if c not in t.key]
    checks = "\n".join(
        f"  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
        f" AND table_name = {lit(t.name)} AND column_name = {lit(c)}) THEN\n"
        f"    ALTER TABLE {q(t.name)} ADD COLUMN {q(c)} {column_type(k, dialect)};\n  END IF;"
        for c, k in t.columns if c not in t.key)
    return [f"DO $$ BEGIN\n{checks}\nEND $$"] if checks else []


# Who a reader is comes from its login role, which nothing inside the session can change:
# one role per tenant (revloop.projections.pg_tenants), mapped to its tenant here. A session
# sees rows of the tenant its current_user maps to, and none when it maps to none (the reader
# group itself, or any role SET ROLE could reach). set_config, RESET, SET ROLE cannot move it
# to another tenant: a tenant's role is a member of no other tenant's role.
TENANT_ROLES = Table("tenant_roles", (("role_name", "text"), ("tenant_id", "text")), ("role_name",))
READER_TENANT = (f"(SELECT r.{q('tenant_id')} FROM {q(TENANT_ROLES.name)} r "
                 f"WHERE r.{q('role_name')} = current_user)")


def tenant_roles_statements(app_role: str | None) -> list[str]:
    """Postgres: the role -> tenant mapping; a reader sees only its own row of it."""
    stmts = [
        f"CREATE TABLE IF NOT EXISTS {q(TENANT_ROLES.name)} ({q('role_name')} TEXT PRIMARY KEY, "
        f"{q('tenant_id')} TEXT NOT NULL UNIQUE)",
        f"""DO $$ BEGIN
  IF NOT (SELECT relrowsecurity FROM pg_class WHERE oid = {lit(q(TENANT_ROLES.name))}::regclass) THEN
    ALTER TABLE {q(TENANT_ROLES.name)} ENABLE ROW LEVEL SECURITY;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = {lit(q(TENANT_ROLES.name))}::regclass
                 AND polname = 'own_role') THEN
    CREATE POLICY own_role ON {q(TENANT_ROLES.name)} FOR SELECT USING ({q('role_name')} = current_user);
  END IF;
END $$""",
    ]
    if app_role:
        stmts.append(grant_if_role(app_role, f"GRANT SELECT ON {q(TENANT_ROLES.name)} TO {q(app_role)}"))
    return stmts


def row_security(t: Table, app_role: str | None) -> list[str]:
    """Postgres: tenant isolation for readers (the app role's members). The owner is not
    FORCEd, so the worker (connected as owner) still writes every tenant; readers only SELECT."""
    check = f"{q('tenant_id')} = {READER_TENANT}"
    stmts = [
        # Only when needed: ALTER TABLE takes an ACCESS EXCLUSIVE lock (readers would queue).
        # CREATE POLICY has no IF NOT EXISTS (PG 15). A policy from before per-tenant roles
        # (keyed on a session setting the session could change) is replaced.
        f"""DO $$ BEGIN
  IF NOT (SELECT relrowsecurity FROM pg_class WHERE oid = {lit(q(t.name))}::regclass) THEN
    ALTER TABLE {q(t.name)} ENABLE ROW LEVEL SECURITY;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = {lit(q(t.name))}::regclass AND polname = {lit(POLICY)}
             AND (polcmd <> 'r' OR pg_get_expr(polqual, polrelid) NOT LIKE '%tenant_roles%')) THEN
    DROP POLICY {q(POLICY)} ON {q(t.name)};
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = {lit(q(t.name))}::regclass
                 AND polname = {lit(POLICY)}) THEN
    CREATE POLICY {q(POLICY)} ON {q(t.name)} FOR SELECT USING ({check});
  END IF;
END $$""",
    ]
    if app_role:
        stmts.append(grant_if_role(app_role, f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {q(t.name)} "
                                             f"FROM {q(app_role)}"))
        stmts.append(grant_if_role(app_role, f"GRANT SELECT ON {q(t.name)} TO {q(app_role)}"))
    return stmts


def grant_if_role(role: str, grant: str) -> str:
    """A GRANT that is skipped (not an error) when the role does not exist."""
    return (f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit(role)}) THEN "
            f"{grant}; END IF; END $$")


# Postgres indexes for what people ask of a tenant (the console's pages, the report), so a
# page over a 100,000-contact tenant reads an index range instead of the tenant's rows:
# contacts by next due date, a recorded contact by address (views.standing_aside), a topic's
# events by time (control history, the sender's outcomes, the newest applied event), the
# decisions of one hour. DuckDB scans columns fast enough without them, and its indexes would
# only slow the bulk writes.
PG_INDEXES = (
    ("engagement_clocks", "engagement_clocks_due", ("tenant_id", "next_touch_due NULLS FIRST", "contact_id")),
    ("contacts", "contacts_email", ("tenant_id", "email")),
    ("warehouse_events", "warehouse_events_topic_time", ("tenant_id", "topic", "occurred_at")),
    ("agent_actions", "agent_actions_decided", ("tenant_id", "decided_at")),
    ("order_processing_exceptions", "exceptions_open", ("tenant_id", "status", "opened_at")),
)


def index_statements(dialect: str) -> list[str]:
    if dialect != "postgres":
        return []
    return [f"CREATE INDEX IF NOT EXISTS {q(name)} ON {q(table)} ("
            + ", ".join(q(c) if " " not in c else f"{q(c.split(' ', 1)[0])} {c.split(' ', 1)[1]}" for c in cols) + ")"
            for table, name, cols in PG_INDEXES]


SEARCH_FUNCTION = "contact_search"


def search_statements(dialect: str) -> list[str]:
    """Postgres: the console's contact search by a substring of name or address.

    The search reads the engagement clocks alone (each carries its contact's name and
    address): the page's order and the overdue / never-touched counts come from the same
    rows, with no join over every match (a common word matches a tenth of the book).
    Trigram indexes (pg_trgm, when the server has the contrib module and this role may
    create it) answer `lower(name) LIKE '%x%'`. A reader's row-level security stops the
    planner from using an index for LIKE and lower() (not leakproof: they run after the
    policy, on every row), so the search is a function that runs as the owner (no RLS) and
    applies the policy's own rule itself: the caller's tenant is the one its login maps to
    in tenant_roles (session_user: definer rights change current_user), nothing for a
    login with no tenant."""
    if dialect != "postgres":
        return []
    trgm = "(SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm')"
    indexes = "\n".join(
        f"    EXECUTE format('CREATE INDEX IF NOT EXISTS {name} ON engagement_clocks USING gin (lower({col}) %I.gin_trgm_ops)', {trgm});"
        for name, col in (("clocks_name_trgm", "name"), ("clocks_email_trgm", "email")))
    return [
        f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm not created (%): contact search scans', SQLERRM;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
{indexes}
  END IF;
END $$""",
        # The searched table and columns changed once (contacts joined to clocks before): a
        # function's result type cannot be replaced in place, and the old indexes serve nothing.
        f"""DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_proc p WHERE p.proname = '{SEARCH_FUNCTION}' AND p.pronamespace = current_schema()::regnamespace
             AND pg_get_function_result(p.oid) LIKE '%opted_out%') THEN
    DROP FUNCTION {q(SEARCH_FUNCTION)}(TEXT);
  END IF;
END $$""",
        "DROP INDEX IF EXISTS contacts_name_trgm",
        "DROP INDEX IF EXISTS contacts_email_trgm",
        f"""CREATE OR REPLACE FUNCTION {q(SEARCH_FUNCTION)}(pattern TEXT)
RETURNS TABLE (tenant_id TEXT, contact_id TEXT, name TEXT, email TEXT, client_id TEXT,
               last_touch_at TIMESTAMPTZ, last_touch_channel TEXT, next_touch_due TIMESTAMPTZ)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT e.tenant_id, e.contact_id, e.name, e.email, e.client_id, e.last_touch_at, e.last_touch_channel,
         e.next_touch_due
  FROM engagement_clocks e
  WHERE e.tenant_id = (SELECT r.tenant_id FROM tenant_roles r WHERE r.role_name = session_user)
    AND (lower(e.name) LIKE pattern OR lower(e.email) LIKE pattern)
$$""",
    ]


def comment_statements() -> list[str]:
    """COMMENT ON every table and column (projections.comments), for analysts."""
    from revloop.projections.comments import column_comment, table_comment

    stmts = []
    for t in all_tables():
        stmts.append(f"COMMENT ON TABLE {q(t.name)} IS {lit(table_comment(t.name))}")
        # A column nobody described yet is left without a comment rather than failing the store
        # (tests/unit/test_duckdb_snapshot.py fails instead).
        stmts += [f"COMMENT ON COLUMN {q(t.name)}.{q(c)} IS {lit(column_comment(t.name, c))}" for c, _ in t.columns
                  if column_comment(t.name, c)]
    return stmts


def schema_statements(dialect: str, app_role: str | None = None) -> list[str]:
    """Every statement ensure_schema() runs, in order; all idempotent."""
    stmts = [create_table(t, dialect) for t in all_tables()]
    for t in TABLES.values():
        stmts += add_missing_columns(t, dialect)
    stmts += index_statements(dialect)
    stmts += comment_statements()
    if dialect == "duckdb":
        from revloop.projections.views import view_statements
        stmts += view_statements()
    if dialect == "postgres":
        stmts += tenant_roles_statements(app_role)
        stmts += search_statements(dialect)
        for t in TABLES.values():
            stmts += row_security(t, app_role)
        stmts += row_security(TICK_POSITIONS, None)      # the worker's alone: no grant to the app role
        stmts += checkpoint_statements()
    return stmts


# ---- checkpoints (Postgres; a DuckDB store keeps them in files) ----------------------------------

CHECKPOINTS = "state_checkpoints"      # one row per checkpoint: what it covers
SNAPSHOTS = "state_snapshots"          # one row per tenant in a checkpoint: its encoded state


def checkpoint_statements() -> list[str]:
    """Tables for the worker's checkpoints. The snapshots hold tenants' contacts (addresses):
    row-level security per tenant and no grant to the app role, so only the owner reads them."""
    snap = Table(SNAPSHOTS, (("tenant_id", "text"),), ("tenant_id",))
    return [
        f"""CREATE TABLE IF NOT EXISTS {q(CHECKPOINTS)} (
  "scope" TEXT, "partition" INTEGER, "seq" BIGINT, "version" TEXT, "positions" JSONB, "meta" BYTEA,
  "tenants" INTEGER, "created_at" BIGINT, PRIMARY KEY ("scope", "partition", "seq"))""",
        f"""CREATE TABLE IF NOT EXISTS {q(SNAPSHOTS)} (
  "scope" TEXT, "partition" INTEGER, "seq" BIGINT, "tenant_id" TEXT, "state" BYTEA,
  PRIMARY KEY ("scope", "partition", "seq", "tenant_id"))""",
    ] + row_security(snap, None)
