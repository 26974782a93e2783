"""The inbound endpoints: svix-signed Resend webhooks and one-click unsubscribe, over real HTTP on loopback."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
import requests

from revloop.connectors import unsubscribe
from revloop.connectors.resend_common import encode_tag_value
from revloop.connectors.webhook_server import WebhookApp, start_server
from revloop.schemas.codec import validate

pytestmark = pytest.mark.timeout(60)

SECRET_BYTES = b"0123456789abcdef0123456789abcdef"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(SECRET_BYTES).decode()
UNSUB_SECRET = b"unsubscribe-test-secret-0123456789"
NOW_MS = 1_767_261_660_000   # 2026-01-01T10:01Z: just after the webhooks below were created
ACTION_ID = "ab" * 32


def sign(svix_id: str, ts: int, body: bytes, key: bytes = SECRET_BYTES) -> str:
    """The documented svix scheme, written out independently of the SDK."""
    mac = hmac.new(key, f"{svix_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def webhook_body(kind: str, *, to=("jane@customer.example",), tenant="acme", **data) -> bytes:
    tags = {"action_id": ACTION_ID}
    if tenant is not None:
        tags["tenant_id"] = encode_tag_value(tenant)
    return json.dumps({
        "type": kind, "created_at": "2026-01-01T10:00:00.000Z",
        "data": {"created_at": "2026-01-01T09:59:00.000Z", "email_id": "em_123", "from": "agent@ourfirm.example",
                 "to": list(to), "subject": "Checking in", "tags": tags, **data},
    }).encode()


@pytest.fixture
def hooks():
    emitted: list[tuple[str, dict]] = []
    server = start_server(WebhookApp(lambda t, r: emitted.append((t, r)), unsubscribe_secret=UNSUB_SECRET,
                                     webhook_secret=WEBHOOK_SECRET, clock=lambda: NOW_MS))
    server.emitted = emitted
    yield server
    server.stop()


def post_webhook(server, body: bytes, *, svix_id="msg_1", ts=None, signature=None, headers=None):
    ts = int(time.time()) if ts is None else ts
    h = {"svix-id": svix_id, "svix-timestamp": str(ts), "svix-signature": signature or sign(svix_id, ts, body),
         "Content-Type": "application/json"}
    if headers is not None:
        h = headers
    return requests.post(server.url + "/webhooks/resend", data=body, headers=h, timeout=5)


# -- signatures ----------------------------------------------------------------------------------
def test_webhook_with_a_valid_signature_is_accepted_and_emits_an_outcome(hooks):
    resp = post_webhook(hooks, webhook_body("email.delivered"))
    assert resp.status_code == 200
    [(t, e)] = hooks.emitted
    validate(t, e)
    assert e == {"event_id": "msg_1", "tenant_id": "acme", "occurred_at": 1767261600000, "outcome": "delivered",
                 "recipient": "jane@customer.example", "action_id": ACTION_ID, "provider_message_id": "em_123",
                 "bounce_type": None, "detail": None}


def test_webhook_with_a_bad_signature_is_refused_and_emits_nothing(hooks):
    body = webhook_body("email.complained")
    forged = sign("msg_1", int(time.time()), body, key=b"not-the-secret-not-the-secret-00")
    assert post_webhook(hooks, body, signature=forged).status_code == 401
    tampered = webhook_body("email.complained", to=("someone@else.example",))
    assert post_webhook(hooks, tampered, signature=sign("msg_1", int(time.time()), body)).status_code == 401
    assert hooks.emitted == []


def test_webhook_with_a_stale_timestamp_is_refused(hooks):
    body = webhook_body("email.bounced")
    assert post_webhook(hooks, body, ts=int(time.time()) - 600).status_code == 401
    assert hooks.emitted == []


def test_webhook_without_svix_headers_is_refused(hooks):
    assert post_webhook(hooks, webhook_body("email.delivered"), headers={"Content-Type": "application/json"}).status_code == 401
    assert hooks.emitted == []


def test_a_signature_list_with_one_valid_entry_is_accepted(hooks):
    body = webhook_body("email.opened")
    ts = int(time.time())
    sigs = "v1,AAAA " + sign("msg_1", ts, body)
    assert post_webhook(hooks, body, ts=ts, signature=sigs).status_code == 200
    assert [e["outcome"] for _, e in hooks.emitted] == ["opened"]


# -- mapping -------------------------------------------------------------------------------------
@pytest.mark.parametrize("bounce,expected", [({"type": "Permanent", "subType": "General", "message": "no such user"}, "hard"),
                                             ({"type": "Transient", "subType": "MailboxFull", "message": "full"}, "soft"),
                                             (None, "undetermined")])
def test_bounce_type_maps_permanent_to_hard_and_transient_to_soft(hooks, bounce, expected):
    extra = {"bounce": bounce} if bounce else {}
    assert post_webhook(hooks, webhook_body("email.bounced", **extra)).status_code == 200
    [(t, e)] = hooks.emitted
    validate(t, e)
    assert (e["outcome"], e["bounce_type"]) == ("bounced", expected)


def test_a_redelivered_webhook_yields_the_same_event_id(hooks):
    body = webhook_body("email.clicked", click={"link": "https://ourfirm.example/x", "ipAddress": "1.2.3.4",
                                                "timestamp": "2026-01-01T10:00:00Z", "userAgent": "UA"})
    post_webhook(hooks, body, svix_id="msg_7")
    post_webhook(hooks, body, svix_id="msg_7")
    assert [e["event_id"] for _, e in hooks.emitted] == ["msg_7", "msg_7"]
    assert hooks.emitted[0][1]["detail"] == "https://ourfirm.example/x"


def test_failed_and_complained_map_and_tenant_tags_decode(hooks):
    post_webhook(hooks, webhook_body("email.failed", tenant="acme.eu_1", failed={"reason": "reached_daily_quota"}),
                 svix_id="m1")
    post_webhook(hooks, webhook_body("email.complained"), svix_id="m2")
    got = [(e["outcome"], e["tenant_id"], e["detail"]) for _, e in hooks.emitted]
    assert got == [("failed", "acme.eu_1", "reached_daily_quota"), ("complained", "acme", None)]
    for t, e in hooks.emitted:
        validate(t, e)


@pytest.mark.parametrize("kind", ["email.sent", "email.delivery_delayed", "contact.created"])
def test_unmapped_webhook_types_are_acknowledged_without_events(hooks, kind):
    assert post_webhook(hooks, webhook_body(kind)).status_code == 200
    assert hooks.emitted == []


def test_webhook_without_a_tenant_tag_is_acknowledged_without_events(hooks):
    assert post_webhook(hooks, webhook_body("email.delivered", tenant=None)).status_code == 200
    assert hooks.emitted == []


def test_webhook_answers_500_when_the_sink_fails_so_resend_redelivers():
    def broken(t, r):
        raise RuntimeError("kafka down")
    server = start_server(WebhookApp(broken, unsubscribe_secret=UNSUB_SECRET, webhook_secret=WEBHOOK_SECRET))
    try:
        assert post_webhook(server, webhook_body("email.delivered")).status_code == 500
    finally:
        server.stop()


# -- unsubscribe ---------------------------------------------------------------------------------
def test_one_click_unsubscribe_post_emits_an_unsubscribed_outcome(hooks):
    token = unsubscribe.make_token(UNSUB_SECRET, "acme", "Jane@Customer.example")
    for _ in range(2):
        resp = requests.post(f"{hooks.url}/unsubscribe?t={token}", data="List-Unsubscribe=One-Click", timeout=5,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert resp.status_code == 200
    (t1, e1), (_, e2) = hooks.emitted
    validate(t1, e1)
    assert (e1["outcome"], e1["recipient"], e1["tenant_id"], e1["occurred_at"]) == \
        ("unsubscribed", "jane@customer.example", "acme", NOW_MS)
    assert e1["event_id"] == e2["event_id"]       # a second click is a duplicate


def test_unsubscribe_get_shows_a_confirm_page_and_changes_nothing(hooks):
    token = unsubscribe.make_token(UNSUB_SECRET, "acme", "jane@customer.example")
    resp = requests.get(f"{hooks.url}/unsubscribe?t={token}", timeout=5)
    assert resp.status_code == 200 and "<form method=post" in resp.text and "jane@customer.example" in resp.text
    assert hooks.emitted == []


def test_unsubscribe_with_a_forged_token_is_refused(hooks):
    forged = unsubscribe.make_token(b"some-other-secret-0123456789abcd", "acme", "jane@customer.example")
    tampered_tenant = unsubscribe.make_token(UNSUB_SECRET, "acme", "jane@customer.example").replace(
        unsubscribe._b64("acme\x1fjane@customer.example".encode()), unsubscribe._b64("beta\x1fjane@customer.example".encode()))
    for token in (forged, tampered_tenant, "garbage", ""):
        resp = requests.post(f"{hooks.url}/unsubscribe?t={token}", data="List-Unsubscribe=One-Click", timeout=5)
        assert resp.status_code in (400, 403)
    assert hooks.emitted == []
