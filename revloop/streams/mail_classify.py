"""Classify each inbound message once, where mail enters, and record it as a mail_classified event.

The Gmail poller's emit goes through :meth:`MailReader.wrap`: every gmail_message is produced and
then its classification, on the same topic with the same key (so the same partition, after the
message). Nothing downstream runs the model: the projector applies the recorded labels, request,
time window and evidence, and replay reads them back. A new classifier version re-labels with
:func:`relabel` (``revloop mail relabel``), which writes new events; the projector keeps the newest.
"""
from __future__ import annotations

import time
from email.utils import parseaddr
from typing import Callable, Iterable

from revloop.processors.mail_classifier import Classification, classify
from revloop.processors.mail_units import read_units

Emit = Callable[[str, dict], None]
RULES_ONLY = "rules-only"


class MailReader:
    """Turns gmail_message events into mail_classified events with one loaded model."""

    def __init__(self, model, *, default_timezone: str | None = None, clock: Callable[[], float] = time.time):
        self.model = model
        self.default_timezone = default_timezone
        self.clock = clock

    @classmethod
    def load(cls, settings=None) -> "MailReader":
        from revloop.connectors.mail_model import MailModel

        tz = getattr(settings, "mail_timezone", None) if settings is not None else None
        return cls(MailModel.load(), default_timezone=tz)

    @property
    def version(self) -> str:
        return self.model.version

    def classify(self, message: dict, scorer=None) -> Classification:
        return classify(message.get("subject") or "", message.get("body_text") or "",
                        message.get("from_header") or "", message.get("headers") or {},
                        scorer=scorer or self.model.score, thresholds=self.model.thresholds,
                        received_at_ms=message["occurred_at"], default_timezone=self.default_timezone)

    def batch_scorer(self, messages: list[dict]) -> "BatchScorer":
        """A scorer that has already run the encoder once over the units of all ``messages`` (each distinct
        text once, in batches): for jobs that classify many messages at a time (relabel, imports, demos)."""
        texts = [u.text for m in messages
                 for u in read_units(m.get("subject") or "", m.get("body_text") or "").units]
        return BatchScorer(self.model, texts)

    def classified_events(self, messages: list[dict], *, reason: str = "ingest") -> list[dict]:
        """:meth:`classified_event` for many messages, with the encoder run over all of them at once."""
        scorer = self.batch_scorer(messages)
        return [self.classified_event(m, reason=reason, scorer=scorer) for m in messages]

    def classified_event(self, message: dict, *, reason: str = "ingest", scorer=None) -> dict:
        found = self.classify(message, scorer)
        version = self.version
        window = found.requested_time
        return {
            "event_id": f"mailcls:{message['tenant_id']}:{message['message_id']}:{version}",
            "tenant_id": message["tenant_id"], "occurred_at": int(self.clock() * 1000),
            "message_id": message["message_id"], "message_event_id": message["event_id"],
            "mailbox": message.get("mailbox") or "",
            "sender": parseaddr(message.get("from_header") or "")[1].lower(),
            "received_at": message["occurred_at"], "classifier_version": version,
            "model_hash": self.model.model_hash, "head_hash": self.model.head_hash, "reason": reason,
            "labels": list(found.labels), "request_type": found.request_type, "card": found.card,
            "requested_time": window.text if window else None,
            "window_start": window.as_record()["start"] if window else None,
            "window_end": window.as_record()["end"] if window else None,
            "deadline": window.as_record()["deadline"] if window else None,
            "time_ambiguous": bool(window and window.ambiguous), "time_note": window.note if window else "",
            "timezone": found.timezone, "undecided": found.undecided, "bulk": found.bulk,
            "scores": {k: float(v) for k, v in found.scores.items()},
            "evidence": [e.as_record() for e in found.evidence],
        }

    def wrap(self, emit: Emit) -> Emit:
        """An emit that follows every gmail_message with its classification (both before it returns,
        so the poller's checkpoint moves only when both are durable). Its ``many(type_name, records)``
        takes a group of messages (a page the Gmail poller fetched) and runs the encoder once over all
        of them: the same events, in the same order, as one call per message."""
        def emit_classified(type_name: str, record: dict):
            produced = emit(type_name, record)
            # An emit that refused the message (returned False) gets no classification of it either.
            if type_name == "gmail_message" and produced is not False:
                emit("mail_classified", self.classified_event(record))
            return produced

        def many(type_name: str, records: list[dict]) -> list:
            if type_name != "gmail_message":
                return [emit(type_name, r) for r in records]
            classified = self.classified_events(records)
            out = []
            for record, reading in zip(records, classified):
                produced = emit(type_name, record)
                if produced is not False:
                    emit("mail_classified", reading)
                out.append(produced)
            return out

        emit_classified.many = many
        return emit_classified


class BatchScorer:
    """Unit scores computed ahead for a batch of messages' texts; a text it was not given is scored on demand."""

    def __init__(self, model, texts: list[str]):
        self.model = model
        self.known: dict[str, tuple[list[float], list[float]]] = {}
        self.add(texts)

    def add(self, texts: list[str]) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self.known))
        if todo:
            got = self.model.score(todo)
            self.known.update(zip(todo, zip(got.label_probs, got.type_probs)))

    def __call__(self, texts):
        from revloop.connectors.mail_model import Scores

        self.add(list(texts))
        return Scores(self.model.labels, self.model.types, [self.known[t][0] for t in texts],
                      [self.known[t][1] for t in texts])


RELABEL_BATCH = 64   # messages per encoder pass in batch jobs


def relabel(reader: MailReader, messages: Iterable[dict], latest: dict[str, str], emit: Emit) -> int:
    """Write a mail_classified event for every message whose newest classification is not by this
    reader's classifier version (``latest``: message id -> version). Returns how many it wrote."""
    written = 0
    todo = [m for m in messages if latest.get(m["message_id"]) != reader.version]
    for start in range(0, len(todo), RELABEL_BATCH):
        for event in reader.classified_events(todo[start:start + RELABEL_BATCH], reason="relabel"):
            emit("mail_classified", event)
            written += 1
    return written


def with_classifications(events: Iterable[tuple[str, dict]], reader: MailReader) -> list[tuple[str, dict]]:
    """A batch of events (a demo book, an import) with each gmail_message followed by its classification."""
    events = list(events)
    messages = [e for t, e in events if t == "gmail_message"]
    classified = iter(reader.classified_events(messages))
    out: list[tuple[str, dict]] = []
    for type_name, event in events:
        out.append((type_name, event))
        if type_name == "gmail_message":
            out.append(("mail_classified", next(classified)))
    return out
