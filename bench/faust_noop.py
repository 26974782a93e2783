"""The Faust ceiling: the worker's Faust app with a do-nothing agent (run as a subprocess).

    python bench/faust_noop.py EXPECTED RESULT_FILE     (REVLOOP_TOPIC_PREFIX, KAFKA_BOOTSTRAP_SERVERS set)

Same app settings, topics and batching as streams.worker.create_app, but each batch is
only counted, never decoded or projected. Writes {"events", "seconds"} (first batch to the
EXPECTED-th event) to RESULT_FILE, then exits. What the live worker cannot beat however
fast the pipeline and the store become.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import faust  # noqa: E402

from revloop.streams import kafka_clients
from revloop.streams.config import Settings  # noqa: E402
from revloop.streams.topics import INPUT_TOPICS  # noqa: E402
from revloop.streams.worker import BATCH_MAX, BATCH_WITHIN_S  # noqa: E402


def main() -> None:
    expected, result_file = int(sys.argv[1]), sys.argv[2]
    settings = Settings.from_env()
    app = faust.App(
        f"{settings.topic_prefix}faust-noop",
        **kafka_clients.faust_broker_options(settings),
        value_serializer="raw", key_serializer="raw",
        store="memory://", web_enabled=False,
        topic_allow_declare=False, topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        broker_commit_every=BATCH_MAX, broker_commit_interval=1.0,
    )
    topic = app.topic(*(settings.topic(name) for name in INPUT_TOPICS), value_serializer="raw", key_serializer="raw")
    seen = {"n": 0, "t0": None}

    @app.agent(topic, concurrency=1)
    async def count(stream):
        async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
            if seen.get("done"):
                continue
            if seen["t0"] is None:
                seen["t0"] = time.perf_counter()
            seen["n"] += len(events)
            if seen["n"] >= expected:
                with open(result_file, "w") as fh:
                    json.dump({"events": seen["n"], "seconds": time.perf_counter() - seen["t0"]}, fh)
                seen["done"] = True
                os.kill(os.getpid(), signal.SIGTERM)      # a clean stop: leave the group

    from faust.worker import Worker

    Worker(app, loglevel="WARNING", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main()
