"""The topic registry: every topic revloop reads or writes, and what travels on it.

Every topic is keyed by tenant_id, so one tenant's events stay in order on one
partition and one worker owns a tenant at a time.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicSpec:
    name: str
    event_types: tuple[str, ...]
    role: str                  # "input" (facts from outside), "output" (decisions we emit), "dead_letter"
    cleanup_policy: str = "delete"
    retention_ms: int = -1     # the log is the system of record: keep it

    @property
    def home_type(self) -> str:
        return self.event_types[0]


TOPICS: tuple[TopicSpec, ...] = (
    # A message's classification travels with it (same topic, same key, so the same partition, after
    # the message): live and replay read the two in the same order.
    TopicSpec("gmail.messages", ("gmail_message", "mail_classified"), "input"),
    TopicSpec("orders", ("order",), "input"),
    TopicSpec("catalog", ("product_price",), "input"),
    TopicSpec("clients", ("client",), "input"),
    TopicSpec("contacts", ("contact",), "input"),
    TopicSpec("deals", ("deal",), "input"),
    TopicSpec("bids", ("bid",), "input"),
    TopicSpec("touches", ("touch",), "input"),
    TopicSpec("email.outcomes", ("email_outcome",), "input"),
    TopicSpec("feedback", ("feedback",), "input"),
    TopicSpec("documents", ("document",), "input"),
    TopicSpec("control", ("control",), "input"),
    TopicSpec("ticks", ("tick",), "input"),
    # Addresses never to email again, with their evidence (an opt-out reply's message id).
    TopicSpec("suppressions", ("suppression",), "input"),
    # Email templates, one event per version (processors.templates).
    TopicSpec("templates", ("template",), "input"),
    # The tenant's people (processors.people) and their answers to cards (processors.cards).
    TopicSpec("people", ("person",), "input"),
    TopicSpec("cards", ("card_decided",), "input"),
    # Mail for an audience (processors.broadcasts).
    TopicSpec("broadcasts", ("broadcast",), "input"),
    # Approved actions only: what downstream consumers (the Resend sink, task sinks) act on.
    TopicSpec("actions", ("action_decided",), "output"),
    # Blocked and deferred decisions, for the record and the next hour.
    TopicSpec("actions.held", ("action_decided",), "output"),
    TopicSpec("policy.violations", ("policy_violation",), "output"),
    TopicSpec("runs", ("run_record",), "output"),
    TopicSpec("alerts", ("alert",), "output"),
    TopicSpec("dead.letter", ("dead_letter",), "dead_letter"),
)

BY_NAME = {t.name: t for t in TOPICS}
INPUT_TOPICS = tuple(t.name for t in TOPICS if t.role == "input")
OUTPUT_TOPICS = tuple(t.name for t in TOPICS if t.role == "output")
DEAD_LETTER = "dead.letter"

# Where an imported event of each type goes. Types emitted by the worker have a
# home too, so an operator can re-import an exported file.
HOME_TOPIC = {}
for _spec in TOPICS:
    for _type in _spec.event_types:
        HOME_TOPIC.setdefault(_type, _spec.name)


def topic_for(type_name: str, record: dict | None = None) -> str:
    if type_name == "action_decided" and record is not None and record.get("decision") != "approved":
        return "actions.held"
    try:
        return HOME_TOPIC[type_name]
    except KeyError:
        raise KeyError(f"no topic carries {type_name!r}") from None
