"""json.dumps(value, sort_keys=True, ensure_ascii=False), byte for byte, without building an
encoder per call: the stores' json columns are written this way, once per row, where json.dumps'
per-call set-up is half the cost. (Warehouse payloads are orjson's compact text: processors.warehouse.)"""
from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring


def _not_serializable(value):
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


if c_make_encoder is not None:
    # No circular check (markers None): what we write are trees of events and state rows.
    _encoder = c_make_encoder(None, _not_serializable, encode_basestring, None, ": ", ", ", True, False, True)

    def dumps(value) -> str:
        return "".join(_encoder(value, 0))
else:  # pragma: no cover - CPython always has the C encoder
    dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
