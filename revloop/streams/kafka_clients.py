"""The one place Kafka clients are built: every consumer, producer and admin client
(confluent-kafka), the Faust app's broker options (aiokafka) and the schema registry
client come from Settings here, so connection, security and tuning are set once.

Security, in order of precedence (later wins): a librdkafka-style properties file
(KAFKA_CLIENT_PROPERTIES), then the KAFKA_SECURITY_PROTOCOL / KAFKA_SASL_* /
KAFKA_SSL_* variables. The resulting librdkafka configuration is the single truth;
the aiokafka side (Faust) is derived from it, so both speak to the cluster the same way.
"""
from __future__ import annotations

import logging
import ssl
import threading
import time
import zlib

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient

from revloop.streams.config import Settings, SettingsError

# Keys of a client.properties file that configure the schema registry client, not librdkafka
# (Confluent Cloud's downloadable file mixes both).
_REGISTRY_KEYS = {"schema.registry.url": "url", "basic.auth.user.info": "basic.auth.user.info",
                  "schema.registry.basic.auth.user.info": "basic.auth.user.info",
                  "schema.registry.ssl.ca.location": "ssl.ca.location",
                  "schema.registry.ssl.certificate.location": "ssl.certificate.location",
                  "schema.registry.ssl.key.location": "ssl.key.location"}
_IGNORED_KEYS = {"basic.auth.credentials.source"}   # always USER_INFO here


def client_config(settings: Settings) -> dict:
    """What every librdkafka client needs to reach (and authenticate to) the cluster."""
    conf = {k: v for k, v in settings.client_properties.items() if k not in _REGISTRY_KEYS and k not in _IGNORED_KEYS}
    conf["bootstrap.servers"] = settings.bootstrap_servers     # from_env took the file's when the variable is unset
    for key, value in (("sasl.mechanism", settings.sasl_mechanism), ("sasl.username", settings.sasl_username),
                       ("sasl.password", settings.sasl_password), ("ssl.ca.location", settings.ssl_ca_location),
                       ("ssl.certificate.location", settings.ssl_certificate_location),
                       ("ssl.key.location", settings.ssl_key_location),
                       ("ssl.key.password", settings.ssl_key_password)):
        if value:
            conf[key] = value
    if "sasl.mechanisms" in conf and "sasl.mechanism" in conf:
        conf.pop("sasl.mechanisms")        # an alias: the variable wins over the file
    if settings.security_protocol:
        conf["security.protocol"] = settings.security_protocol
    elif "security.protocol" not in conf:
        # A password never travels in clear by default: SASL means SASL_SSL unless told otherwise.
        if "sasl.username" in conf:
            conf["security.protocol"] = "SASL_SSL"
        elif any(k in conf for k in ("ssl.ca.location", "ssl.certificate.location")):
            conf["security.protocol"] = "SSL"
    if conf.get("sasl.username") and not (conf.get("sasl.mechanism") or conf.get("sasl.mechanisms")):
        conf["sasl.mechanism"] = "PLAIN"
    if not settings.ssl_check_hostname:
        conf["ssl.endpoint.identification.algorithm"] = "none"
    return conf


# librdkafka's own log lines go through Python logging (our format, our level) instead of
# straight to stderr.
LIBRDKAFKA_LOG = logging.getLogger("revloop.librdkafka")


def _built(conf: dict, overrides: dict) -> dict:
    conf.setdefault("logger", LIBRDKAFKA_LOG)
    conf.update(overrides)
    return conf


def consumer(settings: Settings, group_id: str, **overrides) -> Consumer:
    """A consumer in `group_id`. Readers that assign partitions themselves still need a
    group id (librdkafka requires one) but never commit unless told to."""
    conf = client_config(settings)
    conf.update({"group.id": group_id, "enable.auto.commit": False})
    return Consumer(_built(conf, overrides))


def producer(settings: Settings, **overrides) -> Producer:
    conf = client_config(settings)
    conf.update({
        # Idempotent: a retried send never duplicates or reorders within a partition.
        "enable.idempotence": True,
        "linger.ms": 5,
        # Named, not left to the default: partition_for computes the same function, and a
        # worker's checkpoints are per partition of the tenants it holds.
        "partitioner": PARTITIONER,
        # No lz4/zstd: Faust's aiokafka consumer cannot read them without extra
        # native libraries, and a worker that cannot decompress a batch dies.
    })
    return Producer(_built(conf, overrides))


TRANSACTION_TIMEOUT_MS = 60_000


def transactional_producer(settings: Settings, transactional_id: str, **overrides) -> Producer:
    """A producer for consume-transform-produce: its outputs and the consumed offsets commit
    together (streams.transactions). The id is stable per role and partition, so a successor
    with the same id fences this one out and aborts what it left open."""
    conf = {"transactional.id": transactional_id, "transaction.timeout.ms": TRANSACTION_TIMEOUT_MS,
            # librdkafka refuses a message timeout above the transaction's.
            "message.timeout.ms": TRANSACTION_TIMEOUT_MS}
    conf.update(overrides)
    return producer(settings, **conf)


def consumer_committed(settings: Settings, group_id: str, **overrides) -> Consumer:
    """A consumer that reads only committed records (what a transaction aborted never shows)."""
    return consumer(settings, group_id, **{"isolation.level": "read_committed", **overrides})


PARTITIONER = "consistent_random"     # librdkafka: CRC-32 of the key modulo the partition count


def partition_for(key: str | bytes, partitions: int) -> int:
    """The partition our producers send a key to (every topic is keyed by tenant, so this is
    the partition number a tenant's events sit on, in every topic of that partition count)."""
    if isinstance(key, str):
        key = key.encode()
    return zlib.crc32(key) % partitions


def admin(settings: Settings, **overrides) -> AdminClient:
    return AdminClient(_built(client_config(settings), overrides))


_SHARED_ADMINS: dict[str, tuple[AdminClient, float]] = {}     # key -> (client, built at, monotonic)
_SHARED_LOCK = threading.Lock()
RENEW_AFTER_S = 10.0     # a shared admin younger than this is kept through a failed probe


def _shared_key(settings: Settings) -> str:
    return repr(sorted(client_config(settings).items()))


def shared_admin(settings: Settings) -> AdminClient:
    """One admin client per cluster configuration for this process, for frequent probes (where
    the log ends): making one costs a bootstrap round, ~50 ms here, more than the probe. It
    lives as long as the process (librdkafka's handle is thread-safe; it is freed at exit),
    unless renew_shared_admin replaces it."""
    key = _shared_key(settings)
    with _SHARED_LOCK:      # two threads' first probes would make two clients, one never freed
        got = _SHARED_ADMINS.get(key)
        if got is None:
            got = _SHARED_ADMINS[key] = (admin(settings), time.monotonic())
    return got[0]


def renew_shared_admin(settings: Settings, older_than_s: float = RENEW_AFTER_S) -> bool:
    """After a probe through shared_admin failed: replace the client with a new one when it is
    older than older_than_s (so a long outage rebuilds it every few seconds, not on every
    probe). librdkafka can drop every broker it knows for good: a metadata answer listing no
    brokers, as a broker in controlled shutdown gives, decommissions them all and it never asks
    again (librdkafka#5301); a new client bootstraps afresh. True if it was replaced."""
    key = _shared_key(settings)
    with _SHARED_LOCK:
        got = _SHARED_ADMINS.get(key)
        if got is None or time.monotonic() - got[1] < older_than_s:
            return False
        # The old handle is dropped, not destroyed: another thread may be in a call on it.
        _SHARED_ADMINS[key] = (admin(settings), time.monotonic())
    return True


class ClusterUnavailable(RuntimeError):
    """The cluster cannot be used: unreachable, TLS failed or credentials refused. The
    message says which, naming servers, user and mechanism, never a password."""


def check_connection(settings: Settings, timeout: float = 10.0) -> None:
    """Return once the cluster answers a metadata request with these settings; raise
    ClusterUnavailable at once when it refuses the credentials or the TLS handshake, or
    after `timeout` seconds when nothing answers. (librdkafka itself would retry both for
    minutes, so a wrong password would look like a hang.)"""
    errors: list[KafkaError] = []
    client = admin(settings, error_cb=errors.append, log_level=0)
    conf = client_config(settings)
    servers = conf["bootstrap.servers"]
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.list_topics(timeout=min(1.0, max(deadline - time.monotonic(), 0.1)))
            return
        except KafkaException as exc:
            client.poll(0.1)               # serves error_cb: the handshake's own error, if any
            errors.append(exc.args[0])
        for err in errors:
            reason = err.str().split(" (after ")[0]
            if err.code() in (KafkaError._AUTHENTICATION, KafkaError.SASL_AUTHENTICATION_FAILED):
                who = f"user {conf.get('sasl.username')!r} ({conf.get('sasl.mechanism') or conf.get('sasl.mechanisms')})" \
                    if conf.get("sasl.username") else "this client"
                raise ClusterUnavailable(f"Kafka at {servers} refused the credentials of {who}: {reason}")
            if err.code() == KafkaError._SSL:
                raise ClusterUnavailable(f"TLS with Kafka at {servers} failed: {reason} "
                                         "(KAFKA_SSL_CA_LOCATION, KAFKA_SSL_CHECK_HOSTNAME)")
        if time.monotonic() >= deadline:
            last = errors[-1].str() if errors else "no answer"
            raise ClusterUnavailable(f"no Kafka broker answers at {servers} within {timeout:.0f}s ({last}); "
                                     "is it running? (KAFKA_BOOTSTRAP_SERVERS)")
        errors.clear()


# ---- aiokafka (Faust) -----------------------------------------------------------------------

def ssl_context(conf: dict) -> ssl.SSLContext:
    """A TLS context with the same CA, client certificate and hostname rule as `conf`
    (a librdkafka configuration)."""
    context = ssl.create_default_context(cafile=conf.get("ssl.ca.location"))
    if conf.get("ssl.certificate.location"):
        context.load_cert_chain(conf["ssl.certificate.location"], conf.get("ssl.key.location"),
                                conf.get("ssl.key.password"))
    if str(conf.get("ssl.endpoint.identification.algorithm", "https")).lower() == "none":
        context.check_hostname = False
    return context


def faust_broker_options(settings: Settings) -> dict:
    """faust.App keyword arguments that say how to reach the cluster, derived from the
    same librdkafka configuration the confluent-kafka clients use."""
    import faust

    conf = client_config(settings)
    options: dict = {"broker": [f"kafka://{server.strip()}" for server in conf["bootstrap.servers"].split(",")]}
    protocol = str(conf.get("security.protocol", "PLAINTEXT")).upper()
    if protocol == "PLAINTEXT":
        return options
    if protocol not in ("SSL", "SASL_SSL", "SASL_PLAINTEXT"):
        raise SettingsError(f"security.protocol {protocol!r} is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL")
    context = ssl_context(conf) if protocol in ("SSL", "SASL_SSL") else None
    if protocol == "SSL":
        options["broker_credentials"] = faust.SSLCredentials(context)
    else:
        mechanism = conf.get("sasl.mechanism") or conf.get("sasl.mechanisms") or "PLAIN"
        if mechanism not in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
            raise SettingsError(f"SASL mechanism {mechanism!r}: revloop supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512")
        options["broker_credentials"] = faust.SASLCredentials(
            username=conf.get("sasl.username"), password=conf.get("sasl.password"), ssl_context=context,
            mechanism=mechanism)
    return options


# ---- schema registry -------------------------------------------------------------------------

def schema_registry_config(settings: Settings) -> dict | None:
    """SchemaRegistryClient's configuration (None: no registry configured)."""
    conf = {dest: settings.client_properties[src] for src, dest in _REGISTRY_KEYS.items()
            if src in settings.client_properties}
    for key, value in (("url", settings.schema_registry_url),
                       ("basic.auth.user.info", settings.schema_registry_user_info),
                       ("ssl.ca.location", settings.schema_registry_ca_location),
                       ("ssl.certificate.location", settings.schema_registry_certificate_location),
                       ("ssl.key.location", settings.schema_registry_key_location)):
        if value:
            conf[key] = value
    return conf if conf.get("url") else None


def schema_registry_client(settings: Settings):
    conf = schema_registry_config(settings)
    if conf is None:
        return None
    from confluent_kafka.schema_registry import SchemaRegistryClient

    return SchemaRegistryClient.new_client(conf)


def codec(settings: Settings):
    """The event codec: Avro single-object encoding, or Confluent's wire format when a
    schema registry is configured."""
    from revloop.schemas.codec import Codec, ConfluentCodec

    client = schema_registry_client(settings)
    return ConfluentCodec(client) if client is not None else Codec()
