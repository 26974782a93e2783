"""A small stdlib HTTP app for the two inbound endpoints Resend mail needs.

  GET  /unsubscribe?t=TOKEN   confirm page (no state change: link scanners GET links)
  POST /unsubscribe?t=TOKEN   RFC 8058 one-click (body "List-Unsubscribe=One-Click") or the
                              confirm page's form -> emit("email_outcome", unsubscribed)
  POST /webhooks/resend       svix-signed Resend webhook -> emit("email_outcome", ...) per event
  GET  /healthz               200 "ok"

Kafka stays out: ``emit(type_name, record)`` is the sink the caller wires to a
producer. If emit raises, the request answers 500 so Resend (svix) redelivers;
the event ids are deterministic, so a redelivery that did get through once is a
duplicate downstream. Before emitting, each event passes the same admission check
as import (tenant grammar, time bounds, storability: revloop.schemas.admission):
a payload that can never be stored answers 422, so the provider is not asked to
retry what can never succeed.

``WebhookApp.handle`` is transport-free. ``create_web_app`` serves it with
aiohttp.web (routes in one table, ``ROUTES``; the operator console adds its own
routes to the same application), behind ``Limits``: a deadline for a request's
headers (a connection that sends them too slowly is closed) and one for its body
(408), a body size cap (413), a cap on open connections and on requests in
progress (503). ``start_server`` runs it in a background thread and returns a
handle with ``url`` and ``stop()``.
"""
from __future__ import annotations

import asyncio
import html
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from revloop.connectors import resend_webhooks, unsubscribe
from revloop.connectors.resend_common import epoch_ms
from revloop.schemas.admission import DEFAULT_MAX_SKEW_MS, check_admissible
from revloop.schemas.codec import validate

log = logging.getLogger("revloop.connectors.webhook_server")

Emit = Callable[[str, dict], None]
Response = tuple[int, str, bytes]

MAX_BODY = 1 << 20


def _page(title: str, body_html: str) -> bytes:
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{body_html}</body></html>").encode()


def _text(status: int, text: str) -> Response:
    return status, "text/plain; charset=utf-8", text.encode()


class WebhookApp:
    def __init__(self, emit: Emit, *, unsubscribe_secret: bytes, webhook_secret: str | None,
                 clock: Callable[[], int] = epoch_ms, max_skew_ms: int = DEFAULT_MAX_SKEW_MS):
        self._emit = emit
        self._max_skew_ms = max_skew_ms
        self._unsub_secret = unsubscribe_secret
        self._webhook_secret = webhook_secret
        self._clock = clock

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        if parts.path == "/unsubscribe" and method in ("GET", "POST"):
            return self._unsubscribe(method, (query.get("t") or [""])[0])
        if parts.path == "/webhooks/resend" and method == "POST":
            return self._webhook(headers, body)
        if parts.path == "/healthz" and method == "GET":
            return _text(200, "ok")
        return _text(404 if method in ("GET", "POST") else 405, "not found")

    # -- unsubscribe -------------------------------------------------------------------------
    def _unsubscribe(self, method: str, token: str) -> Response:
        if not token:
            return 400, "text/html; charset=utf-8", _page("Invalid link", "<p>This unsubscribe link is incomplete.</p>")
        try:
            tenant_id, email = unsubscribe.verify_token(self._unsub_secret, token)
        except unsubscribe.TokenError:
            log.warning("unsubscribe refused: bad token")
            return 403, "text/html; charset=utf-8", _page("Invalid link", "<p>This unsubscribe link is not valid.</p>")
        if method == "GET":
            action = html.escape(f"/unsubscribe?t={token}", quote=True)
            form = (f"<p>Stop emails to <b>{html.escape(email)}</b>?</p>"
                    f"<form method=post action=\"{action}\">"
                    "<input type=hidden name=List-Unsubscribe value=One-Click>"
                    "<button type=submit>Unsubscribe</button></form>")
            return 200, "text/html; charset=utf-8", _page("Unsubscribe", form)
        event = unsubscribe.unsubscribed_event(tenant_id, email, at_ms=self._clock(), via="one-click")
        problem = self._inadmissible([("email_outcome", event)])
        if problem:
            log.warning("unsubscribe refused: %s", problem)
            return 422, "text/html; charset=utf-8", _page("Invalid link", "<p>This unsubscribe link is not valid.</p>")
        try:
            self._emit("email_outcome", event)
        except Exception:
            log.exception("unsubscribe: emit failed")
            return 500, "text/html; charset=utf-8", _page("Try again", "<p>Please try again shortly.</p>")
        log.info("unsubscribed one address for tenant %s", tenant_id)
        return 200, "text/html; charset=utf-8", _page("Unsubscribed", f"<p>{html.escape(email)} will receive no more emails.</p>")

    # -- resend webhooks ---------------------------------------------------------------------
    def _webhook(self, headers: Mapping[str, str], body: bytes) -> Response:
        if not self._webhook_secret:
            return _text(503, "webhooks not configured")
        try:
            svix_id, payload = resend_webhooks.verify(body, headers, self._webhook_secret)
        except resend_webhooks.WebhookRejected as exc:
            log.warning("resend webhook refused: %s", exc)
            return _text(401, "invalid signature")
        events = resend_webhooks.events_from_webhook(payload, svix_id, now_ms=self._clock())
        problem = self._inadmissible(events)
        if problem:
            # Never storable, so never worth a retry: a 4xx, not a 500.
            log.warning("resend webhook %s refused: %s", svix_id, problem)
            return _text(422, f"cannot be stored: {problem}")
        try:
            for type_name, record in events:
                self._emit(type_name, record)
        except Exception:
            log.exception("resend webhook %s: emit failed", svix_id)
            return _text(500, "emit failed")
        return _text(200, f"ok {len(events)}")


    def _inadmissible(self, events: list[tuple[str, dict]]) -> str | None:
        now = self._clock()
        for type_name, record in events:
            try:
                validate(type_name, record)
                check_admissible(type_name, record, now_ms=now, max_skew_ms=self._max_skew_ms)
            except ValueError as exc:
                return str(exc)
        return None


# ---- serving it: aiohttp.web ----------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    header_timeout_s: float = 10.0      # connection open (or idle after a response) -> headers complete
    body_timeout_s: float = 15.0        # headers complete -> body read
    max_body_bytes: int = MAX_BODY      # webhooks are small; Resend's are a few kB
    max_connections: int = 256          # open at once; more are closed at once
    max_in_flight: int = 32             # requests being handled at once; more get 503


@dataclass
class _Guard:
    limits: Limits
    open: int = 0
    closed_slow: int = 0                # connections closed by the header deadline
    refused_connections: int = 0
    in_flight: asyncio.Semaphore | None = None


GUARD = web.AppKey("revloop.guard", _Guard)


class _GuardedHandler(RequestHandler):
    """aiohttp's per-connection protocol, with a header deadline and a connection cap (aiohttp has
    neither: a client trickling header bytes would hold its connection for ever)."""
    guard: _Guard

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._deadline = None
        if self.guard.open >= self.guard.limits.max_connections:
            self.guard.refused_connections += 1
            self._counted = False
            transport.close()
            return
        self._counted = True
        self.guard.open += 1
        self.arm()

    def connection_lost(self, exc) -> None:
        self.disarm()
        if getattr(self, "_counted", False):
            self.guard.open -= 1
            self._counted = False
        super().connection_lost(exc)

    def arm(self) -> None:
        self.disarm()
        self._deadline = asyncio.get_running_loop().call_later(self.guard.limits.header_timeout_s, self._expire)

    def disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        self.guard.closed_slow += 1
        if self.transport is not None:
            self.transport.close()


def _text_response(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, headers={"Cache-Control": "no-store"})


def _to_web(response: Response) -> web.Response:
    status, content_type, payload = response
    mime, _, _ = content_type.partition(";")
    return web.Response(status=status, body=payload, content_type=mime, charset="utf-8",
                        headers={"Cache-Control": "no-store"})


def create_web_app(hooks: WebhookApp, limits: Limits = Limits()) -> web.Application:
    """The aiohttp application: ROUTES over ``hooks``, behind ``limits``. Serve it with
    ``serve`` / ``start_server`` so the connection-level limits apply too."""
    guard = _Guard(limits)
    executor = ThreadPoolExecutor(max_workers=limits.max_in_flight, thread_name_prefix="revloop-hooks")

    @web.middleware
    async def bounded(request: web.Request, handler):
        protocol = request.protocol
        if isinstance(protocol, _GuardedHandler):
            protocol.disarm()                    # headers are in: the body has its own deadline
        if guard.in_flight is None:
            guard.in_flight = asyncio.Semaphore(limits.max_in_flight)
        if guard.in_flight.locked():
            return web.Response(status=503, text="busy", headers={"Retry-After": "1"})
        try:
            async with guard.in_flight:
                return await handler(request)
        finally:
            if isinstance(protocol, _GuardedHandler) and protocol.transport is not None:
                protocol.arm()                   # the next request on this connection, or idle

    async def call_hooks(request: web.Request) -> web.Response:
        body = b""
        if request.method == "POST":
            try:
                body = await asyncio.wait_for(request.read(), limits.body_timeout_s)
            except asyncio.TimeoutError:
                return _text_response(408, "body too slow")
            except web.HTTPRequestEntityTooLarge:
                return _text_response(413, "body too large")
        loop = asyncio.get_running_loop()
        try:
            # emit may block (a producer flush): off the event loop.
            response = await loop.run_in_executor(executor, hooks.handle, request.method, request.path_qs,
                                                  dict(request.headers), body)
        except Exception:
            log.exception("handler error")
            return _text_response(500, "error")
        return _to_web(response)

    app = web.Application(middlewares=[bounded], client_max_size=limits.max_body_bytes)
    app[GUARD] = guard
    app.router.add_routes([web.route(method, path, call_hooks) for method, path in ROUTES])

    async def close_executor(_app) -> None:
        executor.shutdown(wait=False)
    app.on_cleanup.append(close_executor)
    return app


# Every public endpoint, in one table: (method, path). The console adds its own to the app.
ROUTES = (("GET", "/unsubscribe"), ("POST", "/unsubscribe"), ("POST", "/webhooks/resend"), ("GET", "/healthz"))


@dataclass
class Serving:
    runner: web.AppRunner
    listener: asyncio.AbstractServer
    port: int

    async def close(self) -> None:
        self.listener.close()
        await self.runner.cleanup()


async def serve(app: web.Application, host: str, port: int) -> Serving:
    """Listen on host:port (0: any free port) with the guarded protocol."""
    guard: _Guard = app[GUARD]
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=guard.limits.header_timeout_s)
    await runner.setup()
    handler_class = type("Guarded", (_GuardedHandler,), {"guard": guard})
    loop = asyncio.get_running_loop()
    server = runner.server

    def protocol():
        return handler_class(server, loop=loop, keepalive_timeout=guard.limits.header_timeout_s,
                             access_log=None)
    listener = await loop.create_server(protocol, host, port)
    return Serving(runner, listener, listener.sockets[0].getsockname()[1])


@dataclass
class RunningServer:
    host: str
    port: int
    loop: asyncio.AbstractEventLoop
    serving: Serving
    thread: threading.Thread
    app: web.Application

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def guard(self) -> _Guard:
        return self.app[GUARD]

    def stop(self, timeout: float = 5.0) -> None:
        asyncio.run_coroutine_threadsafe(self.serving.close(), self.loop).result(timeout)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout)


def start_server(hooks: WebhookApp | web.Application, host: str = "127.0.0.1", port: int = 0,
                 limits: Limits = Limits()) -> RunningServer:
    """Serve in a background thread with its own event loop (127.0.0.1 and a free port by default)."""
    app = hooks if isinstance(hooks, web.Application) else create_web_app(hooks, limits)
    loop = asyncio.new_event_loop()
    started: dict = {}
    ready = threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        try:
            started["serving"] = loop.run_until_complete(serve(app, host, port))
        except BaseException as exc:       # reported to the caller below
            started["error"] = exc
            ready.set()
            return
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="revloop-webhook-server", daemon=True)
    thread.start()
    ready.wait(30)
    if "error" in started:
        raise started["error"]
    return RunningServer(host, started["serving"].port, loop, started["serving"], thread, app)
