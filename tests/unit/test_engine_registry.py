"""Engines are registered, not wired by hand: state, tables, projector and cycle read the registry."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

from revloop.processors import engines, projector
from revloop.processors.engine import Engine
from revloop.processors.state import ROWS_OF, TenantState
from revloop.processors.tables import TABLES
from revloop.projections.ddl import all_tables
from tests.support.cycle_harness import Harness
from tests.support.engine_helpers import H0, engines_scenario, tick_at
from tests.support.events import event


def test_every_registered_engine_is_a_module_named_in_the_registry():
    assert [e.name for e in engines.ENGINES] == list(engines.ENGINE_MODULES)
    assert all(isinstance(e, Engine) for e in engines.ENGINES)


def test_each_engines_tables_reach_the_stores_and_its_rows_are_found_in_state():
    state = TenantState("t1")
    store_tables = {t.name for t in all_tables()}
    for engine in engines.ENGINES:
        for table in engine.tables:
            assert TABLES[table.name] is table and table.name in store_tables
            assert ROWS_OF[table.name] == engine.rows_of[table.name]
            assert getattr(state, engine.rows_of[table.name]) == {}


def test_each_engines_state_fields_are_tenant_state_fields_with_fresh_values():
    names = {f.name for f in dataclasses.fields(TenantState)}
    a, b = TenantState("t1"), TenantState("t2")
    for engine in engines.ENGINES:
        for name, factory in engine.state.items():
            assert name in names
            assert getattr(a, name) == factory() and getattr(a, name) is not getattr(b, name)


def test_the_projector_hands_each_event_to_the_engines_that_listen_to_it():
    state = TenantState("t1")
    touched, _ = projector.apply(state, "deals", "deal",
                                 event("deal", deal_id="d1", client_id="c1", stage="lead"))
    assert touched == [("deals", "d1")] and state.deals["d1"]["stage"] == "lead"
    # vendor compliance listens to clients as well as the core client projection
    assert {h.__module__ for h in engines.APPLY["client"]} == {"revloop.processors.vendor_compliance"}


def test_the_cycle_asks_every_engine_to_propose():
    h = Harness()
    events, _ = engines_scenario("t1")
    for type_name, e in events:
        h.feed(type_name, e)
    rules = {a["rule"].split(".")[0] for a in h.actions(tick_at(h, H0))}
    assert {"deals", "bids", "feedback", "compliance"} <= rules


def test_importing_an_engine_module_first_does_not_trip_over_the_registry():
    # TenantState is built from the registry: an engine importing it at run time would be circular.
    for name in engines.ENGINE_MODULES:
        code = f"import revloop.processors.{name}; from revloop.processors.state import TenantState; TenantState('t')"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-500:]
