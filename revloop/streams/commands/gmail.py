"""Gmail ingestion."""
from __future__ import annotations

from revloop.streams.config import Settings


def _cmd_gmail(args, settings: Settings) -> int:
    import sys

    from revloop.streams.gmail_ingest import poll_mailboxes

    try:
        return poll_mailboxes(settings, loop=args.gmail_command == "run", interval_s=args.interval)
    except ValueError as exc:      # a mailbox or secret that could reach the wrong tenant (SecretStoreError too)
        print(f"revloop gmail: {exc}", file=sys.stderr)
        return 2


def register(sub) -> None:
    gmail = sub.add_parser("gmail", help="Gmail ingestion (REVLOOP_MAILBOXES='tenant=address,...')")
    gmail_sub = gmail.add_subparsers(dest="gmail_command", required=True)
    for name, text in (("poll", "one pass over every mailbox (cron: every 5 minutes)"), ("run", "poll in a loop")):
        cmd = gmail_sub.add_parser(name, help=text)
        cmd.add_argument("--interval", type=float, default=60.0, help="seconds between passes (run)")
        cmd.set_defaults(func=_cmd_gmail)
