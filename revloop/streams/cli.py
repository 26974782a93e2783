"""The `revloop` command line."""
from __future__ import annotations

import argparse
import logging
import sys

from revloop.streams.config import Settings


def _cmd_topics(args, settings: Settings) -> int:
    from revloop.streams.kafka_io import create_topics

    for name, status in create_topics(settings).items():
        print(f"{status:8} {name}")
    return 0


def _cmd_import(args, settings: Settings) -> int:
    from revloop.streams.importer import import_file

    report = import_file(settings, args.file)
    for line_no, reason in report.errors:
        print(f"{args.file}:{line_no}: {reason}", file=sys.stderr)
    print(f"imported {report.produced} event(s), rejected {len(report.errors)} line(s)", file=sys.stderr)
    return 1 if report.errors else 0


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


def _cmd_worker(args, settings: Settings) -> int:
    from revloop.streams.worker import run_worker

    run_worker(settings, args.store)
    return 0


def _cmd_replay(args, settings: Settings) -> int:
    import os

    from revloop.streams.replay import replay
    from revloop.projections.store import open_store

    url = args.store
    if url.startswith("duckdb:") and not url.endswith(":memory:"):
        path = url[len("duckdb:"):]
        if os.path.exists(path):
            if not args.overwrite:
                print(f"{path} exists: replay builds a fresh store (pass --overwrite to replace it)", file=sys.stderr)
                return 2
            os.remove(path)
    store = open_store(url)
    try:
        stats = replay(settings, store, show_progress=not args.quiet)
    finally:
        store.close()
    print(f"replayed {stats.records} record(s) in {stats.seconds:.2f}s ({stats.rate:,.0f} events/s); "
          f"{stats.dead_letters} undecodable", file=sys.stderr)
    return 0


def _cmd_tick(args, settings: Settings) -> int:
    from revloop.streams.tick_producer import produce_ticks

    ticks = produce_ticks(settings, args.at, args.tenant)
    for tick in ticks:
        print(tick["tick_id"])
    if not ticks:
        print("no enabled tenant: send a control event with enabled=true, or pass --tenant", file=sys.stderr)
    return 0


def _cmd_demo(args, settings: Settings) -> int:
    from revloop.streams.demo import run_demo

    return run_demo(settings, contacts=args.contacts, hours=args.hours, out_dir=args.out, seed=args.seed)


def _cmd_sender(args, settings: Settings) -> int:
    import os

    from revloop.streams.email_sink import EmailSink, SenderConfig

    api_key = os.environ.get("RESEND_API_KEY", "")
    config = SenderConfig(api_key=api_key, sent_log_path=args.sent_log, api_url=os.environ.get("RESEND_API_URL"),
                          from_address=os.environ.get("REVLOOP_FROM", SenderConfig.from_address),
                          unsubscribe_base_url=os.environ.get("REVLOOP_UNSUBSCRIBE_URL",
                                                              SenderConfig.unsubscribe_base_url),
                          postal_address=os.environ.get("REVLOOP_POSTAL_ADDRESS", SenderConfig.postal_address))
    sink = EmailSink(settings, config)
    sink.run(stop_after_idle_s=args.exit_when_idle)
    print(f"settled {sink.settled} action(s), sent {sink.sent}", file=sys.stderr)
    return 0


def _cmd_webhooks(args, settings: Settings) -> int:
    import threading

    from revloop.connectors.resend_webhooks import load_secret
    from revloop.connectors.unsubscribe import load_secret as load_unsubscribe_secret
    from revloop.connectors.webhook_server import WebhookApp, start_server
    from revloop.schemas.codec import codec_from_env
    from revloop.streams.kafka_io import producer
    from revloop.streams.topics import topic_for

    codec, p = codec_from_env(), producer(settings)

    def emit(type_name, record):
        p.produce(settings.topic(topic_for(type_name, record)), key=record["tenant_id"].encode(),
                  value=codec.encode(type_name, record))
        p.flush(10)

    server = start_server(WebhookApp(emit, unsubscribe_secret=load_unsubscribe_secret(), webhook_secret=load_secret()),
                          host=args.host, port=args.port)
    print(f"listening on {server.url} (POST /unsubscribe, POST /webhooks/resend)", file=sys.stderr)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _cmd_gmail(args, settings: Settings) -> int:
    from revloop.streams.gmail_ingest import poll_mailboxes

    return poll_mailboxes(settings, loop=args.gmail_command == "run", interval_s=args.interval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="revloop", description=__doc__)
    parser.add_argument("--bootstrap-servers", help="Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    topics = sub.add_parser("topics", help="manage the topic registry")
    topics_sub = topics.add_subparsers(dest="topics_command", required=True)
    topics_sub.add_parser("create", help="create every missing topic").set_defaults(func=_cmd_topics)

    imp = sub.add_parser("import", help="validate a JSON Lines file and produce its valid events")
    imp.add_argument("file")
    imp.set_defaults(func=_cmd_import)

    exp = sub.add_parser("export", help="print a topic's events as JSON Lines")
    exp.add_argument("topic")
    exp.add_argument("--from-offset", type=int, default=0, help="start at this offset in every partition")
    exp.add_argument("--out", help="write to this file instead of standard output")
    exp.set_defaults(func=_cmd_export)

    worker = sub.add_parser("worker", help="run the live projection worker (Faust)")
    worker.add_argument("--store", help="duckdb:FILE or postgresql://... (default: $REVLOOP_STORE or duckdb:revloop.duckdb)")
    worker.set_defaults(func=_cmd_worker)

    rep = sub.add_parser("replay", help="rebuild every projection from offset 0 into a fresh store")
    rep.add_argument("--store", required=True, help="duckdb:FILE or postgresql://...")
    rep.add_argument("--overwrite", action="store_true", help="replace an existing DuckDB file")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    rep.set_defaults(func=_cmd_replay)

    tick = sub.add_parser("tick", help="produce the hourly tick for every enabled tenant (cron: every hour)")
    tick.add_argument("--at", help="a time in the hour to tick (ISO-8601; default: now)")
    tick.add_argument("--tenant", action="append", help="tick only this tenant (repeatable)")
    tick.set_defaults(func=_cmd_tick)

    demo = sub.add_parser("demo", help="the main job: demo book -> worker -> simulated ticks -> summary")
    demo.add_argument("--contacts", type=int, default=1500, help="contacts per tenant (larger data set: 20000)")
    demo.add_argument("--hours", type=int, default=6, help="simulated hourly ticks")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", default="out", help="folder for the DuckDB file and the worker log")
    demo.set_defaults(func=_cmd_demo)

    sender = sub.add_parser("sender", help="the Resend sink: send approved email actions (RESEND_API_KEY)")
    sender.add_argument("--sent-log", default="var/sent-log.sqlite", help="the local sent log (idempotency)")
    sender.add_argument("--exit-when-idle", type=float, help="stop after this many idle seconds")
    sender.set_defaults(func=_cmd_sender)

    hooks = sub.add_parser("webhooks", help="serve the unsubscribe and Resend webhook endpoints")
    hooks.add_argument("--host", default="127.0.0.1")
    hooks.add_argument("--port", type=int, default=8088)
    hooks.set_defaults(func=_cmd_webhooks)

    gmail = sub.add_parser("gmail", help="Gmail ingestion (REVLOOP_MAILBOXES='tenant=address,...')")
    gmail_sub = gmail.add_subparsers(dest="gmail_command", required=True)
    for name, text in (("poll", "one pass over every mailbox (cron: every 5 minutes)"), ("run", "poll in a loop")):
        cmd = gmail_sub.add_parser(name, help=text)
        cmd.add_argument("--interval", type=float, default=60.0, help="seconds between passes (run)")
        cmd.set_defaults(func=_cmd_gmail)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    settings = Settings.from_env()
    if args.bootstrap_servers:
        from dataclasses import replace

        settings = replace(settings, bootstrap_servers=args.bootstrap_servers)
    return args.func(args, settings)


if __name__ == "__main__":
    sys.exit(main())
