"""Who may sign in, with which role, for which tenants.

The users file (JSON, mode 0600) holds each login's password hash and the tenants it is
granted; hashes never enter the log. The file is re-read when it changes, so `revloop
console user add` takes effect without a restart. Two kinds of entry:

* directory-backed (no "role"): the login is a person's email in the tenants' directory
  (the `people` projection, from `person` events). The person's name and role come from
  there, per tenant: a tenant whose directory has no active person of that email is not
  held, and the console role is the highest of the person's roles that is one (admin,
  operator), else viewer.

      {"users": {"dee@firm.example": {"tenants": ["acme-appraisals"], "password": "scrypt$..."}}}

* stand-alone (with "role"): name, email and role in the file itself (the first admin,
  service accounts, a store with no directory yet).

      {"users": {"ana": {"name": "Ana Ops", "role": "operator", "tenants": ["acme-appraisals"],
                         "password": "scrypt$15$8$1$..."}}}

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
    directory: bool = False            # name, role and tenants come from the people directory

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
    directory = entry.get("role") is None
    role = entry.get("role") or "viewer"
    if role not in ROLES:
        raise UsersFileError(f"user {login!r}: role {role!r} is not one of {', '.join(ROLES)}")
    tenants = entry.get("tenants", [])
    if not isinstance(tenants, list) or not all(isinstance(t, str) and t and t != "*" for t in tenants):
        raise UsersFileError(f"user {login!r}: tenants must be a list of tenant ids")
    password = entry.get("password")
    if password is not None and not isinstance(password, str):
        raise UsersFileError(f"user {login!r}: password must be a hash string")
    return User(login, str(entry.get("name") or login), str(entry.get("email") or ""), role,
                tuple(tenants), password, directory)


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


class DirectoryUsers:
    """FileUsers, with directory-backed entries resolved against the people projection
    (cached for `ttl_s`, so a page view does not query the directory each time)."""

    def __init__(self, file_users: FileUsers, reader, *, ttl_s: float = 30.0, clock=None):
        import time

        self.file, self.reader, self.ttl_s = file_users, reader, ttl_s
        self._clock = clock or time.monotonic
        self._cache: dict[tuple, tuple[float, User | None]] = {}
        self._lock = threading.Lock()

    def get(self, login: str) -> User | None:
        user = self.file.get(login)
        if user is None or not user.directory:
            return user
        key, now = (login, user.password_hash, user.tenants), self._clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit and now - hit[0] < self.ttl_s:
                return hit[1]
        resolved = self._resolve(user)
        with self._lock:
            self._cache[key] = (now, resolved)
        return resolved

    def _resolve(self, user: User) -> User | None:
        held, roles, name = [], set(), None
        for tenant in user.tenants:
            try:
                person = self.reader.one(tenant, "SELECT name, email, roles FROM people WHERE tenant_id = ? "
                                                 "AND email = ? AND active ORDER BY person_id LIMIT 1",
                                         (tenant, user.login.lower()))
            except Exception:           # no reader for that tenant, or no directory table yet
                person = None
            if person:
                held.append(tenant)
                roles.update(person.get("roles") or [])
                name = name or person.get("name")
        if not held:
            return None                 # in no tenant's directory: cannot sign in
        role = "admin" if "admin" in roles else "operator" if "operator" in roles else "viewer"
        return User(user.login, name or user.login, user.login.lower(), role, tuple(held), user.password_hash,
                    directory=True)


def write_user(path: str, login: str, *, role: str | None, tenants: list[str], password_hash: str,
               name: str | None = None, email: str | None = None) -> None:
    """Add or replace one user in the file (created 0600), atomically. role None: a
    directory-backed login (its email; name and role from the tenants' people)."""
    data = {"users": {}}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        data.setdefault("users", {})
    entry = ({"tenants": tenants, "password": password_hash} if role is None else
             {"name": name or login, "email": email or "", "role": role, "tenants": tenants, "password": password_hash})
    _user(login, entry)          # validate before writing
    data["users"][login] = entry
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
    os.replace(tmp, path)
