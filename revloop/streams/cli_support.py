"""What every `revloop` subcommand shares: exit codes, the errors that map to them, the
global flags, help text (description, environment variables, example), JSON output and
logging.

Exit codes (sysexits.h, as cron and supervisors expect):

    0   success
    1   finished, but some input lines were rejected (import: the report says which)
    2   usage: a bad argument or a bad environment variable
    65  bad input data (a file that is not what the command reads)
    66  an input file that does not exist or cannot be read
    69  a service is unavailable: the Kafka broker, the store, the schema registry, Gmail
    70  internal error (a bug): the message says what, -v shows the traceback
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time

EX_OK, EX_REJECTED, EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_UNAVAILABLE, EX_SOFTWARE = 0, 1, 2, 65, 66, 69, 70
EXIT_CODES = {
    EX_OK: "success",
    EX_REJECTED: "finished, some input lines rejected (see the report)",
    EX_USAGE: "bad argument or environment variable",
    EX_DATAERR: "bad input data",
    EX_NOINPUT: "input file missing or unreadable",
    EX_UNAVAILABLE: "broker, store or another service unavailable",
    EX_SOFTWARE: "internal error (run with -v for the traceback)",
}


SHORT = {EX_OK: "ok", EX_REJECTED: "lines rejected", EX_USAGE: "usage", EX_DATAERR: "bad data",
         EX_NOINPUT: "no input file", EX_UNAVAILABLE: "unavailable", EX_SOFTWARE: "internal"}


class CliError(Exception):
    """An expected failure: one line on stderr, the exit code, no traceback."""
    code = EX_SOFTWARE


class UsageError(CliError):
    code = EX_USAGE


class BadInput(CliError):
    code = EX_DATAERR


class MissingInput(CliError):
    code = EX_NOINPUT


class Unavailable(CliError):
    code = EX_UNAVAILABLE


# ---- global flags ----------------------------------------------------------------------------

def add_global_flags(parser: argparse.ArgumentParser, *, subcommand: bool) -> None:
    """The flags every command takes, before or after the subcommand's name. On a
    subcommand they default to SUPPRESS, so an absent flag leaves the top level's value."""
    default = (lambda value: argparse.SUPPRESS) if subcommand else (lambda value: value)
    parser.add_argument("--bootstrap-servers", default=default(None), metavar="HOST:PORT,...",
                        help="Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)")
    parser.add_argument("-v", "--verbose", action="store_true", default=default(False),
                        help="debug logs (the worker's Faust too) and tracebacks")
    parser.add_argument("--log-format", choices=("text", "json"), default=default(None),
                        help="log lines as text or one JSON object per line (default: $REVLOOP_LOG_FORMAT or text)")


def _global_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    add_global_flags(parent, subcommand=True)
    return parent


def command(sub, name: str, *, help: str, description: str, example: str, env: tuple[str, ...] = (),
            kafka: bool = False) -> argparse.ArgumentParser:
    """A subcommand parser with its description, the environment variables it reads and an
    example in --help. kafka=True: the cluster is checked (reachable, credentials accepted)
    before the command runs, so a broker that is down or a wrong password is reported in
    seconds instead of a client retrying for minutes."""
    from revloop.streams.config import Settings

    known = Settings.variables()
    unknown = [v for v in env if v not in known]
    if unknown:
        raise ValueError(f"revloop {name}: --help names variables Settings does not have: {unknown}")
    lines = ["environment:"] + [f"  {v:<30} {known[v]['doc'].split(';')[0].split(' (')[0]}" for v in env] \
        if env else ["environment: none beyond the global ones"]
    lines += ["", "example:"] + [f"  {line}" for line in example.strip().splitlines()]
    lines += ["", "exit codes: " + " | ".join(f"{c} {SHORT[c]}" for c in sorted(SHORT))]
    parser = sub.add_parser(name, help=help, description=description, epilog="\n".join(lines),
                            formatter_class=argparse.RawDescriptionHelpFormatter, parents=[_global_parent()])
    parser.set_defaults(needs_kafka=kafka)
    return parser


def group(sub, name: str, *, help: str, description: str, dest: str):
    """A command with subcommands of its own (`revloop gmail poll`); returns their subparsers."""
    parser = sub.add_parser(name, help=help, description=description, parents=[_global_parent()])
    return parser.add_subparsers(dest=dest, required=True, metavar="COMMAND")


# ---- argument types: refused when parsed (exit 2, argparse's one-line message) ---------------

def _number(kind, text: str, low, what: str):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if value < low or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def positive_int(text: str) -> int:
    return _number(int, text, 1, "a whole number of at least 1")


def non_negative_int(text: str) -> int:
    return _number(int, text, 0, "a whole number of at least 0")


def positive_float(text: str) -> float:
    return _number(float, text, 1e-9, "a positive number")


def port(text: str) -> int:
    value = _number(int, text, 0, "a port number (0-65535)")
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return value


def iso_time(text: str) -> str:
    """An ISO-8601 time with a timezone (2026-11-25T09:00:00Z); returned as given."""
    from revloop.schemas.jsonl import parse_time
    try:
        parse_time(text)
    except ValueError as exc:
        reason = str(exc) if "timezone" in str(exc) else "not an ISO-8601 time"
        raise argparse.ArgumentTypeError(f"{text!r}: {reason} (e.g. 2026-11-25T09:00:00Z)") from None
    return text


def tenant_id(text: str) -> str:
    from revloop.schemas.admission import tenant_id_problem
    problem = tenant_id_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(f"{text!r}: {problem}")
    return text


def store_url(text: str) -> str:
    if not (text.startswith("duckdb:") or text.startswith(("postgresql://", "postgres://"))):
        raise argparse.ArgumentTypeError(f"{text!r} is not a store URL (duckdb:FILE or postgresql://...)")
    return text


# ---- output ----------------------------------------------------------------------------------

def print_json(value) -> None:
    """One JSON document on stdout (for --json): keys sorted, so output is stable."""
    json.dump(value, sys.stdout, sort_keys=True, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


class JsonLogFormatter(logging.Formatter):
    """One JSON object per log line: time (UTC, ISO-8601), level, logger, message (and the
    traceback when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_logging(*, verbose: bool, log_format: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter() if log_format == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # Libraries' chatter at INFO (HTTP clients, aiokafka's every connection) is noise at a
    # terminal; Faust's and mode's INFO lines stay (the worker's "Ready" is one). With -v
    # everything reaches the handler, Faust's and aiokafka's debug lines included.
    for name in ("googleapiclient", "urllib3", "httpx", "aiokafka"):
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else logging.WARNING)
