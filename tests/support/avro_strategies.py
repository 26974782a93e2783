"""Hypothesis strategies that build any valid record of an Avro schema."""
from __future__ import annotations

from hypothesis import strategies as st

TEXT = st.text(max_size=40)
LONG = st.integers(min_value=-(2**63), max_value=2**63 - 1)
INT = st.integers(min_value=-(2**31), max_value=2**31 - 1)
MILLIS = st.integers(min_value=0, max_value=4_102_444_800_000)  # up to 2100


def for_type(t, named=None):
    named = {} if named is None else named
    if isinstance(t, list):
        return st.one_of([for_type(branch, named) for branch in t])
    if isinstance(t, str):
        primitives = {
            "null": st.none(), "boolean": st.booleans(), "int": INT, "long": LONG,
            "double": st.floats(allow_nan=False), "float": st.floats(allow_nan=False, width=32),
            "string": TEXT, "bytes": st.binary(max_size=40),
        }
        return primitives[t] if t in primitives else named[t]
    kind = t["type"]
    if t.get("logicalType") == "timestamp-millis":
        return MILLIS
    if kind == "array":
        return st.lists(for_type(t["items"], named), max_size=3)
    if kind == "map":
        return st.dictionaries(TEXT, for_type(t["values"], named), max_size=3)
    if kind == "enum":
        strategy = st.sampled_from(t["symbols"])
        named[t["name"]] = strategy
        return strategy
    if kind == "record":
        fields = {f["name"]: for_type(f["type"], named) for f in t["fields"]}
        strategy = st.fixed_dictionaries(fields)
        named[t["name"]] = strategy
        return strategy
    return for_type(kind, named)


def event_records(schema: dict):
    """Valid events: the envelope's rules (non-empty ids, a real tenant) hold too."""
    ident = st.text(min_size=1, max_size=20).filter(lambda s: s.strip())
    tenant = ident.filter(lambda s: s != "*")
    return for_type(schema).flatmap(
        lambda rec: st.fixed_dictionaries({"event_id": ident, "tenant_id": tenant}).map(lambda env: {**rec, **env})
    )
