"""The one interface every engine (deals, bids, feedback, vendor compliance, cards, ...) offers.

An engine is a module that ends with `ENGINE = Engine(...)` and is listed in
processors.engines.ENGINE_MODULES. Everything that used to be wired by hand reads it:
the tenant state gets the engine's fields (`state`), the stores its tables (`tables`,
with `rows_of` naming the state attribute that holds each table's rows), the projector
calls `apply[type]` for each event type it listens to, and the hourly cycle asks it to
`propose` actions, then tells it what was decided (`note_decision`) and, when an
executor reports back, what happened (`note_outcome`).

Every hook is pure and idempotent, and must give the same rows whatever order the
topics are read in (live and replay interleave them differently). An engine module
imports TenantState only for annotations (under TYPE_CHECKING): TenantState is built
from this registry, so a runtime import would be circular.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from revloop.processors.rows import Touched
from revloop.processors.table_def import Table

State = Any    # processors.state.TenantState (assembled from the registry)


def _nothing(*_args) -> Touched:
    return []


@dataclass(frozen=True)
class Engine:
    name: str
    # Tenant-state attributes the engine keeps, each with the factory of its empty value
    # (plain data only: dicts, lists, sets, tuples, so state can be snapshotted).
    state: dict[str, Callable[[], Any]] = field(default_factory=dict)
    tables: tuple[Table, ...] = ()
    rows_of: dict[str, str] = field(default_factory=dict)       # table -> state attribute holding its rows
    # event type -> apply(state, event) -> rows touched. Core handlers of a type run first.
    apply: dict[str, Callable[[State, dict], Touched]] = field(default_factory=dict)
    # note_decision(state, action_decided event): any decision (approved, blocked, deferred).
    note_decision: Callable[[State, dict], Touched] = _nothing
    # note_outcome(state, action row, outcome): an executor's report on an approved action.
    # Called once both are known, whichever arrived first.
    note_outcome: Callable[[State, dict, dict], Touched] = _nothing
    # propose(state, tick, goals) -> proposals for the gate.
    propose: Callable[[State, dict, dict], list] | None = None
