"""The control topic, read whole by every worker (a broadcast, outside the group's assignment).

Control settings are global (the "*" kill switch) or per tenant, all on one partition, and
every worker needs the global ones and those of the tenants it owns: so no worker takes
the control partition from the group, each one reads it from its own position.

A worker's states may cover the control topic to different offsets (checkpoints of two
partitions taken at different times, a partition taken over from another worker): the
coverage keeps, per partition (and for the global settings), the offset up to which the
states reflect control, and a record applies only where it is not yet covered. Records of
tenants on partitions another worker owns are not applied here at all.
"""
from __future__ import annotations

import logging
import time

from confluent_kafka import KafkaException, TopicPartition

from revloop.streams import kafka_clients, offsets
from revloop.streams.checkpointing import GLOBAL
from revloop.streams.config import Settings
from revloop.streams.kafka_clients import partition_for
from revloop.streams.pipeline import RawRecord
from revloop.streams.stall_watch import StallWatch

CONTROL = "control"

log = logging.getLogger(__name__)


class ControlCoverage:
    """unit (a partition number, or GLOBAL) -> the next control offset its states lack."""

    def __init__(self, partitions: int):
        self.partitions = partitions
        self.covered: dict[int | str, int] = {}

    def add(self, unit, offset: int) -> None:
        self.covered[unit] = offset

    def drop(self, unit) -> None:
        self.covered.pop(unit, None)

    def low(self) -> int:
        """Where reading must start for every unit to be brought up to date."""
        return min(self.covered.values(), default=0)

    def applies(self, rec: RawRecord, event: dict) -> bool:
        tenant = event["tenant_id"]
        unit = GLOBAL if tenant == GLOBAL else partition_for(tenant, self.partitions)
        covered = self.covered.get(unit)
        return covered is not None and rec.offset >= covered

    def passed(self, next_offset: int) -> None:
        """Every unit now reflects control up to next_offset."""
        for unit, off in self.covered.items():
            if off < next_offset:
                self.covered[unit] = next_offset


class ControlFeed:
    """The live reader: a consumer assigned the control partition, never in a group."""

    def __init__(self, settings: Settings, group: str):
        self.settings = settings
        self.topic = settings.topic(CONTROL)
        self.group = f"{group}.control"
        self._consumer = self._new_consumer()
        self.position = 0
        self.stalls = StallWatch()
        self.renewals = 0

    def _new_consumer(self):
        return kafka_clients.consumer(self.settings, self.group, **{"enable.partition.eof": False})

    def watch(self, end: int | None, now: float | None = None) -> bool:
        """Renew the consumer when control records are on the log (it ends at `end`) but none
        has come for STALL_S: a kill switch must not wait on a client that lost its brokers
        (stall_watch). True if renewed."""
        now = time.monotonic() if now is None else now
        since = self.stalls.stalled(0, self.position, end, now)
        if since is None:
            return False
        log.warning("%s: the log ends at %d but no control record past %d has come for %.0fs: renewing the "
                    "control consumer", self.topic, end, self.position, since)
        old, self._consumer = self._consumer, self._new_consumer()
        self._consumer.assign([TopicPartition(self.topic, 0, self.position)])
        old.close()        # assigned, never subscribed: no group to leave
        self.renewals += 1
        return True

    def seek(self, offset: int) -> None:
        self.position = offset
        self._consumer.assign([TopicPartition(self.topic, 0, offset)])
        self.commit()

    def commit(self) -> None:
        """Record how far this worker has applied control (in its own group, for whoever measures
        lag; never read back: the worker's checkpoints say where it stands)."""
        try:
            self._consumer.commit(offsets=[TopicPartition(self.topic, 0, self.position)], asynchronous=True)
        except KafkaException:
            pass        # a monitoring aid only

    def end(self, timeout: float = 10.0) -> int:
        return offsets.watermarks(self._consumer, self.topic, 0, timeout=timeout, retry_for=timeout)[1]

    def poll(self, max_records: int = 500) -> list[RawRecord]:
        out = []
        for msg in self._consumer.consume(max_records, 0):
            if msg.error():
                raise KafkaException(msg.error())
            out.append(RawRecord(CONTROL, 0, msg.offset(), msg.key(), msg.value(), msg.timestamp()[1]))
            self.position = msg.offset() + 1
        return out

    def close(self) -> None:
        self._consumer.close()
