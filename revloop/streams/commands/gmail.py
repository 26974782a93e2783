"""Gmail ingestion."""
from __future__ import annotations

from revloop.streams.cli_support import UsageError, command, group, positive_float
from revloop.streams.config import Settings


def _cmd_gmail(args, settings: Settings) -> int:
    from revloop.streams.gmail_ingest import poll_mailboxes

    try:
        return poll_mailboxes(settings, loop=args.gmail_command == "run", interval_s=args.interval)
    except ValueError as exc:      # a mailbox or secret that could reach the wrong tenant (SecretStoreError too)
        raise UsageError(str(exc)) from None


def register(sub) -> None:
    gmail = group(sub, "gmail", help="Gmail ingestion (REVLOOP_MAILBOXES='tenant=address,...')",
                  description="Every configured mailbox into gmail.messages (history-based, checkpointed).",
                  dest="gmail_command")
    for name, text in (("poll", "one pass over every mailbox (cron: every 5 minutes); exits 69 when a mailbox "
                                "needs re-authorisation or is out of quota"),
                       ("run", "poll every mailbox in a loop, every --interval seconds, until stopped")):
        cmd = command(gmail, name, help=text, description=text[0].upper() + text[1:] + ".", kafka=True,
                      env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_MAILBOXES", "REVLOOP_SECRETS_FILE",
                           "REVLOOP_GMAIL_TOKEN_<TENANT>", "REVLOOP_GMAIL_CLIENT_ID", "REVLOOP_GMAIL_CLIENT_SECRET",
                           "REVLOOP_GMAIL_STATE_DIR"),
                      example=f"REVLOOP_MAILBOXES=acme=ops@acme.example revloop gmail {name}")
        cmd.add_argument("--interval", type=positive_float, default=60.0, help="seconds between passes (run)")
        cmd.set_defaults(func=_cmd_gmail)
