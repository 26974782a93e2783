"""canonical_json.dumps is json.dumps(sort_keys=True, ensure_ascii=False) byte for byte (the
warehouse payloads and the stores' json columns are compared across replays), and the stores
turn exactly the json columns of a row into that text."""
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revloop.processors import canonical_json
from revloop.projections import ddl
from revloop.projections.store import json_as_text

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(values)
def test_same_text_as_json_dumps(value):
    assert canonical_json.dumps(value) == json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_unicode_nan_and_key_order_as_json_dumps():
    value = {"zé": [math.nan, math.inf, 1e300, "ñ\u2028\x00"], "a": {"b": None, "A": True}}
    assert canonical_json.dumps(value) == json.dumps(value, sort_keys=True, ensure_ascii=False)
    assert canonical_json.dumps(value).startswith('{"a": {"A": true, "b": null}')


def test_unserialisable_raises_type_error_like_json_dumps():
    with pytest.raises(TypeError, match="bytes is not JSON serializable"):
        canonical_json.dumps({"k": b"\x00"})


def _table_with_json():
    return next(t for t in ddl.all_tables() if any(k == "json" for _, k in t.columns)
                and any(k != "json" for _, k in t.columns))


def test_only_json_columns_become_text():
    t = _table_with_json()
    kinds = [k for _, k in t.columns]
    state_row = tuple([{"z": 1, "a": [2]} if k == "json" else ["not", "json"] if k == "text" else 7
                       for k in kinds])
    text_row = tuple(['{"x": 1}' if k == "json" else f"v{i}" for i, k in enumerate(kinds)])
    out = json_as_text(t, [state_row, text_row])
    assert out[1] is text_row                      # already text: the same tuple, untouched
    for (_, kind), before, after in zip(t.columns, state_row, out[0]):
        if kind == "json":
            assert after == '{"a": [2], "z": 1}'
        else:
            assert after is before                 # a non-json list stays as it was given
