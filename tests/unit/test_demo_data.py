"""streams.demo_data.generate: same seed, same events (digests of the book as it now is: people,
templates, limited_live, vendor items, bids and deals with contacts), and linear in the book size."""
from __future__ import annotations

import hashlib
import time

import pytest

from revloop.streams.demo_data import generate


@pytest.mark.parametrize("args, digest", [
    ((["acme", "keystone"], 600, 1_700_000_000_000, 7),
     "9f0cc99cdce6d8c94530a09499a315ed2be02efb0095b983ab8f933ca9be5ebb"),
    ((["solo"], 2000, 1_750_000_000_000, 3),
     "0f75e5e4990ef44352a83cb3cf5a37a6a4592ecfbcd840f650c85080a771801a"),
])
def test_the_same_seed_gives_the_same_events(args, digest):
    assert hashlib.sha256(repr(generate(*args)).encode()).hexdigest() == digest


def test_generate_is_not_quadratic():
    # The old per-message scan of every event so far took ~36 s at 40k contacts.
    started = time.perf_counter()
    generate(["a"], 40_000, 1_700_000_000_000)
    assert time.perf_counter() - started < 15
