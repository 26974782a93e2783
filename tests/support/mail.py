"""Inbound mail as the Gmail poller records it: the message, then its classification by the real model.

One MailReader (the bundled MiniLM and the shipped head) per test session; its clock is the
message's own time, so a test's events are the same on every run.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def reader():
    from revloop.connectors.mail_model import MailModel
    from revloop.streams.mail_classify import MailReader

    return MailReader(MailModel.load(), default_timezone="America/New_York")


def classify_text(subject: str, body: str, sender: str, headers: dict, **kwargs):
    """processors.mail_classifier.classify with the bundled model and the shipped head and thresholds."""
    from revloop.processors.mail_classifier import classify

    model = reader().model
    return classify(subject, body, sender, headers, scorer=model.score, thresholds=model.thresholds, **kwargs)


RULES_HEADERS = {"Date": "Tue, 14 Nov 2028 10:30:00 -0600"}


def classifier_for(sender: str, headers: dict = RULES_HEADERS):
    """classified(body, subject="Hello"): classify_text for one sender on one date, as the rules
    tests read their sentences."""
    def classified(body: str, subject: str = "Hello"):
        return classify_text(subject, body, sender, headers)
    return classified


def classified(message: dict) -> dict:
    """The mail_classified event the ingestion step writes for ``message`` (a gmail_message event)."""
    r = reader()
    r.clock = lambda: message["occurred_at"] / 1000
    return r.classified_event(message)


def recorded(message: dict, labels, *, request_type=None, requested_time=None, window=None, at=None,
             version="test-classifier") -> dict:
    """A mail_classified event with the given reading, as an older or newer classifier might have written it."""
    from revloop.processors.mail_classifier import CARD_FOR_TYPE

    start, end = window or (None, None)
    return {"event_id": f"mailcls:{message['tenant_id']}:{message['message_id']}:{version}",
            "tenant_id": message["tenant_id"], "occurred_at": at if at is not None else message["occurred_at"],
            "message_id": message["message_id"], "message_event_id": message["event_id"],
            "mailbox": message.get("mailbox") or "", "sender": "", "received_at": message["occurred_at"],
            "classifier_version": version, "model_hash": "", "head_hash": "", "reason": "ingest",
            "labels": list(labels), "request_type": request_type,
            "card": CARD_FOR_TYPE.get(request_type) if request_type else None, "requested_time": requested_time,
            "window_start": start, "window_end": end, "deadline": None, "time_ambiguous": False, "time_note": "",
            "timezone": None, "undecided": False, "bulk": False, "scores": {}, "evidence": []}
