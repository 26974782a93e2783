"""`revloop import`: validate every line of a JSON Lines file, produce the valid ones."""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field

from confluent_kafka import KafkaException

from revloop.schemas.codec import check_storable, codec_from_env
from revloop.schemas.jsonl import parse_line
from revloop.streams.config import Settings
from revloop.streams.kafka_io import flush_or_raise, producer
from revloop.streams.topics import topic_for


@dataclass
class ImportReport:
    produced: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_file(settings: Settings, path: str, *, show_progress: bool | None = None) -> ImportReport:
    codec = codec_from_env()
    report = ImportReport()
    undelivered: list[tuple[int, str]] = []
    p = producer(settings)
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    with open(path, encoding="utf-8", errors="replace") as fh, _progress(path, show_progress) as advance:
        for line_no, line in enumerate(fh, start=1):
            advance(len(line.encode("utf-8", errors="replace")))
            if not line.strip():
                continue
            try:
                type_name, record = parse_line(line)
                check_storable(type_name, record)   # what the worker would dead-letter stays out
                value = codec.encode(type_name, record, check=False)  # parse_line validated it
            except ValueError as exc:
                report.errors.append((line_no, str(exc)))
                continue
            try:
                _produce(p, settings.topic(topic_for(type_name, record)), record["tenant_id"].encode(), value,
                         lambda err, msg, n=line_no: err and undelivered.append((n, f"not delivered: {err.str()}")))
            except KafkaException as exc:      # e.g. larger than the producer's message.max.bytes
                report.errors.append((line_no, f"cannot produce ({len(value):,} bytes encoded): {exc.args[0].str()}"))
                continue
            report.produced += 1
            p.poll(0)
    flush_or_raise(p)
    # A line the broker refused (or that expired while it was away) was not imported.
    report.errors.extend(undelivered)
    report.errors.sort()
    report.produced -= len(undelivered)
    return report


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
