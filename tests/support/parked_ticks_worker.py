"""`revloop worker` whose tick consumer is parked on every partition it takes on: a stand-in
for a librdkafka consumer that delivers nothing though ticks are on the log (one left without
any broker after a broker restart, librdkafka#5301), which a worker test cannot bring about for sure.

    python -m tests.support.parked_ticks_worker <store url>
"""
from __future__ import annotations

import sys

from confluent_kafka import TopicPartition

from revloop.streams.cli_support import configure_logging
from revloop.streams.config import Settings
from revloop.streams.worker import ProjectionWorker, run_worker


class ParkedTicks(ProjectionWorker):
    def acquire(self, partitions: set[int]) -> None:
        super().acquire(partitions)
        self.ticks.consumer.pause([TopicPartition(self.ticks.topic, p) for p in sorted(partitions)])


if __name__ == "__main__":
    configure_logging(verbose=False, log_format="text")
    run_worker(Settings.from_env(), sys.argv[1], worker_class=ParkedTicks)
