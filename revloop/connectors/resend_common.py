"""Small helpers shared by the Resend sender and the webhook mapping."""
from __future__ import annotations

import base64
import re
import time
from datetime import datetime

# Resend tag names and values: ASCII letters, digits, "_" and "-", at most 256 characters.
_TAG_OK = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TAG_B64 = "b64-"

TAG_TENANT = "tenant_id"
TAG_ACTION = "action_id"


def epoch_ms() -> int:
    return int(time.time() * 1000)


def encode_tag_value(value: str) -> str:
    """Make any string a legal Resend tag value, reversibly (see decode_tag_value)."""
    if _TAG_OK.match(value) and not value.startswith(_TAG_B64):
        return value
    encoded = _TAG_B64 + base64.urlsafe_b64encode(value.encode()).rstrip(b"=").decode("ascii")
    if len(encoded) > 256:
        raise ValueError("tag value too long to encode")
    return encoded


def decode_tag_value(value: str) -> str:
    if value.startswith(_TAG_B64):
        raw = value[len(_TAG_B64):]
        try:
            return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return value
    return value


def iso_to_ms(value: object) -> int | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    return int(dt.timestamp() * 1000)


def scrub(text: str, *secrets: str | bytes | None) -> str:
    """Replace every given secret in text (an exception message, a log line) with ***."""
    for secret in secrets:
        if not secret:
            continue
        s = secret.decode(errors="ignore") if isinstance(secret, bytes) else secret
        if s:
            text = text.replace(s, "***")
    return text
