"""Settings from the environment, read once at the edge (never inside processors)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from revloop.connectors.action_auth import action_key
from revloop.schemas.admission import DEFAULT_MAX_SKEW_MS


@dataclass(frozen=True)
class ConsoleSettings:
    """`revloop console`: the operator web application (revloop.console)."""
    host: str = "127.0.0.1"                     # loopback unless told otherwise
    port: int = 8780
    users_file: str = "var/console/users.json"  # identities, roles, tenants, password hashes (0600)
    # HMAC key of the session cookies (at least 32 bytes); unset: a random one per process.
    session_key: bytes | None = field(default=None, repr=False)
    session_minutes: int = 480
    secure_cookies: bool = False                # set when served over HTTPS
    audit_file: str = "var/console/audit.jsonl"
    public_url: str | None = None               # the console's address as browsers reach it (OAuth redirect)
    gmail_client_id: str | None = None
    gmail_client_secret: str | None = field(default=None, repr=False)
    gmail_auth_uri: str = "https://accounts.google.com/o/oauth2/auth"
    gmail_token_uri: str = "https://oauth2.googleapis.com/token"
    secrets_file: str | None = None             # where the Gmail consent's token is stored
    gmail_state_dir: str | None = None
    # Postgres: a folder with one file per tenant (named as the tenant id, mode 0600) holding
    # its reader role's password, as `revloop tenants grant-reader T --password-file` writes it.
    reader_passwords_dir: str = "var/console/readers"

    @classmethod
    def from_env(cls, env) -> "ConsoleSettings":
        key = env.get("REVLOOP_CONSOLE_SECRET") or None
        return cls(
            host=env.get("REVLOOP_CONSOLE_HOST", "127.0.0.1"),
            port=int(env.get("REVLOOP_CONSOLE_PORT", "8780")),
            users_file=env.get("REVLOOP_CONSOLE_USERS", "var/console/users.json"),
            session_key=key.encode() if key else None,
            session_minutes=int(env.get("REVLOOP_CONSOLE_SESSION_MINUTES", "480")),
            secure_cookies=env.get("REVLOOP_CONSOLE_SECURE_COOKIES", "") in ("1", "true", "yes"),
            audit_file=env.get("REVLOOP_CONSOLE_AUDIT", "var/console/audit.jsonl"),
            public_url=env.get("REVLOOP_CONSOLE_URL") or None,
            gmail_client_id=env.get("REVLOOP_GMAIL_CLIENT_ID") or None,
            gmail_client_secret=env.get("REVLOOP_GMAIL_CLIENT_SECRET") or None,
            gmail_auth_uri=env.get("REVLOOP_GMAIL_AUTH_URI", cls.gmail_auth_uri),
            gmail_token_uri=env.get("REVLOOP_GMAIL_TOKEN_URI", cls.gmail_token_uri),
            secrets_file=env.get("REVLOOP_SECRETS_FILE") or None,
            gmail_state_dir=env.get("REVLOOP_GMAIL_STATE_DIR") or None,
            reader_passwords_dir=env.get("REVLOOP_CONSOLE_READERS", "var/console/readers"),
        )


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    partitions: int = 3
    schema_registry_url: str | None = None
    store_url: str = "duckdb:revloop.duckdb"
    consumer_group: str = "revloop-worker"
    # HMAC key for decisions (revloop.connectors.action_auth): the worker tags, executors verify.
    # Never printed: repr=False, and nothing logs Settings' fields one by one.
    action_key: bytes | None = field(default=None, repr=False)
    # How far ahead of the clock an event's occurred_at may be, at the edges (import, Gmail,
    # webhooks, console) and in the worker against the broker's append time.
    max_clock_skew_ms: int = DEFAULT_MAX_SKEW_MS
    # A Postgres role with CREATEROLE, for provisioning tenants' reader roles (pg_tenants).
    db_admin_url: str | None = field(default=None, repr=False)
    console: ConsoleSettings = field(default_factory=ConsoleSettings)
    # The zone requested times are resolved in when a message's Date header gives no offset.
    mail_timezone: str = "America/New_York"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        env = os.environ if environ is None else environ
        return cls(
            bootstrap_servers=env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            topic_prefix=env.get("REVLOOP_TOPIC_PREFIX", ""),
            partitions=int(env.get("REVLOOP_PARTITIONS", "3")),
            schema_registry_url=env.get("SCHEMA_REGISTRY_URL") or None,
            store_url=env.get("REVLOOP_STORE", "duckdb:revloop.duckdb"),
            consumer_group=env.get("REVLOOP_GROUP", "revloop-worker"),
            action_key=action_key(env.get("REVLOOP_ACTION_KEY")),
            db_admin_url=env.get("DATABASE_URL_ADMIN") or None,
            max_clock_skew_ms=int(float(env.get("REVLOOP_MAX_CLOCK_SKEW_S", DEFAULT_MAX_SKEW_MS / 1000)) * 1000),
            console=ConsoleSettings.from_env(env),
            mail_timezone=env.get("REVLOOP_MAIL_TIMEZONE", "America/New_York"),
        )

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"
