"""The local broker's SASL_SSL listener, for tests of secured clusters.

`make test` starts the broker with a second listener (scripts/kafka-local.sh,
KAFKA_SASL_SSL_PORT = KAFKA_PORT + 2): SASL_SSL with SCRAM-SHA-256/512, its certificate
signed by a CA made with openssl when the broker started, and the StandardAuthorizer
(KAFKA_AUTHORIZER=1; super users ANONYMOUS, the plaintext listener, and admin; a resource
without ACLs stays open). scripts/with-services.sh exports where it is:
REVLOOP_TEST_KAFKA_SASL_SSL (host:port), REVLOOP_TEST_KAFKA_CA (the CA file) and
REVLOOP_TEST_KAFKA_AUTHORIZER.

- `secured_kafka`: Settings for a fresh SCRAM-SHA-512 user over that listener, on the topics
  of the `kafka` fixture (same prefix, created through the plaintext listener).
- `scram_user(settings, name, password)`: add (or change) a SCRAM user through the plaintext
  listener; `drop_scram_user` removes one. `secured_settings(base, name, password)`: Settings
  that log in as that user. `admin_settings(base)`: the plaintext, super-user side, for ACLs.
"""
from __future__ import annotations

import os
import secrets
import time
from dataclasses import replace

import pytest
from confluent_kafka import KafkaException
from confluent_kafka.admin import (ScramCredentialInfo, ScramMechanism, UserScramCredentialDeletion,
                                   UserScramCredentialUpsertion)

from revloop.streams import kafka_clients, offsets
from revloop.streams.config import Settings

LISTENER_ENV, CA_ENV, AUTHORIZER_ENV = "REVLOOP_TEST_KAFKA_SASL_SSL", "REVLOOP_TEST_KAFKA_CA", \
    "REVLOOP_TEST_KAFKA_AUTHORIZER"
MECHANISMS = {"SCRAM-SHA-256": ScramMechanism.SCRAM_SHA_256, "SCRAM-SHA-512": ScramMechanism.SCRAM_SHA_512}


def listener() -> tuple[str, str]:
    """(host:port, CA file) of the running broker's SASL_SSL listener; fails the test with
    what to do when there is none."""
    address, ca = os.environ.get(LISTENER_ENV), os.environ.get(CA_ENV)
    if not address or not ca or not os.path.exists(ca):
        pytest.fail(f"{LISTENER_ENV} / {CA_ENV} are not set: run through `make test`, which starts the local broker "
                    "with its SASL_SSL listener (a broker already running without it: `make kafka-down` first)")
    return address, ca


def authorizer_enabled() -> bool:
    return os.environ.get(AUTHORIZER_ENV) == "1"


def admin_settings(base: Settings) -> Settings:
    """The plaintext listener (User:ANONYMOUS, a super user): SCRAM users and ACLs are managed here."""
    return base


def scram_user(base: Settings, name: str, password: str, mechanism: str = "SCRAM-SHA-512") -> None:
    admin = kafka_clients.admin(admin_settings(base))
    upsert = UserScramCredentialUpsertion(name, ScramCredentialInfo(MECHANISMS[mechanism], 4096), password.encode())
    for future in admin.alter_user_scram_credentials([upsert]).values():
        future.result(timeout=30)


def drop_scram_user(base: Settings, name: str, mechanism: str = "SCRAM-SHA-512") -> None:
    admin = kafka_clients.admin(admin_settings(base))
    for future in admin.alter_user_scram_credentials(
            [UserScramCredentialDeletion(name, MECHANISMS[mechanism])]).values():
        try:
            future.result(timeout=30)
        except KafkaException:
            pass              # already gone


def secured_settings(base: Settings, name: str, password: str, mechanism: str = "SCRAM-SHA-512") -> Settings:
    address, ca = listener()
    return replace(base, bootstrap_servers=address, security_protocol="SASL_SSL", sasl_mechanism=mechanism,
                   sasl_username=name, sasl_password=password, ssl_ca_location=ca)


def wait_until_accepted(settings: Settings, timeout: float = 30.0) -> None:
    """A new SCRAM credential reaches the listener through the metadata log: wait until it logs in."""
    deadline = time.monotonic() + timeout
    while True:
        client = kafka_clients.admin(settings, **{"log_level": 0})
        try:
            offsets.all_topics(client, timeout=5, retry_for=5)
            return
        except KafkaException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.fixture
def secured_kafka(kafka) -> Settings:
    """Settings for a fresh SCRAM-SHA-512 user over TLS, on the `kafka` fixture's topics."""
    listener()
    name, password = f"revloop-{kafka.topic_prefix.rstrip('.')}", secrets.token_urlsafe(18)
    scram_user(kafka, name, password)
    settings = secured_settings(kafka, name, password)
    wait_until_accepted(settings)
    yield settings
    drop_scram_user(kafka, name)
