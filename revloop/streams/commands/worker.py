"""The projection worker and replay."""
from __future__ import annotations

import sys

from revloop.streams.cli_support import UsageError, command, print_json, store_url
from revloop.streams.config import Settings


def _cmd_worker(args, settings: Settings) -> int:
    from revloop.streams.worker import run_worker

    run_worker(settings, args.store, verbose=args.verbose)
    return 0


def _cmd_replay(args, settings: Settings) -> int:
    import os

    from revloop.streams.replay import replay
    from revloop.projections.store import open_store

    url = args.store
    if url.startswith("duckdb:") and not url.endswith(":memory:"):
        path = url[len("duckdb:"):]
        if os.path.exists(path):
            if not args.overwrite:
                raise UsageError(f"{path} exists: replay builds a fresh store (pass --overwrite to replace it)")
            os.remove(path)
    store = open_store(url, app_role=settings.app_role, snapshot_interval_s=settings.snapshot_interval_s)
    try:
        stats = replay(settings, store, show_progress=not (args.quiet or args.json))
    finally:
        store.close()
    if args.json:
        print_json({"records": stats.records, "seconds": round(stats.seconds, 3), "events_per_second":
                    round(stats.rate), "dead_letters": stats.dead_letters, "shards": stats.shards, "store": url})
        return 0
    print(f"replayed {stats.records} record(s) in {stats.seconds:.2f}s ({stats.rate:,.0f} events/s); "
          f"{stats.dead_letters} undecodable", file=sys.stderr)
    return 0


def register(sub) -> None:
    worker = command(sub, "worker", help="run the live projection worker (Faust)", kafka=True,
                     description="The live worker: rebuilds its state from the log, then projects every input "
                                 "topic into the store and runs the hourly cycle on each tick. Runs until "
                                 "stopped (TERM); a failure it cannot route around exits 70 before its "
                                 "offsets commit.",
                     env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_GROUP", "REVLOOP_STORE",
                          "REVLOOP_ACTION_KEY", "REVLOOP_MAX_CLOCK_SKEW_S"),
                     example="revloop worker --store duckdb:var/revloop.duckdb")
    worker.add_argument("--store", type=store_url,
                        help="duckdb:FILE or postgresql://... (default: $REVLOOP_STORE or duckdb:revloop.duckdb)")
    worker.set_defaults(func=_cmd_worker)

    rep = command(sub, "replay", help="rebuild every projection from offset 0 into a fresh store", kafka=True,
                  description="Read the whole log from offset 0 into a fresh store; the result equals the live "
                              "worker's store row for row.",
                  env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_REPLAY_WORKERS"),
                  example="revloop replay --store duckdb:rebuilt.duckdb --overwrite")
    rep.add_argument("--store", required=True, type=store_url, help="duckdb:FILE or postgresql://...")
    rep.add_argument("--overwrite", action="store_true", help="replace an existing DuckDB file")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    rep.add_argument("--json", action="store_true", help="the figures as one JSON object on stdout")
    rep.set_defaults(func=_cmd_replay)
