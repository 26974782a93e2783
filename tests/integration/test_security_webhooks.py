"""The public endpoints under attack: payloads that can never be stored, slow and crowded clients.

Attacks: a correctly signed Resend webhook for tenant '*' (once a 500 on every delivery, so the
provider retried for ever) or carrying what no store can hold; a client trickling its headers
or its body; more requests at once than the server should take.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time

import pytest
import requests

from revloop.connectors.resend_common import encode_tag_value
from revloop.connectors.webhook_server import Limits, start_server
from revloop.schemas.codec import Codec
from revloop.streams.kafka_io import producer, read_topic
from revloop.streams.web import create_app
from tests.support.outage_services import tally_attack

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
KEY = b"0123456789abcdef0123456789abcdef"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(KEY).decode()
UNSUB = b"unsubscribe-secret-0123456789abcdef"
CODEC = Codec()


def signed(body: bytes, svix_id: str) -> dict:
    ts = int(time.time())
    mac = hmac.new(KEY, f"{svix_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return {"svix-id": svix_id, "svix-timestamp": str(ts), "svix-signature": "v1," + base64.b64encode(mac).decode(),
            "Content-Type": "application/json"}


def webhook(tenant: str, *, created_at=None, to="jane@customer.example", kind="email.bounced") -> bytes:
    created_at = created_at or time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 60))
    return json.dumps({"type": kind, "created_at": created_at,
                       "data": {"email_id": "em_1", "to": [to], "tags": {"tenant_id": encode_tag_value(tenant)}}
                       }).encode()


@pytest.fixture
def server(kafka):
    app = create_app(kafka, producer(kafka), unsubscribe_secret=UNSUB, webhook_secret=WEBHOOK_SECRET,
                     limits=Limits(header_timeout_s=1.0, body_timeout_s=1.0, max_in_flight=2, max_body_bytes=64_000))
    running = start_server(app)
    yield running
    running.stop()


def outcomes(kafka):
    return [CODEC.decode(m.value())[1] for m in read_topic(kafka, kafka.topic("email.outcomes"))]


def test_attack_a_signed_webhook_that_can_never_be_stored_gets_a_4xx_not_a_500(server, kafka):
    payloads = {"tenant '*'": webhook("*"), "look-alike tenant": webhook("ACME_X"),
                "NUL in the recipient": webhook("acme", to="jane\u0000@customer.example"),
                "dated next year": webhook("acme", created_at="2099-01-01T00:00:00.000Z")}
    statuses = {}
    for n, (name, body) in enumerate(payloads.items()):
        resp = requests.post(server.url + "/webhooks/resend", data=body, headers=signed(body, f"msg_{n}"), timeout=5)
        statuses[name] = (resp.status_code, resp.text)
    assert all(status == 422 for status, _ in statuses.values()), statuses
    assert "cannot be stored" in statuses["tenant '*'"][1]
    good = webhook("acme")
    assert requests.post(server.url + "/webhooks/resend", data=good, headers=signed(good, "msg_ok"),
                         timeout=5).status_code == 200
    assert [o["event_id"] for o in outcomes(kafka)] == ["msg_ok"]
    tally_attack("signed webhook that can never be stored ('*', NUL, future)", tried=len(payloads),
                 refused=sum(s == 422 for s, _ in statuses.values()), written=len(outcomes(kafka)) - 1)


def test_attack_headers_trickled_slowly_are_cut_off_by_the_header_deadline(server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /webhooks/resend HTTP/1.1\r\nHost: x\r\n")
        closed_after = None
        for _ in range(40):                      # one header byte every 0.2 s, for up to 8 s
            try:
                s.sendall(b"X")
                if s.recv(1024, socket.MSG_DONTWAIT) == b"":
                    closed_after = time.monotonic() - started
                    break
            except BlockingIOError:
                pass
            except (ConnectionResetError, BrokenPipeError):
                closed_after = time.monotonic() - started
                break
            time.sleep(0.2)
    assert closed_after is not None and closed_after < 4.0, closed_after
    assert server.guard.closed_slow >= 1
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200    # the server is fine
    tally_attack("trickle request headers (slowloris)", tried=1, refused=1, written=0)


def test_attack_a_body_sent_too_slowly_gets_408_and_one_too_big_413(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /webhooks/resend HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        s.settimeout(5)
        reply = s.recv(1024)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:40]
    big = b"x" * 100_000
    assert requests.post(server.url + "/webhooks/resend", data=big, timeout=5).status_code == 413
    tally_attack("send a webhook body too slowly / too big", tried=2, refused=2, written=0)


def test_attack_more_requests_at_once_than_the_bound_get_503(server):
    # Two requests hold both slots (their bodies never finish within the deadline) ...
    holders = []
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        s.sendall(b"POST /webhooks/resend HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        holders.append(s)
    time.sleep(0.3)
    # ... so a third is turned away at once instead of queueing without bound.
    crowded = requests.get(server.url + "/healthz", timeout=5)
    for s in holders:
        s.close()
    assert crowded.status_code == 503 and crowded.headers.get("Retry-After") == "1"
    time.sleep(1.2)
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
    tally_attack("more concurrent requests than the bound", tried=1, refused=1, written=0)
