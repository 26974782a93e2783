"""`revloop worker` whose every take-over of partitions first waits SLOW_TAKE_OVER_S seconds:
a stand-in for a restore and catch-up that outlast the group's session timeout (a big
checkpoint, a long outage), which no small test log can make slow for sure.

    python -m tests.support.slow_take_over_worker <store url>
"""
from __future__ import annotations

import os
import sys
import time

from revloop.streams.cli_support import configure_logging
from revloop.streams.config import Settings
from revloop.streams.worker import ProjectionWorker, run_worker


class SlowTakeOver(ProjectionWorker):
    def rebalance(self, assigned: set[int]):
        time.sleep(float(os.environ["SLOW_TAKE_OVER_S"]))
        return super().rebalance(assigned)


if __name__ == "__main__":
    configure_logging(verbose=False, log_format="text")
    run_worker(Settings.from_env(), sys.argv[1], worker_class=SlowTakeOver)
