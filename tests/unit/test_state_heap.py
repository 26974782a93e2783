"""The batched reader freezes the state it has read out of the cyclic collector's sight
(streams.log_reader.settle). That frees nothing late only if projecting and deciding make no
cyclic garbage: this builds a tenant from the demo's generator and runs its hourly cycle with
the collector off, then asks the collector what it would have found."""
import gc

from revloop.processors.cycle import run_tick
from revloop.streams.demo_data import HOUR, generate
from revloop.streams.pipeline import Pipeline
from revloop.streams.tick_producer import tick_event
from revloop.streams.topics import topic_for

BASE_MS = 1_790_000_000_000 // HOUR * HOUR


def _unreachable_cycles(work) -> list:
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        work()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()
    return found


def test_projecting_and_deciding_make_no_cyclic_garbage():
    events = generate(["heap-a", "heap-b"], 400, BASE_MS, 3)
    pipeline = Pipeline()
    half = len(events) // 2

    def work(part, hours):
        for type_name, event in part:
            pipeline.apply_event(topic_for(type_name, event), type_name, event)
        pipeline.take_changes(as_tuples=True)
        for tenant in ("heap-a", "heap-b"):
            for hour in hours:
                pipeline.decide(tick_event(tenant, BASE_MS + hour * HOUR))
        pipeline.take_changes()

    # The first pass imports what deciding uses (importlib.metadata leaves a few cycles, once).
    work(events[:half], (1,))
    garbage = _unreachable_cycles(lambda: work(events[half:], (2, 3)))
    assert len(events) > 1500 and pipeline.states["heap-a"].contacts
    assert garbage == [], f"{len(garbage)} object(s) in reference cycles, e.g. {[type(o).__name__ for o in garbage[:5]]}"


def test_the_check_sees_a_cycle_when_there_is_one():
    class Node:
        pass

    def work():
        a, b = Node(), Node()
        a.other, b.other = b, a

    assert any(isinstance(o, dict) or type(o).__name__ == "Node" for o in _unreachable_cycles(work))
