"""A checkpoint keeps the blobs it is given for states known unchanged (a split catch-up's, just
taken back) rather than encoding those states again; every other state is encoded as it stands."""
from __future__ import annotations

from revloop.processors.state import TenantState
from revloop.projections.store import open_store
from revloop.streams.checkpointing import Checkpoints
from revloop.streams.config import Settings
from revloop.streams.state_codec import encode_state


def _tenants_of(checkpoints: Checkpoints, partition: int, n: int) -> list[str]:
    names = (f"tenant-{i}" for i in range(1000))
    return [t for t in names if checkpoints.owner(t) == partition][:n]


def _state(tenant: str, contact: str) -> TenantState:
    state = TenantState(tenant)
    state.contacts[contact] = {"tenant_id": tenant, "contact_id": contact, "email": f"{contact}@x.example"}
    return state


def test_given_blobs_are_kept_as_they_are_and_the_other_states_encoded(tmp_path):
    settings = Settings(topic_prefix="x.")
    store = open_store(f"duckdb:{tmp_path / 's.duckdb'}")
    store.ensure_schema()
    checkpoints = Checkpoints(settings, store, "grp", ("touches", "orders"), 2)
    given, fresh = _tenants_of(checkpoints, 1, 2)
    states = {given: _state(given, "as-held"), fresh: _state(fresh, "as-held")}
    # A blob that differs from the state held, so the checkpoint shows which one it kept.
    blobs = {given: encode_state(_state(given, "from-the-blob"))}

    checkpoints.save(states, {1}, {("touches", 1): 0, ("orders", 1): 0}, 0, [], encoded=blobs)

    got = checkpoints.restore({1}).states
    assert set(got[given].contacts) == {"from-the-blob"}
    assert set(got[fresh].contacts) == {"as-held"}
    store.close()


def test_without_blobs_every_state_is_encoded_as_it_stands(tmp_path):
    settings = Settings(topic_prefix="x.")
    store = open_store(f"duckdb:{tmp_path / 's.duckdb'}")
    store.ensure_schema()
    checkpoints = Checkpoints(settings, store, "grp", ("touches", "orders"), 2)
    [tenant] = _tenants_of(checkpoints, 0, 1)
    checkpoints.save({tenant: _state(tenant, "as-held")}, {0}, {("touches", 0): 0, ("orders", 0): 0}, 0, [])
    assert set(checkpoints.restore({0}).states[tenant].contacts) == {"as-held"}
    store.close()
