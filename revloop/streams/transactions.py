"""Kafka transactions for consume-transform-produce: a step's outputs and the offsets of
what it consumed commit together, or neither does.

A read_committed consumer then never sees part of a step (half of a tick's decisions, one
of two outcomes of a sender round): a crash in between leaves an open transaction that
the next producer with the same transactional.id aborts when it starts (init_transactions),
also fencing the crashed one out should it still be alive.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.streams import kafka_clients
from revloop.streams.config import Settings

log = logging.getLogger("revloop.transactions")

TIMEOUT_S = 30.0
# librdkafka can block in send_offsets_to_transaction far past its timeout when the group
# coordinator's broker went away and came back (librdkafka issues #5456, #5511): a call
# not back by then is given up, and the transaction redone by a new producer.
STUCK_S = 45.0
REDOS = 4          # then the transaction fails (the worker stops; its restart redoes the step)
FAULT_EXIT = 86      # the exit status of an injected crash (REVLOOP_FAULT_CRASH_AFTER_OUTPUTS)


class TransactionFailed(RuntimeError):
    """The transaction was aborted or this producer fenced: its outputs are not on the log."""


class Transactions:
    """One transactional producer: begin, produce, commit(offsets), in that order."""

    def __init__(self, settings: Settings, transactional_id: str, on_delivery=None):
        self.settings, self.id = settings, transactional_id
        self._extra = {"on_delivery": on_delivery} if on_delivery else {}
        self.crash_after = settings.fault_crash_after_outputs
        self.open = False
        self._produced = 0
        self._messages: list[tuple[str, bytes, bytes]] = []     # of the open transaction, to redo it
        self.producer = self._new_producer()

    def _new_producer(self):
        producer = kafka_clients.transactional_producer(self.settings, self.id, **self._extra)
        _retrying(lambda: producer.init_transactions(TIMEOUT_S), f"starting transactions as {self.id}")
        return producer

    def begin(self) -> None:
        if not self.open:
            self.producer.begin_transaction()
            self.open, self._produced, self._messages = True, 0, []

    def produce(self, topic: str, key: bytes, value: bytes) -> None:
        self.begin()
        self._send(topic, key, value)
        self._messages.append((topic, key, value))
        self._produced += 1
        if self._produced == self.crash_after:
            # Fault injection (tests): this message on the broker, the next one not, the
            # transaction open. Exit as a kill would: nothing flushed or closed after this.
            self.producer.flush(30)
            log.critical("fault injection: exiting after output %d of an open transaction", self._produced)
            logging.shutdown()
            os._exit(FAULT_EXIT)

    def _send(self, topic: str, key: bytes, value: bytes) -> None:
        while True:
            try:
                self.producer.produce(topic, key=key, value=value)
                return
            except BufferError:
                self.producer.poll(0.5)

    def commit(self, offsets: list[TopicPartition], group_metadata) -> None:
        """Commit what was produced since begin() with the consumed offsets (if any)."""
        if not self.open and not offsets:
            return
        self.begin()
        for attempt in range(REDOS + 1):
            try:
                self._finish(offsets, group_metadata)
                break
            except KafkaException as exc:
                self._abort_after(exc)
            except _Stuck as stuck:
                if attempt == REDOS:
                    self.open = False
                    raise TransactionFailed(f"transaction {self.id}: {stuck}, {REDOS} times") from None
                self._redo(stuck)
        self.open = False

    def _finish(self, offsets, group_metadata) -> None:
        # Every output on the broker (and its delivery report, with its offset, served)
        # before the commit.
        while self.producer.flush(5.0):
            log.warning("%s: outputs still waiting for the broker", self.id)
        producer = self.producer
        if offsets:
            _retrying(lambda: _bounded(lambda: producer.send_offsets_to_transaction(offsets, group_metadata,
                                                                                    TIMEOUT_S),
                                       "adding offsets to a transaction"), "adding offsets to a transaction")
        _retrying(lambda: _bounded(lambda: producer.commit_transaction(TIMEOUT_S), "committing a transaction"),
                  "committing a transaction")

    def _redo(self, stuck: "_Stuck") -> None:
        """The producer hangs in librdkafka: a new one with the same id fences it (its open
        transaction is aborted, so nothing of it is ever visible) and produces the same
        messages again, in a new transaction."""
        log.warning("%s: %s; redoing the transaction (%d message(s)) with a new producer", self.id, stuck,
                    len(self._messages))
        self.producer = self._new_producer()          # the stuck one is left to its thread
        self.producer.begin_transaction()
        for topic, key, value in self._messages:
            self._send(topic, key, value)

    def _abort_after(self, exc: KafkaException) -> None:
        error = exc.args[0]
        if error.txn_requires_abort():
            try:
                self.producer.abort_transaction(TIMEOUT_S)
            except KafkaException:
                pass
        self.open = False
        raise TransactionFailed(f"transaction {self.id} failed: {error.str()}") from exc

    def abort(self) -> None:
        if self.open:
            try:
                self.producer.abort_transaction(TIMEOUT_S)
            finally:
                self.open = False

    def close(self) -> None:
        """Let go (an open transaction is aborted: what it held is for the next owner to redo)."""
        try:
            self.abort()
        except KafkaException as exc:
            log.warning("could not abort %s on close: %s", self.id, exc)
        self.producer.flush(5)


class _Stuck(RuntimeError):
    """A librdkafka call that did not return within STUCK_S, whatever its own timeout."""


def _bounded(call, what: str):
    """call() in a thread of its own, given up (_Stuck) after STUCK_S; its errors are raised here."""
    out: dict = {}

    def run():
        try:
            out["value"] = call()
        except BaseException as exc:   # noqa: BLE001  (handed to the caller)
            out["error"] = exc
    thread = threading.Thread(target=run, name="revloop-txn-call", daemon=True)
    thread.start()
    thread.join(STUCK_S)
    if thread.is_alive():
        raise _Stuck(f"{what} did not return in {STUCK_S:.0f}s")
    if "error" in out:
        raise out["error"]
    return out.get("value")


def _retrying(call, what: str, patience_s: float = 600.0):
    """Retry while the broker says try again (a broker settling or away); raise otherwise."""
    waited, delay = 0.0, 0.5
    while True:
        try:
            return call()
        except KafkaException as exc:
            error = exc.args[0]
            if not error.retriable() or waited >= patience_s:
                raise
            if error.code() == KafkaError._FENCED:
                raise
            log.warning("%s: %s; retrying in %.1fs", what, error.str(), delay)
            time.sleep(delay)
            waited += delay
            delay = min(delay * 2, 10.0)
