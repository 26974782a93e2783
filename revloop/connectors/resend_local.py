"""A local server in the Resend HTTP API's shape: what `make run` sends to, and what tests send to
through the real SDK.

Runs a ThreadingHTTPServer on 127.0.0.1 (ephemeral port unless one is given). Speaks the shape the
SDK expects: POST /emails -> 200 {"id": ...} as application/json; errors as
{"statusCode", "name", "message"}. Honours Idempotency-Key like Resend: the same
key answers the same id and records no second email (a different payload under
a used key -> 409 invalid_idempotent_request). Can be scripted to answer 429
(with retry-after) or 500 before behaving normally. Records every request with
its headers.
"""
from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: object

    def header(self, name: str) -> str | None:
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return None


@dataclass
class Scripted:
    status: int
    body: dict
    headers: dict[str, str] = field(default_factory=dict)


def rate_limited(retry_after: str | None = "1") -> Scripted:
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    return Scripted(429, {"statusCode": 429, "name": "rate_limit_exceeded",
                          "message": "Too many requests. You can only make 2 requests per second."}, headers)


def server_error(message: str = "Internal server error") -> Scripted:
    return Scripted(500, {"statusCode": 500, "name": "application_error", "message": message})


class LocalResend:
    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.requests: list[Recorded] = []
        self.emails: list[dict] = []          # accepted, distinct emails (what a recipient would get)
        self._script: deque[Scripted] = deque()
        self._by_key: dict[str, tuple[str, str]] = {}  # idempotency key -> (id, payload hash)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control -----------------------------------------------------------------------------
    def script(self, *responses: Scripted) -> None:
        with self._lock:
            self._script.extend(responses)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "LocalResend":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode(errors="replace")
                status, payload, headers = fake._answer(self.command, self.path, dict(self.headers.items()), body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="resend-local")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> "LocalResend":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the API -----------------------------------------------------------------------------
    def _answer(self, method: str, path: str, headers: dict[str, str], body: object) -> tuple[int, dict, dict]:
        rec = Recorded(method, path, headers, body)
        with self._lock:
            self.requests.append(rec)
            if method != "POST" or path.rstrip("/") != "/emails":
                return 404, {"statusCode": 404, "name": "not_found", "message": "Not found"}, {}
            auth = rec.header("Authorization") or ""
            if not auth.startswith("Bearer ") or auth == "Bearer None":
                return 401, {"statusCode": 401, "name": "missing_api_key", "message": "Missing API key"}, {}
            if self._script:
                s = self._script.popleft()
                return s.status, s.body, s.headers
            key = rec.header("Idempotency-Key")
            digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
            if key and key in self._by_key:
                email_id, seen_digest = self._by_key[key]
                if seen_digest != digest:
                    return 409, {"statusCode": 409, "name": "invalid_idempotent_request",
                                 "message": "Same idempotency key used with a different request payload."}, {}
                return 200, {"id": email_id}, {}
            email_id = str(uuid.uuid4())
            if key:
                self._by_key[key] = (email_id, digest)
            self.emails.append({"id": email_id, **(body if isinstance(body, dict) else {})})
            return 200, {"id": email_id}, {}
