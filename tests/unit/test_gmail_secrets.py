"""Secret store, checkpoint store, and the rule that OAuth secrets never leak."""
from __future__ import annotations

import json
import logging
import os

import pytest
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence

from revloop.streams.config import Settings
from revloop.connectors.gmail_checkpoint import GmailCheckpointStore
from revloop.connectors.gmail_source import GmailPoller, default_service_factory, service_factory_for
from revloop.connectors.secrets import GmailSecret, SecretStore, SecretStoreError, tenant_env_name
from tests.support import gmail_fixtures as fx

ACCESS = "ya29.a0AfB_CANARY-ACCESS-7f3c9e1d2b"
REFRESH = "1//0gCANARY-REFRESH-5b8a4c"
CLIENT_SECRET = "GOCSPX-CANARY-CLIENT-SECRET"
SECRETS = (ACCESS, REFRESH, CLIENT_SECRET)


def _write(path, data, mode=0o600):
    path.write_text(json.dumps(data))
    os.chmod(path, mode)
    return path


def _file_entry():
    return {"tenants": {"acme": {"gmail": {"token": ACCESS, "refresh_token": REFRESH,
                                           "client_id": "cid.apps.googleusercontent.com",
                                           "client_secret": CLIENT_SECRET}}}}


# -- secret store ----------------------------------------------------------------------------------

def test_file_store_builds_credentials(tmp_path, caplog):
    path = _write(tmp_path / "secrets.json", _file_entry())
    store = SecretStore(environ={"REVLOOP_SECRETS_FILE": str(path)})
    with caplog.at_level(logging.DEBUG):
        creds = store.gmail_credentials("acme")
    assert creds.token == ACCESS and creds.refresh_token == REFRESH and creds.client_secret == CLIENT_SECRET
    assert creds.token_uri == "https://oauth2.googleapis.com/token"
    assert creds.scopes == ["https://www.googleapis.com/auth/gmail.readonly"]
    assert "mode" not in caplog.text  # 0600: no warning
    assert store.tenants() == ["acme"]
    assert store.gmail_credentials("other") is None


def test_group_readable_file_warns_without_quoting_it(tmp_path, caplog):
    path = _write(tmp_path / "secrets.json", _file_entry(), mode=0o644)
    with caplog.at_level(logging.WARNING, logger="revloop.connectors.secrets"):
        assert SecretStore(path).gmail_credentials("acme") is not None
    assert "644" in caplog.text and "0600" in caplog.text
    assert not any(s in caplog.text for s in SECRETS)


def test_env_token_bare_and_json_and_precedence(tmp_path):
    path = _write(tmp_path / "secrets.json", {"acme-co": {"gmail": {"token": "from-file"}}})
    assert tenant_env_name("acme-co") == "REVLOOP_GMAIL_TOKEN_ACME_CO"
    env = {"REVLOOP_SECRETS_FILE": str(path)}
    assert SecretStore(environ=env).gmail_credentials("acme-co").token == "from-file"
    env["REVLOOP_GMAIL_TOKEN_ACME_CO"] = ACCESS
    assert SecretStore(environ=env).gmail_credentials("acme-co").token == ACCESS
    env["REVLOOP_GMAIL_TOKEN_ACME_CO"] = json.dumps({"refresh_token": REFRESH})
    env["REVLOOP_GMAIL_CLIENT_ID"], env["REVLOOP_GMAIL_CLIENT_SECRET"] = "cid", CLIENT_SECRET
    creds = SecretStore(environ=env).gmail_credentials("acme-co")
    assert (creds.token, creds.refresh_token, creds.client_id, creds.client_secret) == (None, REFRESH, "cid",
                                                                                        CLIENT_SECRET)


def test_unusable_or_missing_entries_are_not_configured(tmp_path):
    assert SecretStore(environ={}).gmail_credentials("acme") is None
    path = _write(tmp_path / "s.json", {"acme": {"gmail": {"refresh_token": REFRESH}}})  # no client to refresh with
    assert SecretStore(path, environ={}).gmail_credentials("acme") is None
    assert SecretStore(tmp_path / "absent.json", environ={}).gmail_credentials("acme") is None


def test_secret_reprs_are_redacted(tmp_path):
    path = _write(tmp_path / "secrets.json", _file_entry())
    secret = SecretStore(path, environ={}).gmail_secret("acme")
    for text in (repr(secret), str(secret), f"{secret}", repr([secret]), repr(SecretStore(path, environ={}))):
        assert not any(s in text for s in SECRETS), text
    assert "<redacted>" in repr(secret) and "acme" in repr(secret)
    assert isinstance(secret, GmailSecret)


def test_malformed_store_errors_do_not_quote_the_file(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text('{"acme": {"gmail": {"token": "' + ACCESS + '", }}}')  # trailing comma
    os.chmod(path, 0o600)
    with pytest.raises(SecretStoreError) as info:
        SecretStore(path, environ={}).gmail_credentials("acme")
    assert "not valid JSON" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    bad_env = {"REVLOOP_GMAIL_TOKEN_ACME": '{"token": "' + ACCESS + '"'}
    with pytest.raises(SecretStoreError) as info:
        SecretStore(environ=bad_env).gmail_credentials("acme")
    assert not any(s in str(info.value) for s in SECRETS)
    with pytest.raises(SecretStoreError) as info:
        SecretStore(environ={"REVLOOP_GMAIL_TOKEN_ACME": json.dumps({"token": ["x", ACCESS]})}).gmail_credentials("acme")
    assert not any(s in str(info.value) for s in SECRETS)


def test_service_factory_for_builds_offline_and_reports_not_configured(tmp_path):
    path = _write(tmp_path / "secrets.json", _file_entry())
    store = SecretStore(path, environ={})
    service = service_factory_for("acme", store)()
    assert hasattr(service.users(), "history")  # bundled discovery doc, no network
    assert service_factory_for("nobody", store)() is None
    assert default_service_factory(store.gmail_credentials("acme")) is not None


def test_broken_secret_store_reports_not_configured(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text("{nope")
    store = GmailCheckpointStore(tmp_path / "state")
    poller = GmailPoller("acme", "ops@x.example", service_factory_for("acme", SecretStore(path, environ={})), store,
                         lambda t, r: None, sleep=lambda s: None)
    result = poller.poll_once()
    assert (result.status, result.error_class) == ("not_configured", "SecretStoreError")
    assert store.status("acme").last_error_class == "SecretStoreError"


# -- no leaks end to end -----------------------------------------------------------------------------

def test_oauth_secrets_never_reach_events_logs_or_exception_text(tmp_path, caplog):
    from google.oauth2.credentials import Credentials
    from google_auth_httplib2 import AuthorizedHttp

    caplog.set_level(logging.DEBUG)
    msg = fx.plain_reply()
    mock = HttpMockSequence([
        fx.ok(fx.profile(70)), fx.ok(fx.messages_list([msg["id"]])), fx.ok(msg),      # poll 1: full sync
        fx.rate_limited_429(), fx.rate_limited_429(),                                   # poll 2: quota alert
        fx.unauthorized(), fx.token_invalid_grant(),                                    # poll 3: revoked
        fx.ok(fx.history_list([msg["id"]], 71)), fx.ok(msg),                            # poll 4: emit fails
    ])
    creds = Credentials(token=ACCESS, refresh_token=REFRESH, client_id="cid.apps.googleusercontent.com",
                        client_secret=CLIENT_SECRET, token_uri="https://oauth2.googleapis.com/token")
    service = build("gmail", "v1", http=AuthorizedHttp(creds, http=mock), cache_discovery=False)
    events, texts = [], []
    checkpoints = GmailCheckpointStore(tmp_path / "state")
    poller = GmailPoller("acme", "ops@acme-appraisals.com", lambda: service, checkpoints,
                         lambda t, r: events.append((t, r)), sleep=lambda s: None, max_retries=1)
    results = [poller.poll_once(), poller.poll_once(), poller.poll_once()]
    assert [r.status for r in results] == ["ok", "quota_exhausted", "revoked"]

    # the same service again, then the producer fails mid-poll
    poller._service_factory = lambda: service

    def failing(t, r):
        raise RuntimeError("producer failed")

    poller._emit = failing
    with pytest.raises(RuntimeError) as info:
        poller.poll_once()
    texts += [str(info.value), repr(info.value), repr(poller), repr(checkpoints), str(results)]
    texts += [str(s) for s in checkpoints.statuses()]

    # the token really was sent (so the test can see a leak if there were one)...
    assert any((h or {}).get("authorization") == f"Bearer {ACCESS}" for _, _, _, h in mock.request_sequence)
    # ...but it is nowhere we produce output
    blob = json.dumps(events) + "\n".join(texts) + caplog.text + "".join(
        r.getMessage() for r in caplog.records)
    assert len(events) == 2 and {t for t, _ in events} == {"gmail_message", "alert"}
    for s in SECRETS:
        assert s not in blob


# -- checkpoint store ------------------------------------------------------------------------------

def test_checkpoint_store_persists_and_tracks_status_changes(tmp_path):
    now = [1000]
    store = GmailCheckpointStore(tmp_path / "cp", clock=lambda: now[0])
    assert store.get("t", "a@x") is None and store.status("t") is None
    store.begin_full_sync("t", "a@x", 55)
    store.save_full_sync_page("t", "a@x", "tok")
    cp = store.get("t", "a@x")
    assert (cp.history_id, cp.pending_history_id, cp.pending_page_token) == (None, 55, "tok")
    store.commit("t", "a@x", 56)
    again = GmailCheckpointStore(tmp_path / "cp")
    assert again.history_id("t", "a@x") == 56 and again.get("t", "a@x").pending_history_id is None
    assert again.history_id("t", "b@x") is None

    store.set_status("t", "token_expired", "HttpError")
    now[0] = 2000
    st = store.set_status("t", "token_expired", "RefreshError")
    assert (st.since, st.checked_at, st.last_error_class) == (1000, 2000, "RefreshError")
    now[0] = 3000
    assert store.set_status("t", "connected").since == 3000
    with pytest.raises(ValueError):
        store.set_status("t", "bogus")
    with pytest.raises(ValueError):
        store.set_status("t", "revoked", "invalid_grant: Token has been expired or revoked.")
    store.reset("t", "a@x")
    assert store.get("t", "a@x") is None


def test_checkpoint_dir_from_env(tmp_path):
    settings = Settings.from_env({"REVLOOP_GMAIL_STATE_DIR": str(tmp_path / "envdir")})
    store = GmailCheckpointStore(settings.gmail_state_dir)
    assert store.path.startswith(str(tmp_path / "envdir"))


def test_attack_lookalike_tenants_never_get_each_others_gmail_token(tmp_path):
    """acme-x, acme.x and ACME_X all mapped to REVLOOP_GMAIL_TOKEN_ACME_X: one tenant got another's
    OAuth token. Now the name belongs to exactly one tenant, and the others look in the file by exact id."""
    from revloop.connectors.secrets import tenant_of_env_name

    env = {"REVLOOP_GMAIL_TOKEN_ACME_X": "token-of-acme-x"}
    store = SecretStore(environ=env)
    assert store.gmail_credentials("acme-x").token == "token-of-acme-x"
    for other in ("acme.x", "acme_x", "ACME_X", " acme-x", "Acme-X"):
        assert store.gmail_secret(other) is None, other
    assert tenant_env_name("acme.x") is None and tenant_env_name("acme_x") is None
    assert tenant_of_env_name("REVLOOP_GMAIL_TOKEN_ACME_X") == "acme-x"
    store.check()                                            # a consistent configuration passes
    from tests.support.outage_services import tally_attack
    tally_attack("look-alike tenant takes another's Gmail token", tried=5,
                 refused=sum(store.gmail_secret(t) is None for t in ("acme.x", "acme_x", "ACME_X", " acme-x", "Acme-X")),
                 written=0)


def test_a_secret_name_that_could_belong_to_another_tenant_is_refused_at_start(tmp_path):
    path = _write(tmp_path / "secrets.json", {"ACME": {"gmail": {"token": "t1"}}, " acme": {"gmail": {"token": "t2"}},
                                              "acme.x": {"gmail": {"token": "t3"}}})
    env = {"REVLOOP_SECRETS_FILE": str(path), "REVLOOP_GMAIL_TOKEN_acme": "t4", "REVLOOP_GMAIL_TOKEN__X": "t5"}
    with pytest.raises(SecretStoreError) as err:
        SecretStore(environ=env).check()
    text = str(err.value)
    assert "REVLOOP_GMAIL_TOKEN_acme" in text and "REVLOOP_GMAIL_TOKEN__X" in text
    assert "'ACME'" in text and "' acme'" in text and "'acme.x'" not in text
    assert not any(t in text for t in ("t1", "t2", "t3", "t4", "t5"))       # names, never values
    assert SecretStore(environ={"REVLOOP_SECRETS_FILE": str(path)}).gmail_credentials("acme.x").token == "t3"
