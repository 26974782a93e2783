"""`revloop import` and `revloop restore`: validate every line of a JSON Lines file, produce the valid ones.

import   the people's path: facts from outside only. What revloop itself writes (decisions,
         run records, alerts, ticks, the sender's outcomes) is refused line by line
         (revloop.schemas.admission).
restore  the admin path: an export back into a fresh cluster, every event type allowed (and
         the global tenant '*' for control events), but only into topics that are still empty; a non-empty target refuses the whole file
         before anything is produced.

Robust by construction: a line is judged on its own, and whatever goes wrong with it
(undecodable UTF-8, JSON nested deep enough to exhaust the parser, any exception at all)
is reported with its line number and the line is skipped; the producer is flushed before
the report is returned, even when the file cannot be read to its end.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field

from confluent_kafka import KafkaException

from revloop.processors.event_checks import check as check_content
from revloop.schemas.admission import check_admissible
from revloop.schemas.jsonl import parse_line
from revloop.streams.config import Settings
from revloop.streams.kafka_io import flush_or_raise, producer
from revloop.streams.topics import topic_for
from revloop.streams import kafka_clients, offsets


@dataclass
class ImportReport:
    produced: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    produced_lines: list[int] = field(default_factory=list)
    valid: int = 0          # lines that passed every check (produced, or would have been)

    def produced_ranges(self) -> str:
        """The produced line numbers as ranges ("1-4, 7, 9-12"), for the summary."""
        return line_ranges(self.produced_lines)


class RestoreRefused(RuntimeError):
    """`revloop restore` would write into a topic that already holds events."""


def import_file(settings: Settings, path: str, *, show_progress: bool | None = None,
                restore: bool = False, validate_only: bool = False, mapping=None) -> ImportReport:
    """validate_only: judge every line, produce nothing (the broker is away: the report still
    tells which lines would be refused). mapping (streams.csv_import.Mapping): the file is
    CSV, each row mapped to the JSON object a JSON Lines line would hold."""
    codec = kafka_clients.codec(settings)
    report = ImportReport()
    undelivered: dict[int, str] = {}
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    if restore and not validate_only:
        _refuse_non_empty_targets(settings, path)
    p = None if validate_only else producer(settings)
    try:
        with _progress(path, show_progress) as advance:
            for line_no, raw in _lines(path, mapping):
                if isinstance(raw, Exception):          # a CSV row that could not become a line
                    report.errors.append((line_no, _one_line(raw)))
                    continue
                advance(len(raw))
                try:
                    produced = _import_line(p, codec, settings, raw, line_no, undelivered, restore)
                except KafkaException as exc:  # e.g. larger than the producer's message.max.bytes
                    report.errors.append((line_no, f"cannot produce: {exc.args[0].str()}"))
                except RecursionError:
                    report.errors.append((line_no, "JSON nested too deeply"))
                except Exception as exc:  # any other failure is this line's, never the file's
                    report.errors.append((line_no, _one_line(exc)))
                else:
                    if produced:
                        report.valid += 1
                        if p is not None:
                            report.produced_lines.append(line_no)
                if p is not None:
                    p.poll(0)
    finally:
        # Whatever happened above, what was produced reaches the broker (or is reported).
        if p is not None:
            flush_or_raise(p)
    # A line the broker refused (or that expired while it was away) was not imported.
    report.errors.extend(undelivered.items())
    report.errors.sort()
    report.produced_lines = [n for n in report.produced_lines if n not in undelivered]
    report.valid -= len(undelivered)
    report.produced = len(report.produced_lines)
    return report


def _lines(path: str, mapping):
    """(line number, the line's bytes) for a JSON Lines file; for CSV, each row as the JSON
    line it maps to, or the reason it cannot be one."""
    if mapping is not None:
        from revloop.streams.csv_import import rows
        yield from rows(path, mapping)
        return
    with open(path, "rb") as fh:
        yield from enumerate(fh, start=1)


def _import_line(p, codec, settings: Settings, raw: bytes, line_no: int, undelivered: dict, restore: bool) -> bool:
    """Judge and produce one line; False for a blank line. Raises with the reason otherwise."""
    try:
        line = raw.decode("utf-8")          # strict: a replaced character would change the data
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 (byte {exc.start + 1} of the line)") from None
    if not line.strip():
        return False
    type_name, record = parse_line(line)
    # Tenant grammar, time bounds, no derived types (unless restoring), and what the worker
    # would dead-letter as unstorable: all stay out.
    check_admissible(type_name, record, now_ms=int(time.time() * 1000), max_skew_ms=settings.max_clock_skew_ms,
                     admin=restore)
    check_content(type_name, record)    # e.g. a template using a variable it does not declare
    value = codec.encode(type_name, record, check=False)  # parse_line validated it

    if p is None:
        return True

    def on_delivery(err, msg, n=line_no):
        if err is not None:
            undelivered[n] = f"not delivered: {err.str()}"

    _produce(p, settings.topic(topic_for(type_name, record)), record["tenant_id"].encode(), value, on_delivery)
    return True


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if isinstance(exc, ValueError) else f"{type(exc).__name__}: {text}"[:500]


def line_ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = None
    for n in numbers:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)


def _refuse_non_empty_targets(settings: Settings, path: str) -> None:
    """Every topic the file would write to must be empty (never written)."""
    targets: set[str] = set()
    with open(path, "rb") as fh:
        for raw in fh:
            try:
                obj = json.loads(raw)
                targets.add(topic_for(obj["type"], obj))
            except Exception:   # a bad line is reported by the import pass itself
                continue
    probe = kafka_clients.consumer(settings, "revloop-restore-probe")
    try:
        non_empty = []
        for name in sorted(targets):
            held = offsets.records_on(probe, settings, name)     # 0 for a topic that does not exist yet
            if held:
                non_empty.append(f"{name} ({held} event(s))")
    finally:
        probe.close()
    if non_empty:
        raise RestoreRefused("restore writes only into empty topics; not empty: " + ", ".join(non_empty))


def _produce(p, topic: str, key: bytes, value: bytes, on_delivery) -> None:
    """Produce one event, waiting while the local queue is full."""
    while True:
        try:
            p.produce(topic, key=key, value=value, on_delivery=on_delivery)
            return
        except BufferError:
            p.poll(0.5)


@contextlib.contextmanager
def _progress(path: str, enabled: bool):
    """A byte-based progress bar on stderr for big files; silent when piped."""
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"importing {os.path.basename(path)}", total=os.path.getsize(path))
        yield lambda n: bar.advance(task, n)
