"""`revloop gmail poll|run`: every configured mailbox into the gmail.messages topic.

Mailboxes come from REVLOOP_MAILBOXES ("tenant=address,tenant2=address2");
OAuth credentials from the secret store (connectors.secrets), never from events.
"""
from __future__ import annotations

import logging
import sys
import time

from revloop.connectors.gmail_checkpoint import NOT_CONFIGURED, REVOKED, TOKEN_EXPIRED, GmailCheckpointStore
from revloop.connectors.gmail_source import QUOTA_EXHAUSTED, GmailPoller, service_factory_for
from revloop.connectors.secrets import SecretStore
from revloop.streams import kafka_clients
from revloop.streams.cli_support import EX_UNAVAILABLE
from revloop.streams.config import Settings
from revloop.streams.mail_classify import MailReader
from revloop.schemas.admission import check_admissible, tenant_id_problem
from revloop.streams.kafka_io import producer
from revloop.streams.topics import topic_for

log = logging.getLogger("revloop.gmail")

# Poll outcomes a person has to act on; `revloop gmail poll` exits 69 (EX_UNAVAILABLE) on any.
NEEDS_ATTENTION = {
    REVOKED: "access revoked: re-authorise the mailbox (console: connect Gmail)",
    TOKEN_EXPIRED: "token expired: re-authorise the mailbox (console: connect Gmail)",
    NOT_CONFIGURED: "no credentials: connect the mailbox (console: connect Gmail)",
    QUOTA_EXHAUSTED: "Gmail API quota exhausted: the next pass resumes from the checkpoint",
}


def mailboxes(raw: str) -> list[tuple[str, str]]:
    """REVLOOP_MAILBOXES ("tenant=address,...") -> [(tenant, address)]."""
    out = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        tenant, _, address = item.partition("=")
        if not tenant or "@" not in address:
            raise ValueError(f"REVLOOP_MAILBOXES entry {item!r} is not tenant=address")
        problem = tenant_id_problem(tenant.strip())
        if problem:
            raise ValueError(f"REVLOOP_MAILBOXES entry {item!r}: {problem}")
        out.append((tenant.strip(), address.strip()))
    return out


def poll_mailboxes(settings: Settings, *, loop: bool, interval_s: float) -> int:
    configured = mailboxes(settings.mailboxes)
    if not configured:
        print("no mailbox configured: set REVLOOP_MAILBOXES='tenant=ops@firm.example'", file=sys.stderr)
        return 2
    codec, p = kafka_clients.codec(settings), producer(settings)

    def emit(type_name: str, record: dict) -> bool:
        # The same edge rules as import (a message dated past the clock would pin its rows):
        # refused with the reason; the mail itself stays in the mailbox.
        try:
            check_admissible(type_name, record, now_ms=int(time.time() * 1000),
                             max_skew_ms=settings.max_clock_skew_ms)
        except ValueError as exc:
            log.warning("gmail: %s not ingested: %s", record.get("event_id"), exc)
            return False
        p.produce(settings.topic(topic_for(type_name, record)), key=record["tenant_id"].encode(),
                  value=codec.encode(type_name, record))
        # The poller moves its history checkpoint after emitting: each event must be
        # durable first, or a crash in between would skip mail for good.
        if p.flush(60):
            raise RuntimeError("a gmail event was not delivered to Kafka")
        return True

    secrets = SecretStore(None, settings.gmail_secret_environ())
    checkpoints = GmailCheckpointStore(settings.gmail_state_dir)
    secrets.check()      # a secret that could reach the wrong tenant stops us before any poll
    # Every message is classified here, once, and the classification recorded beside it.
    reader = MailReader.load(settings)
    pollers = [GmailPoller(t, box, service_factory_for(t, secrets), checkpoints, reader.wrap(emit))
               for t, box in configured]
    while True:
        needs_attention = []
        for poller, (tenant, box) in zip(pollers, configured):
            result = poller.poll_once()
            print(f"{tenant} {box}: {result.status}, {result.messages_emitted} message(s)"
                  f"{' (full sync)' if result.full_sync else ''}", file=sys.stderr)
            if result.status in NEEDS_ATTENTION:
                needs_attention.append(f"{tenant} {box}: {NEEDS_ATTENTION[result.status]}")
        if not loop:
            if needs_attention:
                # cron mails a non-zero exit: someone must re-authorise or wait for the quota.
                print("; ".join(needs_attention), file=sys.stderr)
                return EX_UNAVAILABLE
            return 0
        time.sleep(interval_s)
