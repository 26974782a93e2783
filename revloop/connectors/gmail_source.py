"""Poll a tenant's Gmail mailbox and hand each message to ``emit`` as a ``gmail_message`` event.

No Kafka here: the caller passes ``emit(type_name, record)`` (records are plain
dicts that pass ``schemas.codec.validate``) and a :class:`GmailCheckpointStore`.

Sync (https://developers.google.com/gmail/api/guides/sync):

* no checkpoint -> full sync: ``users.getProfile`` history id saved first (as the
  pending id), then ``messages.list`` pages + ``messages.get(format="full")``;
  the profile history id is committed once every page is emitted. An
  interrupted backfill resumes from the saved ``messages.list`` page.
* checkpoint -> ``users.history.list(startHistoryId, historyTypes=["messageAdded"])``
  pages, then ``messages.get`` per added id; the response ``historyId`` is
  committed once no ``nextPageToken`` remains. 404 (stale id) -> full sync.
* emit happens before the checkpoint moves (at-least-once); event ids are
  ``gmail:{tenant}:{message id}`` so overlaps are duplicates downstream, and a
  per-poll seen set emits each message once per poll.
* 429, 403 rateLimitExceeded/userRateLimitExceeded and 5xx are retried with
  exponential backoff through the injected ``sleep``; exhausted retries on a
  quota error emit an ``alert`` (kind ``gmail_quota``) and end the poll with the
  checkpoint untouched.
* 401 / RefreshError -> connection status token_expired, invalid_grant ->
  revoked; the poll returns, nothing is raised, no secret is logged.
"""
from __future__ import annotations

import base64
import binascii
import html
import json
import logging
import random
import re
import socket
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Callable, Iterator, Mapping

from revloop.connectors.gmail_checkpoint import (
    CONNECTED,
    NOT_CONFIGURED,
    REVOKED,
    TOKEN_EXPIRED,
    GmailCheckpointStore,
)

LOG = logging.getLogger(__name__)

Emit = Callable[[str, dict], Any]
# Messages are fetched and handed on in groups of up to this many: an emit with a ``many(type_name, records)``
# attribute (streams.mail_classify.MailReader.wrap) takes a group at once, so the classifier runs its encoder
# once over the group instead of once per message. Every group is emitted before the checkpoint moves.
EMIT_GROUP = 64

# PollResult.status values (connection statuses are in gmail_checkpoint).
OK = "ok"
QUOTA_EXHAUSTED = "quota_exhausted"
UNAVAILABLE = "unavailable"
ERROR = "error"

RETRYABLE_QUOTA_REASONS = frozenset({"ratelimitexceeded", "userratelimitexceeded"})
HARD_QUOTA_REASONS = frozenset({"dailylimitexceeded", "quotaexceeded"})

ADDRESS_HEADERS = {"from": "from_header", "to": "to_header", "cc": "cc_header", "reply-to": "reply_to_header"}
# Copied into the event's ``headers`` map (canonical spelling); what mail_classifier looks at and more.
SELECTED_HEADERS = (
    "Auto-Submitted", "List-Id", "List-Unsubscribe", "X-Failed-Recipients", "Content-Type", "Precedence",
    "X-Autoreply", "X-Autorespond", "X-Auto-Response", "Message-ID", "References", "Date", "Return-Path",
)
_SELECTED = {h.lower(): h for h in SELECTED_HEADERS}
MAX_HEADER_CHARS = 4000
DEFAULT_MAX_BODY_CHARS = 100_000


@dataclass(frozen=True)
class PollResult:
    messages_emitted: int
    full_sync: bool
    history_id: int | None          # the committed checkpoint after this poll
    status: str                     # ok | quota_exhausted | unavailable | error | token_expired | revoked | not_configured
    error_class: str | None = None


# --------------------------------------------------------------------------------------------
# Service construction
# --------------------------------------------------------------------------------------------

def default_service_factory(credentials):
    """A Gmail v1 Resource for ``credentials`` (bundled discovery doc: no discovery fetch)."""
    from googleapiclient.discovery import build

    return build("gmail", "v1", credentials=credentials, cache_discovery=False, static_discovery=True)


def service_factory_for(tenant_id: str, secret_store, build_service=default_service_factory) -> Callable[[], Any]:
    """A zero-argument factory for GmailPoller: reloads the tenant's credentials on every call
    (so a re-connected tenant is picked up) and returns None when nothing is configured."""

    def factory():
        credentials = secret_store.gmail_credentials(tenant_id)
        return None if credentials is None else build_service(credentials)

    return factory


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------

class _RetriesExhausted(Exception):
    def __init__(self, kind: str, status: int | None, reason: str, attempts: int):
        super().__init__(f"{kind}: HTTP {status} {reason} after {attempts} attempt(s)")
        self.kind, self.status, self.reason, self.attempts = kind, status, reason, attempts


class _NotConfigured(Exception):
    pass


def _error_payload(exc) -> dict:
    try:
        data = json.loads(exc.content.decode("utf-8"))
    except (ValueError, AttributeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _error_reasons(exc) -> set[str]:
    """Reasons from a Google error body: ``error.errors[].reason``, ``error.details[].reason``, ``error.status``."""
    data = _error_payload(exc)
    err = data.get("error")
    reasons: set[str] = set()
    if isinstance(err, dict):
        for key in ("errors", "details"):
            for item in err.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get("reason"), str):
                    reasons.add(item["reason"].lower())
        if isinstance(err.get("status"), str):
            reasons.add(err["status"].lower())
    elif isinstance(err, str):  # OAuth token endpoint style: {"error": "invalid_grant"}
        reasons.add(err.lower())
    return reasons


def _http_status(exc) -> int:
    try:
        return int(exc.resp.status)
    except (AttributeError, TypeError, ValueError):
        return 0


def _classify_http_error(exc) -> str:
    """quota | hard_quota | server | auth | revoked | not_found | bad_request | other."""
    status = _http_status(exc)
    reasons = _error_reasons(exc)
    if "invalid_grant" in reasons:
        return "revoked"
    if status == 429:
        return "quota"
    if status == 403 and reasons & RETRYABLE_QUOTA_REASONS:
        return "quota"
    if status == 403 and reasons & HARD_QUOTA_REASONS:
        return "hard_quota"
    if status >= 500:
        return "server"
    if status == 401:
        return "auth"
    if status == 404:
        return "not_found"
    if status == 400:
        return "bad_request"
    return "other"


def _is_transport_error(exc: BaseException) -> bool:
    try:
        import httplib2
        if isinstance(exc, httplib2.HttpLib2Error):
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(exc, (socket.timeout, ConnectionError, TimeoutError))


def _auth_status(exc: BaseException) -> str | None:
    """token_expired / revoked for an auth failure, None when ``exc`` is no auth failure."""
    from google.auth import exceptions as gauth_exc
    from googleapiclient.errors import HttpError

    if isinstance(exc, gauth_exc.RefreshError):
        if getattr(exc, "retryable", False):  # token endpoint 5xx/timeout: transient, not an auth verdict
            return None
        details = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else {}
        error = str(details.get("error", "")).lower()
        first = str(exc.args[0]).lower() if exc.args else ""
        if error == "invalid_grant" or first.startswith("invalid_grant"):
            return REVOKED
        return TOKEN_EXPIRED
    if isinstance(exc, HttpError):
        kind = _classify_http_error(exc)
        if kind == "revoked":
            return REVOKED
        if kind == "auth":
            return TOKEN_EXPIRED
    return None


# --------------------------------------------------------------------------------------------
# Message -> event (pure)
# --------------------------------------------------------------------------------------------

def _b64url_decode(data: str) -> bytes:
    data = data.strip()
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return b""


_CHARSET_RX = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9_\-.:]+)", re.I)


def _part_header(part: Mapping, name: str) -> str:
    for h in part.get("headers") or []:
        if str(h.get("name", "")).lower() == name:
            return str(h.get("value", ""))
    return ""


def _decode_text(part: Mapping) -> str:
    raw = _b64url_decode(str((part.get("body") or {}).get("data") or ""))
    if not raw:
        return ""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET_RX.search(_part_header(part, "content-type"))
    if match:
        try:
            return raw.decode(match.group(1), errors="replace")
        except LookupError:
            pass
    return raw.decode("utf-8", errors="replace")


def _walk(part: Mapping) -> Iterator[Mapping]:
    yield part
    for child in part.get("parts") or []:
        if isinstance(child, Mapping):
            yield from _walk(child)


def _is_attachment(part: Mapping) -> bool:
    if part.get("filename"):
        return True
    return _part_header(part, "content-disposition").strip().lower().startswith("attachment")


class _TextExtractor(HTMLParser):
    _SKIP = {"script", "style", "head", "title"}
    _BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.out.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # malformed markup: fall back to a blunt strip
        return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", markup)).strip()
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def extract_body_text(payload: Mapping) -> str:
    """The first inline text/plain part; else the first inline text/html part with tags stripped."""
    parts = [p for p in _walk(payload) if not _is_attachment(p)]
    for p in parts:
        if str(p.get("mimeType", "")).lower() == "text/plain" and (p.get("body") or {}).get("data"):
            return _decode_text(p)
    for p in parts:
        if str(p.get("mimeType", "")).lower() == "text/html" and (p.get("body") or {}).get("data"):
            return html_to_text(_decode_text(p))
    return ""


def extract_attachments(payload: Mapping) -> list[dict]:
    """Metadata only (filename, mime type, size, attachment id); the bytes are never fetched."""
    out = []
    for p in _walk(payload):
        if p is payload or not _is_attachment(p):
            continue
        body = p.get("body") or {}
        out.append({
            "filename": str(p.get("filename") or ""),
            "mime_type": str(p.get("mimeType") or "application/octet-stream"),
            "size": int(body.get("size") or 0),
            "attachment_id": str(body.get("attachmentId") or ""),
        })
    return out


def _headers_by_name(payload: Mapping) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for h in payload.get("headers") or []:
        name = str(h.get("name", "")).strip().lower()
        if name:
            found.setdefault(name, []).append(str(h.get("value", "")))
    return found


def _opt_int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def message_event_id(tenant_id: str, message_id: str) -> str:
    return f"gmail:{tenant_id}:{message_id}"


def message_to_event(tenant_id: str, mailbox: str, message: Mapping, *, default_time_ms: int = 0,
                     max_body_chars: int = DEFAULT_MAX_BODY_CHARS) -> dict:
    """A ``gmail_message`` record for one ``messages.get(format="full")`` resource."""
    payload = message.get("payload") or {}
    hdrs = _headers_by_name(payload)

    def header(name: str) -> str:
        return ", ".join(v.strip() for v in hdrs.get(name, []) if v.strip())[:MAX_HEADER_CHARS]

    selected = {}
    for lower, canonical in _SELECTED.items():
        if lower in hdrs:
            selected[canonical] = header(lower)
    occurred = _opt_int(message.get("internalDate"))
    record = {
        "event_id": message_event_id(tenant_id, str(message["id"])),
        "tenant_id": tenant_id,
        "occurred_at": occurred if occurred is not None and occurred >= 0 else int(default_time_ms),
        "mailbox": mailbox,
        "message_id": str(message["id"]),
        "thread_id": str(message.get("threadId") or message["id"]),
        "history_id": _opt_int(message.get("historyId")),
        "subject": header("subject"),
        "snippet": html.unescape(str(message.get("snippet") or "")),
        "body_text": extract_body_text(payload)[:max_body_chars],
        "label_ids": [str(x) for x in message.get("labelIds") or []],
        "in_reply_to": header("in-reply-to") or None,
        "headers": selected,
        "attachments": extract_attachments(payload),
    }
    for name, field_name in ADDRESS_HEADERS.items():
        record[field_name] = header(name)
    return record


# --------------------------------------------------------------------------------------------
# Poller
# --------------------------------------------------------------------------------------------

def _epoch_ms() -> int:
    return int(time.time() * 1000)


class GmailPoller:
    """One (tenant, mailbox). Not thread-safe: give each thread its own poller."""

    def __init__(
        self,
        tenant_id: str,
        mailbox: str,
        service_factory: Callable[[], Any],
        checkpoints: GmailCheckpointStore,
        emit: Emit,
        sleep: Callable[[float], Any] = time.sleep,
        clock: Callable[[], int] = _epoch_ms,
        *,
        user_id: str = "me",
        max_retries: int = 5,
        backoff_base_s: float = 1.0,
        backoff_max_s: float = 64.0,
        rand: Callable[[], float] = random.random,
        page_size: int = 500,
        full_sync_query: str | None = None,
        max_full_sync_messages: int | None = None,
        skip_label_ids: frozenset[str] = frozenset({"DRAFT"}),
        max_body_chars: int = DEFAULT_MAX_BODY_CHARS,
    ):
        self.tenant_id = tenant_id
        self.mailbox = mailbox
        self._service_factory = service_factory
        self.checkpoints = checkpoints
        self._emit = emit
        self._sleep = sleep
        self._clock = clock
        self.user_id = user_id
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self._rand = rand
        self.page_size = min(max(1, page_size), 500)
        self.full_sync_query = full_sync_query
        self.max_full_sync_messages = max_full_sync_messages
        self.skip_label_ids = frozenset(skip_label_ids)
        self.max_body_chars = max_body_chars
        self._service = None

    def __repr__(self) -> str:
        return f"GmailPoller(tenant_id={self.tenant_id!r}, mailbox={self.mailbox!r})"

    # -- public ---------------------------------------------------------------------------

    def poll_once(self) -> PollResult:
        from googleapiclient.errors import HttpError
        from revloop.connectors.secrets import SecretStoreError

        counter = _Counter()
        full = False
        try:
            service = self._get_service()
            cp = self.checkpoints.get(self.tenant_id, self.mailbox)
            if cp is not None and cp.history_id is not None:
                try:
                    self._incremental(service, cp.history_id, counter)
                except HttpError as exc:
                    if _classify_http_error(exc) != "not_found":
                        raise
                    LOG.warning("gmail %s/%s: history id %s is stale (404); full sync", self.tenant_id,
                                self.mailbox, cp.history_id)
                    full = True
                    self._full_sync(service, None, counter)
            else:
                full = True
                self._full_sync(service, cp, counter)
        except _NotConfigured as exc:
            error_class = exc.args[0] if exc.args else None
            self.checkpoints.set_status(self.tenant_id, NOT_CONFIGURED, error_class)
            return self._result(counter, full, NOT_CONFIGURED, error_class)
        except SecretStoreError:
            self.checkpoints.set_status(self.tenant_id, NOT_CONFIGURED, "SecretStoreError")
            return self._result(counter, full, NOT_CONFIGURED, "SecretStoreError")
        except _RetriesExhausted as exc:
            return self._retries_exhausted(exc, counter, full)
        except Exception as exc:
            status = _auth_status(exc)
            if status is not None:
                self._service = None  # rebuild from (possibly re-issued) credentials next poll
                self.checkpoints.set_status(self.tenant_id, status, type(exc).__name__)
                LOG.warning("gmail %s/%s: %s (%s); poll stopped", self.tenant_id, self.mailbox, status,
                            type(exc).__name__)
                return self._result(counter, full, status, type(exc).__name__)
            if _is_refresh_transport_error(exc):
                LOG.warning("gmail %s/%s: token endpoint unreachable (%s)", self.tenant_id, self.mailbox,
                            type(exc).__name__)
                return self._result(counter, full, UNAVAILABLE, type(exc).__name__)
            if isinstance(exc, HttpError):
                LOG.error("gmail %s/%s: HTTP %s (%s); poll stopped", self.tenant_id, self.mailbox,
                          _http_status(exc), ",".join(sorted(_error_reasons(exc))) or "no reason")
                return self._result(counter, full, ERROR, "HttpError")
            raise
        self.checkpoints.set_status(self.tenant_id, CONNECTED, None)
        return self._result(counter, full, OK, None)

    def run(self, interval_s: float, stop_event: threading.Event | None = None) -> int:
        """Poll every ``interval_s`` seconds until ``stop_event`` is set; returns the number of polls.

        A failing poll (e.g. ``emit`` raising because the broker is down) is logged by class
        name and retried next interval; the checkpoint has not moved, so nothing is lost."""
        stop_event = stop_event or threading.Event()
        polls = 0
        while not stop_event.is_set():
            polls += 1
            try:
                result = self.poll_once()
                LOG.info("gmail %s/%s: %s, %d message(s), full_sync=%s, history_id=%s", self.tenant_id,
                         self.mailbox, result.status, result.messages_emitted, result.full_sync, result.history_id)
            except Exception as exc:  # keep the loop alive; never log the exception text (may quote secrets)
                LOG.error("gmail %s/%s: poll failed: %s", self.tenant_id, self.mailbox, type(exc).__name__)
            if stop_event.wait(interval_s):
                break
        return polls

    # -- sync -----------------------------------------------------------------------------

    def _incremental(self, service, start_history_id: int, counter: "_Counter") -> None:
        history = service.users().history()
        page_token = None
        latest = start_history_id
        added: list[dict] = []
        seen: set[str] = set()
        while True:
            kwargs = dict(userId=self.user_id, startHistoryId=str(start_history_id),
                          historyTypes=["messageAdded"], maxResults=self.page_size)
            if page_token:
                kwargs["pageToken"] = page_token
            resp = self._execute(history.list(**kwargs))
            for record in resp.get("history") or []:
                for item in record.get("messagesAdded") or []:
                    msg = item.get("message") or {}
                    mid = msg.get("id")
                    if mid and mid not in seen:
                        seen.add(mid)
                        added.append(msg)
            latest = _opt_int(resp.get("historyId")) or latest
            page_token = resp.get("nextPageToken")
            if not page_token:
                break
        emitted: set[str] = set()
        group: list[dict] = []
        for msg in added:
            if self.skip_label_ids & set(msg.get("labelIds") or []):
                continue
            self._fetch_into(service, msg["id"], emitted, group, counter)
        self._emit_group(group, counter)
        self.checkpoints.commit(self.tenant_id, self.mailbox, latest)
        counter.history_id = latest

    def _full_sync(self, service, cp, counter: "_Counter") -> None:
        from googleapiclient.errors import HttpError

        if cp is not None and cp.pending_history_id is not None:
            profile_history_id, page_token = cp.pending_history_id, cp.pending_page_token
            LOG.info("gmail %s/%s: resuming full sync at history id %s", self.tenant_id, self.mailbox,
                     profile_history_id)
        else:
            profile = self._execute(service.users().getProfile(userId=self.user_id))
            profile_history_id = int(profile["historyId"])
            # Saved before the backfill, so whatever arrives meanwhile is in the next history.list.
            self.checkpoints.begin_full_sync(self.tenant_id, self.mailbox, profile_history_id)
            page_token = None
        messages = service.users().messages()
        emitted: set[str] = set()
        listed = 0
        while True:
            kwargs = dict(userId=self.user_id, maxResults=self.page_size, includeSpamTrash=False)
            if self.full_sync_query:
                kwargs["q"] = self.full_sync_query
            if page_token:
                kwargs["pageToken"] = page_token
            try:
                resp = self._execute(messages.list(**kwargs))
            except HttpError as exc:
                if page_token and cp is not None and _classify_http_error(exc) == "bad_request":
                    # A saved page token the API no longer accepts: start the backfill over.
                    LOG.warning("gmail %s/%s: saved page token rejected; restarting full sync",
                                self.tenant_id, self.mailbox)
                    self.checkpoints.reset(self.tenant_id, self.mailbox)
                    return self._full_sync(service, None, counter)
                raise
            group: list[dict] = []
            for ref in resp.get("messages") or []:
                if self.max_full_sync_messages is not None and listed >= self.max_full_sync_messages:
                    break
                listed += 1
                self._fetch_into(service, ref["id"], emitted, group, counter)
            self._emit_group(group, counter)
            page_token = resp.get("nextPageToken")
            capped = self.max_full_sync_messages is not None and listed >= self.max_full_sync_messages
            if not page_token or capped:
                break
            self.checkpoints.save_full_sync_page(self.tenant_id, self.mailbox, page_token)
        self.checkpoints.commit(self.tenant_id, self.mailbox, profile_history_id)
        counter.history_id = profile_history_id

    def _fetch_into(self, service, message_id: str, emitted: set[str], group: list[dict], counter: "_Counter") -> None:
        """Fetch one message into ``group``; a full group is emitted at once."""
        record = self._fetch(service, message_id, emitted)
        if record is not None:
            group.append(record)
        if len(group) >= EMIT_GROUP:
            self._emit_group(group, counter)

    def _emit_group(self, group: list[dict], counter: "_Counter") -> None:
        """Emit the fetched messages in order (through the emit's ``many`` when it has one) and empty ``group``."""
        if not group:
            return
        many = getattr(self._emit, "many", None)
        if many is not None:
            many("gmail_message", list(group))
        else:
            for record in group:
                self._emit("gmail_message", record)
        counter.emitted += len(group)
        group.clear()

    def _fetch(self, service, message_id: str, emitted: set[str]) -> dict | None:
        from googleapiclient.errors import HttpError

        if message_id in emitted:
            return None
        emitted.add(message_id)
        try:
            msg = self._execute(service.users().messages().get(userId=self.user_id, id=message_id, format="full"))
        except HttpError as exc:
            if _classify_http_error(exc) == "not_found":  # deleted since it was listed
                LOG.debug("gmail %s/%s: message %s gone before fetch", self.tenant_id, self.mailbox, message_id)
                return None
            raise
        if self.skip_label_ids & set(msg.get("labelIds") or []):
            return None
        return message_to_event(self.tenant_id, self.mailbox, msg, default_time_ms=self._clock(),
                                max_body_chars=self.max_body_chars)

    # -- plumbing -------------------------------------------------------------------------

    def _get_service(self):
        if self._service is None:
            service = self._service_factory()
            if service is None:
                raise _NotConfigured(None)
            self._service = service
        return self._service

    def _backoff(self, attempt: int, exc=None) -> float:
        delay = min(self.backoff_max_s, self.backoff_base_s * (2 ** attempt))
        delay = delay * (0.5 + 0.5 * self._rand())
        retry_after = None
        resp = getattr(exc, "resp", None)
        if resp is not None and hasattr(resp, "get"):
            try:
                retry_after = float(resp.get("retry-after"))
            except (TypeError, ValueError):
                retry_after = None
        if retry_after is not None and retry_after > 0:
            delay = max(delay, min(retry_after, self.backoff_max_s * 4))
        return delay

    def _execute(self, request) -> dict:
        """``request.execute()`` with our own bounded exponential backoff (through the injected sleep)."""
        from googleapiclient.errors import HttpError

        attempt = 0
        while True:
            try:
                return request.execute(num_retries=0)
            except HttpError as exc:
                kind = _classify_http_error(exc)
                if kind == "hard_quota":
                    raise _RetriesExhausted("quota", _http_status(exc), _reason_text(exc), attempt + 1) from None
                if kind not in ("quota", "server"):
                    raise
                if attempt >= self.max_retries:
                    raise _RetriesExhausted(kind, _http_status(exc), _reason_text(exc), attempt + 1) from None
                delay = self._backoff(attempt, exc)
                LOG.info("gmail %s/%s: HTTP %s, retry %d/%d in %.1fs", self.tenant_id, self.mailbox,
                         _http_status(exc), attempt + 1, self.max_retries, delay)
            except Exception as exc:
                if not _is_transport_error(exc):
                    raise
                if attempt >= self.max_retries:
                    raise _RetriesExhausted("transport", None, type(exc).__name__, attempt + 1) from None
                delay = self._backoff(attempt)
                LOG.info("gmail %s/%s: %s, retry %d/%d in %.1fs", self.tenant_id, self.mailbox,
                         type(exc).__name__, attempt + 1, self.max_retries, delay)
            self._sleep(delay)
            attempt += 1

    def _retries_exhausted(self, exc: _RetriesExhausted, counter: "_Counter", full: bool) -> PollResult:
        if exc.kind != "quota":
            LOG.warning("gmail %s/%s: giving up this poll: %s", self.tenant_id, self.mailbox, exc)
            return self._result(counter, full, UNAVAILABLE, "RetriesExhausted")
        now = self._clock()
        alert_id = f"gmail_quota:{self.tenant_id}:{self.mailbox}:{now}"
        alert = {
            "event_id": f"alert:{alert_id}",
            "tenant_id": self.tenant_id,
            "occurred_at": now,
            "alert_id": alert_id,
            "kind": "gmail_quota",
            "severity": "warning",
            "message": (f"Gmail quota exhausted for {self.mailbox}: HTTP {exc.status} {exc.reason} after "
                        f"{exc.attempts} attempt(s); poll stopped, checkpoint kept"),
            "value": float(exc.attempts),
            "threshold": float(self.max_retries + 1),
        }
        LOG.warning("gmail %s/%s: quota exhausted (HTTP %s %s); alert emitted", self.tenant_id, self.mailbox,
                    exc.status, exc.reason)
        self._emit("alert", alert)
        return self._result(counter, full, QUOTA_EXHAUSTED, "HttpError")

    def _result(self, counter: "_Counter", full: bool, status: str, error_class: str | None) -> PollResult:
        history_id = counter.history_id
        if history_id is None:
            history_id = self.checkpoints.history_id(self.tenant_id, self.mailbox)
        return PollResult(counter.emitted, full, history_id, status, error_class)


class _Counter:
    __slots__ = ("emitted", "history_id")

    def __init__(self):
        self.emitted = 0
        self.history_id: int | None = None


def _reason_text(exc) -> str:
    reasons = sorted(_error_reasons(exc))
    return ",".join(reasons) if reasons else "no reason"


def _is_refresh_transport_error(exc: BaseException) -> bool:
    from google.auth import exceptions as gauth_exc

    if isinstance(exc, gauth_exc.TransportError):
        return True
    return isinstance(exc, gauth_exc.RefreshError) and bool(getattr(exc, "retryable", False))
