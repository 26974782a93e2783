"""Per-tenant OAuth credentials for the Gmail connector.

Two sources, checked in this order:

1. Environment ``REVLOOP_GMAIL_TOKEN_<TENANT>`` (tenant id upper-cased, ``-`` as ``_``;
   only for ids made of letters, digits and ``-``, so that the name maps back to exactly
   one tenant: ``acme-x`` is ``..._ACME_X``, while ``acme.x`` and ``acme_x`` have no
   environment form and live in the file). The value is either a bare
   access token or a JSON object in the "authorized user" shape that
   ``Credentials.to_json()`` writes (``token``, ``refresh_token``, ``client_id``,
   ``client_secret``, ``token_uri``, ``scopes``).
2. The JSON file named by ``REVLOOP_SECRETS_FILE`` (mode 0600 expected; a
   warning is logged when group or others can read it)::

       {"tenants": {"acme": {"gmail": {"refresh_token": "...", "client_id": "...",
                                        "client_secret": "...", "token": "..."}}}}

   The ``"tenants"`` wrapper is optional: ``{"acme": {"gmail": {...}}}`` also works.
   Keys are exact tenant ids (revloop.schemas.admission's grammar); nothing is case-folded
   or trimmed.

Looked up by the exact tenant id, and :meth:`SecretStore.check` (run at start) refuses a
configuration in which a name could belong to another tenant: a file key or an
environment name that is no conforming tenant id (``ACME_X``, `` acme``, ``acme.x`` spelt
for the environment).

``REVLOOP_GMAIL_CLIENT_ID`` / ``REVLOOP_GMAIL_CLIENT_SECRET`` fill in the OAuth
client when a tenant entry names only tokens.

Secret values never reach events, logs, exception messages or reprs: they live
in :class:`GmailSecret`, whose ``repr`` is redacted, and every error raised here
names the source and the field, never the value.
"""
from __future__ import annotations

import json
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Mapping

from revloop.schemas.admission import tenant_id_problem

LOG = logging.getLogger(__name__)

SECRETS_FILE_ENV = "REVLOOP_SECRETS_FILE"
TOKEN_ENV_PREFIX = "REVLOOP_GMAIL_TOKEN_"
CLIENT_ID_ENV = "REVLOOP_GMAIL_CLIENT_ID"
CLIENT_SECRET_ENV = "REVLOOP_GMAIL_CLIENT_SECRET"
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"
GMAIL_READONLY_SCOPE = "https://www.googleapis.com/auth/gmail.readonly"

_REDACTED = "<redacted>"


class SecretStoreError(ValueError):
    """The secret store is unreadable or malformed. The message never holds a secret value."""


@dataclass(frozen=True)
class GmailSecret:
    """OAuth material for one tenant's Gmail mailbox(es). ``repr`` shows no secret."""

    tenant_id: str
    token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    client_id: str | None = field(default=None, repr=False)
    client_secret: str | None = field(default=None, repr=False)
    token_uri: str = DEFAULT_TOKEN_URI
    scopes: tuple[str, ...] = (GMAIL_READONLY_SCOPE,)
    source: str = ""

    def __repr__(self) -> str:
        def mark(value: str | None) -> str:
            return _REDACTED if value else "None"

        return (
            f"GmailSecret(tenant_id={self.tenant_id!r}, source={self.source!r}, token={mark(self.token)}, "
            f"refresh_token={mark(self.refresh_token)}, client_id={mark(self.client_id)}, "
            f"client_secret={mark(self.client_secret)}, token_uri={self.token_uri!r}, scopes={list(self.scopes)!r})"
        )

    __str__ = __repr__

    @property
    def usable(self) -> bool:
        """An access token, or everything needed to mint one."""
        return bool(self.token) or bool(self.refresh_token and self.client_id and self.client_secret)

    def to_credentials(self):
        """A ``google.oauth2.credentials.Credentials``; refreshes itself when it holds a refresh token."""
        from google.oauth2.credentials import Credentials

        return Credentials(
            token=self.token,
            refresh_token=self.refresh_token,
            token_uri=self.token_uri,
            client_id=self.client_id,
            client_secret=self.client_secret,
            scopes=list(self.scopes) or None,
        )


_ENV_SUFFIX = re.compile(r"[A-Z0-9][A-Z0-9_]*\Z")


def tenant_env_name(tenant_id: str) -> str | None:
    """The environment variable for a tenant's token; None when the id has no environment
    form (it holds '.' or '_', or breaks the grammar). Injective: see tenant_of_env_name."""
    if tenant_id_problem(tenant_id) or "." in tenant_id or "_" in tenant_id:
        return None
    return TOKEN_ENV_PREFIX + tenant_id.upper().replace("-", "_")


def tenant_of_env_name(name: str) -> str | None:
    """The one tenant an environment name belongs to, or None when it is no valid encoding."""
    suffix = name[len(TOKEN_ENV_PREFIX):] if name.startswith(TOKEN_ENV_PREFIX) else ""
    if not _ENV_SUFFIX.match(suffix):
        return None
    tenant = suffix.lower().replace("_", "-")
    return tenant if tenant_env_name(tenant) == name else None


class SecretStore:
    """Reads per-tenant Gmail OAuth secrets from the environment's Gmail variables and/or a 0600
    JSON file. `environ` holds those variables as Settings read them (Settings.gmail_secret_environ();
    this module never reads the process environment itself)."""

    def __init__(self, path: str | os.PathLike | None = None, environ: Mapping[str, str] | None = None):
        self._environ = {} if environ is None else environ
        if path is None:
            path = self._environ.get(SECRETS_FILE_ENV) or None
        self.path = os.fspath(path) if path is not None else None
        self._warned_mode = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "SecretStore":
        return cls(None, environ)

    def __repr__(self) -> str:
        return f"SecretStore(path={self.path!r})"

    # -- public API -----------------------------------------------------------------------

    def gmail_secret(self, tenant_id: str) -> GmailSecret | None:
        """The tenant's secret, or None when nothing is configured for it."""
        secret = self._from_env(tenant_id)
        if secret is None:
            secret = self._from_file(tenant_id)
        if secret is None or not secret.usable:
            return None
        return secret

    def gmail_credentials(self, tenant_id: str):
        """``google.oauth2.credentials.Credentials`` for the tenant, or None (= not_configured)."""
        secret = self.gmail_secret(tenant_id)
        return secret.to_credentials() if secret is not None else None

    def check(self) -> None:
        """Refuse, at start, a configuration where a secret could reach the wrong tenant."""
        problems = []
        for name in sorted(self._environ):
            if name.startswith(TOKEN_ENV_PREFIX) and tenant_of_env_name(name) is None:
                problems.append(f"environment variable {name} names no tenant exactly (tenant ids are "
                                "lower-case; only ids of letters, digits and '-' have an environment form)")
        if self.path and os.path.exists(self.path) and \
                os.stat(self.path).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            problems.append(f"secrets file {self.path} has mode {stat.S_IMODE(os.stat(self.path).st_mode):o}: "
                            "group or others can read it (chmod 600)")
        for key in sorted(self._read_file()):
            problem = tenant_id_problem(key)
            if problem:
                problems.append(f"secrets file {self.path}: key {key[:80]!r}: {problem}")
        if problems:
            raise SecretStoreError("; ".join(problems))

    def tenants(self) -> list[str]:
        """Tenant ids the file lists with a gmail entry (env-only tenants cannot be enumerated reliably)."""
        data = self._read_file()
        return sorted(t for t, entry in data.items() if isinstance(entry, dict) and isinstance(entry.get("gmail"), dict))

    # -- sources --------------------------------------------------------------------------

    def _defaults(self) -> dict:
        return {"client_id": self._environ.get(CLIENT_ID_ENV) or None,
                "client_secret": self._environ.get(CLIENT_SECRET_ENV) or None}

    def _from_env(self, tenant_id: str) -> GmailSecret | None:
        name = tenant_env_name(tenant_id)
        if name is None:
            return None
        raw = self._environ.get(name)
        if not raw or not raw.strip():
            return None
        raw = raw.strip()
        if raw.startswith("{"):
            try:
                entry = json.loads(raw)
            except ValueError:
                raise SecretStoreError(f"{name} looks like JSON but does not parse") from None
            return _secret_from_entry(tenant_id, entry, f"env:{name}", self._defaults())
        return GmailSecret(tenant_id=tenant_id, token=raw, source=f"env:{name}", **self._defaults())

    def _from_file(self, tenant_id: str) -> GmailSecret | None:
        entry = self._read_file().get(tenant_id)
        if not isinstance(entry, dict):
            return None
        gmail = entry.get("gmail")
        if not isinstance(gmail, dict):
            return None
        return _secret_from_entry(tenant_id, gmail, f"file:{self.path}", self._defaults())

    def _read_file(self) -> dict:
        if not self.path:
            return {}
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            LOG.warning("secrets file %s does not exist", self.path)
            return {}
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO) and not self._warned_mode:
            self._warned_mode = True
            LOG.warning("secrets file %s has mode %o; group/others can access it (expected 0600)",
                        self.path, stat.S_IMODE(st.st_mode))
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except ValueError as exc:
            # json's message names a position, never the document; still, build our own.
            lineno = getattr(exc, "lineno", "?")
            raise SecretStoreError(f"secrets file {self.path} is not valid JSON (line {lineno})") from None
        except OSError as exc:
            raise SecretStoreError(f"secrets file {self.path} is unreadable ({type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise SecretStoreError(f"secrets file {self.path} must hold a JSON object")
        tenants = data.get("tenants", data)
        return tenants if isinstance(tenants, dict) else {}


def _secret_from_entry(tenant_id: str, entry, source: str, defaults: dict) -> GmailSecret:
    if not isinstance(entry, dict):
        raise SecretStoreError(f"{source}: gmail entry for tenant {tenant_id!r} must be an object")

    def text(key: str) -> str | None:
        value = entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise SecretStoreError(f"{source}: field {key!r} for tenant {tenant_id!r} must be a string")
        return value.strip() or None

    scopes = entry.get("scopes") or [GMAIL_READONLY_SCOPE]
    if isinstance(scopes, str):
        scopes = scopes.split()
    return GmailSecret(
        tenant_id=tenant_id,
        token=text("token") or text("access_token"),
        refresh_token=text("refresh_token"),
        client_id=text("client_id") or defaults.get("client_id"),
        client_secret=text("client_secret") or defaults.get("client_secret"),
        token_uri=text("token_uri") or DEFAULT_TOKEN_URI,
        scopes=tuple(str(s) for s in scopes),
        source=source,
    )


def save_gmail_token(path: str | os.PathLike, tenant_id: str, authorized_user: dict) -> None:
    """Store a tenant's Gmail OAuth token (the "authorized user" shape Credentials.to_json()
    writes) in the secrets file: created 0600, replaced atomically, other tenants kept.
    Read back by SecretStore.gmail_secret. The values are never logged or raised."""
    path = os.fspath(path)
    if not isinstance(authorized_user, dict) or not (authorized_user.get("refresh_token") or authorized_user.get("token")):
        raise SecretStoreError(f"gmail token for tenant {tenant_id!r}: want a refresh_token or a token")
    data: dict = {}
    if os.path.exists(path):
        data = SecretStore(path, environ={})._read_file()
    entry = {k: authorized_user[k] for k in ("token", "refresh_token", "client_id", "client_secret", "token_uri",
                                             "scopes") if authorized_user.get(k) is not None}
    tenants = dict(data)
    tenants[tenant_id] = {**(tenants.get(tenant_id) if isinstance(tenants.get(tenant_id), dict) else {}),
                          "gmail": entry}
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"tenants": tenants}, fh, indent=2, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
