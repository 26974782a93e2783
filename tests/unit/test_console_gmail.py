"""The console's "connect Gmail" page: Google's OAuth consent flow through google-auth-oauthlib,
with a local token endpoint in Google's shape standing in for oauth2.googleapis.com (the
real client library talks HTTP to it; nothing of ours is patched)."""
from __future__ import annotations

import json
import os
import re
import stat
from urllib.parse import parse_qs, urlsplit

import pytest
import pytest_asyncio
from aiohttp import web

from revloop.connectors.gmail_checkpoint import GmailCheckpointStore
from revloop.connectors.secrets import SecretStore
from revloop.console.health import Health
from revloop.streams.config import Settings
from tests.support.console_fixtures import PASSWORD, RecordingSink, console_app

pytestmark = pytest.mark.asyncio
REFRESH = "1//refresh-token-of-the-test"
ACCESS = "ya29.access-token-of-the-test"


@pytest_asyncio.fixture
async def google(aiohttp_server):
    """A token endpoint in Google's shape; remembers what it was sent."""
    seen = []

    async def token(request):
        form = dict(await request.post())
        seen.append({**form, "authorization": request.headers.get("Authorization", "")})
        if form.get("code") != "good-code" or not form.get("code_verifier"):
            return web.json_response({"error": "invalid_grant"}, status=400)
        return web.json_response({"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 3599,
                                  "scope": "https://www.googleapis.com/auth/gmail.readonly", "token_type": "Bearer"})
    app = web.Application()
    app.router.add_post("/token", token)
    server = await aiohttp_server(app)
    return server, seen


@pytest_asyncio.fixture
async def client(aiohttp_client, tmp_path, google, monkeypatch):
    # oauthlib refuses a token endpoint over plain http unless told this is a test.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    server, _ = google
    secrets = str(tmp_path / "secrets.json")
    state_dir = str(tmp_path / "gmail")
    oauth = {"web": {"client_id": "client-1.apps.example", "client_secret": "client-secret-1",
                     "auth_uri": "https://accounts.example/o/oauth2/auth", "token_uri": str(server.make_url("/token"))}}
    app = console_app(tmp_path, sink=RecordingSink(), oauth_client=oauth, secrets_file=secrets,
                      gmail_state_dir=state_dir,
                      health=Health(Settings(), gmail_state_dir=state_dir, secrets=SecretStore(secrets, environ={})))
    c = await aiohttp_client(app)
    page = await (await c.get("/login")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = await c.post("/login", data={"login": "ana", "password": PASSWORD, "csrf": token}, allow_redirects=False)
    assert r.status == 303
    return c


async def start_consent(client) -> dict:
    page = await (await client.get("/t/acme/gmail")).text()
    assert "not_configured" in page and "Connect Gmail" in page
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = await client.post("/t/acme/gmail/connect", data={"csrf": token}, allow_redirects=False)
    assert r.status == 303
    where = urlsplit(r.headers["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == "https://accounts.example/o/oauth2/auth"
    return {k: v[0] for k, v in parse_qs(where.query).items()}


async def test_consent_stores_the_token_and_the_page_shows_connected(client, google, tmp_path, caplog):
    query = await start_consent(client)
    assert query["client_id"] == "client-1.apps.example" and query["access_type"] == "offline"
    assert query["redirect_uri"].endswith("/oauth/gmail/callback") and query["code_challenge"]
    assert query["scope"] == "https://www.googleapis.com/auth/gmail.readonly"
    r = await client.get("/oauth/gmail/callback", params={"state": query["state"], "code": "good-code"},
                         allow_redirects=False)
    assert r.status == 303 and r.headers["Location"].startswith("/t/acme/gmail?m=Gmail")
    _, seen = google
    import base64
    sent = seen[-1]
    client_auth = sent.get("client_secret") or base64.b64decode(sent["authorization"].split()[-1]).decode()
    assert sent["code_verifier"] and "client-secret-1" in client_auth     # PKCE, and the client authenticated
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    secret = SecretStore(str(path), environ={}).gmail_secret("acme")
    assert secret.refresh_token == REFRESH and secret.client_id == "client-1.apps.example"
    assert GmailCheckpointStore(str(tmp_path / "gmail")).status("acme").status == "connected"
    page = await (await client.get("/t/acme/gmail?m=Gmail+connected")).text()
    assert "connected" in page and 'id="token-status">configured' in page
    trail = (tmp_path / "audit.jsonl").read_text()
    assert "token stored" in trail
    for text in (trail, caplog.text, page):
        assert REFRESH not in text and ACCESS not in text


async def test_a_callback_with_a_state_not_from_this_browser_stores_nothing(client, tmp_path):
    query = await start_consent(client)
    r = await client.get("/oauth/gmail/callback", params={"state": query["state"] + "x", "code": "good-code"})
    assert r.status == 400 and "does not match" in await r.text()
    client.session.cookie_jar.clear()            # signed out, no consent cookie
    r = await client.get("/oauth/gmail/callback", params={"state": query["state"], "code": "good-code"},
                         allow_redirects=False)
    assert r.status == 303 and r.headers["Location"].startswith("/login")
    assert not (tmp_path / "secrets.json").exists()


async def test_a_refused_consent_or_a_bad_code_stores_nothing(client, tmp_path):
    query = await start_consent(client)
    r = await client.get("/oauth/gmail/callback", params={"state": query["state"], "error": "access_denied"},
                         allow_redirects=False)
    assert r.status == 303 and "access_denied" in r.headers["Location"]
    query = await start_consent(client)
    r = await client.get("/oauth/gmail/callback", params={"state": query["state"], "code": "stolen-code"})
    assert r.status == 502 and "nothing was stored" in await r.text()
    assert not (tmp_path / "secrets.json").exists()


async def test_a_viewer_cannot_start_the_consent(aiohttp_client, tmp_path):
    c = await aiohttp_client(console_app(tmp_path, oauth_client={"web": {"client_id": "x", "client_secret": "y",
                                         "auth_uri": "https://a.example/auth", "token_uri": "https://a.example/t"}},
                                         secrets_file=str(tmp_path / "s.json")))
    page = await (await c.get("/login")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    await c.post("/login", data={"login": "vic", "password": PASSWORD, "csrf": token}, allow_redirects=False)
    page = await (await c.get("/t/acme/gmail")).text()
    assert "Connect Gmail" not in page
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = await c.post("/t/acme/gmail/connect", data={"csrf": token}, allow_redirects=False)
    assert r.status == 403
