"""JSON Lines in and out: `revloop import`, `revloop export`."""
from __future__ import annotations

import sys

from revloop.streams.config import Settings


def _cmd_import(args, settings: Settings, *, restore: bool = False) -> int:
    from revloop.streams.importer import RestoreRefused, import_file

    try:
        report = import_file(settings, args.file, restore=restore)
    except RestoreRefused as exc:
        print(f"revloop restore: {exc}", file=sys.stderr)
        return 2
    for line_no, reason in report.errors:
        print(f"{args.file}:{line_no}: {reason}", file=sys.stderr)
    verb = "restored" if restore else "imported"
    lines = f" (line(s) {report.produced_ranges()})" if report.produced else ""
    print(f"{verb} {report.produced} event(s), rejected {len(report.errors)} line(s){lines}", file=sys.stderr)
    return 1 if report.errors else 0


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
    imp = sub.add_parser("import", help="validate a JSON Lines file and produce its valid events")
    imp.add_argument("file")
    imp.set_defaults(func=_cmd_import)

    res = sub.add_parser("restore", help="admin: put an export back into empty topics (decisions and run "
                                        "records included, which import refuses)")
    res.add_argument("file")
    res.set_defaults(func=_cmd_restore)

    exp = sub.add_parser("export", help="print a topic's events as JSON Lines")
    exp.add_argument("topic")
    exp.add_argument("--from-offset", type=int, default=0, help="start at this offset in every partition")
    exp.add_argument("--out", help="write to this file instead of standard output")
    exp.set_defaults(func=_cmd_export)
