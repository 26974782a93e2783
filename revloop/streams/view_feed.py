"""The sender's view of the log, read to its end before a round of actions is judged.

The sender judges each approved action by state from other topics (control, suppressions,
outcomes, templates, ...). Fetches of different topics arrive in no fixed order: an action
can reach the sender while a kill switch or an opt-out logged before it still waits behind a
backlog on its own topic. So the view has a consumer of its own, assigned every partition of
those topics (no group: the sender needs all of them), and before a round's actions are
judged it reads each to its end as of then (read_committed: the last stable offset). Whatever
was on the log before the actions were read binds them.

While the broker is away the view cannot be read to its end: the round waits (nothing is judged,
so nothing is sent) and asks again until the broker answers or the sender is stopped.
"""
from __future__ import annotations

import logging
import time

from confluent_kafka import KafkaError, KafkaException, TopicPartition

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.kafka_retry import is_transient, kafka_error
from revloop.streams.offsets import last_stable_offsets
from revloop.streams.pipeline import Pipeline, RawRecord
from revloop.streams.stall_watch import StallWatch

log = logging.getLogger("revloop.sender")

WAIT_WARN_S = 30.0      # a round waiting this long for the view is logged, with what it waits for
RETRY_S = 1.0           # between two asks of a broker that did not answer


class ViewFeed:
    def __init__(self, settings: Settings, group: str, pipeline: Pipeline, topics: tuple[str, ...],
                 start: dict[tuple[str, int], int]):
        """start: (physical topic, partition) -> the next offset the pipeline lacks (where a
        rebuild of the view stopped)."""
        self.settings, self.pipeline, self.topics = settings, pipeline, topics
        self.at = dict(start)
        self.group = f"{group}.view"
        self._consumer = self._new_consumer()
        self._prefix = len(settings.topic_prefix)
        self.stalls = StallWatch()
        self.renewals = 0

    @property
    def _admin(self):
        return kafka_clients.shared_admin(self.settings)

    def _new_consumer(self):
        consumer = kafka_clients.consumer_committed(self.settings, self.group)
        consumer.assign([TopicPartition(t, p, off) for (t, p), off in self.at.items()])
        return consumer

    def _renew_if_stalled(self, behind: dict[tuple[str, int], int]) -> None:
        """Records on the log that the consumer has not delivered for STALL_S: it may have lost
        every broker for good (stall_watch); a new one, assigned where the view stands, reads on."""
        now = time.monotonic()
        at, end = sum(self.at[tp] for tp in behind), sum(behind.values())
        since = self.stalls.stalled("view", at, end, now)
        if since is not None:
            log.warning("sender: nothing of %s has come for %.0fs: renewing the view's consumer",
                        sorted(f"{t}[{p}]" for t, p in behind), since)
            old, self._consumer = self._consumer, self._new_consumer()
            old.close()        # assigned, never subscribed: no group to leave
            self.renewals += 1

    def poll(self) -> None:
        """Apply what has arrived, without waiting (keeps the view fresh between rounds)."""
        self._apply(self._consumer.consume(500, 0))

    def read_to_end(self, stop=None) -> bool:
        """Apply every record on the view's topics as of now. False when `stop` was set first."""
        ends = self._ends(stop)
        if ends is None:
            return False
        new = [tp for tp in ends if tp not in self.at]
        if new:     # a topic or partition made since: read it from its start
            self.at.update((tp, 0) for tp in new)
            self._consumer.incremental_assign([TopicPartition(t, p, 0) for t, p in new])
        started = warned = time.monotonic()
        while True:
            behind = self._behind(ends)
            if not behind:
                return True
            if stop is not None and stop.is_set():
                return False
            self._renew_if_stalled(behind)
            if time.monotonic() - warned > WAIT_WARN_S:
                warned = time.monotonic()
                log.warning("sender: actions wait %.0fs for the view to read %s", warned - started,
                            {f"{t}[{p}]": f"at {self.at[(t, p)]} of {end}" for (t, p), end in behind.items()})
            self._apply(self._consumer.consume(500, 0.2))

    def _ends(self, stop) -> dict[tuple[str, int], int] | None:
        """Where the view's topics end now; while the broker does not answer, ask again (None
        when `stop` is set meanwhile)."""
        since = warned = None
        while True:
            try:
                # Short waits: this loop asks again, and checks `stop` between asks.
                ends = last_stable_offsets(self._admin, self.settings, self.topics, timeout=5.0, retry_for=5.0)
                if since is not None:
                    log.warning("sender: the broker answers again after %.0fs", time.monotonic() - since)
                return ends
            except KafkaException as exc:
                if not is_transient(exc):
                    raise
                # A client left without any broker never asks again (stall_watch): a new one,
                # every RENEW_AFTER_S at most while the broker is away.
                kafka_clients.renew_shared_admin(self.settings)
                now = time.monotonic()
                if since is None or now - warned > WAIT_WARN_S:
                    log.warning("sender: the broker does not answer (%s): no action is judged until the view "
                                "is read to the log's end", kafka_error(exc).name())
                    since, warned = since or now, now
            if stop is None:
                time.sleep(RETRY_S)
            elif stop.wait(RETRY_S):
                return None

    def _behind(self, ends: dict[tuple[str, int], int]) -> dict[tuple[str, int], int]:
        behind = {tp: end for tp, end in ends.items() if self.at[tp] < end}
        if behind:
            # The consumer's position moves past transaction markers, which no record carries.
            for tp in self._consumer.position([TopicPartition(t, p) for t, p in behind]):
                if tp.offset > self.at[(tp.topic, tp.partition)]:
                    self.at[(tp.topic, tp.partition)] = tp.offset
            behind = {tp: end for tp, end in behind.items() if self.at[tp] < end}
        return behind

    def _apply(self, msgs) -> None:
        records = []
        for msg in msgs:
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF or is_transient(msg.error()):
                    continue        # the consumer reconnects by itself; read_to_end waits for the ends
                raise KafkaException(msg.error())
            topic, part, offset = msg.topic(), msg.partition(), msg.offset()
            records.append(RawRecord(topic[self._prefix:], part, offset, msg.key(), msg.value(), msg.timestamp()[1]))
            self.at[(topic, part)] = offset + 1
        if records:
            self.pipeline.process(records)

    def close(self) -> None:
        self._consumer.close()
