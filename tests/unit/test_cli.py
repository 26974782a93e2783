"""The `revloop` command line behaves like one: documented exit codes, one line instead of a
traceback, arguments checked when parsed, --version, help with environment and example,
global flags anywhere, JSON logs."""
from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys

import pytest

from revloop.streams import cli, cli_support
from revloop.streams.config import Settings, SettingsError
from revloop.streams.kafka_clients import ClusterUnavailable


def leaves(parser: argparse.ArgumentParser, path=()):
    """(command path, parser) for every runnable subcommand."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    if parser.get_default("func") is not None:          # runnable itself, with optional subcommands
        yield path, parser
    for name, child in subs[0].choices.items():
        yield from leaves(child, path + (name,))


def all_commands():
    return list(leaves(cli.build_parser()))


def test_every_command_has_a_description_its_environment_and_an_example():
    commands = all_commands()
    assert len(commands) >= 20
    for path, parser in commands:
        text = parser.format_help()
        assert parser.description and len(parser.description) > 20, path
        assert "environment:" in text and "example:" in text and "exit codes:" in text, path
        example = text.split("example:")[1]
        assert "revloop " + path[0] in example, f"{path}: the example does not run the command"
        env = text.split("environment:")[1].split("example:")[0]
        for name in env.split():
            if name.isupper() and "_" in name:
                assert name in Settings.variables(), f"{path}: {name} is no Settings variable"


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("revloop 0.")


@pytest.mark.parametrize("argv", [
    ["tick", "--bootstrap-servers", "b:1", "-v", "--log-format", "json", "--tenant", "acme"],
    ["--bootstrap-servers", "b:1", "-v", "--log-format", "json", "tick", "--tenant", "acme"],
    ["-v", "tick", "--log-format", "json", "--bootstrap-servers", "b:1", "--tenant", "acme"],
])
def test_global_flags_before_or_after_the_subcommand(argv):
    args = cli.build_parser().parse_args(argv)
    assert (args.bootstrap_servers, args.verbose, args.log_format, args.tenant) == ("b:1", True, "json", ["acme"])


def test_global_flags_default_when_absent():
    args = cli.build_parser().parse_args(["tick"])
    assert (args.bootstrap_servers, args.verbose, args.log_format) == (None, False, None)


@pytest.mark.parametrize("argv, words", [
    (["tick", "--at", "garbage"], "argument --at: 'garbage': not an ISO-8601 time"),
    (["tick", "--at", "2026-11-25T09:00:00"], "has no timezone"),
    (["tick", "--tenant", "Acme Corp"], "argument --tenant"),
    (["demo", "--hours", "0"], "argument --hours: '0' is not a whole number of at least 1"),
    (["export", "orders", "--from-offset", "-3"], "argument --from-offset"),
    (["webhooks", "--port", "70000"], "not a port number"),
    (["worker", "--store", "sqlite:x.db"], "not a store URL"),
    (["no-such-command"], "invalid choice"),
])
def test_arguments_are_refused_when_parsed(argv, words, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert words in err and "Traceback" not in err


def test_a_bad_environment_variable_is_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setenv("REVLOOP_PARTITIONS", "many")
    assert cli.main(["tick", "--tenant", "acme"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["revloop tick: REVLOOP_PARTITIONS='many' is not a whole number"]


class _PgDown(Exception):
    pass


def test_classify_maps_failures_to_documented_codes():
    import duckdb
    import psycopg
    from confluent_kafka import KafkaError, KafkaException

    cases = {
        69: [ClusterUnavailable("no Kafka broker answers"), KafkaException(KafkaError(KafkaError._TRANSPORT)),
             KafkaException(KafkaError(KafkaError.TOPIC_AUTHORIZATION_FAILED)),
             psycopg.OperationalError("connection failed: Connection refused"),
             duckdb.IOException('Could not set lock on file "x.duckdb": Conflicting lock is held')],
        66: [FileNotFoundError(2, "No such file or directory", "book.jsonl")],
        65: [cli_support.BadInput("line 3 is not CSV")],
        2: [SettingsError("X='y' is not a whole number"), cli_support.UsageError("pass --overwrite")],
        70: [RuntimeError("a bug"), KeyError("k")],
    }
    for code, errors in cases.items():
        for exc in errors:
            got, message = cli.classify(exc)
            assert got == code, (exc, message)
            assert "\n" not in message
    assert "in use by another process" in cli.classify(cases[69][-1])[1]


def test_an_internal_error_says_how_to_see_the_traceback(tmp_path):
    """End to end, through a real process: a report from a DuckDB "file" that is a folder fails
    inside duckdb, a failure no check foresaw: exit 70, one line, the traceback only with -v."""
    folder = tmp_path / "a-folder.duckdb"
    folder.mkdir()
    for verbose in ([], ["-v"]):
        proc = subprocess.run([sys.executable, "-m", "revloop.streams.cli", "report", "--store", f"duckdb:{folder}",
                               "--out", str(tmp_path / "r.html"), *verbose], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 70, proc.stderr
        if verbose:
            assert "Traceback" in proc.stderr
        else:
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("revloop report: internal error: ")
            assert lines[0].endswith("(run with -v for the traceback)")


def test_json_log_lines(capsys):
    cli_support.configure_logging(verbose=True, log_format="json")
    try:
        logging.getLogger("faust.worker").debug("hello %s", "there")
        try:
            raise ValueError("x")
        except ValueError:
            logging.getLogger("revloop.worker").exception("failed")
    finally:
        cli_support.configure_logging(verbose=False, log_format="text")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines[0]["logger"] == "faust.worker" and lines[0]["level"] == "DEBUG" and lines[0]["message"] == "hello there"
    assert lines[1]["level"] == "ERROR" and "ValueError: x" in lines[1]["traceback"]
    assert lines[0]["time"].endswith("Z")


def test_without_v_library_chatter_is_quiet_and_with_v_it_reaches_faust():
    cli_support.configure_logging(verbose=False, log_format="text")
    assert not logging.getLogger("aiokafka").isEnabledFor(logging.INFO)
    assert logging.getLogger("faust.worker").isEnabledFor(logging.INFO)          # "Ready" and the like
    assert not logging.getLogger("faust.worker").isEnabledFor(logging.DEBUG)
    cli_support.configure_logging(verbose=True, log_format="text")
    assert logging.getLogger("faust.worker").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("aiokafka").isEnabledFor(logging.DEBUG)
    cli_support.configure_logging(verbose=False, log_format="text")
