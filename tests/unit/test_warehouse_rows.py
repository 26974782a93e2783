"""warehouse_events rows travel as tuples in the table's column order."""
from revloop.processors.tables import TABLES
from revloop.processors.warehouse import COLUMNS, warehouse_row, warehouse_tuple
from tests.support.events import touch


def test_the_tuple_is_in_the_tables_column_order_and_the_row_names_them():
    assert COLUMNS == TABLES["warehouse_events"].column_names
    e = touch("p1", tenant="acme", event_id="t-1")
    got = warehouse_tuple("touches", "touch", e)
    assert got[:4] == ("acme", "t-1", "touches", "touch") and got[6] == "p1"
    assert warehouse_row("touches", "touch", e) == dict(zip(COLUMNS, got))
    assert '"event_id"' not in got[7] and '"contact_id": "p1"' in got[7]      # the envelope is not payload
