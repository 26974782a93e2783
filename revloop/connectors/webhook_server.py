"""A small stdlib HTTP app for the two inbound endpoints Resend mail needs.

  GET  /unsubscribe?t=TOKEN   confirm page (no state change: link scanners GET links)
  POST /unsubscribe?t=TOKEN   RFC 8058 one-click (body "List-Unsubscribe=One-Click") or the
                              confirm page's form -> emit("email_outcome", unsubscribed)
  POST /webhooks/resend       svix-signed Resend webhook -> emit("email_outcome", ...) per event
  GET  /healthz               200 "ok"

Kafka stays out: ``emit(type_name, record)`` is the sink the caller wires to a
producer. If emit raises, the request answers 500 so Resend (svix) redelivers;
the event ids are deterministic, so a redelivery that did get through once is a
duplicate downstream.

``WebhookApp.handle`` is transport-free; ``start_server`` runs it on a
ThreadingHTTPServer in a background thread (127.0.0.1 and an ephemeral port by
default) and returns a handle with ``url`` and ``stop()``.
"""
from __future__ import annotations

import html
import logging
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

from revloop.connectors import resend_webhooks, unsubscribe
from revloop.connectors.resend_common import epoch_ms

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
                 clock: Callable[[], int] = epoch_ms):
        self._emit = emit
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
        try:
            for type_name, record in events:
                self._emit(type_name, record)
        except Exception:
            log.exception("resend webhook %s: emit failed", svix_id)
            return _text(500, "emit failed")
        return _text(200, f"ok {len(events)}")


class _Handler(BaseHTTPRequestHandler):
    app: WebhookApp  # set on the per-server subclass
    timeout = 15
    server_version = "revloop-hooks"
    sys_version = ""

    def _serve(self, method: str) -> None:
        length_header = self.headers.get("Content-Length")
        body = b""
        if method == "POST":
            try:
                length = int(length_header or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY:
                self._send(*_text(413, "body too large"))
                return
            body = self.rfile.read(length) if length else b""
        try:
            response = self.app.handle(method, self.path, dict(self.headers.items()), body)
        except Exception:
            log.exception("handler error")
            response = _text(500, "error")
        self._send(*response)

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def log_message(self, fmt: str, *args) -> None:
        # The query string holds unsubscribe tokens: log the path only.
        path = urlsplit(self.path).path if hasattr(self, "path") else "-"
        log.debug("%s %s %s", self.command if hasattr(self, "command") else "-", path,
                  args[1] if len(args) > 1 else "")


@dataclass
class RunningServer:
    server: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self, timeout: float = 5.0) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout)


def start_server(app: WebhookApp, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    handler = type("BoundHandler", (_Handler,), {"app": app})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="revloop-webhook-server", daemon=True)
    thread.start()
    return RunningServer(server, thread)
