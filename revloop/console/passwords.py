"""Password hashes: scrypt (RFC 7914) from the standard library, stored outside the log.

Format: ``scrypt$<log2 N>$<r>$<p>$<salt, base64>$<key, base64>``. N = 2^15, r = 8, p = 1 is
OWASP's floor for scrypt (32 MiB of memory per guess); each hash has its own 16-byte salt.
A check against an unknown user still costs one full derivation, so a wrong user name and
a wrong password take the same time.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

LOG2_N, R, P = 15, 8, 1
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024


def _derive(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=1 << log2_n, r=r, p=p,
                          maxmem=_MAXMEM, dklen=KEY_BYTES)


def hash_password(password: str, *, log2_n: int = LOG2_N) -> str:
    """A new hash (the cost travels in it, so a later, dearer default still verifies old ones)."""
    if not password:
        raise ValueError("a password may not be empty")
    salt = os.urandom(16)
    key = _derive(password, salt, log2_n, R, P)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${log2_n}${R}${P}${b64(salt)}${b64(key)}"


# A real hash of a random password: what an unknown user's password is checked against.
_DUMMY = None


def verify_password(password: str, stored: str | None) -> bool:
    global _DUMMY
    if stored is None:
        if _DUMMY is None:
            _DUMMY = hash_password(os.urandom(12).hex())
        stored, unknown = _DUMMY, True
    else:
        unknown = False
    try:
        scheme, log2_n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        log2_n, r, p = int(log2_n), int(r), int(p)
        if not (10 <= log2_n <= 20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False
        expected = base64.b64decode(key, validate=True)
        got = _derive(password, base64.b64decode(salt, validate=True), log2_n, r, p)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected) and not unknown
