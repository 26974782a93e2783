"""The Resend sink."""
from __future__ import annotations

import sys

from revloop.streams.cli_support import command, positive_float
from revloop.streams.config import Settings


def _cmd_sender(args, settings: Settings) -> int:
    from revloop.streams.email_sink import EmailSink, SenderConfig
    from revloop.streams.gmail_ingest import mailboxes

    read: dict[str, set] = {}
    try:
        for tenant, address in mailboxes(settings.mailboxes):   # an owner's replies go to their mailbox when it is read
            read.setdefault(tenant, set()).add(address.lower())
    except ValueError as exc:
        print(f"revloop sender: {exc}", file=sys.stderr)
        return 2

    config = SenderConfig(api_key=settings.resend_api_key or "", sent_log_path=args.sent_log,
                          api_url=settings.resend_api_url, from_address=settings.from_address,
                          unsubscribe_base_url=settings.unsubscribe_url, postal_address=settings.postal_address,
                          mailboxes=read)
    try:
        sink = EmailSink(settings, config)
    except ValueError as exc:
        print(f"revloop sender: {exc}", file=sys.stderr)
        return 2
    sink.run(stop_after_idle_s=args.exit_when_idle)
    print(f"settled {sink.settled} action(s), sent {sink.sent}, refused {sink.refused} unauthenticated",
          file=sys.stderr)
    return 0


def register(sub) -> None:
    sender = command(sub, "sender", help="the Resend sink: send approved email actions (RESEND_API_KEY)", kafka=True,
                     description="Send every approved email action through Resend, judging the guardrails again "
                                 "at send time; outcomes go back onto email.outcomes. The action id is the "
                                 "idempotency key: a replay never sends twice.",
                     env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "RESEND_API_KEY", "RESEND_API_URL",
                          "REVLOOP_FROM", "REVLOOP_POSTAL_ADDRESS", "REVLOOP_UNSUBSCRIBE_URL",
                          "REVLOOP_UNSUBSCRIBE_SECRET", "REVLOOP_ACTION_KEY", "REVLOOP_MAILBOXES"),
                     example="revloop sender --sent-log var/sent-log.sqlite")
    sender.add_argument("--sent-log", default="var/sent-log.sqlite", help="the local sent log (idempotency)")
    sender.add_argument("--exit-when-idle", type=positive_float, help="stop after this many idle seconds")
    sender.set_defaults(func=_cmd_sender)
