"""A tenant's state survives a snapshot whole; anything else is refused loudly."""
from __future__ import annotations

import dataclasses

import pytest

from revloop.processors.state import TenantState
from revloop.streams.demo_data import generate
from revloop.streams.pipeline import Pipeline
from revloop.streams.state_codec import (SnapshotUnreadable, decode_plain, decode_state, encode_plain,
                                         encode_state, state_version)
from revloop.streams.topics import topic_for
from tests.support.events import T0


def built_state() -> TenantState:
    """A realistic tenant: the demo book through the real projector, then its hourly cycle."""
    pipeline = Pipeline()
    for type_name, event in generate(["acme"], 300, T0, seed=3):
        pipeline.apply_event(topic_for(type_name, event), type_name, event)
    tick = {"event_id": "tick:acme:1", "tenant_id": "acme", "occurred_at": T0, "tick_id": "acme:1", "as_of": T0}
    assert pipeline.decide(tick)
    return pipeline.state("acme")


def fields_of(state: TenantState) -> dict:
    return {f.name: getattr(state, f.name) for f in dataclasses.fields(state)}


def test_a_real_tenant_state_round_trips_field_for_field():
    state = built_state()
    assert state.contacts and state.orders and state.ticks_done          # the book is really in it
    back = decode_state(encode_state(state))
    assert type(back) is TenantState
    assert fields_of(back) == fields_of(state)
    # sets stay sets, tuple keys stay tuples (what processors index by)
    assert any(isinstance(v, set) for v in state.contacts_by_client.values())
    assert set(back.exceptions) == set(state.exceptions) and all(type(k) is tuple for k in back.exceptions)


def test_shared_values_stay_shared_after_a_round_trip():
    state = TenantState("t")
    row = {"email": "a@x.example"}
    state.contacts["p1"] = row
    state.clocks["p1"] = row
    back = decode_state(encode_state(state))
    assert back.contacts["p1"] is back.clocks["p1"]


def test_a_value_that_is_not_plain_data_is_refused_with_its_field():
    state = TenantState("t")
    state.catalog["x"] = {"when": object()}
    with pytest.raises(ValueError, match="TenantState.catalog"):
        encode_state(state)


@pytest.mark.parametrize("damage", [lambda b: b[:-5], lambda b: b[:10] + bytes([b[10] ^ 0xFF]) + b[11:],
                                    lambda b: b"not zlib at all"])
def test_damaged_bytes_are_unreadable_not_a_wrong_state(damage):
    blob = encode_state(built_state())
    with pytest.raises(SnapshotUnreadable):
        decode_state(damage(blob))


def test_a_blob_of_other_fields_is_unreadable():
    with pytest.raises(SnapshotUnreadable):
        decode_state(encode_plain(("t", {}, {})))


def test_plain_data_round_trips_and_the_version_names_this_code():
    held = [({"tick_id": "a:1", "as_of": 5}, "ticks", 2, 17)]
    assert decode_plain(encode_plain(held)) == held
    version = state_version()
    assert version == state_version() and version.startswith("1.m4.py")


def test_decode_states_reads_each_blob_with_the_collector_off_and_turns_it_back_on():
    import gc

    from revloop.streams.state_codec import decode_states

    seen = []

    def watch(phase, info):      # each collection shows here
        seen.append(phase)
    a, b = TenantState("a"), TenantState("b")
    a.contacts["p1"] = {"tenant_id": "a", "contact_id": "p1", "tags": [[i, i + 1] for i in range(50_000)]}
    blobs = {"a": encode_state(a), "b": encode_state(b)}
    gc.callbacks.append(watch)
    try:
        got = decode_states(blobs)
        during = seen.count("start")
        assert gc.isenabled()
        with pytest.raises(SnapshotUnreadable):
            decode_states({"a": blobs["a"], "bad": b"not a state"})
        assert gc.isenabled()       # on again after a damaged blob too
    finally:
        gc.callbacks.remove(watch)
    assert set(got) == {"a", "b"} and got["a"].contacts == a.contacts and got["b"].tenant_id == "b"
    # 50,000 small containers: dozens of collections with the collector on; off, at most the
    # one it owes once it is back on
    assert during <= 1, during
