"""What the edges refuse to put on the log (revloop.schemas.admission)."""
from __future__ import annotations

from revloop.schemas.admission import DERIVED_TYPES
from revloop.streams.topics import BY_NAME, OUTPUT_TOPICS


def test_the_types_import_refuses_are_every_output_type_plus_ticks_and_dead_letters():
    outputs = {t for name in OUTPUT_TOPICS for t in BY_NAME[name].event_types}
    assert DERIVED_TYPES == outputs | {"tick", "dead_letter"}
