"""The worker's ticks: read outside Faust, decided in Kafka transactions with their offsets.

The hourly cycle's outputs for a round of ticks (decisions, run records, alerts,
violations) are produced in one transaction together with the consumed ticks' offset
(consume-transform-produce), so a read_committed reader sees a tick's outputs whole or
not at all. send_offsets_to_transaction needs a confluent-kafka consumer's group
metadata, so ticks are read here rather than by Faust: a consumer assigned the ticks
partitions of the partitions the worker owns (group <worker group>.ticks, never joined:
the Faust group decides who owns what), and one transactional producer per partition,
its transactional.id naming the partition, so the next owner fences the previous one
and aborts whatever transaction it left open.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from confluent_kafka import KafkaException, TopicPartition

from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.pipeline import RawRecord
from revloop.streams.stall_watch import StallWatch
from revloop.streams.transactions import Transactions

TICKS = "ticks"

log = logging.getLogger(__name__)


class TickTransactions:
    def __init__(self, settings: Settings, group: str, on_delivery):
        self.settings, self.group, self.on_delivery = settings, f"{group}.ticks", on_delivery
        self.topic = settings.topic(TICKS)
        self.consumer = self._new_consumer()
        self.producers: dict[int, Transactions] = {}
        self.assigned: set[int] = set()     # fenced partitions whose ticks are being read
        self.stalls = StallWatch()
        self.renewals = 0

    def _new_consumer(self):
        return kafka_clients.consumer_committed(self.settings, self.group, **{"enable.partition.eof": False,
                                                                            "auto.offset.reset": "earliest"})

    def fence(self, partition: int) -> None:
        """Start this partition's transactions: any previous owner is fenced out and a
        transaction it left open aborted, so the partition's outputs can be read to their end
        (a reader waits at an open transaction). Before the state of it is caught up."""
        if partition not in self.producers:
            self.producers[partition] = Transactions(self.settings, f"{self.group}.{partition}", self.on_delivery)

    def fence_all(self, partitions) -> None:
        """fence() each partition, the producers started side by side: each start waits on the
        broker (a coordinator found, a producer id given: ~0.5 s here), in librdkafka's threads."""
        todo = sorted(set(partitions) - set(self.producers))
        if len(todo) < 2:
            for p in todo:
                self.fence(p)
            return
        with ThreadPoolExecutor(max_workers=len(todo), thread_name_prefix="revloop-fence") as pool:
            futures = {p: pool.submit(Transactions, self.settings, f"{self.group}.{p}", self.on_delivery)
                       for p in todo}
        failed = [f.exception() for f in futures.values() if f.exception() is not None]
        if failed:       # none kept: a partition is fenced by all of them or not taken on
            for f in futures.values():
                if f.exception() is None:
                    f.result().close()
            raise failed[0]
        self.producers.update((p, f.result()) for p, f in futures.items())

    def assign(self, partition: int, offset: int) -> None:
        """Read a fenced partition's ticks from `offset` (what the state already reflects is
        not read again)."""
        self.fence(partition)
        self.consumer.incremental_assign([TopicPartition(self.topic, partition, offset)])
        self.assigned.add(partition)

    def seek(self, partition: int, offset: int) -> None:
        self.consumer.seek(TopicPartition(self.topic, partition, offset))

    def watch(self, ends: dict[int, int], positions: dict[int, int], now: float | None = None) -> list[int]:
        """Renew the consumer when an assigned partition's ticks are on the log (ends: partition ->
        end offset) but none has come for STALL_S (positions: partition -> next tick offset
        applied, for every assigned partition): see stall_watch. Returns the stalled partitions."""
        now = time.monotonic() if now is None else now
        stalled = []
        for p in sorted(self.assigned):
            at, end = positions.get(p, 0), ends.get(p)
            since = self.stalls.stalled(p, at, end, now)
            if since is not None:
                log.warning("%s[%d]: the log ends at %d but no tick past %d has come for %.0fs: renewing the "
                            "tick consumer", self.topic, p, end, at, since)
                stalled.append(p)
        if stalled:
            self.renew({p: positions.get(p, 0) for p in self.assigned})
            self.renewals += 1
        return stalled

    def renew(self, positions: dict[int, int]) -> None:
        """A new consumer in place of this one, reading each assigned partition from positions."""
        old, self.consumer = self.consumer, self._new_consumer()
        self.consumer.incremental_assign([TopicPartition(self.topic, p, positions[p]) for p in sorted(self.assigned)])
        old.close()        # assigned, never subscribed: no group to leave, nothing to wait for

    def release(self, partition: int) -> None:
        # A partition fenced but not yet assigned (lost, or the worker stopping, during its
        # catch-up) has no assignment to take back: librdkafka refuses to subtract it.
        if partition in self.assigned:
            self.consumer.incremental_unassign([TopicPartition(self.topic, partition)])
            self.assigned.discard(partition)
            self.stalls.forget(partition)
        if partition in self.producers:
            self.producers.pop(partition).close()

    def poll(self, max_records: int = 500) -> list[RawRecord]:
        if not self.producers:
            return []
        out = []
        for msg in self.consumer.consume(max_records, 0):
            if msg.error():
                raise KafkaException(msg.error())
            out.append(RawRecord(TICKS, msg.partition(), msg.offset(), msg.key(), msg.value(), msg.timestamp()[1]))
        return out

    def commit(self, partition: int, outputs: list[tuple[str, bytes, bytes]], next_offset: int) -> None:
        """Produce one round's outputs of a partition and commit them with its ticks consumed
        up to next_offset, in one transaction (TransactionFailed: none of it happened)."""
        tx = self.producers[partition]
        for topic, key, value in outputs:
            tx.produce(topic, key, value)
        tx.commit([TopicPartition(self.topic, partition, next_offset)], self.consumer.consumer_group_metadata())

    def close(self) -> None:
        for p in list(self.producers):
            self.release(p)
        self.consumer.close()
