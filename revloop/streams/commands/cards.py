"""`revloop cards list | accept | reject | done`: the people's side of the card queue."""
from __future__ import annotations

import sys

from revloop.streams.cli_support import command, group, print_json
from revloop.streams.config import Settings


def _fmt(ms) -> str:
    from revloop.schemas.jsonl import format_time

    return format_time(ms)[:16].replace("T", " ") if ms is not None else ""


def _cmd_list(args, settings: Settings) -> int:
    from rich.console import Console
    from rich.table import Table

    from revloop.streams.card_desk import Desk

    rows = Desk(settings).load().cards(args.tenant, None if args.status == "all" else args.status)
    if args.json:
        print_json(rows)
        return 0
    table = Table(title=f"cards{' of ' + args.tenant if args.tenant else ''} ({args.status})")
    for col in ("tenant", "card", "kind", "status", "for", "due", "title", "asked"):
        table.add_column(col, overflow="fold", no_wrap=col in ("card", "due"))
    for c in rows:
        table.add_row(c["tenant_id"], c["card_id"], c["kind"], c["status"], c["assignee_role"], _fmt(c["due_at"]),
                      c["title"], c["asked"] or "")
    # Piped (a script, a test): wide enough that ids are never folded across lines.
    Console(width=None if sys.stdout.isatty() else 240).print(table)
    print(f"{len(rows)} card(s)", file=sys.stderr)
    return 0


def _cmd_answer(args, settings: Settings) -> int:
    from revloop.processors.cards import CardError
    from revloop.streams.card_desk import Desk

    try:
        events = Desk(settings).load().answer(args.tenant, args.card, args.command_name, args.by, args.note)
    except CardError as exc:
        print(f"revloop cards {args.command_name}: {exc}", file=sys.stderr)
        return 1
    for type_name, event in events:
        print(f"{type_name} {event['event_id']}")
    return 0


def register(sub) -> None:
    cards = group(sub, "cards", help="the work queue for people: list cards, accept, reject or finish them",
                  description="Cards: approved tasks, escalations, order fixes and stage advances waiting for a "
                              "person; an answer is a card_decided event (and its effect).", dest="cards_command")
    listing = command(cards, "list", help="cards, open ones first by due time", kafka=True,
                      description="The queue as read from the log now.",
                      env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX"),
                      example="revloop cards list --tenant acme\nrevloop cards list --status all --json")
    listing.add_argument("--tenant", help="one tenant's cards (default: every tenant's)")
    listing.add_argument("--status", default="open", choices=("open", "accepted", "rejected", "done", "all"))
    listing.add_argument("--json", action="store_true", help="the cards as a JSON array on stdout")
    listing.set_defaults(func=_cmd_list)
    for verb, helptext in (("accept", "take the card on (an order fix or stage advance takes effect)"),
                           ("reject", "decline the card"), ("done", "the work is finished")):
        p = command(cards, verb, help=helptext, kafka=True,
                    description=helptext[0].upper() + helptext[1:] + ": one card_decided event (and its effect).",
                    env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX"),
                    example=f"revloop cards {verb} 3f9a2c --tenant acme --by ana --note 'called them'")
        p.add_argument("card", help="the card id, or a unique prefix of it (6+ characters)")
        p.add_argument("--tenant", required=True)
        p.add_argument("--by", required=True, help="who decides (a person id or name)")
        p.add_argument("--note")
        p.set_defaults(func=_cmd_answer, command_name=verb)
