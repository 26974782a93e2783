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

from confluent_kafka import KafkaException, TopicPartition

from revloop.streams import kafka_clients, offsets
from revloop.streams.checkpointing import GLOBAL
from revloop.streams.config import Settings
from revloop.streams.kafka_clients import partition_for
from revloop.streams.pipeline import RawRecord

CONTROL = "control"


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
        self._consumer = kafka_clients.consumer(settings, f"{group}.control", **{"enable.partition.eof": False})
        self.position = 0

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
