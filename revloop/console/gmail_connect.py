"""Connect a tenant's Gmail mailbox: Google's OAuth consent flow, back to the console.

    GET  /t/{tenant}/gmail           the mailbox's connection status (Gmail connector's state)
    POST /t/{tenant}/gmail/connect   (operator) redirect to Google's consent page
    GET  /oauth/gmail/callback       Google sends the person back with a code: exchange it
                                     (google-auth-oauthlib), store the token with the secret
                                     store (0600 file, never an event or a log line)

The `state` Google echoes back is a random nonce; what it stands for (tenant, user, PKCE
code verifier, expiry) stays in a signed, HTTP-only cookie, so a callback that did not
start in this browser, for this user, in the last ten minutes is refused.
"""
from __future__ import annotations

import json
import logging
import os

from aiohttp import web

from revloop.connectors.secrets import GMAIL_READONLY_SCOPE, save_gmail_token
from revloop.console.app import AUDIT, CONFIG, HEALTH, SIGNER, USER, _now, _set_cookie, error_page, in_thread, render
from revloop.console.sessions import BadCookie

log = logging.getLogger("revloop.console.gmail")
OAUTH_COOKIE = "revloop_oauth"
CALLBACK = "/oauth/gmail/callback"


def _redirect_uri(request: web.Request) -> str:
    base = request.app[CONFIG].public_url or f"{request.scheme}://{request.host}"
    return base.rstrip("/") + CALLBACK


def _flow(request, **kwargs):
    from google_auth_oauthlib.flow import Flow

    return Flow.from_client_config(request.app[CONFIG].oauth_client, scopes=[GMAIL_READONLY_SCOPE],
                                   redirect_uri=_redirect_uri(request), **kwargs)


async def gmail_page(request: web.Request, *, message: str | None = None, status: int = 200) -> web.Response:
    t = request.match_info["tenant"]
    health = request.app[HEALTH]
    mailbox = await in_thread(health.mailbox, t) if health else None
    return render(request, "gmail.html", status=status, mailbox=mailbox, message=message or request.query.get("m"),
                  oauth_ready=request.app[CONFIG].oauth_client is not None and bool(request.app[CONFIG].secrets_file),
                  page="gmail")


async def connect(request: web.Request) -> web.Response:
    t = request.match_info["tenant"]
    config = request.app[CONFIG]
    if config.oauth_client is None or not config.secrets_file:
        return await gmail_page(request, status=400, message="Gmail is not set up on this console: set "
                                "REVLOOP_GMAIL_CLIENT_ID, REVLOOP_GMAIL_CLIENT_SECRET and REVLOOP_SECRETS_FILE.")
    nonce = os.urandom(16).hex()
    flow = _flow(request)
    url, _ = flow.authorization_url(access_type="offline", prompt="consent", state=nonce)
    cookie = request.app[SIGNER].sign({"sid": nonce, "t": t, "u": request[USER].login, "cv": flow.code_verifier,
                                         "exp": _now(request) + 600})
    request.app[AUDIT].record(user=request[USER].login, tenant=t, action="gmail connect", outcome="consent started",
                                address=request.remote or "")
    response = web.HTTPSeeOther(url)
    _set_cookie(request, response, OAUTH_COOKIE, cookie, 600)
    raise response


async def callback(request: web.Request) -> web.Response:
    user = request[USER]
    try:
        pending = request.app[SIGNER].unsign(request.cookies.get(OAUTH_COOKIE), _now(request))
    except BadCookie:
        return error_page(request, 400, "Gmail not connected", "This consent did not start here, or took longer "
                          "than ten minutes: start again from the Gmail page.")
    t = pending.get("t")
    if request.query.get("state") != pending.get("sid") or pending.get("u") != user.login or not user.holds(t):
        return error_page(request, 400, "Gmail not connected", "The consent's state does not match this session: "
                          "nothing was stored. Start again from the Gmail page.")
    if request.query.get("error"):
        request.app[AUDIT].record(user=user.login, tenant=t, action="gmail connect",
                                    outcome=f"refused by Google: {request.query['error'][:60]}",
                                    address=request.remote or "")
        raise web.HTTPSeeOther(f"/t/{t}/gmail?m=" + "Google did not grant access: " + request.query["error"][:60])
    code = request.query.get("code")
    if not code:
        return error_page(request, 400, "Gmail not connected", "Google's answer carried no code.")
    flow = _flow(request, state=pending["sid"])
    flow.code_verifier = pending.get("cv")
    try:
        await in_thread(flow.fetch_token, code=code)
    except Exception as exc:      # the provider's message can quote the request: log the class only
        log.warning("gmail token exchange failed for tenant %s: %s", t, type(exc).__name__)
        return error_page(request, 502, "Gmail not connected", "Google refused the code exchange "
                          f"({type(exc).__name__}): nothing was stored. Start again from the Gmail page.")
    token = json.loads(flow.credentials.to_json())
    await in_thread(save_gmail_token, request.app[CONFIG].secrets_file, t, token)
    await in_thread(_mark_connected, request.app[CONFIG].gmail_state_dir, t)
    if request.app[HEALTH]:
        request.app[HEALTH].forget(t)
    request.app[AUDIT].record(user=user.login, tenant=t, action="gmail connect", outcome="token stored",
                                address=request.remote or "")
    response = web.HTTPSeeOther(f"/t/{t}/gmail?m=Gmail+connected")
    response.del_cookie(OAUTH_COOKIE, path="/")
    raise response


def _mark_connected(state_dir, tenant_id: str) -> None:
    from revloop.connectors.gmail_checkpoint import CONNECTED, GmailCheckpointStore

    GmailCheckpointStore(state_dir).set_status(tenant_id, CONNECTED)


ROUTES = [
    ("GET", "/t/{tenant}/gmail", gmail_page, "viewer"),
    ("POST", "/t/{tenant}/gmail/connect", connect, "operator"),
    ("GET", CALLBACK, callback, "operator"),
]
