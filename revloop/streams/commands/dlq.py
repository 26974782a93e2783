"""Dead letters: `revloop dlq list | show | redrive`."""
from __future__ import annotations

import base64
import sys

from revloop.streams.cli_support import UsageError, command, group, print_json
from revloop.streams.config import Settings


def _summary(d) -> dict:
    e = d.event
    return {"id": d.id, "dead_lettered_at": d.timestamp_ms, "source": f"{e['source_topic']}[{e['source_partition']}]"
            f"@{e['source_offset']}", "tenant_id": e["tenant_id"], "error_type": e["error_type"],
            "reason": e["reason"], "redriven": d.redriven}


def _cmd_list(args, settings: Settings) -> int:
    from rich.console import Console
    from rich.table import Table

    from revloop.schemas.jsonl import format_time
    from revloop.streams.dlq import entries

    letters = entries(settings, topic=args.topic)
    if args.json:
        print_json([dict(_summary(d), dead_lettered_at=format_time(d.timestamp_ms)) for d in letters])
        return 0
    table = Table(title=f"dead letters{' of ' + args.topic if args.topic else ''}")
    for col in ("id", "when", "source", "tenant", "error", "reason", "re-driven"):
        table.add_column(col, overflow="fold", no_wrap=col in ("id", "when"))
    for d in letters:
        s = _summary(d)
        table.add_row(s["id"], format_time(d.timestamp_ms), s["source"], s["tenant_id"], s["error_type"],
                      s["reason"][:160], "yes" if d.redriven else "")
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    print(f"{len(letters)} dead letter(s), {sum(d.redriven for d in letters)} re-driven", file=sys.stderr)
    return 0


def _cmd_show(args, settings: Settings) -> int:
    from revloop.schemas.codec import Codec, DecodeError
    from revloop.schemas.jsonl import format_time, to_json_obj
    from revloop.streams.dlq import find

    try:
        (d,) = find(settings, [args.id])
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    e, out = d.event, _summary(d)
    out["dead_lettered_at"] = format_time(d.timestamp_ms)
    out["key"] = e["key"].decode("utf-8", "replace") if e["key"] is not None else None
    value = e["value"]
    out["value_bytes"] = None if value is None else len(value)
    out["value_base64"] = None if value is None else base64.b64encode(value).decode()
    try:
        type_name, record = Codec().decode(value)
        out["value_decoded"] = to_json_obj(type_name, record)
    except DecodeError as exc:
        out["value_decoded"] = None
        out["decode_error"] = str(exc)
    if args.json:
        print_json(out)
        return 0
    for name in ("id", "dead_lettered_at", "source", "tenant_id", "error_type", "reason", "redriven", "key",
                 "value_bytes", "decode_error"):
        if out.get(name) is not None:
            print(f"{name:17} {out[name]}")
    print("value            " + (str(out["value_decoded"]) if out["value_decoded"] is not None
                                 else (out["value_base64"] or "")[:400]))
    return 0


def _cmd_redrive(args, settings: Settings) -> int:
    from revloop.streams.dlq import entries, find, redrive

    if bool(args.ids) == bool(args.all):
        raise UsageError("name the dead letters to re-drive (ids from `revloop dlq list`) or pass --all")
    try:
        letters = [d for d in entries(settings, topic=args.topic)] if args.all else find(settings, list(dict.fromkeys(args.ids)))
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    results = redrive(settings, letters)
    if args.json:
        print_json([{"id": d.id, "result": r} for d, r in results])
    else:
        for d, result in results:
            print(f"{d.id}: {result}")
    return 0


def register(sub) -> None:
    dlq = group(sub, "dlq", help="dead letters: list, show, re-drive after a fix",
                description="Records the worker could not use, kept whole on dead.letter with the reason.",
                dest="dlq_command")
    env = ("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX")
    listing = command(dlq, "list", help="every dead letter, oldest first, and whether it was re-driven", kafka=True,
                      description="List the dead letters: id (partition:offset on dead.letter), when, the source "
                                  "coordinates, tenant, error type, reason, and whether it was re-driven.",
                      env=env, example="revloop dlq list --topic orders\nrevloop dlq list --json")
    listing.add_argument("--topic", help="only dead letters from this topic (logical name, e.g. orders)")
    listing.add_argument("--json", action="store_true", help="as a JSON array on stdout")
    listing.set_defaults(func=_cmd_list)
    show = command(dlq, "show", help="one dead letter in full, its original bytes decoded when they can be",
                   kafka=True, description="Show one dead letter: coordinates, reason, key, and the original value "
                                           "(decoded as JSON when it is a revloop event, else base64).",
                   env=env, example="revloop dlq show 0:17")
    show.add_argument("id", help="partition:offset on dead.letter (revloop dlq list)")
    show.add_argument("--json", action="store_true", help="as one JSON object on stdout")
    show.set_defaults(func=_cmd_show)
    redrive = command(dlq, "redrive", help="after a fix: produce the original bytes to their topic again, once",
                      kafka=True,
                      description="Produce each dead letter's original key and bytes to its topic again, with a "
                                  "header naming the dead letter: a second redrive of the same one is refused "
                                  "(already re-driven). Truncated dead letters are refused.",
                      env=env, example="revloop dlq redrive 0:17 1:4\nrevloop dlq redrive --all --topic orders")
    redrive.add_argument("ids", nargs="*", help="partition:offset ids (revloop dlq list)")
    redrive.add_argument("--all", action="store_true", help="every dead letter not re-driven yet")
    redrive.add_argument("--topic", help="with --all: only those from this topic")
    redrive.add_argument("--json", action="store_true", help="the results as a JSON array on stdout")
    redrive.set_defaults(func=_cmd_redrive)
