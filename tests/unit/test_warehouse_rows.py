"""warehouse_events rows travel as tuples in the table's column order."""
import json

from revloop.processors.tables import TABLES
from revloop.processors.warehouse import COLUMNS, warehouse_row, warehouse_tuple
from tests.support.events import touch


def test_the_tuple_is_in_the_tables_column_order_and_the_row_names_them():
    assert COLUMNS == TABLES["warehouse_events"].column_names
    e = touch("p1", tenant="acme", event_id="t-1")
    got = warehouse_tuple("touches", "touch", e)
    assert got[:4] == ("acme", "t-1", "touches", "touch") and got[6] == "p1"
    assert warehouse_row("touches", "touch", e) == dict(zip(COLUMNS, got))
    assert '"event_id"' not in got[7] and '"contact_id":"p1"' in got[7]      # the envelope is not payload


def test_the_payload_is_compact_json_with_sorted_keys():
    """One text per event, whatever the order the event's fields came in (live and replay agree)."""
    e = touch("p1", tenant="acme", event_id="t-1", note="café \"quoted\" ünïcode")
    got = warehouse_tuple("touches", "touch", e)[7]
    shuffled = warehouse_tuple("touches", "touch", dict(reversed(list(e.items()))))[7]
    payload = {k: v for k, v in e.items() if k not in ("event_id", "tenant_id", "occurred_at")}
    assert got == shuffled == json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def test_a_dead_letters_bytes_travel_as_base64():
    e = {"tenant_id": "acme", "event_id": "d-1", "occurred_at": 1, "source_topic": "touches", "key": b"\x00k",
         "value": b"\xff"}
    text = warehouse_tuple("dead_letters", "dead_letter", e)[7]
    assert json.loads(text) == {"source_topic": "touches", "key": "AGs=", "value": "/w=="}
    assert text == '{"key":"AGs=","source_topic":"touches","value":"/w=="}'       # compact, as every payload
