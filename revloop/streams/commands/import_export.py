"""JSON Lines in and out: `revloop import`, `revloop export`."""
from __future__ import annotations

import os
import sys

from revloop.streams.cli_support import (EX_REJECTED, EX_UNAVAILABLE, BadInput, MissingInput, UsageError, command,
                                         non_negative_int, print_json)
from revloop.streams.config import Settings


def _cmd_import(args, settings: Settings, *, restore: bool = False) -> int:
    from revloop.streams.importer import RestoreRefused, import_file
    from revloop.streams.kafka_clients import ClusterUnavailable, check_connection

    from revloop.streams.csv_import import Mapping, MappingError

    verb = "restored" if restore else "imported"
    if not os.path.isfile(args.file):
        raise MissingInput(f"{args.file}: no such file" if not os.path.exists(args.file) else f"{args.file}: not a file")
    mapping = None
    if getattr(args, "mapping", None):
        if not os.path.isfile(args.mapping):
            raise MissingInput(f"{args.mapping}: no such file")
        try:
            mapping = Mapping.load(args.mapping)
        except MappingError as exc:
            raise BadInput(str(exc)) from None
    elif args.file.lower().endswith(".csv"):
        raise UsageError(f"{args.file}: a CSV file needs --mapping MAPPING.json (which column is which field)")
    # The broker is asked first, briefly: when it is away the whole file is still judged, so
    # the report says which lines would be refused, and the answer comes in seconds.
    try:
        check_connection(settings, timeout=float(getattr(args, "wait", 8)))
        unavailable = None
    except ClusterUnavailable as exc:
        unavailable = str(exc)
    try:
        report = import_file(settings, args.file, restore=restore, validate_only=unavailable is not None,
                             show_progress=False if args.json else None, mapping=mapping)
    except RestoreRefused as exc:
        raise UsageError(str(exc)) from None
    except MappingError as exc:
        raise BadInput(str(exc)) from None
    if args.json:
        print_json({"file": args.file, "produced": report.produced, "valid": report.valid,
                    "rejected": [{"line": n, "reason": r} for n, r in report.errors], "unavailable": unavailable})
    else:
        for line_no, reason in report.errors:
            print(f"{args.file}:{line_no}: {reason}", file=sys.stderr)
        if unavailable:
            print(f"nothing {verb}: {report.valid} line(s) valid, {len(report.errors)} rejected; {unavailable}",
                  file=sys.stderr)
        else:
            lines = f" (line(s) {report.produced_ranges()})" if report.produced else ""
            print(f"{verb} {report.produced} event(s), rejected {len(report.errors)} line(s){lines}", file=sys.stderr)
    if unavailable:
        return EX_UNAVAILABLE
    return EX_REJECTED if report.errors else 0


def _cmd_restore(args, settings: Settings) -> int:
    return _cmd_import(args, settings, restore=True)


def _cmd_export(args, settings: Settings) -> int:
    from revloop.streams.exporter import export_topic

    out = open(args.out, "w") if args.out else sys.stdout
    try:
        written, failed = export_topic(settings, args.topic, out, start_offset=args.from_offset)
    finally:
        if args.out:
            out.close()
    print(f"exported {written} event(s); {failed} undecodable record(s)", file=sys.stderr)
    return 0


def register(sub) -> None:
    imp = command(sub, "import", help="validate a JSON Lines (or CSV) file and produce its valid events",
                  description="Validate every line of FILE and produce the valid ones; every rejected line is "
                              "reported with its number and reason (exit 1). A broker that is down is reported "
                              "within seconds (exit 69) after the whole file was still checked.",
                  env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_MAX_CLOCK_SKEW_S",
                       "SCHEMA_REGISTRY_URL"),
                  example="revloop import book.jsonl\nrevloop import --json book.jsonl | jq .rejected\n"
                          "revloop import contacts.csv --mapping contacts.mapping.json")
    imp.add_argument("file")
    imp.add_argument("--mapping", help="FILE is CSV (a CRM or spreadsheet export): this JSON mapping says which "
                                       "column fills which field (README: Importing CSV)")
    imp.add_argument("--json", action="store_true", help="the report as one JSON object on stdout")
    imp.add_argument("--wait", type=non_negative_int, default=8, metavar="SECONDS",
                     help="how long to wait for the broker before only judging the file (default 8; "
                          "an import during a broker restart needs longer)")
    imp.set_defaults(func=_cmd_import)

    res = command(sub, "restore", help="admin: put an export back into empty topics (decisions and run "
                                       "records included, which import refuses)",
                  description="Produce an export (revloop export) back into topics that are still empty; "
                              "every event type is allowed, the global tenant '*' too. A non-empty target "
                              "refuses the whole file before anything is produced.",
                  env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX"), kafka=True,
                  example="revloop export actions --out actions.jsonl   # on the old cluster\n"
                          "revloop restore actions.jsonl                # on the new one")
    res.add_argument("file")
    res.add_argument("--json", action="store_true", help="the report as one JSON object on stdout")
    res.set_defaults(func=_cmd_restore)

    exp = command(sub, "export", help="print a topic's events as JSON Lines", kafka=True,
                  description="Print every event of TOPIC (its logical name, e.g. orders) as JSON Lines, "
                              "from --from-offset in every partition to the end as of now.",
                  env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "SCHEMA_REGISTRY_URL"),
                  example="revloop export actions --out actions.jsonl")
    exp.add_argument("topic")
    exp.add_argument("--from-offset", type=non_negative_int, default=0,
                     help="start at this offset in every partition")
    exp.add_argument("--out", help="write to this file instead of standard output")
    exp.set_defaults(func=_cmd_export)
