"""Settings: every environment variable revloop reads, read here and only here, once.

Each field names its variable, its meaning and its default; the README's configuration
table lists the same variables (a test compares the two). Modules receive a Settings (or
the values they need from it) and never look at the environment themselves. Secrets
(passwords, API keys, HMAC keys, OAuth tokens) never appear in repr().
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any, Mapping

from revloop.schemas.admission import DEFAULT_MAX_SKEW_MS


class SettingsError(ValueError):
    """A variable holds a value revloop cannot use (the message names it, never a secret's value)."""


def _env(name: str | None, doc: str, default: Any = None, *, secret: bool = False, default_doc: str | None = None,
         choices: tuple[str, ...] | None = None, parse=None):
    """A field read from variable `name` (None: derived, not read). parse(text) -> value for
    fields whose type alone does not say how (raises ValueError with the reason)."""
    meta = {"env": name, "doc": doc, "secret": secret, "default_doc": default_doc, "choices": choices,
            "parse": parse}
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=meta, repr=not secret)
    return field(default=default, metadata=meta, repr=not secret)


SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
GMAIL_TOKEN_PREFIX = "REVLOOP_GMAIL_TOKEN_"


@dataclass(frozen=True)
class ConsoleSettings:
    """`revloop console`: the operator web application (revloop.console). Its Gmail client and
    folders are the ones Settings reads (filled in by Settings.from_env)."""
    host: str = _env("REVLOOP_CONSOLE_HOST", "address the console listens on (loopback unless told otherwise)",
                     "127.0.0.1")
    port: int = _env("REVLOOP_CONSOLE_PORT", "the console's port", 8780)
    users_file: str = _env("REVLOOP_CONSOLE_USERS", "console users: roles, tenants, scrypt password "
                           "hashes (JSON, 0600; never on the log)",
                           "var/console/users.json")
    session_key: bytes | None = _env("REVLOOP_CONSOLE_SECRET", "HMAC key of the console's session cookies and CSRF "
                                     "tokens, at least 32 bytes (never logged)", secret=True, default_doc="a random one per process",
                                     parse=lambda raw: raw.encode())
    session_minutes: int = _env("REVLOOP_CONSOLE_SESSION_MINUTES", "how long a console session lasts", 480)
    secure_cookies: bool = _env("REVLOOP_CONSOLE_SECURE_COOKIES", "`true` behind HTTPS (cookies marked Secure)",
                                False)
    audit_file: str = _env("REVLOOP_CONSOLE_AUDIT", "the console's audit trail (one JSON line per write or "
                           "refusal, with the user)",
                           "var/console/audit.jsonl")
    public_url: str | None = _env("REVLOOP_CONSOLE_URL", "the console's address as browsers reach it (the "
                                  "Gmail consent redirect)", default_doc="the request's host")
    gmail_client_id: str | None = _env(None, "Settings.gmail_client_id")
    gmail_client_secret: str | None = _env(None, "Settings.gmail_client_secret", secret=True)
    gmail_auth_uri: str = _env("REVLOOP_GMAIL_AUTH_URI", "Google's OAuth authorisation endpoint",
                               "https://accounts.google.com/o/oauth2/auth")
    gmail_token_uri: str = _env("REVLOOP_GMAIL_TOKEN_URI", "Google's OAuth token endpoint",
                                "https://oauth2.googleapis.com/token")
    secrets_file: str | None = _env(None, "Settings.secrets_file (where the Gmail consent's token is stored)")
    gmail_state_dir: str | None = _env(None, "Settings.gmail_state_dir")
    reader_passwords_dir: str = _env("REVLOOP_CONSOLE_READERS", "Postgres: a folder with each tenant's reader-role "
                                     "password in a file named as the tenant (`_global` for the global controls), as "
                                     "`revloop tenants grant-reader T --password-file` writes it", "var/console/readers")


@dataclass(frozen=True)
class Settings:
    # ---- Kafka
    bootstrap_servers: str = _env("KAFKA_BOOTSTRAP_SERVERS", "Kafka bootstrap servers (`host:port,...`); with an "
                                  "existing cluster nothing is started locally", "127.0.0.1:9092")
    topic_prefix: str = _env("REVLOOP_TOPIC_PREFIX", "prefix for every topic name (tests isolate with it)", "",
                             default_doc="none")
    partitions: int = _env("REVLOOP_PARTITIONS", "partitions for new topics (`control` always has 1)", 3)
    consumer_group: str = _env("REVLOOP_GROUP", "the worker's consumer group", "revloop-worker")
    security_protocol: str | None = _env("KAFKA_SECURITY_PROTOCOL", "`PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or "
                                         "`SASL_SSL`", default_doc="PLAINTEXT, or SASL_SSL when a SASL user is set",
                                         choices=SECURITY_PROTOCOLS)
    sasl_mechanism: str | None = _env("KAFKA_SASL_MECHANISM", "`PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`",
                                      default_doc="PLAIN when a SASL user is set", choices=SASL_MECHANISMS)
    sasl_username: str | None = _env("KAFKA_SASL_USERNAME", "SASL user", default_doc="unset")
    sasl_password: str | None = _env("KAFKA_SASL_PASSWORD", "SASL password (never logged)", secret=True,
                                     default_doc="unset")
    ssl_ca_location: str | None = _env("KAFKA_SSL_CA_LOCATION", "PEM file of the CA that signed the brokers' "
                                       "certificates", default_doc="the system's CAs")
    ssl_certificate_location: str | None = _env("KAFKA_SSL_CERTIFICATE_LOCATION", "client certificate (PEM) for "
                                                "mutual TLS", default_doc="unset")
    ssl_key_location: str | None = _env("KAFKA_SSL_KEY_LOCATION", "client private key (PEM) for mutual TLS",
                                        default_doc="unset")
    ssl_key_password: str | None = _env("KAFKA_SSL_KEY_PASSWORD", "password of the client key (never logged)",
                                        secret=True, default_doc="unset")
    ssl_check_hostname: bool = _env("KAFKA_SSL_CHECK_HOSTNAME", "verify that the broker's certificate names the "
                                    "host connected to (`false` only for a test CA)", True)
    client_properties_file: str | None = _env("KAFKA_CLIENT_PROPERTIES", "a librdkafka-style `client.properties` "
                                              "file (`key=value` lines, e.g. from a cloud provider); applied "
                                              "first, the variables above override it", default_doc="unset")
    client_properties: dict = _env(None, "the file's settings, read once", {}, secret=True)
    # ---- schema registry
    schema_registry_url: str | None = _env("SCHEMA_REGISTRY_URL", "a Confluent schema registry: switches the wire "
                                           "format to Confluent's (magic 0 + schema id)", default_doc="unset")
    schema_registry_user_info: str | None = _env("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "`user:password` for the "
                                                 "registry's basic auth (never logged)", secret=True,
                                                 default_doc="unset")
    schema_registry_ca_location: str | None = _env("SCHEMA_REGISTRY_SSL_CA_LOCATION", "CA file for an https "
                                                   "registry", default_doc="the system's CAs")
    schema_registry_certificate_location: str | None = _env("SCHEMA_REGISTRY_SSL_CERTIFICATE_LOCATION",
                                                            "client certificate for the registry (mutual TLS)",
                                                            default_doc="unset")
    schema_registry_key_location: str | None = _env("SCHEMA_REGISTRY_SSL_KEY_LOCATION", "client key for the "
                                                    "registry (mutual TLS)", default_doc="unset")
    # ---- stores
    store_url: str = _env("REVLOOP_STORE", "projection store: `duckdb:FILE` or `postgresql://...`",
                          "duckdb:revloop.duckdb")
    app_role: str = _env("REVLOOP_APP_ROLE", "the Postgres role the tenant-scoped (row-level security) grants "
                         "go to", "revloop_app")
    database_url: str | None = _env("DATABASE_URL", "a Postgres owner login: where `make run`'s live console phase "
                                    "projects (make exports the local server's; never logged)", secret=True,
                                    default_doc="unset (make: the local server)")
    db_admin_url: str | None = _env("DATABASE_URL_ADMIN", "a Postgres login with CREATEROLE, for provisioning "
                                    "tenants' reader roles (`revloop tenants`; never logged)", secret=True,
                                    default_doc="unset")
    snapshot_interval_s: float = _env("REVLOOP_SNAPSHOT_INTERVAL_S", "a DuckDB store publishes its read-only "
                                      "snapshot (`FILE.snapshot.duckdb`, what analysts, the report and the "
                                      "console open) at most this often, and at the end of a batch that "
                                      "changed rows", 5.0, parse=lambda raw: _positive_seconds(raw))
    replay_workers: int | None = _env("REVLOOP_REPLAY_WORKERS", "processes `revloop replay` splits a big log "
                                      "across, by partition number (1: one process)", default_doc="CPUs, at most 4")
    # ---- guardrails
    action_key: bytes | None = _env("REVLOOP_ACTION_KEY", "HMAC key (at least 16 bytes) the worker tags its "
                                    "decisions with and the executors verify; only those two hold it. The sender will "
                                    "not start without it; a worker without it emits untagged decisions, which "
                                    "executors refuse (never logged)", secret=True, default_doc="unset",
                                    parse=lambda raw: _action_key(raw))
    max_clock_skew_ms: int = _env("REVLOOP_MAX_CLOCK_SKEW_S", "seconds an event's `occurred_at` may be ahead of "
                                  "the clock (edges) or of the broker's append time (worker)",
                                  DEFAULT_MAX_SKEW_MS, default_doc=f"{DEFAULT_MAX_SKEW_MS // 1000}",
                                  parse=lambda raw: _seconds_to_ms(raw))
    # ---- Gmail
    mailboxes: str = _env("REVLOOP_MAILBOXES", "Gmail mailboxes to ingest, `tenant=address,...`", "",
                          default_doc="unset")
    secrets_file: str | None = _env("REVLOOP_SECRETS_FILE", "a 0600 JSON file of per-tenant Gmail OAuth "
                                    "credentials", default_doc="unset")
    gmail_tokens: dict = _env(GMAIL_TOKEN_PREFIX + "<TENANT>", "one tenant's Gmail OAuth credentials (JSON or a "
                              "refresh token), for ids of letters, digits and `-` (`acme-x` -> `..._ACME_X`); a name "
                              "that is no tenant id stops `revloop gmail` at start (never logged)", {}, secret=True,
                              default_doc="unset")
    gmail_client_id: str | None = _env("REVLOOP_GMAIL_CLIENT_ID", "OAuth client id for tenants whose credentials "
                                       "do not carry one", default_doc="unset")
    gmail_client_secret: str | None = _env("REVLOOP_GMAIL_CLIENT_SECRET", "OAuth client secret to go with it "
                                           "(never logged)", secret=True, default_doc="unset")
    gmail_state_dir: str = _env("REVLOOP_GMAIL_STATE_DIR", "where the Gmail poller keeps its history "
                                "checkpoints (SQLite)", os.path.join("var", "gmail"))
    mail_timezone: str = _env("REVLOOP_MAIL_TIMEZONE", "the firm's zone for a requested time (\"call me Thursday\"): "
                              "used when the message's Date header has no offset, and for the day named when the "
                              "header's offset is this zone's (a daylight-time change in between)", "America/New_York")
    # ---- sending
    resend_api_key: str | None = _env("RESEND_API_KEY", "Resend API key (never logged)", secret=True,
                                      default_doc="unset")
    resend_api_url: str | None = _env("RESEND_API_URL", "Resend API base URL", default_doc="Resend's")
    from_address: str = _env("REVLOOP_FROM", "sender address of outgoing email", "agent@revloop.example")
    postal_address: str = _env("REVLOOP_POSTAL_ADDRESS", "postal address in every email (CAN-SPAM)",
                               "revloop Appraisals, 100 Main St, Springfield")
    unsubscribe_url: str = _env("REVLOOP_UNSUBSCRIBE_URL", "public URL of the unsubscribe endpoint",
                                "http://127.0.0.1:8088/unsubscribe")
    unsubscribe_secret: str | None = _env("REVLOOP_UNSUBSCRIBE_SECRET", "HMAC key of unsubscribe links, at least "
                                          "16 bytes (never logged)", secret=True, default_doc="unset")
    resend_webhook_secret: str | None = _env("RESEND_WEBHOOK_SECRET", "svix signing secret of Resend's webhooks "
                                             "(never logged)", secret=True, default_doc="unset")
    # ---- the worker's state
    checkpoint_every: int = _env("REVLOOP_CHECKPOINT_EVERY", "the worker checkpoints its state (per partition) "
                                 "after this many applied records, or after REVLOOP_CHECKPOINT_SECONDS, whichever "
                                 "comes first; a restart reads only what came after the newest", 200_000)
    checkpoint_seconds: float = _env("REVLOOP_CHECKPOINT_SECONDS", "seconds between the worker's checkpoints (see "
                                     "REVLOOP_CHECKPOINT_EVERY)", 300.0,
                                     parse=lambda raw: _positive_float("REVLOOP_CHECKPOINT_SECONDS", raw))
    checkpoint_keep: int = _env("REVLOOP_CHECKPOINT_KEEP", "checkpoints kept per partition (older ones pruned)", 3)
    catch_up_threshold: int = _env("REVLOOP_CATCH_UP_THRESHOLD", "records behind beyond which the worker catches "
                                   "up through the batched reader (as replay does) before Faust takes the tail; "
                                   "the group's lag: each worker weighs its share of the partitions",
                                   10_000)
    catch_up_workers: int | None = _env("REVLOOP_CATCH_UP_WORKERS", "processes a long catch-up is split across, "
                                        "by partition number, as replay splits a log (1: the worker's own)",
                                        default_doc="CPUs, at most 4")
    catch_up_shard_min: int = _env("REVLOOP_CATCH_UP_SHARD_MIN", "records behind from which a catch-up is split "
                                   "across processes (below it, starting them costs more than they save)", 50_000)
    faust_datadir: str | None = _env("APP_DATADIR", "Faust's data folder (it holds nothing: tables are in memory, "
                                     "the state is in the store)", default_doc="`revloop-faust-<group>` in the temp dir")
    slow_step_s: float = _env("REVLOOP_SLOW_STEP_S", "a step of the worker's batch thread (a batch, the timer's "
                              "work, a catch-up) or its wait for that thread longer than this many seconds is "
                              "logged, naming the step: what a latency stall was", 0.5,
                              parse=lambda raw: _positive_float("REVLOOP_SLOW_STEP_S", raw))
    # Fault injection for tests only: a transactional producer (the worker's hourly cycle, the
    # sender) exits right after its N-th output message of a transaction reached the broker.
    fault_crash_after_outputs: int = _env("REVLOOP_FAULT_CRASH_AFTER_OUTPUTS", "tests only: the worker's tick "
                                          "producer or the sender exits right after its N-th output message of a "
                                          "transaction", 0, default_doc="unset")
    # ---- command line
    log_format: str = _env("REVLOOP_LOG_FORMAT", "`text` or `json` (one object per line), as `--log-format`",
                           "text", choices=("text", "json"))
    # ---- the console (its own variables, listed with the others)
    console: ConsoleSettings = field(default_factory=ConsoleSettings, metadata={"env": None, "nested": True})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Read every variable (an empty one counts as unset). Raises SettingsError naming
        the variable whose value cannot be used."""
        env = os.environ if environ is None else environ
        values = _read(cls, env)
        values["gmail_tokens"] = {k: v for k, v in env.items() if k.startswith(GMAIL_TOKEN_PREFIX) and v}
        if values.get("client_properties_file"):
            values["client_properties"] = read_client_properties(values["client_properties_file"])
            if "bootstrap_servers" not in values and "bootstrap.servers" in values["client_properties"]:
                values["bootstrap_servers"] = values["client_properties"]["bootstrap.servers"]
        settings = cls(**values)
        console = ConsoleSettings(**_read(ConsoleSettings, env), gmail_client_id=settings.gmail_client_id,
                                  gmail_client_secret=settings.gmail_client_secret,
                                  secrets_file=settings.secrets_file, gmail_state_dir=settings.gmail_state_dir)
        return replace(settings, console=console)

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def gmail_secret_environ(self) -> dict[str, str]:
        """The Gmail credential variables, in the shape connectors.secrets.SecretStore reads."""
        out = dict(self.gmail_tokens)
        if self.gmail_client_id:
            out["REVLOOP_GMAIL_CLIENT_ID"] = self.gmail_client_id
        if self.gmail_client_secret:
            out["REVLOOP_GMAIL_CLIENT_SECRET"] = self.gmail_client_secret
        if self.secrets_file:
            out["REVLOOP_SECRETS_FILE"] = self.secrets_file
        return out

    @classmethod
    def variables(cls) -> dict[str, dict]:
        """Variable name -> its field's documentation (for the README table and --help)."""
        out = {}
        for kind in (cls, ConsoleSettings):
            out.update({f.metadata["env"]: dict(f.metadata, field=f.name, default=f.default) for f in fields(kind)
                        if f.metadata.get("env") is not None})
        return out

    def as_environ(self) -> dict[str, str]:
        """The variables that reproduce these settings in a child process (what differs from
        the defaults), e.g. the demo's worker or a test's CLI run."""
        out = {}
        for obj, f in [(self, f) for f in fields(self)] + [(self.console, f) for f in fields(self.console)]:
            name, value = f.metadata.get("env"), getattr(obj, f.name)
            if name is None or value == f.default or (isinstance(value, dict) and not value):
                continue
            if f.name == "gmail_tokens":
                out.update(value)
            elif f.name == "max_clock_skew_ms":
                out[name] = str(value / 1000)
            elif isinstance(value, bool):
                out[name] = "true" if value else "false"
            elif isinstance(value, bytes):
                out[name] = value.decode("utf-8")
            else:
                out[name] = str(value)
        return out


def child_environ(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for a child revloop process that reads back exactly `settings`: `base`
    (default: this process's) without any revloop variable, plus settings.as_environ()."""
    base = os.environ if base is None else base
    ours = set(Settings.variables())
    env = {k: v for k, v in base.items() if k not in ours and not k.startswith(GMAIL_TOKEN_PREFIX)}
    env.update(settings.as_environ())
    return env


def _read(cls, env: Mapping[str, str]) -> dict[str, Any]:
    """The fields of `cls` whose variable is set (and not empty), parsed."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        name = f.metadata.get("env")
        if name is None or "<" in name:
            continue
        raw = env.get(name)
        if raw is None or raw.strip() == "":
            continue
        values[f.name] = _parse(f, name, raw.strip())
    return values


def _action_key(raw: str) -> bytes:
    from revloop.connectors.action_auth import ActionKeyError, action_key
    try:
        return action_key(raw)
    except ActionKeyError as exc:
        raise ValueError(str(exc)) from None


def _number(name: str, raw: str, what: str = "a number") -> float:
    """A variable's float value, or the one-line error every number setting gives."""
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not {what}") from None


def _positive_float(name: str, raw: str) -> float:
    value = _number(name, raw)
    if not 0 < value < float("inf"):
        raise ValueError(f"{name}={raw!r} must be above 0")
    return value


def _positive_seconds(raw: str) -> float:
    name = "REVLOOP_SNAPSHOT_INTERVAL_S"
    value = _number(name, raw, "a number of seconds")
    if not 0.1 <= value < float("inf"):
        raise ValueError(f"{name}={raw!r} must be at least 0.1 seconds")
    return value


def _seconds_to_ms(raw: str) -> int:
    name = "REVLOOP_MAX_CLOCK_SKEW_S"
    seconds = _number(name, raw, "a number of seconds")
    if not seconds >= 0 or seconds == float("inf"):
        raise ValueError(f"{name}={raw!r} must be zero or more seconds")
    return int(seconds * 1000)


def _parse(f, name: str, raw: str):
    if f.metadata["parse"] is not None:
        try:
            return f.metadata["parse"](raw)
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
    kind = str(f.type)
    if "int" in kind:
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name}={raw!r} is not a whole number") from None
        if value < 1:
            raise SettingsError(f"{name}={raw!r} must be at least 1")
        return value
    if "bool" in kind:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name}={raw!r} is not true or false")
    choices = f.metadata.get("choices")
    if choices:
        value = raw.upper() if choices[0].isupper() else raw.lower()
        if value not in choices:
            raise SettingsError(f"{name}={raw!r} is not one of {', '.join(choices)}")
        return value
    return raw


def read_client_properties(path: str) -> dict:
    """A librdkafka / Java-client style properties file: `key=value` (or `key: value`) lines,
    `#` and `!` comments. Values are kept as text; librdkafka parses them."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        raise SettingsError(f"KAFKA_CLIENT_PROPERTIES={path}: cannot read it ({exc.strerror})") from None
    out = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        sep = min((i for i in (line.find("="), line.find(":")) if i > 0), default=-1)
        if sep < 0:
            raise SettingsError(f"KAFKA_CLIENT_PROPERTIES={path}:{number}: not a key=value line")
        out[line[:sep].strip()] = line[sep + 1:].strip()
    return out
