"""Who may sign in, with which role, for which tenants.

Identities come from a users file (JSON, mode 0600) that also holds each password hash;
hashes never enter the log. The file is re-read when it changes, so `revloop console user
add` takes effect without a restart.

    {"users": {"ana": {"name": "Ana Ops", "email": "ana@firm.example", "role": "operator",
                       "tenants": ["acme-appraisals"], "password": "scrypt$15$8$1$..."}}}

Roles, each including the one before: viewer (reads every page of its tenants), operator
(decides cards, sets its tenants' controls), admin (also the global controls).
"""
from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass

ROLES = ("viewer", "operator", "admin")
LOGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


class UsersFileError(ValueError):
    pass


@dataclass(frozen=True)
class User:
    login: str
    name: str
    email: str
    role: str
    tenants: tuple[str, ...]
    password_hash: str | None = None

    def __repr__(self) -> str:
        return f"User({self.login!r}, role={self.role!r}, tenants={self.tenants!r})"

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    def holds(self, tenant_id: str) -> bool:
        return tenant_id in self.tenants


def _user(login: str, entry) -> User:
    if not LOGIN_RE.match(login):
        raise UsersFileError(f"user {login!r}: a login is letters, digits and . _ @ + -")
    if not isinstance(entry, dict):
        raise UsersFileError(f"user {login!r}: want an object")
    role = entry.get("role", "viewer")
    if role not in ROLES:
        raise UsersFileError(f"user {login!r}: role {role!r} is not one of {', '.join(ROLES)}")
    tenants = entry.get("tenants", [])
    if not isinstance(tenants, list) or not all(isinstance(t, str) and t and t != "*" for t in tenants):
        raise UsersFileError(f"user {login!r}: tenants must be a list of tenant ids")
    password = entry.get("password")
    if password is not None and not isinstance(password, str):
        raise UsersFileError(f"user {login!r}: password must be a hash string")
    return User(login, str(entry.get("name") or login), str(entry.get("email") or ""), role,
                tuple(tenants), password)


def parse_users(data) -> dict[str, User]:
    users = data.get("users", data) if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise UsersFileError('want {"users": {login: {...}}}')
    return {login: _user(login, entry) for login, entry in users.items()}


class FileUsers:
    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._stamp = None
        self._users: dict[str, User] = {}

    def _load(self) -> dict[str, User]:
        with self._lock:
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                self._stamp, self._users = None, {}
                return self._users
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
            if stamp != self._stamp:
                with open(self.path, encoding="utf-8") as fh:
                    try:
                        data = json.load(fh)
                    except ValueError as exc:
                        raise UsersFileError(f"{self.path}: not JSON ({exc})") from None
                self._users, self._stamp = parse_users(data), stamp
            return self._users

    def get(self, login: str) -> User | None:
        return self._load().get(login)

    def all(self) -> list[User]:
        return sorted(self._load().values(), key=lambda u: u.login)


def write_user(path: str, login: str, *, role: str, tenants: list[str], password_hash: str,
               name: str | None = None, email: str | None = None) -> None:
    """Add or replace one user in the file (created 0600), atomically."""
    data = {"users": {}}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        data.setdefault("users", {})
    entry = {"name": name or login, "email": email or "", "role": role, "tenants": tenants,
             "password": password_hash}
    _user(login, entry)          # validate before writing
    data["users"][login] = entry
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
    os.replace(tmp, path)
