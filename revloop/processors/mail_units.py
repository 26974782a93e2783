"""The units an inbound message is read in: its fresh subject and the sentences of its new and
forwarded text, each with where it sits (so a label's evidence can point at the words).

The classifier scores every unit and an email carries a label when one of its units does: a
request is one sentence, and a long email must not dilute it. Quoted text, signatures,
disclaimers and our own footer are never units.
"""
from __future__ import annotations

from dataclasses import dataclass

from revloop.processors.mail_text import FORWARDED, NEW, MailParts, fresh_subject, sentence_spans, split_mail

MAX_NEW_UNITS = 40        # a person's new text rarely runs longer; past it, the rest is not read
MAX_FORWARDED_UNITS = 20  # forwarded text counts only for topical labels
MAX_UNIT_CHARS = 600      # the model reads about 256 word pieces; a longer "sentence" is cut


@dataclass(frozen=True)
class Unit:
    part: str    # "subject" | "new" | "forwarded"
    start: int   # offsets into the subject (part "subject") or the body
    end: int
    text: str


@dataclass(frozen=True)
class Reading:
    parts: MailParts
    units: tuple[Unit, ...]

    def of(self, *part: str) -> list[int]:
        """Indexes of the units of the given parts."""
        return [i for i, u in enumerate(self.units) if u.part in part]


def read_units(subject: str, body: str) -> Reading:
    subject, body = subject or "", body or ""
    parts = split_mail(body, subject)
    units: list[Unit] = []
    fresh = fresh_subject(subject)
    if fresh:
        start = subject.find(fresh)
        units.append(Unit("subject", start, start + len(fresh), fresh[:MAX_UNIT_CHARS]))
    for kind, limit in ((NEW, MAX_NEW_UNITS), (FORWARDED, MAX_FORWARDED_UNITS)):
        for start, end in sentence_spans(body, parts.of(kind))[:limit]:
            units.append(Unit(kind, start, end, body[start:end][:MAX_UNIT_CHARS]))
    return Reading(parts, tuple(units))
