"""`revloop report`: the static HTML report from any store."""
from __future__ import annotations

import sys

from revloop.streams.cli_support import command
from revloop.streams.config import Settings


def _cmd_report(args, settings: Settings) -> int:
    from revloop.console.report import write_report

    try:
        out = write_report(args.store or settings.store_url, args.out, tenant=args.tenant)
    except (FileNotFoundError, ValueError) as exc:
        print(f"revloop report: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


def register(sub) -> None:
    report = command(sub, "report", help="a self-contained HTML report of the projections (any store)",
                     description="Write a self-contained HTML report (charts, tables; no network) from a DuckDB "
                                 "store (its published snapshot while a worker runs) or Postgres.",
                     env=("REVLOOP_STORE",),
                     example="revloop report --store duckdb:out/revloop.duckdb --out out/report.html")
    report.add_argument("--store", help="store URL (default: $REVLOOP_STORE)")
    report.add_argument("--tenant", help="one tenant only (default: every tenant)")
    report.add_argument("--out", default="out/report.html")
    report.set_defaults(func=_cmd_report)
