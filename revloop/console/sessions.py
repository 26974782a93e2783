"""Signed-cookie sessions and CSRF tokens (HMAC-SHA256 under the console's secret).

A cookie is ``base64url(JSON payload) "." base64url(HMAC(key, first part))``: the server keeps
no session table, a cookie cannot be altered without the key, and it carries its own expiry
(checked on every request, so a stolen old cookie stops working on time). Each session has a
random id; its CSRF token is HMAC(key, "csrf:" + id), so a form token is bound to one session
and a token from another session, or none, is refused. The sign-in form gets the same
protection from a short-lived pre-session cookie.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

SESSION_COOKIE = "revloop_session"
LOGIN_COOKIE = "revloop_login"


class BadCookie(ValueError):
    """Missing, forged, malformed or expired: the request is treated as signed out."""


class Expired(BadCookie):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Session:
    user: str
    sid: str
    issued_at: int
    expires_at: int


class Signer:
    def __init__(self, key: bytes):
        if len(key) < 32:
            raise ValueError("the console's session key must be at least 32 bytes")
        self._key = key

    def __repr__(self) -> str:
        return "Signer(<key>)"

    def _mac(self, text: str) -> str:
        return _b64(hmac.new(self._key, text.encode("ascii"), hashlib.sha256).digest())

    def sign(self, payload: dict) -> str:
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        return f"{body}.{self._mac(body)}"

    def unsign(self, value: str | None, now_s: int) -> dict:
        if not value or value.count(".") != 1:
            raise BadCookie("no cookie")
        body, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac(body)):
            raise BadCookie("bad signature")
        try:
            payload = json.loads(_unb64(body))
            expires = int(payload["exp"])
        except (ValueError, KeyError, TypeError):
            raise BadCookie("malformed") from None
        if now_s >= expires:
            raise Expired("expired")
        return payload

    # -- sessions ----------------------------------------------------------------------------
    def new_session(self, user: str, now_s: int, lifetime_s: int) -> tuple[Session, str]:
        session = Session(user, os.urandom(16).hex(), now_s, now_s + lifetime_s)
        return session, self.sign({"u": user, "sid": session.sid, "iat": now_s, "exp": session.expires_at})

    def session(self, value: str | None, now_s: int) -> Session:
        p = self.unsign(value, now_s)
        if not isinstance(p.get("u"), str) or not isinstance(p.get("sid"), str):
            raise BadCookie("malformed")
        return Session(p["u"], p["sid"], int(p.get("iat", 0)), int(p["exp"]))

    # -- CSRF --------------------------------------------------------------------------------
    def csrf_token(self, sid: str) -> str:
        return self._mac("csrf:" + sid)

    def csrf_ok(self, sid: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(token, self.csrf_token(sid))

    def new_login_nonce(self, now_s: int, lifetime_s: int = 900) -> tuple[str, str]:
        """(nonce, cookie value) for the sign-in form's CSRF token."""
        nonce = os.urandom(16).hex()
        return nonce, self.sign({"sid": nonce, "exp": now_s + lifetime_s})
