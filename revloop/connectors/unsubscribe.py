"""One-click unsubscribe (RFC 8058): signed tokens, the headers, and the event an opt-out becomes.

A token carries the tenant and the address in the clear (base64url) plus an
HMAC-SHA256 over both, so the endpoint trusts it without a lookup and nobody can
unsubscribe an address they did not receive mail for. The key comes from the
environment (``REVLOOP_UNSUBSCRIBE_SECRET``) and is never logged or put in text.

An accepted unsubscribe becomes an ``email_outcome`` with outcome
``unsubscribed``; the projector turns that into suppression. Its event_id is
derived from tenant and address, so repeated clicks are duplicates.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

SECRET_ENV = "REVLOOP_UNSUBSCRIBE_SECRET"
MIN_SECRET_BYTES = 16
_DOMAIN = b"revloop-unsubscribe-v1"
_SEP = "\x1f"


class TokenError(ValueError):
    """The token is malformed or its signature does not match (message never holds the key)."""


def load_secret(value: str | None) -> bytes:
    """The configured HMAC key (Settings.unsubscribe_secret), checked."""
    value = value or ""
    if len(value.encode()) < MIN_SECRET_BYTES:
        raise RuntimeError(f"{SECRET_ENV} must be set to at least {MIN_SECRET_BYTES} bytes")
    return value.encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _mac(secret: bytes, tenant_id: str, email: str) -> bytes:
    return hmac.new(secret, _DOMAIN + b"\n" + f"{tenant_id}{_SEP}{email}".encode(), hashlib.sha256).digest()


def make_token(secret: bytes, tenant_id: str, email: str) -> str:
    email = normalize_email(email)
    if _SEP in tenant_id or _SEP in email or not tenant_id or "@" not in email:
        raise TokenError("tenant or address not encodable")
    return f"{_b64(f'{tenant_id}{_SEP}{email}'.encode())}.{_b64(_mac(secret, tenant_id, email))}"


def verify_token(secret: bytes, token: str) -> tuple[str, str]:
    """Return (tenant_id, email) or raise TokenError."""
    try:
        body, sig = token.split(".", 1)
        tenant_id, email = _unb64(body).decode("utf-8").split(_SEP, 1)
        given = _unb64(sig)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenError("malformed token") from exc
    if not hmac.compare_digest(given, _mac(secret, tenant_id, email)):
        raise TokenError("bad token signature")
    return tenant_id, email


def unsubscribe_url(base_url: str, token: str) -> str:
    return f"{base_url}{'&' if '?' in base_url else '?'}t={token}"


def list_unsubscribe_headers(base_url: str, token: str) -> dict[str, str]:
    """RFC 8058 one-click headers (RFC 2369 List-Unsubscribe with an https URI)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(base_url, token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribed_event(tenant_id: str, email: str, *, at_ms: int, via: str) -> dict:
    """The email_outcome an accepted unsubscribe produces."""
    email = normalize_email(email)
    digest = hashlib.sha256(f"{tenant_id}{_SEP}{email}".encode()).hexdigest()[:32]
    return {
        "event_id": f"unsubscribed:{digest}",
        "tenant_id": tenant_id,
        "occurred_at": int(at_ms),
        "outcome": "unsubscribed",
        "recipient": email,
        "action_id": None,
        "provider_message_id": None,
        "bounce_type": None,
        "detail": f"unsubscribe via {via}",
    }
