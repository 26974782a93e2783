"""The card queue from the log, and answers to it on the log: what `revloop cards` and the demo's
simulated operator use (the console answers through the same processors.cards.decide).

The state comes from reading every topic to its end, so an answer is judged against the
log as it stands (an order changed since its fix was proposed is refused); the answer and
its effect (the corrected order, the deal's next stage) are produced together, and a
refused answer writes nothing.
"""
from __future__ import annotations

import time

from revloop.processors import cards
from revloop.processors.controls import effective_controls
from revloop.schemas.admission import check_admissible

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.kafka_io import flush_or_raise, producer
from revloop.streams.log_reader import end_offsets, read_until
from revloop.streams.pipeline import Pipeline
from revloop.streams.topics import TOPICS, topic_for

MIN_PREFIX = 6     # a card may be named by a unique prefix of its id, as a commit is


class Desk:
    def __init__(self, settings: Settings, topics: tuple[str, ...] | None = None):
        """``topics``: what to read (every topic by default); the demo's operator reads only what
        cards and their effects depend on."""
        self.settings = settings
        self.topics = topics or tuple(t.name for t in TOPICS)
        self.codec = kafka_clients.codec(settings)
        self.view = Pipeline(self.codec, max_skew_ms=settings.max_clock_skew_ms)
        self.positions: dict[tuple[str, int], int] = {}

    def load(self) -> "Desk":
        """Read the log to its end (from where the last load stopped)."""
        probe = kafka_clients.consumer(self.settings, "revloop-cards-probe")
        try:
            stop_at = end_offsets(probe, self.settings, self.topics)
        finally:
            probe.close()
        read_until(self.settings, stop_at, self.view, start_at=self.positions)
        self.positions.update(stop_at)
        return self

    def cards(self, tenant: str | None = None, status: str | None = None) -> list[dict]:
        rows = [c for t, st in sorted(self.view.states.items()) if tenant in (None, t) for c in st.cards.values()]
        return sorted((c for c in rows if status in (None, c["status"])),
                      key=lambda c: (c["status"] != cards.OPEN, c["due_at"], c["card_id"]))

    def resolve(self, tenant: str, ref: str) -> str:
        """A card id from an id or a unique prefix; a card of another tenant is named as such."""
        ref = ref.strip().lower()
        mine = self.view.state(tenant).cards
        if ref in mine:
            return ref
        matches = [cid for cid in mine if len(ref) >= MIN_PREFIX and cid.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise cards.CardError(f"{ref} names {len(matches)} cards of tenant {tenant}: give more of the id")
        for other, st in sorted(self.view.states.items()):
            if other != tenant and any(cid == ref or (len(ref) >= MIN_PREFIX and cid.startswith(ref))
                                       for cid in st.cards):
                raise cards.CardError(f"card {ref} belongs to another tenant, not {tenant}")
        raise cards.CardError(f"no card {ref} for tenant {tenant}")

    def answer(self, tenant: str, ref: str, decision: str, by: str, note: str | None = None,
               at: int | None = None) -> list[tuple[str, dict]]:
        """Judge and write one answer; raises CardError (nothing written) when it cannot be taken."""
        card_id = self.resolve(tenant, ref)
        state = self.view.state(tenant)
        global_row = self.view.states["*"].controls if "*" in self.view.states else None
        now = int(time.time() * 1000)
        events = cards.decide(state, effective_controls(global_row, state.controls), card_id, decision, by, note,
                              now if at is None else at)
        for type_name, event in events:
            check_admissible(type_name, event, now_ms=now, max_skew_ms=self.settings.max_clock_skew_ms)
        p = producer(self.settings)
        for type_name, event in events:
            p.produce(self.settings.topic(topic_for(type_name, event)), key=tenant.encode(),
                      value=self.codec.encode(type_name, event))
        flush_or_raise(p)
        for type_name, event in events:     # so a second answer in the same run sees this one
            self.view.apply_event(topic_for(type_name, event), type_name, event)
        return events
