"""A table that gains columns keeps working in a store created before them."""
from __future__ import annotations

import duckdb

from revloop.processors.tables import TABLES
from revloop.projections.store import open_store


def test_ensure_schema_adds_columns_a_table_gained_since_the_store_was_created(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))        # the deals table as first shipped
    con.execute("CREATE TABLE deals (tenant_id VARCHAR, deal_id VARCHAR, client_id VARCHAR, contact_id VARCHAR, "
                "name VARCHAR, stage VARCHAR, amount_cents BIGINT, next_step VARCHAR, reason VARCHAR, "
                "stage_entered_at TIMESTAMP, last_event_id VARCHAR, last_event_at TIMESTAMP, "
                "PRIMARY KEY (tenant_id, deal_id))")
    con.close()
    row = {c: None for c in TABLES["deals"].column_names}
    row.update(tenant_id="t1", deal_id="d1", client_id="c1", stage="lost", stalled=False, outcome="lost",
               last_moved_at=1_790_000_000_000, stages='[["lost", 1790000000000]]')

    with open_store(f"duckdb:{path}") as store:
        store.ensure_schema()
        store.ensure_schema()              # idempotent
        store.write_batch({"deals": [row]})
        [back] = store.rows("deals", "t1")
    assert (back["outcome"], back["stalled"], back["last_moved_at"]) == ("lost", False, 1_790_000_000_000)
