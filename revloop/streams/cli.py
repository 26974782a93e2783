"""The `revloop` command line."""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from revloop.streams.commands import COMMANDS
from revloop.streams.config import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="revloop", description=__doc__)
    parser.add_argument("--bootstrap-servers", help="Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"revloop.streams.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Whatever a command writes (the DuckDB file and its WAL, checkpoints, sent logs, exports)
    # holds addresses or positions: the owner's alone, whoever forgets to say so.
    os.umask(0o077)
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
