"""What the overview says about the agent's outside world: dead letters, the worker's lag, Gmail,
the sender.

Dead letters are counted on the log itself (offsets by time on the dead-letter topic, no
message read); the worker's lag is what its group has committed against the input topics'
ends (streams.progress); Gmail's connection status and last poll come from the Gmail connector's
state file; the sender's health from its outcome events (the overview's query). Each
answer is cached for a few seconds so a busy page does not ask the broker on every view.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

log = logging.getLogger("revloop.console.health")


@dataclass(frozen=True)
class MailboxHealth:
    tenant_id: str
    status: str                 # connected | token_expired | revoked | not_configured
    since_ms: int | None
    checked_ms: int | None
    last_error_class: str | None
    token_configured: bool


class Health:
    def __init__(self, settings, *, gmail_state_dir: str | None = None, secrets=None, ttl_s: float = 10.0):
        self._settings, self._ttl = settings, ttl_s
        self._gmail_state_dir = gmail_state_dir
        self._secrets = secrets
        self._cache: dict = {}
        self._asking: dict = {}        # key -> threading.Event of the question under way
        self._lock = threading.Lock()

    def _cached(self, key, compute):
        """The cached answer, else one question per key at a time: a page that stopped waiting
        (the broker slow or away) leaves its question running, and the next views wait for
        that one rather than ask the broker again."""
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
            if hit and now - hit[0] < self._ttl:
                return hit[1]
            asking = self._asking.get(key)
            mine = asking is None
            if mine:
                asking = self._asking[key] = threading.Event()
        if not mine:
            asking.wait()
            with self._lock:
                hit = self._cache.get(key)
            return hit[1] if hit else None
        try:
            value = compute()
            with self._lock:
                self._cache[key] = (now, value)
            return value
        finally:
            with self._lock:
                self._asking.pop(key, None)
            asking.set()

    def dead_letters_since(self, tenant_id: str, since_ms: int) -> int | None:
        """Dead letters on the log since since_ms (every tenant's: a dead letter may be a
        record whose tenant could not be read). None when the broker does not answer."""
        return self._cached(("dlq", since_ms // 60_000), lambda: self._count_dead_letters(since_ms))

    def _count_dead_letters(self, since_ms: int) -> int | None:
        from confluent_kafka import TopicPartition

        from revloop.streams import kafka_clients, offsets
        from revloop.streams.topics import DEAD_LETTER

        topic = self._settings.topic(DEAD_LETTER)
        try:
            c = kafka_clients.consumer(self._settings, "revloop-console-health")
            try:
                parts = offsets.topic_partitions(c, [topic], timeout=5, retry_for=5).get(topic, [])
                tps = [TopicPartition(topic, p, since_ms) for p in parts]
                total = 0
                for tp in c.offsets_for_times(tps, timeout=5):
                    high = offsets.watermarks(c, topic, tp.partition, timeout=5, retry_for=5)[1]
                    total += 0 if tp.offset < 0 else high - tp.offset
                return total
            finally:
                c.close()
        except Exception as exc:  # the broker away: the page says "unknown", never fails
            log.warning("dead letters: broker did not answer (%s)", type(exc).__name__)
            return None

    def worker_lag(self) -> int | None:
        """Input records the worker has not yet applied, by the offsets it commits (every
        tenant's: they share its partitions). None when the broker does not answer."""
        return self._cached(("lag",), self._worker_lag)

    def _worker_lag(self) -> int | None:
        from revloop.streams.progress import worker_lag

        try:
            return worker_lag(self._settings)
        except Exception as exc:  # the broker away: the page says "unknown", never fails
            log.warning("worker lag: broker did not answer (%s)", type(exc).__name__)
            return None

    def mailbox(self, tenant_id: str) -> MailboxHealth:
        return self._cached(("gmail", tenant_id), lambda: self._mailbox(tenant_id))

    def _mailbox(self, tenant_id: str) -> MailboxHealth:
        from revloop.connectors.gmail_checkpoint import NOT_CONFIGURED, GmailCheckpointStore
        from revloop.connectors.secrets import SecretStore, SecretStoreError

        try:
            configured = (self._secrets or SecretStore(None, self._settings.gmail_secret_environ())).gmail_secret(
                tenant_id) is not None
        except SecretStoreError:
            configured = False
        status = None
        try:
            status = GmailCheckpointStore(self._gmail_state_dir).status(tenant_id)
        except Exception as exc:
            log.warning("gmail state: unreadable (%s)", type(exc).__name__)
        if status is None:
            return MailboxHealth(tenant_id, NOT_CONFIGURED if not configured else "never polled", None, None, None,
                                 configured)
        return MailboxHealth(tenant_id, status.status, status.since, status.checked_at, status.last_error_class,
                             configured)

    def forget(self, tenant_id: str) -> None:
        with self._lock:
            self._cache.pop(("gmail", tenant_id), None)
