"""The real Kafka broker, one isolated set of topics per test."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import replace

import pytest

from revloop.streams import kafka_clients, offsets
from revloop.streams.config import Settings, child_environ
from revloop.streams.kafka_io import create_topics

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The decisions' HMAC key of the test run (revloop.connectors.action_auth): the workers and
# CLIs the tests start inherit it, so the worker tags its decisions and the sender verifies them.
TEST_ACTION_KEY = "test-action-key-of-the-test-run-only"
os.environ.setdefault("REVLOOP_ACTION_KEY", TEST_ACTION_KEY)
# The unsubscribe links' HMAC key of the test run, for the senders the tests start.
TEST_UNSUBSCRIBE_SECRET = "an-unsubscribe-secret-of-enough-length"
os.environ.setdefault("REVLOOP_UNSUBSCRIBE_SECRET", TEST_UNSUBSCRIBE_SECRET)


def _isolated_topics():
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        pytest.fail("KAFKA_BOOTSTRAP_SERVERS is not set: run integration tests through `make test`")
    settings = replace(Settings.from_env(), topic_prefix=f"it{uuid.uuid4().hex[:8]}.", partitions=2)
    create_topics(settings)
    yield settings
    admin = kafka_clients.admin(settings)
    names = [t for t in offsets.all_topics(admin, timeout=10) if t.startswith(settings.topic_prefix)]
    if names:
        for future in admin.delete_topics(names, operation_timeout=30).values():
            future.result()


@pytest.fixture
def kafka() -> Settings:
    """Settings whose topics (under a fresh prefix) exist on the broker; deleted afterwards."""
    yield from _isolated_topics()


@pytest.fixture
def kafka2() -> Settings:
    """A second, independent set of topics."""
    yield from _isolated_topics()


def run_cli(settings: Settings, *args: str, timeout: float = 120, check: bool = False) -> subprocess.CompletedProcess:
    """Run `revloop ARGS` as a user would, against the test's topics."""
    env = child_environ(settings)
    proc = subprocess.run([sys.executable, "-m", "revloop.streams.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"revloop {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc


def produce_raw(settings: Settings, topic: str, records: list[tuple[bytes | None, bytes | None]]) -> None:
    p = kafka_clients.producer(settings, **{"enable.idempotence": False})
    for key, value in records:
        p.produce(settings.topic(topic), key=key, value=value)
    assert p.flush(30) == 0


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.25, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def cli():
    return run_cli
