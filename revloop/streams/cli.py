"""The `revloop` command line.

Every command's expected failures end as one line on stderr and a documented exit code
(revloop.streams.cli_support); a traceback only with -v.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from dataclasses import replace

from revloop.streams import cli_support
from revloop.streams.cli_support import EX_NOINPUT, EX_SOFTWARE, EX_UNAVAILABLE, EX_USAGE, EXIT_CODES, CliError
from revloop.streams.commands import COMMANDS

log = logging.getLogger("revloop.cli")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("revloop")
    except PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="revloop", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="revloop: an event-sourced revenue-operations agent (Kafka in, projections and "
                    "policy-gated actions out). `revloop COMMAND --help` shows each command's "
                    "environment variables and an example.",
        epilog="exit codes:\n" + "\n".join(f"  {code:<3} {text}" for code, text in sorted(EXIT_CODES.items())))
    parser.add_argument("--version", action="version", version=f"revloop {_version()}")
    cli_support.add_global_flags(parser, subcommand=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"revloop.streams.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Whatever a command writes (the DuckDB file and its WAL, checkpoints, sent logs, exports)
    # holds addresses or positions: the owner's alone, whoever forgets to say so.
    os.umask(0o077)
    args = build_parser().parse_args(argv)       # usage errors: argparse prints them, exit 2
    from revloop.streams.config import Settings, SettingsError

    name = "revloop " + " ".join(str(v) for k, v in vars(args).items()
                                 if k == "command" or (k.endswith("_command") and v))
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return EX_USAGE
    cli_support.configure_logging(verbose=args.verbose, log_format=args.log_format or settings.log_format)
    if args.bootstrap_servers:
        settings = replace(settings, bootstrap_servers=args.bootstrap_servers)
    try:
        if getattr(args, "needs_kafka", False):
            from revloop.streams.kafka_clients import check_connection
            check_connection(settings)
        return args.func(args, settings) or 0
    except KeyboardInterrupt:
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
    except BaseException as exc:  # noqa: BLE001  (the one place that turns errors into exit codes)
        if isinstance(exc, SystemExit):
            raise
        code, message = classify(exc)
        if args.verbose or code == EX_SOFTWARE:
            log.debug("traceback", exc_info=exc)
        if code == EX_SOFTWARE and not args.verbose:
            message += " (run with -v for the traceback)"
        print(f"{name}: {message}", file=sys.stderr)
        return code


def classify(exc: BaseException) -> tuple[int, str]:
    """An exception -> (exit code, one-line message)."""
    from revloop.streams.config import SettingsError
    from revloop.streams.kafka_clients import ClusterUnavailable

    text = " ".join(str(exc).split())
    if isinstance(exc, CliError):
        return exc.code, text
    if isinstance(exc, SettingsError):
        return EX_USAGE, text
    if isinstance(exc, ClusterUnavailable):
        return EX_UNAVAILABLE, text
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, PermissionError)):
        return EX_NOINPUT, f"{exc.filename}: {exc.strerror}" if exc.filename else text
    from confluent_kafka import KafkaException

    kind = f"{type(exc).__module__}.{type(exc).__name__}"
    if isinstance(exc, KafkaException) and exc.args and hasattr(exc.args[0], "code"):
        err = exc.args[0]
        if err.code() in _KAFKA_UNAVAILABLE:
            return EX_UNAVAILABLE, f"Kafka unavailable: {err.str()}"
        if "AUTHORIZATION_FAILED" in err.name():
            return EX_UNAVAILABLE, f"Kafka refused the operation: {err.str()} (ACLs of this user)"
    if kind.startswith("psycopg") and type(exc).__name__ in ("OperationalError", "InterfaceError"):
        return EX_UNAVAILABLE, f"the Postgres store is unavailable: {text.split(' Is the server')[0]}"
    if kind.startswith(("duckdb", "_duckdb")) and "lock" in text.lower():
        return EX_UNAVAILABLE, ("the DuckDB file is in use by another process (the worker?); analysts and reports "
                                f"open its published snapshot instead: {text[:300]}")
    return EX_SOFTWARE, f"internal error: {type(exc).__name__}: {text[:500]}"


def _kafka_unavailable_codes() -> frozenset:
    """The broker away (kafka_retry.UNREACHABLE_CODES), a message it never took, or refused credentials."""
    from confluent_kafka import KafkaError

    from revloop.streams.kafka_retry import UNREACHABLE_CODES
    return UNREACHABLE_CODES | frozenset({KafkaError._MSG_TIMED_OUT, KafkaError._AUTHENTICATION, KafkaError._SSL,
                                          KafkaError.SASL_AUTHENTICATION_FAILED})


class _LazyCodes:
    """The unavailability codes, built on first use (importing confluent-kafka costs time)."""
    _codes: frozenset | None = None

    def __contains__(self, code) -> bool:
        if self._codes is None:
            self._codes = _kafka_unavailable_codes()
        return code in self._codes


_KAFKA_UNAVAILABLE = _LazyCodes()


if __name__ == "__main__":
    sys.exit(main())
