"""The console's web application: `create_app(settings, store, producer)`.

    store     a read-only projection reader (revloop.projections.reader)
    producer  an EventSink: every write a person makes is one event through it

Routes are one table (ROUTES) of (method, path, handler, role): the role a signed-in user
needs. Handlers are thin: they read the request, call a plain query function (queries.py)
or build an event (forms.py, cards.py), and render a template. Around them, in order:
security headers and error pages (no tracebacks reach a browser), the session (a signed
cookie; expired or forged: signed out), the role and the tenant in the URL (a user sees
only the tenants they are given), and CSRF on every POST.
"""
from __future__ import annotations

import asyncio
import collections
import datetime as dt
import functools
import logging
import os
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import jinja2
from aiohttp import web

from revloop.console import charts, forms, queries
from revloop.console.passwords import verify_password
from revloop.console.ratelimit import LoginLimiter
from revloop.console.sessions import LOGIN_COOKIE, SESSION_COOKIE, BadCookie, Expired, Signer
from revloop.console.sink import AuditTrail
from revloop.console.users import DirectoryUsers, FileUsers, User
from revloop.processors.controls import GLOBAL
from revloop.schemas.codec import EventValidationError

log = logging.getLogger("revloop.console")

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_FORM_BYTES = 64 * 1024
BROKER_WAIT_S = 2.0     # how long the overview waits for a figure the broker gives (then "unknown")

CONFIG = web.AppKey("config", object)
SETTINGS, STORE, SINK, HEALTH = (web.AppKey(n, object) for n in ("settings", "store", "sink", "health"))
SIGNER, LIMITER, AUDIT, RECENT = (web.AppKey(n, object) for n in ("signer", "limiter", "audit", "recent"))
JINJA, CSS = web.AppKey("jinja", object), web.AppKey("css", str)
USER, SESSION, EXPIRED, FORM = (web.RequestKey(n, object) for n in ("user", "session", "session_expired", "form"))


@dataclass
class ConsoleConfig:
    """What the app needs besides the store and the sink (from Settings.console)."""
    users: object                       # FileUsers or anything with get(login) -> User | None
    session_key: bytes = field(repr=False, default=b"")
    session_minutes: int = 480
    secure_cookies: bool = False
    audit_path: str | None = None
    public_url: str | None = None       # where Google sends the OAuth consent back to
    oauth_client: dict | None = field(repr=False, default=None)   # google-auth-oauthlib client config
    secrets_file: str | None = None
    gmail_state_dir: str | None = None
    clock: object = time.time           # seconds; tests pass their own

    @classmethod
    def from_settings(cls, settings) -> "ConsoleConfig":
        c = settings.console
        key = c.session_key or os.urandom(32)   # no key configured: sessions end with the process
        oauth = None
        if c.gmail_client_id and c.gmail_client_secret:
            oauth = {"web": {"client_id": c.gmail_client_id, "client_secret": c.gmail_client_secret,
                             "auth_uri": c.gmail_auth_uri, "token_uri": c.gmail_token_uri}}
        return cls(users=FileUsers(c.users_file), session_key=key, session_minutes=c.session_minutes,
                   secure_cookies=c.secure_cookies, audit_path=c.audit_file, public_url=c.public_url,
                   oauth_client=oauth, secrets_file=c.secrets_file, gmail_state_dir=c.gmail_state_dir)


# ---- rendering ------------------------------------------------------------------------------

def _fmt_time(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        value = dt.datetime.fromtimestamp(value / 1000, dt.timezone.utc)
    return value.strftime("%Y-%m-%d %H:%M")


def _money(cents) -> str:
    return "-" if cents is None else f"${cents / 100:,.2f}"


def _pct(value) -> str:
    return "-" if value is None else f"{float(value):.1%}"


def _with_param(query: dict, name: str, value) -> str:
    """This page's query string with one parameter changed (a pager's link keeps the rest)."""
    return "?" + urlencode({**query, name: value})


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(HERE, "templates")),
                             autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(time=_fmt_time, money=_money, pct=_pct, describe_control=forms.describe_control)
    env.globals.update(with_param=_with_param)
    return env


NAV = (("overview", "Overview"), ("cards", "Cards"), ("backlog", "Backlog"), ("contacts", "Contacts"),
       ("orders", "Orders"), ("engines", "Deals, bids, feedback, vendors"), ("runs", "Runs"),
       ("controls", "Controls"), ("gmail", "Gmail"))


def render(request: web.Request, template: str, *, status: int = 200, **ctx) -> web.Response:
    app = request.app
    user = request.get(USER)
    session = request.get(SESSION)
    body = app[JINJA].get_template(template).render(
        user=user, tenant=request.match_info.get("tenant"), nav=NAV, page=ctx.pop("page", template.split(".")[0]),
        csrf=ctx.pop("login_csrf", None) or (app[SIGNER].csrf_token(session.sid) if session else ""),
        refresh=ctx.pop("refresh", None), **ctx)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def error_page(request: web.Request, status: int, title: str, message: str) -> web.Response:
    return render(request, "error.html", status=status, title=title, message=message, page="error")


# ---- middlewares ----------------------------------------------------------------------------

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self' https://accounts.google.com; "
       "frame-ancestors 'none'; base-uri 'none'")


@web.middleware
async def headers_and_errors(request: web.Request, handler):
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status >= 400 and exc.content_type != "text/html":
            response = error_page(request, exc.status, exc.reason, exc.text or exc.reason)
        else:
            raise
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        response = error_page(request, 500, "Something went wrong", "The console could not show this page. "
                              "The error is in the console's log.")
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _now(request) -> int:
    return int(request.app[CONFIG].clock())


@web.middleware
async def session_middleware(request: web.Request, handler):
    """Attach the signed-in user (request['user']) when the session cookie is good."""
    request[USER] = request[SESSION] = None
    request[EXPIRED] = False
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            session = request.app[SIGNER].session(cookie, _now(request))
            user = await in_thread(request.app[CONFIG].users.get, session.user)
            if user is not None:
                request[USER], request[SESSION] = user, session
        except Expired:
            request[EXPIRED] = True
        except BadCookie:
            pass
    return await handler(request)


def guarded(handler, role: str | None):
    """The route's rules: signed in with at least `role`, holding the URL's tenant, and on a
    POST a CSRF token of this session. Anything else: a clear page, nothing done."""
    if role is None:
        return handler

    @functools.wraps(handler)
    async def wrapper(request: web.Request):
        user: User | None = request[USER]
        if user is None:
            if request.method == "GET":
                query = {"next": request.path_qs}
                if request[EXPIRED]:
                    query["expired"] = "1"
                raise web.HTTPSeeOther("/login?" + urlencode(query))
            why = "Your session has expired" if request[EXPIRED] else "You are not signed in"
            return error_page(request, 401, "Sign in again", f"{why}: nothing was changed. Sign in and try again.")
        tenant = request.match_info.get("tenant")
        if tenant is not None and not user.holds(tenant):
            _audit_refusal(request, tenant, "open tenant")
            return error_page(request, 403, "Not your tenant",
                              f"You do not have access to tenant {tenant!r}. Ask an admin to add it to your account.")
        if request.method == "POST":
            form = await read_form(request)
            if not request.app[SIGNER].csrf_ok(request[SESSION].sid, form.get("csrf")):
                _audit_refusal(request, tenant or GLOBAL, "csrf")
                return error_page(request, 403, "Form expired",
                                  "This form's security token is missing or not from your session: nothing was "
                                  "changed. Reload the page and submit again.")
        if not user.can(role):
            _audit_refusal(request, tenant or GLOBAL, f"needs {role}")
            return error_page(request, 403, "Not allowed",
                              f"Your role ({user.role}) cannot do this; it needs {role}.")
        return await handler(request)
    return wrapper


def _audit_refusal(request, tenant: str, what: str) -> None:
    user = request[USER]
    if request.method == "POST" or what == "open tenant":
        request.app[AUDIT].record(user=user.login if user else "-", tenant=tenant,
                                    action=f"{request.method} {request.path}", outcome=f"refused: {what}",
                                    address=request.remote or "")


async def read_form(request: web.Request) -> dict:
    if FORM not in request:
        if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_FORM_BYTES, actual_size=request.content_length)
        data = await request.post()
        request[FORM] = {k: v for k, v in data.items() if isinstance(v, str)}
    return request[FORM]


async def in_thread(fn, *args, **kwargs):
    return await asyncio.to_thread(fn, *args, **kwargs)


# ---- sign in and out ------------------------------------------------------------------------

def _set_cookie(request, response, name, value, max_age):
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax", path="/",
                        secure=request.app[CONFIG].secure_cookies)


def _safe_next(value: str | None) -> str:
    # Only a path on this site: never an absolute URL an attacker chose.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


async def login_page(request: web.Request, *, message: str | None = None, status: int = 200,
                     login: str = "") -> web.Response:
    nonce, cookie = request.app[SIGNER].new_login_nonce(_now(request))
    if message is None and request.query.get("expired"):
        message = "Your session expired: sign in again."
    response = render(request, "login.html", status=status, message=message, login=login,
                      next=_safe_next(request.query.get("next")),
                      login_csrf=request.app[SIGNER].csrf_token(nonce), page="login")
    _set_cookie(request, response, LOGIN_COOKIE, cookie, 900)
    return response


async def login_submit(request: web.Request) -> web.Response:
    app, now = request.app, _now(request)
    form = await read_form(request)
    login = str(form.get("login", "")).strip()[:128]
    address = request.remote or "-"
    try:
        nonce = app[SIGNER].unsign(request.cookies.get(LOGIN_COOKIE), now)["sid"]
    except (BadCookie, KeyError):
        nonce = None
    if nonce is None or not app[SIGNER].csrf_ok(str(nonce), form.get("csrf")):
        return await login_page(request, message="The sign-in form expired: try again.", status=403, login=login)
    limiter: LoginLimiter = app[LIMITER]
    if limiter.blocked(login, address, time.monotonic()):
        app[AUDIT].record(user=login or "-", tenant="-", action="sign in", outcome="refused: rate limit",
                            address=address)
        return await login_page(request, message="Too many failed sign-ins: wait a few minutes and try again.",
                                status=429, login=login)
    user = await in_thread(app[CONFIG].users.get, login)
    ok = await in_thread(verify_password, str(form.get("password", "")), user.password_hash if user else None)
    if not ok or user is None:
        limiter.failed(login, address, time.monotonic())
        app[AUDIT].record(user=login or "-", tenant="-", action="sign in", outcome="refused: wrong password",
                            address=address)
        return await login_page(request, message="Wrong user name or password.", status=401, login=login)
    limiter.succeeded(login)
    app[AUDIT].record(user=user.login, tenant="-", action="sign in", outcome="ok", address=address)
    _, cookie = app[SIGNER].new_session(user.login, now, app[CONFIG].session_minutes * 60)
    target = _safe_next(form.get("next"))
    if target == "/" and user.tenants:
        target = f"/t/{quote(user.tenants[0], safe='')}/"
    response = web.HTTPSeeOther(target)
    _set_cookie(request, response, SESSION_COOKIE, cookie, app[CONFIG].session_minutes * 60)
    response.del_cookie(LOGIN_COOKIE, path="/")
    raise response


async def logout(request: web.Request) -> web.Response:
    response = web.HTTPSeeOther("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


async def home(request: web.Request) -> web.Response:
    user = request[USER]
    if user.tenants:
        raise web.HTTPSeeOther(f"/t/{quote(user.tenants[0], safe='')}/")
    return render(request, "error.html", title="No tenants", message="Your account holds no tenant yet.",
                  page="error")


# ---- pages ----------------------------------------------------------------------------------

def _reader(request):
    return request.app[STORE]


def _pending(request, tenant: str, kinds: tuple[str, ...]) -> list[dict]:
    return [w for w in request.app[RECENT][tenant] if w["type"] in kinds]


async def _with_status(request, tenant: str, writes: list[dict]) -> list[dict]:
    done = await in_thread(queries.applied, _reader(request), tenant, [w["event_id"] for w in writes])
    return [{**w, "applied": w["event_id"] in done} for w in writes]


async def _broker_figure(fn, *args):
    """A figure read from the broker, if it comes within BROKER_WAIT_S, else None ("unknown"): a
    broker that is slow or away (an outage, when an operator looks) must not hold the page for
    its 5-10 s timeouts. The question goes on, and its answer is cached for the next view."""
    asking = asyncio.ensure_future(in_thread(fn, *args))
    try:
        return await asyncio.wait_for(asyncio.shield(asking), BROKER_WAIT_S)
    except asyncio.TimeoutError:
        return None


async def overview(request: web.Request) -> web.Response:
    t = request.match_info["tenant"]
    data = await in_thread(queries.overview, _reader(request), t)
    health = request.app[HEALTH]
    since = int((queries.business_now(data["as_of"]) - queries.DAY).timestamp() * 1000)
    dead, lag = await asyncio.gather(_broker_figure(health.dead_letters_since, t, since),
                                     _broker_figure(health.worker_lag)) if health else (None, None)
    mailbox = await in_thread(health.mailbox, t) if health else None
    chart = charts.compliance_chart([(t, h, v) for h, v in data["compliance"]])
    return render(request, "overview.html", data=data, chart=chart, dead_letters=dead, mailbox=mailbox, worker_lag=lag)


async def backlog(request: web.Request) -> web.Response:
    t = request.match_info["tenant"]
    return render(request, "backlog.html", data=await in_thread(queries.backlog, _reader(request), t))


def _page_no(request, name: str = "page") -> int:
    try:
        return max(0, min(int(request.query.get(name, "0")), 100_000))
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name}: want a whole number") from None


async def contacts(request: web.Request) -> web.Response:
    t = request.match_info["tenant"]
    search = request.query.get("q", "").strip()[:100]
    after, before = request.query.get("after") or None, request.query.get("before") or None
    try:
        data = await in_thread(queries.contacts, _reader(request), t, search=search, page=_page_no(request),
                               after=after, before=before)
    except queries.BadCursor as exc:
        raise web.HTTPBadRequest(text=f"after/before: {exc}") from None
    return render(request, "contacts.html", data=data)


async def orders(request: web.Request) -> web.Response:
    t = request.match_info["tenant"]
    return render(request, "orders.html", data=await in_thread(queries.open_exceptions, _reader(request), t))


async def engines(request: web.Request) -> web.Response:
    t = request.match_info["tenant"]
    pages = {name: _page_no(request, name) for name in queries.ENGINE_TABLES}
    return render(request, "engines.html", data=await in_thread(queries.engines, _reader(request), t, pages=pages),
                  query=dict(request.query))


async def runs(request: web.Request) -> web.Response:
    t = request.match_info["tenant"]
    return render(request, "runs.html", data=await in_thread(queries.runs, _reader(request), t, page=_page_no(request)))


# ---- controls -------------------------------------------------------------------------------

async def controls(request: web.Request, *, error: str | None = None, status: int = 200,
                   form: dict | None = None) -> web.Response:
    t = request.match_info.get("tenant") or GLOBAL
    reader = _reader(request)
    now = await in_thread(queries.controls_now, reader, t)
    history = await in_thread(queries.control_history, reader, t)
    pending = await _with_status(request, t, _pending(request, t, ("control",)))
    pending = [p for p in pending if not p["applied"]]
    return render(request, "controls.html", status=status, now=now, history=history, pending=pending,
                  error=error, form=form or {}, scope=t, send_modes=forms.SEND_MODES,
                  refresh=3 if pending else None, page="controls")


async def controls_submit(request: web.Request) -> web.Response:
    t = request.match_info.get("tenant") or GLOBAL
    form = await read_form(request)
    user: User = request[USER]
    what = form.get("what")
    try:
        if what == "kill_switch":
            event = forms.kill_switch_event(t, form, now_ms=int(_now(request) * 1000), actor=user.login)
        elif what == "settings":
            event = forms.settings_event(t, form, now_ms=int(_now(request) * 1000), actor=user.login)
        else:
            raise forms.FormError("what: want kill_switch or settings")
    except forms.FormError as exc:
        request.app[AUDIT].record(user=user.login, tenant=t, action="control", outcome=f"refused: {exc}",
                                    address=request.remote or "")
        return await controls(request, error=str(exc), status=400, form=form)
    return await _emit(request, t, "control", event, forms.describe_control(event), f"{request.path}")


async def _emit(request, tenant: str, type_name: str, event: dict, summary: str, back: str) -> web.Response:
    user: User = request[USER]
    reason = forms.reason_of(request[FORM]) if request[FORM].get("reason") else None
    try:
        await in_thread(request.app[SINK].emit, type_name, event)
    except EventValidationError as exc:
        request.app[AUDIT].record(user=user.login, tenant=tenant, action=type_name, outcome=f"refused: {exc}",
                                  address=request.remote or "", event_id=event["event_id"])
        return error_page(request, 400, "Not accepted", f"{exc}: nothing was changed.")
    except Exception as exc:
        log.warning("emit %s failed: %s", type_name, exc)
        request.app[AUDIT].record(user=user.login, tenant=tenant, action=type_name, outcome="failed: not delivered",
                                    address=request.remote or "", event_id=event["event_id"])
        return error_page(request, 503, "Not sent", "The change could not be put on the log (the broker did not "
                          "answer): nothing was changed. Try again in a moment.")
    request.app[AUDIT].record(user=user.login, tenant=tenant, action=type_name, outcome="sent",
                                address=request.remote or "", event_id=event["event_id"],
                                detail=summary + (f" (reason: {reason})" if reason else ""))
    request.app[RECENT][tenant].appendleft({"event_id": event["event_id"], "type": type_name, "summary": summary,
                                              "user": user.login, "reason": reason,
                                              "at": event["occurred_at"], "event": event})
    raise web.HTTPSeeOther(back)


# ---- the app --------------------------------------------------------------------------------

async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def stylesheet(request: web.Request) -> web.Response:
    return web.Response(text=request.app[CSS], content_type="text/css",
                        headers={"Cache-Control": "max-age=300"})


ROUTES: list[tuple[str, str, object, str | None]] = [
    ("GET", "/healthz", healthz, None),
    ("GET", "/static/console.css", stylesheet, None),
    ("GET", "/login", login_page, None),
    ("POST", "/login", login_submit, None),
    ("POST", "/logout", logout, "viewer"),
    ("GET", "/", home, "viewer"),
    ("GET", "/t/{tenant}/", overview, "viewer"),
    ("GET", "/t/{tenant}/backlog", backlog, "viewer"),
    ("GET", "/t/{tenant}/contacts", contacts, "viewer"),
    ("GET", "/t/{tenant}/orders", orders, "viewer"),
    ("GET", "/t/{tenant}/engines", engines, "viewer"),
    ("GET", "/t/{tenant}/runs", runs, "viewer"),
    ("GET", "/t/{tenant}/controls", controls, "viewer"),
    ("POST", "/t/{tenant}/controls", controls_submit, "operator"),
    ("GET", "/global/controls", controls, "admin"),
    ("POST", "/global/controls", controls_submit, "admin"),
]


def _wrapped(handler, role):
    """A route's handler inside the console's own middleware (headers and error pages, the
    session, the route's rules), applied per route so the console's routes can join an
    application that serves other things too (the public webhooks) without touching them."""
    inner = guarded(handler, role)

    async def with_session(request):
        return await session_middleware(request, inner)

    @functools.wraps(handler)
    async def route(request):
        return await headers_and_errors(request, with_session)
    return route


def add_console(app: web.Application, settings, store, producer, *, config: ConsoleConfig | None = None,
                health=None) -> web.Application:
    """Add the console's routes and state to `app` (its own, or the public web app of
    revloop.streams.web, so one server serves both). A path the app already routes
    (/healthz) stays the app's."""
    from revloop.console import cards, gmail_connect

    config = config or ConsoleConfig.from_settings(settings)
    if isinstance(config.users, FileUsers):
        # Directory-backed logins take their name, role and tenants from the people projection.
        config.users = DirectoryUsers(config.users, store)
    app[CONFIG] = config
    app[SETTINGS], app[STORE], app[SINK], app[HEALTH] = settings, store, producer, health
    app[SIGNER] = Signer(config.session_key)
    app[LIMITER] = LoginLimiter()
    app[AUDIT] = AuditTrail(config.audit_path)
    app[RECENT] = collections.defaultdict(lambda: collections.deque(maxlen=50))
    app[JINJA] = _environment()
    with open(os.path.join(HERE, "static", "console.css"), encoding="utf-8") as fh:
        app[CSS] = fh.read() + charts.CHART_CSS
    taken = {(r.method, r.resource.canonical) for r in app.router.routes() if r.resource is not None}
    for method, path, handler, role in ROUTES + cards.ROUTES + gmail_connect.ROUTES:
        if (method, path) not in taken:
            app.router.add_route(method, path, _wrapped(handler, role))
    return app


def create_app(settings, store, producer, *, config: ConsoleConfig | None = None, health=None) -> web.Application:
    """The console over `store` (a ProjectionReader), writing through `producer` (an EventSink)."""
    app = web.Application(client_max_size=MAX_FORM_BYTES)
    return add_console(app, settings, store, producer, config=config, health=health)
