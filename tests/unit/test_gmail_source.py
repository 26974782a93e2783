"""GmailPoller against google-api-python-client's HttpMockSequence (bundled discovery doc, no network)."""
from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlparse

import pytest
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence

from revloop.connectors.gmail_checkpoint import GmailCheckpointStore
from revloop.connectors.gmail_source import GmailPoller, PollResult, message_event_id
from revloop.schemas.codec import validate
from tests.support import gmail_fixtures as fx

TENANT = "acme"
MAILBOX = "ops@acme-appraisals.com"
NOW_MS = fx.BASE_MS + 3_600_000


class Harness:
    def __init__(self, tmp_path, responses, emit=None, **poller_kw):
        self.mock = HttpMockSequence(list(responses))
        self.events: list[tuple[str, dict]] = []
        self.sleeps: list[float] = []
        self.store = GmailCheckpointStore(tmp_path / "state", clock=lambda: NOW_MS)
        self.service = build("gmail", "v1", http=self.mock, cache_discovery=False)
        poller_kw.setdefault("rand", lambda: 1.0)
        self.poller = GmailPoller(TENANT, MAILBOX, lambda: self.service, self.store,
                                  emit or (lambda t, r: self.events.append((t, r))), sleep=self.sleeps.append,
                                  clock=lambda: NOW_MS, **poller_kw)

    def feed(self, responses):
        self.mock._iterable.extend(responses)

    def poll(self) -> PollResult:
        return self.poller.poll_once()

    @property
    def messages(self) -> list[dict]:
        return [r for t, r in self.events if t == "gmail_message"]

    @property
    def alerts(self) -> list[dict]:
        return [r for t, r in self.events if t == "alert"]

    def requests(self) -> list[tuple[str, dict]]:
        out = []
        for uri, _method, _body, _headers in self.mock.request_sequence:
            u = urlparse(uri)
            out.append((u.path, parse_qs(u.query)))
        return out

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests()]


def _all_valid(records):
    for t, rec in records:
        validate(t, rec)


# -- full sync ------------------------------------------------------------------------------------

def test_first_sync_is_a_full_sync_that_checkpoints_the_profile_history_id(tmp_path):
    reply, html_msg, att = fx.plain_reply(), fx.html_only(), fx.with_attachments()
    h = Harness(tmp_path, [
        fx.ok(fx.profile(5000)),
        fx.ok(fx.messages_list([reply["id"], html_msg["id"]], "page-2")),
        fx.ok(reply), fx.ok(html_msg),
        fx.ok(fx.messages_list([att["id"]])),
        fx.ok(att),
    ])
    result = h.poll()
    assert result == PollResult(3, True, 5000, "ok", None)
    assert h.store.history_id(TENANT, MAILBOX) == 5000
    cp = h.store.get(TENANT, MAILBOX)
    assert cp.pending_history_id is None and cp.pending_page_token is None
    paths = h.paths()
    assert paths[0].endswith("/users/me/profile")  # profile before any listing
    assert paths[1].endswith("/users/me/messages") and paths[4].endswith("/users/me/messages")
    assert h.requests()[4][1]["pageToken"] == ["page-2"]
    assert all(q["format"] == ["full"] for p, q in h.requests() if "/messages/" in p)
    assert [r["message_id"] for r in h.messages] == [reply["id"], html_msg["id"], att["id"]]
    _all_valid(h.events)
    assert h.store.status(TENANT).status == "connected"


def test_profile_history_id_is_saved_before_the_backfill(tmp_path):
    seen_pending = []
    h = Harness(tmp_path, [fx.ok(fx.profile(777)), fx.ok(fx.messages_list(["m1"])), fx.ok(fx.simple("m1"))])
    inner = h.poller._emit

    def emit(t, r):
        seen_pending.append(h.store.get(TENANT, MAILBOX).pending_history_id)
        inner(t, r)

    h.poller._emit = emit
    h.poll()
    assert seen_pending == [777]
    assert h.store.history_id(TENANT, MAILBOX) == 777


def test_interrupted_full_sync_resumes_from_the_saved_page(tmp_path):
    h = Harness(tmp_path, [
        fx.ok(fx.profile(900)),
        fx.ok(fx.messages_list(["m1"], "page-2")), fx.ok(fx.simple("m1")),
        fx.rate_limited_429(), fx.rate_limited_429(),
    ], max_retries=1)
    r1 = h.poll()
    assert r1.status == "quota_exhausted" and r1.full_sync
    cp = h.store.get(TENANT, MAILBOX)
    assert (cp.history_id, cp.pending_history_id, cp.pending_page_token) == (None, 900, "page-2")
    h.feed([fx.ok(fx.messages_list(["m2"])), fx.ok(fx.simple("m2"))])
    r2 = h.poll()
    assert (r2.status, r2.messages_emitted, r2.history_id) == ("ok", 1, 900)
    assert h.requests()[-2][1]["pageToken"] == ["page-2"]
    assert "/profile" not in h.paths()[-2]  # no second getProfile: the saved id is kept
    assert [m["message_id"] for m in h.messages] == ["m1", "m2"]


def test_drafts_are_not_emitted(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.profile(10)), fx.ok(fx.messages_list(["d1", "m1"])),
                           fx.ok(fx.simple("d1", labels=("DRAFT",))), fx.ok(fx.simple("m1"))])
    assert h.poll().messages_emitted == 1
    assert [m["message_id"] for m in h.messages] == ["m1"]


def test_a_page_goes_at_once_and_in_order_to_an_emit_that_takes_many(tmp_path):
    groups = []

    def emit(type_name, record):
        raise AssertionError("an emit that takes many is not called one message at a time")

    emit.many = lambda type_name, records: groups.append((type_name, [r["message_id"] for r in records]))
    h = Harness(tmp_path, [fx.ok(fx.profile(10)), fx.ok(fx.messages_list(["m1", "d1", "m2"], "p-2")),
                           fx.ok(fx.simple("m1")), fx.ok(fx.simple("d1", labels=("DRAFT",))), fx.ok(fx.simple("m2")),
                           fx.ok(fx.messages_list(["m3"])), fx.ok(fx.simple("m3"))], emit=emit)
    assert h.poll() == PollResult(3, True, 10, "ok", None)
    assert groups == [("gmail_message", ["m1", "m2"]), ("gmail_message", ["m3"])]


def test_a_group_that_fails_to_emit_leaves_the_checkpoint_where_it_was(tmp_path):
    def emit(type_name, record):
        raise AssertionError("not called")

    def many(type_name, records):
        raise RuntimeError("broker down")

    emit.many = many
    h = Harness(tmp_path, [fx.ok(fx.history_list(["m1", "m2"], 1100)), fx.ok(fx.simple("m1")), fx.ok(fx.simple("m2"))],
                emit=emit)
    h.store.commit(TENANT, MAILBOX, 1000)
    with pytest.raises(RuntimeError):
        h.poll()
    assert h.store.history_id(TENANT, MAILBOX) == 1000


# -- incremental ----------------------------------------------------------------------------------

def test_incremental_sync_pages_history_and_stores_the_latest_history_id(tmp_path):
    h = Harness(tmp_path, [
        fx.ok(fx.history_list(["m4", "m5"], 1100, "hp-2")),
        fx.ok(fx.history_list(["m6"], 1200)),
        fx.ok(fx.simple("m4")), fx.ok(fx.simple("m5")), fx.ok(fx.simple("m6")),
    ])
    h.store.commit(TENANT, MAILBOX, 1000)
    result = h.poll()
    assert result == PollResult(3, False, 1200, "ok", None)
    assert h.store.history_id(TENANT, MAILBOX) == 1200
    (p1, q1), (p2, q2) = h.requests()[:2]
    assert p1.endswith("/users/me/history")
    assert q1["startHistoryId"] == ["1000"] and q1["historyTypes"] == ["messageAdded"]
    assert q1["maxResults"] == ["500"] and "pageToken" not in q1
    assert q2["pageToken"] == ["hp-2"] and q2["startHistoryId"] == ["1000"]
    assert [m["event_id"] for m in h.messages] == [f"gmail:{TENANT}:m4", f"gmail:{TENANT}:m5", f"gmail:{TENANT}:m6"]
    _all_valid(h.events)


def test_empty_history_moves_the_checkpoint_forward(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.history_list([], 1300))])
    h.store.commit(TENANT, MAILBOX, 1000)
    assert h.poll() == PollResult(0, False, 1300, "ok", None)
    assert h.store.history_id(TENANT, MAILBOX) == 1300


def test_stale_history_id_404_falls_back_to_full_sync(tmp_path):
    h = Harness(tmp_path, [
        fx.not_found(),
        fx.ok(fx.profile(8000)), fx.ok(fx.messages_list(["m1"])), fx.ok(fx.simple("m1")),
    ])
    h.store.commit(TENANT, MAILBOX, 12)
    result = h.poll()
    assert (result.full_sync, result.status, result.history_id, result.messages_emitted) == (True, "ok", 8000, 1)
    assert h.store.history_id(TENANT, MAILBOX) == 8000
    assert h.paths()[1].endswith("/profile")


def test_message_deleted_between_history_and_get_is_skipped(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.history_list(["gone", "m1"], 1100)), fx.not_found(), fx.ok(fx.simple("m1"))])
    h.store.commit(TENANT, MAILBOX, 1000)
    assert h.poll() == PollResult(1, False, 1100, "ok", None)


# -- duplicates -----------------------------------------------------------------------------------

def test_a_message_listed_twice_in_one_poll_is_emitted_once(tmp_path):
    h = Harness(tmp_path, [
        fx.ok(fx.history_list([["m1", "m1"], "m2", "m1"], 1100, "hp-2")),  # twice in a record, again later
        fx.ok(fx.history_list(["m2"], 1150)),                                 # and on the next page
        fx.ok(fx.simple("m1")), fx.ok(fx.simple("m2")),
    ])
    h.store.commit(TENANT, MAILBOX, 1000)
    assert h.poll().messages_emitted == 2
    assert [m["message_id"] for m in h.messages] == ["m1", "m2"]
    assert sum(1 for p in h.paths() if "/messages/" in p) == 2  # fetched once each, too


def test_repoll_over_the_same_range_yields_identical_event_ids(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.history_list(["m1", "m2"], 1100)), fx.ok(fx.simple("m1")),
                           fx.ok(fx.simple("m2"))])
    h.store.commit(TENANT, MAILBOX, 1000)
    h.poll()
    first = [dict(m) for m in h.messages]
    # e.g. a crash after emit but before the checkpoint moved: the same range again
    h.store.commit(TENANT, MAILBOX, 1000)
    h.feed([fx.ok(fx.history_list(["m1", "m2"], 1100)), fx.ok(fx.simple("m1")), fx.ok(fx.simple("m2"))])
    h.poll()
    second = h.messages[len(first):]
    assert [m["event_id"] for m in second] == [m["event_id"] for m in first]
    assert second == first  # byte-for-byte the same record, so downstream dedup is exact
    assert first[0]["event_id"] == message_event_id(TENANT, "m1") == "gmail:acme:m1"


def test_emit_failure_leaves_the_checkpoint_where_it_was(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.history_list(["m1"], 1100)), fx.ok(fx.simple("m1"))])
    h.store.commit(TENANT, MAILBOX, 1000)

    def broken(t, r):
        raise RuntimeError("broker down")

    h.poller._emit = broken
    with pytest.raises(RuntimeError):
        h.poll()
    assert h.store.history_id(TENANT, MAILBOX) == 1000


# -- retries and quota ----------------------------------------------------------------------------

def test_429_then_success_backs_off_and_emits_once(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.history_list(["m1"], 1100)), fx.rate_limited_429(), fx.ok(fx.simple("m1"))],
                backoff_base_s=2.0)
    h.store.commit(TENANT, MAILBOX, 1000)
    result = h.poll()
    assert result == PollResult(1, False, 1100, "ok", None)
    assert h.sleeps == [2.0]
    assert len(h.messages) == 1 and not h.alerts


def test_backoff_is_exponential_and_honours_403_rate_reasons_and_5xx(tmp_path):
    h = Harness(tmp_path, [fx.user_rate_limited_403(), fx.server_error(503), fx.server_error(500),
                           fx.ok(fx.history_list([], 1100))], backoff_base_s=1.0)
    h.store.commit(TENANT, MAILBOX, 1000)
    assert h.poll().status == "ok"
    assert h.sleeps == [1.0, 2.0, 4.0]


def test_retry_after_header_is_respected(tmp_path):
    h = Harness(tmp_path, [fx.rate_limited_429(retry_after="30"), fx.ok(fx.history_list([], 1100))])
    h.store.commit(TENANT, MAILBOX, 1000)
    h.poll()
    assert h.sleeps == [30.0]


def test_quota_exhausted_emits_an_alert_and_keeps_the_checkpoint(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.history_list(["m1"], 1100))] + [fx.rate_limited_429()] * 4, max_retries=3)
    h.store.commit(TENANT, MAILBOX, 1000)
    result = h.poll()
    assert result.status == "quota_exhausted" and result.history_id == 1000
    assert h.store.history_id(TENANT, MAILBOX) == 1000
    assert len(h.sleeps) == 3 and h.sleeps == sorted(h.sleeps)
    assert not h.messages
    (alert,) = h.alerts
    validate("alert", alert)
    assert (alert["kind"], alert["severity"], alert["tenant_id"], alert["occurred_at"]) == (
        "gmail_quota", "warning", TENANT, NOW_MS)
    assert "429" in alert["message"] and MAILBOX in alert["message"]
    assert h.mock._iterable == []  # stopped right there: no further calls


def test_daily_limit_is_not_retried(tmp_path):
    h = Harness(tmp_path, [fx.daily_limit_403()])
    h.store.commit(TENANT, MAILBOX, 1000)
    assert h.poll().status == "quota_exhausted"
    assert h.sleeps == [] and len(h.alerts) == 1


def test_persistent_5xx_gives_up_without_alert_or_checkpoint_move(tmp_path):
    h = Harness(tmp_path, [fx.server_error(502)] * 3, max_retries=2)
    h.store.commit(TENANT, MAILBOX, 1000)
    result = h.poll()
    assert (result.status, result.history_id) == ("unavailable", 1000)
    assert not h.events and len(h.sleeps) == 2


def test_other_http_errors_stop_the_poll_without_crashing(tmp_path):
    h = Harness(tmp_path, [fx.insufficient_scope_403()])
    h.store.commit(TENANT, MAILBOX, 1000)
    result = h.poll()
    assert (result.status, result.error_class) == ("error", "HttpError")
    assert h.sleeps == [] and h.store.history_id(TENANT, MAILBOX) == 1000


# -- auth -----------------------------------------------------------------------------------------

def test_401_marks_the_tenant_token_expired(tmp_path):
    h = Harness(tmp_path, [fx.unauthorized()])
    h.store.commit(TENANT, MAILBOX, 1000)
    result = h.poll()
    assert (result.status, result.error_class) == ("token_expired", "HttpError")
    st = h.store.status(TENANT)
    assert (st.status, st.last_error_class, st.since) == ("token_expired", "HttpError", NOW_MS)
    assert h.store.history_id(TENANT, MAILBOX) == 1000 and h.sleeps == []
    # once the tenant reconnects, the status recovers
    h.feed([fx.ok(fx.history_list([], 1001))])
    assert h.poll().status == "ok"
    assert h.store.status(TENANT).status == "connected"


def _authorized_service(mock, token="ya29.a0AfB_byC-EXAMPLE", refresh_token=None):
    from google.oauth2.credentials import Credentials
    from google_auth_httplib2 import AuthorizedHttp

    creds = Credentials(token=token, refresh_token=refresh_token, client_id="cid.apps.googleusercontent.com",
                        client_secret="GOCSPX-client-secret-EXAMPLE", token_uri="https://oauth2.googleapis.com/token")
    return build("gmail", "v1", http=AuthorizedHttp(creds, http=mock), cache_discovery=False)


def _poller_with_service(tmp_path, service, events):
    store = GmailCheckpointStore(tmp_path / "state", clock=lambda: NOW_MS)
    poller = GmailPoller(TENANT, MAILBOX, lambda: service, store, lambda t, r: events.append((t, r)),
                         sleep=lambda s: None, clock=lambda: NOW_MS)
    return poller, store


def test_invalid_grant_on_refresh_marks_the_tenant_revoked(tmp_path):
    mock = HttpMockSequence([fx.unauthorized(), fx.token_invalid_grant()])
    poller, store = _poller_with_service(tmp_path, _authorized_service(mock, refresh_token="1//0g-REFRESH"), [])
    result = poller.poll_once()
    assert (result.status, result.error_class) == ("revoked", "RefreshError")
    assert store.status(TENANT).status == "revoked"
    assert mock.request_sequence[1][0] == "https://oauth2.googleapis.com/token"


def test_refresh_impossible_marks_the_tenant_token_expired(tmp_path):
    mock = HttpMockSequence([fx.unauthorized()])  # no refresh token: google-auth cannot refresh
    poller, store = _poller_with_service(tmp_path, _authorized_service(mock), [])
    result = poller.poll_once()
    assert (result.status, result.error_class) == ("token_expired", "RefreshError")
    assert store.status(TENANT).status == "token_expired"


def test_expired_access_token_is_refreshed_transparently(tmp_path):
    events = []
    mock = HttpMockSequence([fx.unauthorized(), fx.token_ok("ya29.NEW-TOKEN"),
                             fx.ok(fx.profile(50)), fx.ok(fx.messages_list([]))])
    poller, store = _poller_with_service(tmp_path, _authorized_service(mock, refresh_token="1//0g-REFRESH"), events)
    assert poller.poll_once().status == "ok"
    assert store.status(TENANT).status == "connected"
    assert mock.request_sequence[2][3]["authorization"] == "Bearer ya29.NEW-TOKEN"


def test_no_credentials_means_not_configured(tmp_path):
    store = GmailCheckpointStore(tmp_path / "state", clock=lambda: NOW_MS)
    poller = GmailPoller(TENANT, MAILBOX, lambda: None, store, lambda t, r: None, sleep=lambda s: None,
                         clock=lambda: NOW_MS)
    assert poller.poll_once() == PollResult(0, False, None, "not_configured", None)
    assert store.status(TENANT).status == "not_configured"


# -- event content --------------------------------------------------------------------------------

def test_attachments_are_captured_as_metadata_without_downloading(tmp_path):
    msg = fx.with_attachments()
    h = Harness(tmp_path, [fx.ok(fx.history_list([msg["id"]], 1100)), fx.ok(msg)])
    h.store.commit(TENANT, MAILBOX, 1000)
    h.poll()
    (rec,) = h.messages
    assert rec["attachments"] == [
        {"filename": "Engagement Letter - 12 Elm St.pdf", "mime_type": "application/pdf", "size": 183_422,
         "attachment_id": "ANGjdJ8wq5xq1Yk3Qn0Y7m2pLr9-TzKdWvY1bXc4EfGhIjKl"},
        {"filename": "IMG_2231.jpg", "mime_type": "image/jpeg", "size": 2_401_876,
         "attachment_id": "ANGjdJ9p3kLmNoPqRsTuVwXyZ0123456789-abcd"},
    ]
    assert rec["body_text"].startswith("Please find the signed engagement letter")
    assert not any("/attachments" in p for p in h.paths())
    validate("gmail_message", rec)


def test_every_fixture_message_maps_to_a_valid_event(tmp_path):
    msgs = [fx.plain_reply(), fx.html_only(), fx.with_attachments(), fx.bounce(), fx.latin1(), fx.newsletter()]
    h = Harness(tmp_path, [fx.ok(fx.profile(9))] + [fx.ok(fx.messages_list([m["id"] for m in msgs]))]
                + [fx.ok(m) for m in msgs])
    assert h.poll().messages_emitted == len(msgs)
    _all_valid(h.events)
    by_id = {r["message_id"]: r for r in h.messages}
    for m in msgs:
        rec = by_id[m["id"]]
        assert rec["occurred_at"] == int(m["internalDate"])
        assert rec["history_id"] == int(m["historyId"])
        assert rec["thread_id"] == m["threadId"] and rec["label_ids"] == m["labelIds"]
        assert rec["mailbox"] == MAILBOX and rec["tenant_id"] == TENANT


def test_run_loop_polls_until_stopped(tmp_path):
    h = Harness(tmp_path, [fx.ok(fx.history_list([], 1100)), fx.ok(fx.history_list([], 1200))])
    h.store.commit(TENANT, MAILBOX, 1000)

    class TwoPolls(threading.Event):
        calls = 0

        def wait(self, timeout=None):
            self.calls += 1
            if self.calls >= 2:
                self.set()
            return self.is_set()

    assert h.poller.run(0.01, TwoPolls()) == 2
    assert h.store.history_id(TENANT, MAILBOX) == 1200


def test_run_loop_survives_a_failing_poll(tmp_path, caplog):
    h = Harness(tmp_path, [fx.ok(fx.history_list(["m1"], 1100)), fx.ok(fx.simple("m1"))])
    h.store.commit(TENANT, MAILBOX, 1000)
    h.poller._emit = lambda t, r: (_ for _ in ()).throw(RuntimeError("broker down"))
    stop = threading.Event()
    stop.wait = lambda timeout=None: True  # stop after the first round
    assert h.poller.run(0.01, stop) == 1
    assert "RuntimeError" in caplog.text
