"""`revloop sender`: the Resend sink, the executor of approved email actions.

It reads `actions` (what to send) and, to judge each send, `contacts`,
`email.outcomes`, `control`, `suppressions` and `templates` (and more, STATE_TOPICS), through
the same Pipeline the worker uses, read to their end before each round of actions is judged
(streams.view_feed): a kill switch or an opt-out logged before an action binds it, however
far behind its topic is read. For each approved email action, at execution time:

1. the guardrails again (processors.execution.judge): kill switch, tenant enabled,
   suppression and a send mode lowered since approval -> a `cancelled` outcome with
   the reason, nothing sent;
2. the content from the tenant's current template (processors.templates): a template
   that cannot be filled -> a `held` outcome with the reason and an alert, nothing sent;
3. approved in dry_run -> a `dry_run` outcome (done for the engines, not a touch);
4. otherwise Resend, in the lower of the approval-time and current send mode, under the
   hourly cap of its channel (client mail, or the operators' digest with its own cap).

Outcomes go back to `email.outcomes`, where engines count them and touches come from
the sent ones. Every result is kept in the sent log, so a re-read action re-announces
the same outcome and is never judged, or sent, twice.

Transactions: one round's outcomes and alerts are produced in one Kafka transaction
with the actions' offsets (consume-transform-produce), so a reader never sees part of a
round, and a crash leaves nothing half-done to read: the round is re-read, and the sent log
turns each action already carried out into the same outcome again, not a second send.

Offsets: an action's offset is committed only once the action is settled (sent,
failed, cancelled, held or dry-run). A deferred action (hourly cap, rate limit) keeps
its partition's committed offset behind it, so a restart never loses it; the
sent log and the Idempotency-Key keep a re-read action from being sent twice.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import logging
import time
from dataclasses import dataclass, field
from email.utils import parseaddr

from confluent_kafka import KafkaException, TopicPartition

from revloop.connectors import action_auth
from revloop.connectors import unsubscribe
from revloop.connectors.resend_sender import OUTPUT_TYPES, ResendSender, SendSettings, outcome_event
from revloop.connectors.sent_log import CANCELLED, CLIENT, DIGEST, DRY_RUN, HELD, SentLog
from revloop.processors import sender_identity, sending_brake, templates, threads
from revloop.processors.actions import EMAIL_KINDS, SEND_DIGEST
from revloop.processors.controls import Controls, effective_controls
from revloop.processors.execution import CANCEL, DRY, judge
from revloop.schemas.codec import DecodeError
from revloop.streams import kafka_clients
from revloop.streams.acls import SENDER_GROUP
from revloop.streams.config import Settings
from revloop.streams.dead_letter import RecordCoordinates, route_to_dead_letter
from revloop.streams.kafka_retry import is_transient
from revloop.streams.transactions import Transactions
from revloop.streams.pipeline import Pipeline
from revloop.streams.topics import topic_for
from revloop.streams.view_feed import ViewFeed

log = logging.getLogger("revloop.sender")
# gmail.messages: a reply in a thread cancels the follow-ups waiting in it (processors.threads).
# clients and people: whose voice an email goes in (processors.sender_identity).
STATE_TOPICS = ("contacts", "email.outcomes", "control", "suppressions", "templates", "gmail.messages", "clients",
                "people")
# The operators' digest has its own hourly cap (control caps "digests"), apart from client mail.
DEFAULT_DIGEST_CAP = 4


@dataclass
class SenderConfig:
    api_key: str
    sent_log_path: str
    from_address: str = "agent@revloop.example"
    unsubscribe_base_url: str = "http://127.0.0.1:8088/unsubscribe"
    postal_address: str = "revloop Appraisals, 100 Main St, Springfield"
    api_url: str | None = None
    group: str = SENDER_GROUP          # streams.acls grants its transactional id and group
    # tenant -> the addresses the Gmail connector reads (REVLOOP_MAILBOXES): an owner's replies go there.
    mailboxes: dict = field(default_factory=dict)


@dataclass(order=True)
class _Held:
    retry_at: int
    offset: int
    partition: int = field(compare=False)
    action: dict = field(compare=False)


class EmailSink:
    def __init__(self, settings: Settings, config: SenderConfig, clock=lambda: int(time.time() * 1000),
                 view: Pipeline | None = None):
        """``view``: the projected state the sender judges from (its own, rebuilt from the log, by default)."""
        if settings.action_key is None:
            raise ValueError("REVLOOP_ACTION_KEY is not set: the sender cannot tell the policy gate's decisions "
                             "from forged ones, so it will not start")
        self.settings, self.config, self.clock = settings, config, clock
        self.codec = kafka_clients.codec(settings)
        self.view = view if view is not None else Pipeline(self.codec,
                                                           max_skew_ms=settings.max_clock_skew_ms)
        self.sent_log = SentLog(config.sent_log_path)
        self.tx: Transactions | None = None       # made by run(): outcomes go out in transactions
        self._senders: dict[tuple, ResendSender] = {}
        self.held: list[_Held] = []
        self.open_offsets: dict[int, set[int]] = {}      # actions partition -> offsets not yet settled
        self.sent = self.settled = self.refused = 0
        self.outcomes: dict[str, int] = {}     # outcome -> how many this run produced
        self.positions: dict[int, int] = {}    # actions partition -> next offset read (outcomes flushed)
        self._domain = parseaddr(config.from_address)[1].rpartition("@")[2] or "revloop.invalid"

    def controls(self, tenant: str) -> Controls:
        global_row = self.view.states["*"].controls if "*" in self.view.states else None
        return effective_controls(global_row, self.view.state(tenant).controls)

    def _sender_for(self, tenant: str, mode: str, controls: Controls, channel: str) -> ResendSender:
        cap = int(controls.caps.get("digests", DEFAULT_DIGEST_CAP) if channel == DIGEST
                  else controls.caps.get("emails", 0))
        allowlist = () if channel == DIGEST else controls.allowlist
        key = (tenant, mode, allowlist, cap, channel)
        if key not in self._senders:
            self._senders[key] = ResendSender(
                SendSettings(mode, list(allowlist), cap, self.config.from_address,
                             self.config.unsubscribe_base_url, self.config.postal_address, channel),
                self.sent_log, self.is_suppressed, api_key=self.config.api_key, api_url=self.config.api_url,
                clock=self.clock, unsubscribe_secret=unsubscribe.load_secret(self.settings.unsubscribe_secret))
        return self._senders[key]

    def is_suppressed(self, tenant: str, email: str) -> bool:
        return email.lower() in self.view.state(tenant).suppression

    def _emit(self, type_name: str, event: dict) -> None:
        self.tx.produce(self.settings.topic(topic_for(type_name, event)), event["tenant_id"].encode(),
                        self.codec.encode(type_name, event))
        # Our own outcomes count at once: a bounce suppresses the next send without a round trip.
        self.view.apply_event(topic_for(type_name, event), type_name, event)

    def execute(self, action: dict) -> list[tuple[str, dict]]:
        """What one approved email action comes to now: outcome events and alerts, or a marker."""
        tenant, action_id = action["tenant_id"], action["action_id"]
        recipient = (action.get("recipient") or "").lower()
        channel = DIGEST if action.get("kind") == SEND_DIGEST else CLIENT
        prior = self.sent_log.get(action_id)
        if prior is not None:      # settled before (a re-read): the same outcome, judged and sent once
            return [("email_outcome", outcome_event(prior))] if prior.status != "skipped" else []
        now = self.clock()
        controls = self.controls(tenant)
        state = self.view.state(tenant)
        suppression = state.suppression.get(recipient)
        thread = threads.thread_of(action)
        verdict = judge(action, controls, suppression["reason"] if suppression else None,
                        answered=threads.answered(state, recipient, thread), brake=sending_brake.tripped(state))
        if verdict.verdict == CANCEL:
            return self._record(action, CANCELLED, verdict.reason, now, None, channel)
        try:
            content = templates.render_action(self.view.state(tenant), action)
        except templates.Unfillable as exc:
            return self._record(action, HELD, str(exc), now, None, channel) + [("alert", held_alert(action, str(exc),
                                                                                                    now))]
        ref = (content.template_id, content.version)
        if verdict.verdict == DRY:
            return self._record(action, DRY_RUN, verdict.reason, now, ref, channel)
        # A follow-up answers its thread's latest email; every client email gets a Message-ID of ours.
        subject, headers = threads.reply_headers(state, action, content.subject)
        message_id = threads.message_id_for(action_id, self._domain) if thread else None
        # Whose voice: the relationship's owner where there is one, else the tenant's generic sender.
        voice = sender_identity.identity(state, action, controls.senders, self.config.from_address,
                                         frozenset(self.config.mailboxes.get(tenant, ())))
        filled = dict(action, payload_json=json.dumps({"subject": subject, "text": content.text,
                                                       "html": content.html, "headers": headers,
                                                       "message_id": message_id, "thread": thread,
                                                       "from": voice.from_address, "reply_to": voice.reply_to}))
        return self._sender_for(tenant, verdict.mode, controls, channel).handle(filled, tenant, template=ref)

    def _record(self, action: dict, status: str, reason: str | None, now: int, template, channel: str):
        rec = self.sent_log.record(action["action_id"], tenant_id=action["tenant_id"],
                                   recipient=(action.get("recipient") or "").lower(), status=status, at_ms=now,
                                   detail=reason, template=template, channel=channel)
        log.info("sender: action %s for tenant %s %s: %s", action["action_id"], action["tenant_id"], status, reason)
        return [("email_outcome", outcome_event(rec))]

    def settle(self, action: dict, partition: int, offset: int) -> None:
        """Carry out (or cancel, or hold) one approved action; hold it back when deferred."""
        problem = action_auth.refusal(self.settings.action_key, action)
        if problem:
            self._refuse_unauthenticated(action, partition, offset, problem)
            return
        for type_name, record in self.execute(action):
            if type_name in OUTPUT_TYPES:
                self._emit(type_name, record)
                self.sent += type_name == "email_outcome" and record["outcome"] == "sent"
                if type_name == "email_outcome":
                    self.outcomes[record["outcome"]] = self.outcomes.get(record["outcome"], 0) + 1
            elif type_name == "deferred":
                heapq.heappush(self.held, _Held(record.get("retry_at") or self.clock() + 60_000, offset, partition,
                                                action))
                return
        self.open_offsets.get(partition, set()).discard(offset)
        self.settled += 1

    def _refuse_unauthenticated(self, action: dict, partition: int, offset: int, problem: str) -> None:
        """Carry out nothing; record why as an alert. Not in the sent log: a forged action may
        reuse a real action's id, and the real one must still be sent when it comes."""
        log.warning("refused action %s at actions[%d]@%d: %s", str(action.get("action_id"))[:80], partition,
                    offset, problem)
        alert_id = f"unauthenticated_action:{partition}:{offset}"
        self._emit("alert", {"event_id": alert_id, "tenant_id": action["tenant_id"], "occurred_at": self.clock(),
                             "alert_id": alert_id, "kind": "unauthenticated_action", "severity": "critical",
                             "message": f"action {str(action.get('action_id'))[:200]!r} not carried out: {problem}",
                             "value": None, "threshold": None})
        self.open_offsets.get(partition, set()).discard(offset)
        self.settled += 1
        self.refused += 1

    def settled_through(self, ends: dict[int, int]) -> bool:
        """Every action below these end offsets read, and none waiting whose time has come (its
        outcomes are on the log): what a driver of simulated time waits for before the next hour."""
        return all(self.positions.get(p, 0) >= end for p, end in ends.items() if end) \
            and not (self.held and self.held[0].retry_at <= self.clock())

    def commit_position(self, partition: int, next_offset: int) -> int:
        """The offset safe to commit: below every action not yet settled."""
        pending = self.open_offsets.get(partition)
        return min(pending) if pending else next_offset

    def _note_positions(self, consumer, actions_topic: str, next_of: dict[int, int]) -> None:
        """Where reading `actions` stands, everything before it settled: past the last record
        read, and past a commit marker after it (actions is written in transactions, so its end
        offset is a marker's; the consumer's position moves past markers, records do not)."""
        at = {tp.partition: tp.offset for tp in consumer.position([tp for tp in consumer.assignment()
                                                                     if tp.topic == actions_topic])
              if tp.offset >= 0}
        self.positions = {p: max(at.get(p, 0), next_of.get(p, 0)) for p in set(at) | set(next_of)}

    def rebuild_view(self) -> dict[tuple[str, int], int]:
        """Suppression and controls as of now, before the first send is judged, read in bulk;
        returns where the reading stopped (the view feed reads on from there)."""
        from revloop.streams.log_reader import end_offsets, read_until

        probe = kafka_clients.consumer_committed(self.settings, "revloop-probe")
        try:
            stop_at = end_offsets(probe, self.settings, STATE_TOPICS)
        finally:
            probe.close()
        read_until(self.settings, stop_at, self.view)
        return stop_at

    def run(self, *, stop_after_idle_s: float | None = None, stop=None) -> None:
        group = f"{self.settings.topic_prefix}{self.config.group}"
        # One round's outcomes (and alerts) commit with the actions' offsets in one transaction:
        # a reader never sees part of a round. Starting the transactions fences a previous
        # sender of this group and aborts what it left open, before the view is read.
        self.tx = Transactions(self.settings, f"{group}.outcomes")
        feed = consumer = None
        actions_topic = self.settings.topic("actions")
        prefix = len(self.settings.topic_prefix)
        next_of: dict[int, int] = {}
        committed: dict[int, int] = {}
        try:
            feed = ViewFeed(self.settings, group, self.view, STATE_TOPICS, self.rebuild_view())
            # Static membership under the same name: a sender restarted after a crash takes its
            # partitions back at once instead of waiting out the dead member's session. A round may
            # wait out a broker outage without polling (view_feed): librdkafka's 5-minute poll limit
            # would then take the partitions away and fail the next poll, so it is a day (its maximum);
            # heartbeats come from librdkafka's own thread, so a dead sender still leaves the group.
            consumer = kafka_clients.consumer_committed(self.settings, group, **{
                "auto.offset.reset": "earliest", "group.instance.id": f"{group}.sender",
                "max.poll.interval.ms": 86_400_000})
            consumer.subscribe([actions_topic])
            idle_since = time.monotonic()
            while not (stop and stop.is_set()):
                # A broker away shows as error messages: the consumer reconnects by itself, and
                # no action is judged until the view can be read to the log's end again.
                msgs = [m for m in consumer.consume(500, 0.5) if not (m.error() and is_transient(m.error()))]
                # Actions to judge (read now, or held and due): first the view to the log's end,
                # so everything logged before them binds them; otherwise what has arrived.
                if msgs or (self.held and self.held[0].retry_at <= self.clock()):
                    if not feed.read_to_end(stop):
                        break
                else:
                    feed.poll()
                now = self.clock()
                while self.held and self.held[0].retry_at <= now:
                    h = heapq.heappop(self.held)
                    self.settle(h.action, h.partition, h.offset)
                # A released send's outcome opened a transaction: commit it below, messages or not.
                if not msgs and not self.tx.open:
                    self._note_positions(consumer, actions_topic, next_of)
                    if stop_after_idle_s is not None and not self.held \
                            and time.monotonic() - idle_since > stop_after_idle_s:
                        break
                    continue
                if msgs:
                    idle_since = time.monotonic()
                for msg in msgs:
                    if msg.error():
                        raise KafkaException(msg.error())
                    topic = msg.topic()[prefix:]
                    try:
                        _, action = self.codec.decode(msg.value())
                    except DecodeError as exc:
                        route_to_dead_letter(self.tx, self.codec, self.settings,
                                             RecordCoordinates(topic, msg.partition(), msg.offset(),
                                                               msg.timestamp()[1]), msg.key(), msg.value(), exc)
                        continue
                    next_of[msg.partition()] = msg.offset() + 1
                    if action["decision"] != "approved" or action["kind"] not in EMAIL_KINDS:
                        continue
                    self.open_offsets.setdefault(msg.partition(), set()).add(msg.offset())
                    self.settle(action, msg.partition(), msg.offset())
                commits = {p: self.commit_position(p, n) for p, n in next_of.items()}
                moved = [TopicPartition(actions_topic, p, off) for p, off in commits.items() if committed.get(p) != off]
                self.tx.commit(moved, consumer.consumer_group_metadata())
                committed.update(commits)
                self._note_positions(consumer, actions_topic, next_of)
        finally:
            self.tx.close()
            if consumer is not None:
                consumer.close()
            if feed is not None:
                feed.close()


def held_alert(action: dict, reason: str, now: int) -> dict:
    """An email that cannot be filled needs a person: fix the data or the template."""
    alert_id = hashlib.sha256(f"held\x1f{action['action_id']}".encode()).hexdigest()[:32]
    return {"event_id": f"alert:{alert_id}", "tenant_id": action["tenant_id"], "occurred_at": now,
            "alert_id": alert_id, "kind": "email_held", "severity": "warning",
            "message": f"{action.get('rule')} email to {action.get('recipient')} held: {reason}"[:500],
            "value": 1.0, "threshold": 1.0}
