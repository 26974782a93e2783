"""Decisions an executor can authenticate: an HMAC tag over an action_decided event.

Only the policy gate decides. Anyone who can write to the `actions` topic could
otherwise put an "approved" decision there and have an executor carry it out, so
the deciding worker tags each decision with HMAC-SHA256 over its content, keyed by
a secret that only the worker and the executors hold (``REVLOOP_ACTION_KEY``,
read once into Settings; never logged, never in an event), and an executor
refuses an approved action whose tag does not verify.

The tag covers every field of the event except the tag itself, in a canonical
JSON form (sorted keys, no whitespace, UTF-8), so changing the recipient, the
payload, the tenant or the decision breaks it. It is deterministic: the same
decision under the same key gets the same tag, so a replay stays byte-identical.
"""
from __future__ import annotations

import hashlib
import hmac
import json

TAG_FIELD = "auth_tag"
VERSION = "v1"
# Domain separation: a tag over some other kind of message never verifies as a decision's.
_CONTEXT = b"revloop.action_decided.v1\n"
MIN_KEY_BYTES = 16


class ActionKeyError(ValueError):
    """The configured key is unusable. The message never holds the key."""


def action_key(raw: str | bytes | None) -> bytes | None:
    """The key as configured (text or bytes) -> bytes; None when unset. Too short is refused:
    a short key can be guessed offline from one tagged decision."""
    if raw is None or raw == "" or raw == b"":
        return None
    key = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(key) < MIN_KEY_BYTES:
        raise ActionKeyError(f"REVLOOP_ACTION_KEY must be at least {MIN_KEY_BYTES} bytes")
    return key


def _content(action: dict) -> bytes:
    body = {k: v for k, v in action.items() if k != TAG_FIELD}
    return _CONTEXT + json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                                 allow_nan=False).encode("utf-8", "surrogatepass")


def tag(key: bytes, action: dict) -> str:
    return f"{VERSION}:" + hmac.new(key, _content(action), hashlib.sha256).hexdigest()


def sign(key: bytes, action: dict) -> dict:
    """The decision with its tag set (a new dict; the argument is left as it was)."""
    signed = dict(action)
    signed[TAG_FIELD] = tag(key, signed)
    return signed


def refusal(key: bytes, action: dict) -> str | None:
    """None when the action's tag verifies under key, else why not (one line, no secrets)."""
    given = action.get(TAG_FIELD)
    if not given:
        return "decision not authenticated: it carries no tag (not decided by the policy gate)"
    if not isinstance(given, str) or not given.startswith(f"{VERSION}:"):
        return "decision not authenticated: unknown tag format"
    if not hmac.compare_digest(given, tag(key, action)):
        return "decision not authenticated: its tag does not match its content (forged or altered)"
    return None
