"""Dead letters, triaged and re-driven: `revloop dlq list | show | redrive`.

A dead letter (streams.dead_letter) keeps a refused record's original key and bytes, its
coordinates and the reason. Once the cause is fixed (a worker that can now read it, a
contact that has since arrived), `redrive` produces the original bytes, with their key, to
their topic again: the worker reads them like any other record.

Once, and recorded: the re-driven record carries a header naming the dead letter it came
from (`revloop-redrive-of: dlq:<topic>:<partition>:<offset>`), on the log, where everyone
can see it; before producing, redrive looks for that header on the topic (from the dead
letter's time on) and refuses to send it twice. A dead letter whose value was truncated (a
record near the broker's size limit) is refused: its whole bytes stay at their offset.
"""
from __future__ import annotations

from dataclasses import dataclass

from confluent_kafka import TopicPartition

from revloop.schemas.codec import DecodeError
from revloop.streams import kafka_clients, offsets
from revloop.streams.config import Settings
from revloop.streams.kafka_io import flush_or_raise, read_topic
from revloop.streams.topics import BY_NAME, DEAD_LETTER

REDRIVE_HEADER = "revloop-redrive-of"


@dataclass
class DeadLetter:
    id: str                 # "<partition>:<offset>" on dead.letter: what `show` and `redrive` take
    event: dict             # the dead_letter event
    timestamp_ms: int       # when it was dead-lettered
    redriven: bool = False

    @property
    def truncated(self) -> bool:
        return "truncated from" in self.event["reason"]


def entries(settings: Settings, *, topic: str | None = None) -> list[DeadLetter]:
    """Every dead letter (or those of one source topic), oldest first, with whether each was
    re-driven already."""
    codec = kafka_clients.codec(settings)
    out = []
    try:
        messages = list(read_topic(settings, settings.topic(DEAD_LETTER)))
    except KeyError:
        return []
    for msg in messages:
        try:
            _, event = codec.decode(msg.value())
        except DecodeError:
            continue
        if topic is None or event["source_topic"] == topic:
            out.append(DeadLetter(f"{msg.partition()}:{msg.offset()}", event, msg.timestamp()[1]))
    done = redriven(settings, out)
    for d in out:
        d.redriven = d.event["event_id"] in done
    return sorted(out, key=lambda d: (d.timestamp_ms, d.id))


def redriven(settings: Settings, letters: list[DeadLetter]) -> set[str]:
    """The dead letters (by event id) whose bytes are already back on their topic: the
    header on a record produced after the dead letter."""
    since: dict[str, int] = {}
    for d in letters:
        t = d.event["source_topic"]
        since[t] = min(since.get(t, d.timestamp_ms), d.timestamp_ms)
    found: set[str] = set()
    for topic, at in since.items():
        if topic not in BY_NAME:
            continue
        physical = settings.topic(topic)
        consumer = kafka_clients.consumer(settings, "revloop-dlq-probe")
        try:
            parts = offsets.topic_partitions(consumer, [physical]).get(physical, [])
            starts = consumer.offsets_for_times([TopicPartition(physical, p, max(at - 1, 0)) for p in parts], timeout=30)
            ends = {p: offsets.watermarks(consumer, physical, p)[1] for p in parts}
        finally:
            consumer.close()
        first = min((tp.offset for tp in starts if 0 <= tp.offset < ends[tp.partition]), default=None)
        if first is None:
            continue
        for msg in read_topic(settings, physical, start_offset=first):
            for name, value in msg.headers() or ():
                if name == REDRIVE_HEADER and value:
                    found.add(value.decode("utf-8", "replace"))
    return found


def find(settings: Settings, ids: list[str]) -> list[DeadLetter]:
    by_id = {d.id: d for d in entries(settings)}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise KeyError(f"no dead letter {', '.join(missing)} (revloop dlq list shows their ids, partition:offset)")
    return [by_id[i] for i in ids]


def redrive(settings: Settings, letters: list[DeadLetter]) -> list[tuple[DeadLetter, str]]:
    """Produce each dead letter's original bytes to its topic once; (letter, what happened)."""
    results, todo = [], []
    for d in letters:
        if d.redriven:
            results.append((d, "already re-driven: not sent again"))
        elif d.truncated:
            results.append((d, "refused: its value was truncated; the whole record stays at "
                               f"{d.event['source_topic']}[{d.event['source_partition']}]@{d.event['source_offset']}"))
        elif d.event["source_topic"] not in BY_NAME:
            results.append((d, f"refused: {d.event['source_topic']!r} is no revloop topic"))
        else:
            todo.append(d)
    if todo:
        p = kafka_clients.producer(settings)
        for d in todo:
            p.produce(settings.topic(d.event["source_topic"]), key=d.event["key"], value=d.event["value"],
                      headers=[(REDRIVE_HEADER, d.event["event_id"].encode())])
        flush_or_raise(p)
        results += [(d, f"re-driven to {d.event['source_topic']}") for d in todo]
        for d in todo:
            d.redriven = True
    return sorted(results, key=lambda r: (r[0].timestamp_ms, r[0].id))
