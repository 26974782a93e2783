"""Inbound mail's classification: re-label with a new classifier version."""
from __future__ import annotations

from revloop.streams.cli_support import command, group, tenant_id
from revloop.streams.config import Settings


def relabel_topic(settings: Settings, reader, *, tenant: str | None = None, progress=None) -> tuple[int, int]:
    """Read gmail.messages from the start, and write a mail_classified event (reason "relabel") for
    every message whose newest classification is by another classifier version. Returns (messages
    read, events written). Undecodable records are left to the worker's dead letters."""
    from revloop.schemas.codec import DecodeError
    from revloop.streams import kafka_clients
    from revloop.streams.kafka_io import flush_or_raise, producer, read_topic
    from revloop.streams.mail_classify import relabel
    from revloop.streams.topics import topic_for

    codec = kafka_clients.codec(settings)
    messages: dict[str, dict] = {}
    latest: dict[str, tuple[int, str, str]] = {}     # message id -> (occurred_at, event id, version)
    for msg in read_topic(settings, settings.topic("gmail.messages")):
        try:
            type_name, event = codec.decode(msg.value())
        except DecodeError:
            continue
        if tenant is not None and event.get("tenant_id") != tenant:
            continue
        if type_name == "gmail_message":
            messages.setdefault(event["message_id"], event)
        elif type_name == "mail_classified":
            mark = (event["occurred_at"], event["event_id"], event["classifier_version"])
            if event["message_id"] not in latest or mark > latest[event["message_id"]]:
                latest[event["message_id"]] = mark
    p = producer(settings)

    def emit(type_name: str, record: dict) -> None:
        p.produce(settings.topic(topic_for(type_name, record)), key=record["tenant_id"].encode(),
                  value=codec.encode(type_name, record))
        if progress is not None:
            progress()

    written = relabel(reader, messages.values(), {k: v[2] for k, v in latest.items()}, emit)
    flush_or_raise(p)
    return len(messages), written


def _cmd_relabel(args, settings: Settings) -> int:
    from rich.console import Console

    from revloop.streams.mail_classify import MailReader

    console = Console(stderr=True)
    reader = MailReader.load(settings)
    console.print(f"classifier {reader.version} (loaded in {reader.model.load_seconds:.1f}s)")
    with console.status("re-labelling gmail.messages ..."):
        read, written = relabel_topic(settings, reader, tenant=args.tenant)
    console.print(f"{read} message(s) read, {written} re-labelled by {reader.version}")
    return 0


def register(sub) -> None:
    mail = group(sub, "mail", help="inbound mail's classification",
                 description="Inbound mail is classified once where it enters; a new classifier version "
                             "re-labels what is on the log.", dest="mail_command")
    cmd = command(mail, "relabel", help="classify every message again with this classifier version, as new "
                                        "mail_classified events (the projector keeps the newest)", kafka=True,
                  description="Read gmail.messages from the start and write a mail_classified event for every "
                              "message whose newest classification is by another classifier version.",
                  env=("KAFKA_BOOTSTRAP_SERVERS", "REVLOOP_TOPIC_PREFIX", "REVLOOP_MAIL_TIMEZONE"),
                  example="revloop mail relabel --tenant acme")
    cmd.add_argument("--tenant", type=tenant_id, help="only this tenant's messages")
    cmd.set_defaults(func=_cmd_relabel)
