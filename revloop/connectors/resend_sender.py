"""The Resend sink: turns an approved ``send_email`` action into at most one email.

Kafka stays out of this module. ``ResendSender.handle(action, tenant_id)`` takes
an approved ``action_decided`` record and returns ``(type_name, record)`` pairs:

  ("email_outcome", {...})  produce it (topic email.outcomes)
  ("alert", {...})          produce it (topic alerts)
  ("skipped", {...})        marker, not an event: not an approved email action or no usable
                            content (not recorded: a fixed renderer may still send it); log it
  ("deferred", {...})       marker: not sent *now* (hourly cap, rate limit); the caller
                            must hand the action back later (``retry_at`` epoch ms) -- never drop
  ("dry_run", {...})        marker: an unusable action in dry_run mode (what would have happened)

The email_outcome is "sent" or "failed" from the provider, "cancelled" when the address is
suppressed or not on the internal_only allowlist at send time, "dry_run" in dry_run mode
(recorded, nothing sent: it counts as done for the engines but is never a touch).

``OUTPUT_TYPES`` lists the pairs to produce; everything else is a marker.

Content comes from payload_json: "subject" plus "text" and/or "html" ("body" is
taken as html when it holds tags, else as text). Threading comes from there too:
"message_id" (the Message-ID header we give the email, recorded on its sent outcome),
"thread" (its conversation) and "headers" (In-Reply-To and References of a follow-up). When the payload has no body,
the optional ``render(action) -> {"subject", "text", "html"}`` hook fills it in
(the emitters today put only contact_name/client_id in the payload).

Guarantees
- Exactly-once towards the recipient: the sent log (SQLite) is checked before the
  API and written after it answers; the action_id is also the Idempotency-Key, which
  covers a crash between the API call and the log write (Resend keeps keys 24 h; the
  log keeps results for good). A replayed action re-returns the *same* outcome
  event (same event_id "sent:<action_id>" / "failed:<action_id>", same occurred_at).
- Suppression is re-checked at send time via ``is_suppressed(tenant, email)``.
- Every email carries RFC 8058 one-click unsubscribe headers with an HMAC token,
  and the postal address plus unsubscribe link in the text (and html) body.
- 429: sleeps for retry-after (injected ``sleep``), up to ``max_retries`` retries;
  still limited (or retry-after above ``max_backoff_s``, e.g. a daily quota) -> deferred.
  Other provider errors -> email_outcome "failed" (terminal for that action).
  ``failure_alert_threshold`` failures within 15 minutes (injected clock) -> one
  alert of kind "provider_failures" (at most one per 15 minutes).
- The API key never appears in a returned record, a log line, or an exception text.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import parseaddr, parsedate_to_datetime
from html import escape
from typing import Any, Callable

import resend
from resend.exceptions import RateLimitError, ResendError
from resend.http_client_requests import RequestsClient

from revloop.connectors import unsubscribe
from revloop.processors.mail_text import OUR_FOOTER_LEAD
from revloop.connectors.resend_common import TAG_ACTION, TAG_TENANT, encode_tag_value, epoch_ms, scrub
from revloop.connectors.sent_log import (CANCELLED, CLIENT, DIGEST, DRY_RUN as DRY_RUN_STATUS, FAILED, SENT, SKIPPED,
                                         SentLog, SentRecord)

log = logging.getLogger("revloop.connectors.resend.sender")

DRY_RUN, INTERNAL_ONLY, LIMITED_LIVE = "dry_run", "internal_only", "limited_live"
MODES = (DRY_RUN, INTERNAL_ONLY, LIMITED_LIVE)
OUTPUT_TYPES = ("email_outcome", "alert")
MARKERS = ("skipped", "deferred", "dry_run")
EMAIL_KINDS = ("send_email", "follow_up", "send_digest")   # processors.actions.EMAIL_KINDS

HOUR_MS = 3_600_000
THREAD_HEADERS = frozenset({"In-Reply-To", "References"})   # what a payload may add (processors.threads)
FAILURE_WINDOW_MS = 15 * 60_000
MAX_IDEMPOTENCY_KEY = 256

# resend keeps api_key / api_url / http client as module globals: one call at a time sets them.
_SDK_LOCK = threading.Lock()


@dataclass
class SendSettings:
    mode: str                      # dry_run | internal_only | limited_live
    allowlist: list[str] = field(default_factory=list)   # domains ("ourfirm.example") and full addresses
    hourly_cap: int = 0            # limited_live: sends per rolling hour per tenant
    from_address: str = ""
    unsubscribe_base_url: str = ""
    postal_address: str = ""
    channel: str = CLIENT          # the hourly cap counts sends per tenant and channel (client mail, digests)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if self.mode != DRY_RUN and not (self.from_address and self.unsubscribe_base_url and self.postal_address):
            raise ValueError("from_address, unsubscribe_base_url and postal_address are required to send")


class _Outcome:
    """What one attempt to send came to."""

    def __init__(self, kind: str, *, message_id: str | None = None, detail: str = "", retry_at: int | None = None):
        self.kind, self.message_id, self.detail, self.retry_at = kind, message_id, detail, retry_at


class ResendSender:
    def __init__(self, settings: SendSettings, sent_log: SentLog, is_suppressed: Callable[[str, str], bool], *,
                 api_key: str, clock: Callable[[], int] = epoch_ms, sleep: Callable[[float], Any] = time.sleep,
                 max_retries: int = 3, failure_alert_threshold: int = 5,
                 unsubscribe_secret: bytes | None = None, api_url: str | None = None,
                 http_timeout_s: float = 30.0, max_backoff_s: float = 60.0,
                 render: Callable[[dict], dict | None] | None = None):
        self.settings = settings
        self.sent_log = sent_log
        self.is_suppressed = is_suppressed
        self._api_key = api_key
        self._clock = clock
        self._sleep = sleep
        self.max_retries = max_retries
        self.failure_alert_threshold = failure_alert_threshold
        self._unsub_secret = unsubscribe_secret if unsubscribe_secret is not None else unsubscribe.load_secret(None)
        self._api_url = api_url.rstrip("/") if api_url else None
        self._http = RequestsClient(timeout=http_timeout_s)  # type: ignore[arg-type]
        self.max_backoff_s = max_backoff_s
        self._render = render
        self._template: tuple[str, int] | None = None
        self._failures: deque[int] = deque()
        self._last_alert_at: int | None = None
        self._lock = threading.Lock()  # one action at a time: the hourly cap check and the send are atomic
        self._allow_domains = {a.lstrip("@").lower() for a in settings.allowlist if "@" not in a.lstrip("@")}
        self._allow_addresses = {a.lower() for a in settings.allowlist if "@" in a.lstrip("@")}

    def __repr__(self) -> str:
        return f"ResendSender(mode={self.settings.mode!r}, api_url={self._api_url!r})"

    # -- public ------------------------------------------------------------------------------
    def handle(self, action: dict, tenant_id: str, template: tuple[str, int] | None = None) -> list[tuple[str, dict]]:
        """``template``: the (id, version) the action's content was rendered from, kept on its outcome."""
        with self._lock:
            self._template = template
            return self._handle(action, tenant_id)

    # -- the rules, in order -----------------------------------------------------------------
    def _handle(self, action: dict, tenant_id: str) -> list[tuple[str, dict]]:
        action_id = str(action.get("action_id") or "")
        raw_recipient = action.get("recipient") or ""
        if not action_id:
            return [self._marker("skipped", action_id, tenant_id, raw_recipient, reason="action has no action_id")]
        if action.get("kind") not in EMAIL_KINDS or action.get("decision") != "approved":
            return [self._marker("skipped", action_id, tenant_id, raw_recipient,
                                 reason=f"not an approved email action ({action.get('kind')}/{action.get('decision')})")]
        if action.get("tenant_id") not in (None, tenant_id):
            return [self._marker("skipped", action_id, tenant_id, raw_recipient, reason="tenant mismatch")]

        prior = self.sent_log.get(action_id)
        if prior is not None:
            log.info("resend: action %s already %s; replaying its result", action_id, prior.status)
            return self._replay(prior)

        now = self._clock()
        recipient, content, problem = self._parse(action)
        if problem:  # not recorded in the sent log: a fixed renderer may still send this action
            log.warning("resend: action %s for tenant %s unusable: %s", action_id, tenant_id, problem)
            if self.settings.mode == DRY_RUN:
                return [self._marker("dry_run", action_id, tenant_id, recipient or raw_recipient,
                                     would=f"skip: {problem}")]
            return [self._marker("skipped", action_id, tenant_id, recipient or raw_recipient, reason=problem)]

        if self.is_suppressed(tenant_id, recipient):
            return self._terminal(action_id, tenant_id, recipient, CANCELLED, f"{recipient} is suppressed", now)

        if self.settings.mode == DRY_RUN:
            return self._dry_run(action_id, tenant_id, recipient, content, now)

        # The digest channel is internal mail to the tenant's own people: internal_only allows it.
        if self.settings.mode == INTERNAL_ONLY and self.settings.channel != DIGEST and not self._allowlisted(recipient):
            return self._terminal(action_id, tenant_id, recipient, CANCELLED,
                                  f"{recipient} is not on the internal_only allowlist", now)

        if self.settings.mode == LIMITED_LIVE:
            recent = self.sent_log.sent_since(tenant_id, now - HOUR_MS + 1, self.settings.channel)
            cap = max(self.settings.hourly_cap, 0)
            if len(recent) >= cap:
                retry_at = recent[len(recent) - cap] + HOUR_MS if recent and cap else now + HOUR_MS
                log.info("resend: tenant %s at its hourly cap (%d); action %s deferred", tenant_id, cap, action_id)
                return [self._marker("deferred", action_id, tenant_id, recipient,
                                     reason=f"hourly cap {cap} reached", retry_at=retry_at)]

        return self._send(action_id, tenant_id, recipient, content)

    def _send(self, action_id: str, tenant_id: str, recipient: str, content: dict) -> list[tuple[str, dict]]:
        params = self._params(action_id, tenant_id, recipient, content)
        result = self._call_with_retries(params, self._idempotency_key(action_id))
        if result.kind == SENT:
            rec = self.sent_log.record(action_id, tenant_id=tenant_id, recipient=recipient, status=SENT,
                                       at_ms=self._clock(), provider_message_id=result.message_id,
                                       template=self._template, channel=self.settings.channel,
                                       message_id=content.get("message_id"), thread=content.get("thread"),
                                       subject=content["subject"], sender=content.get("from") or self.settings.from_address)
            log.info("resend: sent action %s for tenant %s (provider id %s)", action_id, tenant_id,
                     rec.provider_message_id)
            return self._replay(rec)
        now = self._clock()
        extra = self._note_failure(tenant_id, now, result.detail)
        if result.kind == "deferred":
            return [self._marker("deferred", action_id, tenant_id, recipient, reason=result.detail,
                                 retry_at=result.retry_at or now + 60_000)] + extra
        rec = self.sent_log.record(action_id, tenant_id=tenant_id, recipient=recipient, status=FAILED,
                                   at_ms=now, detail=result.detail, template=self._template,
                                   channel=self.settings.channel)
        log.warning("resend: action %s for tenant %s failed: %s", action_id, tenant_id, rec.detail)
        return self._replay(rec) + extra

    # -- provider call -----------------------------------------------------------------------
    def _call_with_retries(self, params: dict, idempotency_key: str) -> _Outcome:
        for attempt in range(self.max_retries + 1):
            try:
                response = self._call(params, {"idempotency_key": idempotency_key})
            except RateLimitError as exc:
                delay = self._retry_after(exc.headers, attempt)
                detail = self._clean(f"rate limited by Resend ({exc.error_type})")
                if attempt >= self.max_retries or delay > self.max_backoff_s:
                    return _Outcome("deferred", detail=detail, retry_at=self._clock() + int(max(delay, 1) * 1000))
                log.info("resend: 429, retrying in %.1fs (attempt %d of %d)", delay, attempt + 1, self.max_retries)
                self._sleep(delay)
                continue
            except ResendError as exc:
                return _Outcome(FAILED, detail=self._clean(f"{exc.code} {exc.error_type}: {exc.message}"))
            except Exception as exc:  # NoContentError, a broken response: never leak the key
                return _Outcome(FAILED, detail=self._clean(f"{type(exc).__name__}: {exc}"))
            message_id = response.get("id") if isinstance(response, dict) else None
            if not message_id:
                return _Outcome(FAILED, detail="Resend answered without an email id")
            return _Outcome(SENT, message_id=str(message_id))
        raise AssertionError("unreachable")

    def _call(self, params: dict, options: dict) -> Any:
        with _SDK_LOCK:
            saved = (resend.api_key, resend.api_url, resend.default_http_client)
            resend.api_key = self._api_key
            if self._api_url:
                resend.api_url = self._api_url
            resend.default_http_client = self._http
            try:
                return resend.Emails.send(params, options)  # type: ignore[arg-type]
            finally:
                resend.api_key, resend.api_url, resend.default_http_client = saved

    def _retry_after(self, headers: dict | None, attempt: int) -> float:
        lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
        for name in ("retry-after", "ratelimit-reset"):
            value = lowered.get(name)
            if not value:
                continue
            try:
                return max(float(value), 0.0)
            except ValueError:
                pass
            try:
                return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
            except (TypeError, ValueError):
                pass
        return float(2 ** attempt)

    @staticmethod
    def _idempotency_key(action_id: str) -> str:
        if len(action_id) <= MAX_IDEMPOTENCY_KEY:
            return action_id
        return "sha256-" + hashlib.sha256(action_id.encode()).hexdigest()

    def _clean(self, text: str) -> str:
        return scrub(text, self._api_key, self._unsub_secret)[:500]

    # -- building the email ------------------------------------------------------------------
    def _parse(self, action: dict) -> tuple[str, dict, str | None]:
        recipient = parseaddr(str(action.get("recipient") or ""))[1].strip().lower()
        if not recipient or recipient.count("@") != 1 or any(c in recipient for c in " ,;<>"):
            return recipient, {}, "no usable recipient address"
        try:
            payload = json.loads(action.get("payload_json") or "{}")
        except ValueError:
            return recipient, {}, "payload_json is not JSON"
        if not isinstance(payload, dict):
            return recipient, {}, "payload_json is not an object"
        if self._render is not None and not (payload.get("body") or payload.get("text") or payload.get("html")):
            payload = {**payload, **(self._render(action) or {})}
        subject = payload.get("subject")
        html_body = payload.get("html")
        body = payload.get("body")
        text = payload.get("text")
        if isinstance(body, str) and html_body is None and re.search(r"<[a-zA-Z][^>]*>", body):
            html_body = body
        elif isinstance(body, str) and text is None:
            text = body
        if text is None and isinstance(html_body, str):
            text = re.sub(r"\s+\n", "\n", re.sub(r"<[^>]+>", "", html_body)).strip()
        if not isinstance(subject, str) or not subject.strip() or not isinstance(text, str) or not text.strip():
            return recipient, {}, "payload_json needs a subject and a body or text"
        headers = payload.get("headers") if isinstance(payload.get("headers"), dict) else {}
        if set(headers) - THREAD_HEADERS or any(not isinstance(v, str) or "\n" in v or "\r" in v
                                                for v in headers.values()):
            return recipient, {}, f"payload_json headers may only be {sorted(THREAD_HEADERS)}, single-line"
        message_id = payload.get("message_id") if isinstance(payload.get("message_id"), str) else None
        # Whose voice (processors.sender_identity): an owner's From and Reply-To, checked like any address.
        sender, reply_to = payload.get("from"), payload.get("reply_to")
        for name, value in (("from", sender), ("reply_to", reply_to)):
            if value is not None and (not isinstance(value, str) or "\n" in value or "\r" in value
                                      or parseaddr(value)[1].count("@") != 1):
                return recipient, {}, f"payload_json {name} is not an address"
        return recipient, {"subject": subject.strip(), "text": text,
                           "html": html_body if isinstance(html_body, str) else None, "headers": headers,
                           "message_id": message_id, "from": sender, "reply_to": reply_to,
                           "thread": payload.get("thread") if isinstance(payload.get("thread"), str) else None}, None

    def _params(self, action_id: str, tenant_id: str, recipient: str, content: dict) -> dict:
        s = self.settings
        token = unsubscribe.make_token(self._unsub_secret, tenant_id, recipient)
        url = unsubscribe.unsubscribe_url(s.unsubscribe_base_url, token)
        # The lead words are what the inbound splitter recognises as our footer in a reply.
        footer = f"\n\n--\n{s.postal_address}\n{OUR_FOOTER_LEAD} {url}\n"
        params: dict[str, Any] = {
            "from": content.get("from") or s.from_address,
            "to": [recipient],
            "subject": content["subject"],
            "text": content["text"].rstrip() + footer,
            # Ours first (the Message-ID a reply names, a follow-up's In-Reply-To and References), then the
            # unsubscribe headers, which nothing in a payload may replace.
            "headers": {**({"Message-ID": content["message_id"]} if content.get("message_id") else {}),
                        **(content.get("headers") or {}),
                        **unsubscribe.list_unsubscribe_headers(s.unsubscribe_base_url, token)},
            "tags": [{"name": TAG_TENANT, "value": encode_tag_value(tenant_id)},
                     {"name": TAG_ACTION, "value": encode_tag_value(action_id)}],
        }
        if content.get("reply_to"):
            params["reply_to"] = content["reply_to"]
        if content.get("html"):
            html_footer = (f'<hr><p style="font-size:12px;color:#666">{escape(s.postal_address)}<br>'
                           f'<a href="{escape(url, quote=True)}">Unsubscribe</a></p>')
            body = content["html"]
            idx = body.lower().rfind("</body>")
            params["html"] = body[:idx] + html_footer + body[idx:] if idx >= 0 else body + html_footer
        return params

    def _allowlisted(self, recipient: str) -> bool:
        return recipient in self._allow_addresses or recipient.rsplit("@", 1)[1] in self._allow_domains

    # -- results -----------------------------------------------------------------------------
    def _terminal(self, action_id: str, tenant_id: str, recipient: str, status: str, reason: str,
                  now: int) -> list[tuple[str, dict]]:
        rec = self.sent_log.record(action_id, tenant_id=tenant_id, recipient=recipient, status=status,
                                   at_ms=now, detail=reason, template=self._template, channel=self.settings.channel)
        log.info("resend: action %s for tenant %s %s: %s", action_id, tenant_id, status, reason)
        return self._replay(rec)

    def _replay(self, rec: SentRecord) -> list[tuple[str, dict]]:
        """The result stored for an action, as the same records every time."""
        if rec.status == SKIPPED:
            return [self._marker("skipped", rec.action_id, rec.tenant_id, rec.recipient, reason=rec.detail or "")]
        return [("email_outcome", outcome_event(rec))]

    def _dry_run(self, action_id: str, tenant_id: str, recipient: str, content: dict,
                 now: int) -> list[tuple[str, dict]]:
        log.info("resend dry run: action %s tenant %s would send (subject %r)", action_id, tenant_id,
                 content.get("subject"))
        return self._terminal(action_id, tenant_id, recipient, DRY_RUN_STATUS, "dry_run: recorded, not sent", now)

    @staticmethod
    def _marker(kind: str, action_id: str, tenant_id: str, recipient: Any, **extra: Any) -> tuple[str, dict]:
        return kind, {"action_id": action_id, "tenant_id": tenant_id, "recipient": str(recipient or ""), **extra}

    def _note_failure(self, tenant_id: str, now: int, detail: str) -> list[tuple[str, dict]]:
        self._failures.append(now)
        while self._failures and self._failures[0] <= now - FAILURE_WINDOW_MS:
            self._failures.popleft()
        count = len(self._failures)
        if count < self.failure_alert_threshold:
            return []
        if self._last_alert_at is not None and now - self._last_alert_at < FAILURE_WINDOW_MS:
            return []
        self._last_alert_at = now
        alert_id = f"provider_failures:resend:{now}"
        log.error("resend: %d provider failures in 15 minutes; alerting", count)
        return [("alert", {
            "event_id": alert_id,
            "tenant_id": tenant_id,
            "occurred_at": now,
            "alert_id": alert_id,
            "kind": "provider_failures",
            "severity": "critical",
            "message": self._clean(f"{count} Resend send failures within 15 minutes; last: {detail}"),
            "value": float(count),
            "threshold": float(self.failure_alert_threshold),
        })]


def outcome_event(rec: SentRecord) -> dict:
    """The email_outcome a sent-log result stands for: the same event (id, time) however often it is read."""
    return {
        "event_id": f"{rec.status}:{rec.action_id}",
        "tenant_id": rec.tenant_id,
        "occurred_at": rec.at_ms,
        "outcome": rec.status,
        "recipient": rec.recipient,
        "action_id": rec.action_id,
        "provider_message_id": rec.provider_message_id,
        "bounce_type": None,
        "detail": rec.detail,
        "template_id": rec.template_id,
        "template_version": rec.template_version,
        "message_id": rec.message_id,
        "thread": rec.thread,
        "subject": rec.subject,
        "sender": rec.sender,
    }
