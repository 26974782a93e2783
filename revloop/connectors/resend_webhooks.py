"""Resend webhooks: verify the svix signature and map email events to email_outcome records.

Verification uses ``resend.Webhooks.verify`` (svix scheme: HMAC-SHA256 over
``{svix-id}.{svix-timestamp}.{raw body}`` with the base64 key after ``whsec_``,
``v1,<sig>`` space-separated, 5-minute tolerance against the wall clock).

Mapping (one email_outcome per recipient in ``data.to``):
  email.delivered -> delivered      email.complained -> complained
  email.opened    -> opened         email.clicked    -> clicked (detail = link)
  email.bounced   -> bounced, bounce_type from data.bounce.type:
                     Permanent -> "hard"; Transient/Temporary -> "soft";
                     anything else or missing -> "undetermined" (the projector
                     treats that as soft: an unclear bounce must not suppress a
                     real person, while a null bounce_type would count as hard)
  email.failed    -> failed (detail = data.failed.reason)
  email.suppressed-> failed (detail says the provider suppressed it)
Not mapped, acknowledged with no event:
  email.sent      -- the sender already emitted "sent:<action_id>"; a second
                     sent event would count the touch twice
  email.delivery_delayed -- the Outcome enum has no symbol for it; "failed"
                     would be false (a delayed email is usually delivered) and
                     "bounced" would count toward soft-bounce suppression
  everything else (contact.*, domain.*, inbound ...).
event_id = svix-id (plus ":<recipient>" when there are several recipients), so a
redelivered webhook is a duplicate. tenant_id and action_id come from the tags
the sender put on the email; a webhook without a tenant tag yields no event.
occurred_at = the webhook's created_at (provider time), else the injected clock.
"""
from __future__ import annotations

import logging
from typing import Any, Mapping

import resend

from revloop.connectors.resend_common import TAG_ACTION, TAG_TENANT, decode_tag_value, iso_to_ms

log = logging.getLogger("revloop.connectors.resend.webhooks")

SECRET_ENV = "RESEND_WEBHOOK_SECRET"

SIMPLE_OUTCOMES = {
    "email.delivered": "delivered",
    "email.complained": "complained",
    "email.opened": "opened",
    "email.clicked": "clicked",
    "email.bounced": "bounced",
    "email.failed": "failed",
    "email.suppressed": "failed",
}
BOUNCE_TYPES = {"permanent": "hard", "transient": "soft", "temporary": "soft"}


class WebhookRejected(Exception):
    """Signature missing, wrong, or outside the tolerance window."""


def load_secret(value: str | None) -> str:
    """The configured signing secret (Settings.resend_webhook_secret), checked."""
    if not value:
        raise RuntimeError(f"{SECRET_ENV} must be set (the whsec_... signing secret)")
    return value


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def verify(body: bytes, headers: Mapping[str, str], secret: str) -> tuple[str, dict]:
    """Return (svix_id, parsed payload) or raise WebhookRejected."""
    svix = {"id": _header(headers, "svix-id"), "timestamp": _header(headers, "svix-timestamp"),
            "signature": _header(headers, "svix-signature")}
    try:
        payload = resend.Webhooks.verify({"payload": body.decode("utf-8"), "headers": svix,  # type: ignore[typeddict-item]
                                          "webhook_secret": secret})
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRejected(str(exc)) from None
    if not isinstance(payload, dict):
        raise WebhookRejected("payload is not an object")
    return svix["id"], payload


def _tags(data: Mapping[str, Any]) -> dict[str, str]:
    raw = data.get("tags") or {}
    if isinstance(raw, list):  # [{"name": ..., "value": ...}]
        raw = {t.get("name"): t.get("value") for t in raw if isinstance(t, dict)}
    if not isinstance(raw, dict):
        return {}
    return {str(k): decode_tag_value(str(v)) for k, v in raw.items() if isinstance(v, str)}


def _bounce_type(data: Mapping[str, Any]) -> str:
    bounce = data.get("bounce")
    kind = bounce.get("type") if isinstance(bounce, dict) else None
    return BOUNCE_TYPES.get(str(kind or "").lower(), "undetermined")


def _detail(kind: str, data: Mapping[str, Any]) -> str | None:
    if kind == "email.bounced":
        b = data.get("bounce") if isinstance(data.get("bounce"), dict) else {}
        parts = [str(b.get(k)) for k in ("type", "subType", "message") if b.get(k)]
        return "; ".join(parts)[:500] or None
    if kind == "email.clicked" and isinstance(data.get("click"), dict):
        return str(data["click"].get("link") or "")[:500] or None
    if kind == "email.failed" and isinstance(data.get("failed"), dict):
        return str(data["failed"].get("reason") or "")[:500] or None
    if kind == "email.suppressed":
        s = data.get("suppressed") if isinstance(data.get("suppressed"), dict) else {}
        return f"suppressed by provider: {s.get('type') or ''} {s.get('message') or ''}".strip()[:500]
    return None


def events_from_webhook(payload: Mapping[str, Any], svix_id: str, *, now_ms: int) -> list[tuple[str, dict]]:
    kind = payload.get("type")
    outcome = SIMPLE_OUTCOMES.get(kind) if isinstance(kind, str) else None
    if outcome is None:
        log.info("resend webhook %s ignored (type %s not mapped)", svix_id, kind)
        return []
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    tags = _tags(data)
    tenant_id = tags.get(TAG_TENANT)
    if not tenant_id:
        log.warning("resend webhook %s (%s) has no %s tag; no event", svix_id, kind, TAG_TENANT)
        return []
    to = data.get("to")
    recipients = [to] if isinstance(to, str) else [r for r in (to or []) if isinstance(r, str)]
    occurred_at = iso_to_ms(payload.get("created_at")) or iso_to_ms(data.get("created_at")) or int(now_ms)
    events = []
    for recipient in recipients:
        events.append(("email_outcome", {
            "event_id": svix_id if len(recipients) == 1 else f"{svix_id}:{recipient.lower()}",
            "tenant_id": tenant_id,
            "occurred_at": occurred_at,
            "outcome": outcome,
            "recipient": recipient.strip().lower(),
            "action_id": tags.get(TAG_ACTION),
            "provider_message_id": data.get("email_id") if isinstance(data.get("email_id"), str) else None,
            "bounce_type": _bounce_type(data) if outcome == "bounced" else None,
            "detail": _detail(kind, data),
        }))
    return events
