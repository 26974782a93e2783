"""mail-parser-reply with its patterns built once reads every message as the library itself does."""
from __future__ import annotations

import json
from pathlib import Path

from mailparser_reply import EmailReplyParser

from revloop.processors.mail_text import _LIBRARY_LANGUAGES, _library_message

CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail_corpus.jsonl"


def test_the_cached_patterns_split_every_corpus_body_as_the_library_does():
    message, languages = _library_message()
    bodies = [json.loads(line)["body"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert len(bodies) > 2000
    for body in bodies:
        ours = message(text=body, languages=languages).read().replies
        theirs = EmailReplyParser(languages=_LIBRARY_LANGUAGES).read(body).replies
        assert [(r.content, r.headers, r.signatures, r.disclaimers) for r in ours] == \
            [(r.content, r.headers, r.signatures, r.disclaimers) for r in theirs], body[:200]


def test_the_patterns_are_the_librarys_own():
    message, languages = _library_message()
    fresh = EmailReplyParser(languages=_LIBRARY_LANGUAGES)
    probe = message.__mro__[1](text="", languages=fresh.languages)
    for name in ("HEADER_REGEX", "SIGNATURE_REGEX", "DISCLAIMERS_REGEX"):
        assert getattr(message, name).pattern == getattr(probe, name).pattern
