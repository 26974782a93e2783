"""The projection worker and replay."""
from __future__ import annotations

import sys

from revloop.streams.config import Settings


def _cmd_worker(args, settings: Settings) -> int:
    from revloop.streams.worker import run_worker

    run_worker(settings, args.store)
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
                print(f"{path} exists: replay builds a fresh store (pass --overwrite to replace it)", file=sys.stderr)
                return 2
            os.remove(path)
    store = open_store(url, app_role=settings.app_role)
    try:
        stats = replay(settings, store, show_progress=not args.quiet)
    finally:
        store.close()
    print(f"replayed {stats.records} record(s) in {stats.seconds:.2f}s ({stats.rate:,.0f} events/s); "
          f"{stats.dead_letters} undecodable", file=sys.stderr)
    return 0


def register(sub) -> None:
    worker = sub.add_parser("worker", help="run the live projection worker (Faust)")
    worker.add_argument("--store", help="duckdb:FILE or postgresql://... (default: $REVLOOP_STORE or duckdb:revloop.duckdb)")
    worker.set_defaults(func=_cmd_worker)

    rep = sub.add_parser("replay", help="rebuild every projection from offset 0 into a fresh store")
    rep.add_argument("--store", required=True, help="duckdb:FILE or postgresql://...")
    rep.add_argument("--overwrite", action="store_true", help="replace an existing DuckDB file")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    rep.set_defaults(func=_cmd_replay)
