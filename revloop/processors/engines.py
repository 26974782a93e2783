"""The engine registry: the one list the state, the stores, the projector and the cycle loop over.

A new engine is one new module (see processors.engine) whose name is added here. The
order is the order proposals are gathered and hooks are called in, so it is part of
what makes a tick's output byte-identical on replay: append, do not reorder.
"""
from __future__ import annotations

import importlib

from revloop.processors.engine import Engine
from revloop.processors.rows import Touched

ENGINE_MODULES = ("deals", "bids", "feedback", "vendor_compliance", "templates", "people", "cards", "replies",
                  "sending_schedule", "threads", "sending_brake", "broadcasts")

ENGINES: tuple[Engine, ...] = tuple(importlib.import_module(f"revloop.processors.{name}").ENGINE
                                    for name in ENGINE_MODULES)


def _handlers() -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for engine in ENGINES:
        for type_name, handler in engine.apply.items():
            out[type_name] = out.get(type_name, ()) + (handler,)
    return out


APPLY: dict[str, tuple] = _handlers()
_DECISION_HOOKS = tuple(e.note_decision for e in ENGINES)
_OUTCOME_HOOKS = tuple(e.note_outcome for e in ENGINES)


def state_fields() -> list[tuple[str, object]]:
    seen: dict[str, str] = {}
    out = []
    for engine in ENGINES:
        for name, factory in engine.state.items():
            if name in seen:
                raise ValueError(f"engines {seen[name]} and {engine.name} both keep state.{name}")
            seen[name] = engine.name
            out.append((name, factory))
    return out


def apply(state, type_name: str, event: dict) -> Touched:
    touched: Touched = []
    for handler in APPLY.get(type_name, ()):
        touched += handler(state, event)
    return touched


def note_decision(state, event: dict) -> Touched:
    touched: Touched = []
    for hook in _DECISION_HOOKS:
        touched += hook(state, event)
    return touched


def note_outcome(state, action: dict, outcome: dict) -> Touched:
    touched: Touched = []
    for hook in _OUTCOME_HOOKS:
        touched += hook(state, action, outcome)
    return touched


def proposals(state, tick: dict, goals: dict) -> list:
    out: list = []
    for engine in ENGINES:
        if engine.propose is not None:
            out += engine.propose(state, tick, goals)
    return out
