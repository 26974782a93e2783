"""Realistic Gmail API v1 JSON for offline tests (HttpMockSequence responses).

Bodies are base64url without padding, as the API returns them; multipart
layouts follow what ``users.messages.get(format="full")`` returns for common
clients (Gmail web, Outlook, bounces from mailer-daemon).
"""
from __future__ import annotations

import base64
import json

BASE_MS = 1_717_000_000_000  # 2024-05-29T16:26:40Z

SIGNATURE = "\n\n-- \nDana Whitfield\nAppraisal Desk | Northwind Lending\n+1 (555) 010-4477\n"


def b64url(data: str | bytes, encoding: str = "utf-8") -> str:
    raw = data.encode(encoding) if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def hdrs(**named) -> list[dict]:
    """``hdrs(From="a", Reply_To="b")`` -> Gmail header list; ``_`` in a name becomes ``-``."""
    return [{"name": k.replace("_", "-"), "value": v} for k, v in named.items()]


def text_part(text: str, part_id: str = "0", subtype: str = "plain", charset: str = "UTF-8") -> dict:
    data = text.encode(charset)
    return {
        "partId": part_id,
        "mimeType": f"text/{subtype}",
        "filename": "",
        "headers": [{"name": "Content-Type", "value": f'text/{subtype}; charset="{charset}"'},
                    {"name": "Content-Transfer-Encoding", "value": "quoted-printable"}],
        "body": {"size": len(data), "data": b64url(data)},
    }


def attachment_part(filename: str, mime_type: str, size: int, attachment_id: str, part_id: str = "1",
                    inline: bool = False) -> dict:
    disposition = "inline" if inline else "attachment"
    return {
        "partId": part_id,
        "mimeType": mime_type,
        "filename": filename,
        "headers": [{"name": "Content-Type", "value": f'{mime_type}; name="{filename}"'},
                    {"name": "Content-Disposition", "value": f'{disposition}; filename="{filename}"'},
                    {"name": "Content-Transfer-Encoding", "value": "base64"},
                    {"name": "X-Attachment-Id", "value": f"f_{attachment_id[:8]}"}],
        "body": {"attachmentId": attachment_id, "size": size},
    }


def multipart(subtype: str, parts: list[dict], headers: list[dict] | None = None, part_id: str = "") -> dict:
    return {
        "partId": part_id,
        "mimeType": f"multipart/{subtype}",
        "filename": "",
        "headers": headers or [{"name": "Content-Type", "value": f'multipart/{subtype}; boundary="000000000000b1d2"'}],
        "body": {"size": 0},
        "parts": parts,
    }


def message(mid: str, *, payload: dict, thread_id: str | None = None, history_id: int = 4100,
            internal_ms: int = BASE_MS, labels=("INBOX", "UNREAD", "CATEGORY_PERSONAL"), snippet: str = "") -> dict:
    size = sum(int((p.get("body") or {}).get("size") or 0) for p in _walk(payload))
    return {
        "id": mid,
        "threadId": thread_id or mid,
        "labelIds": list(labels),
        "snippet": snippet,
        "payload": payload,
        "sizeEstimate": size + 2048,
        "historyId": str(history_id),
        "internalDate": str(internal_ms),
    }


def _walk(part):
    yield part
    for p in part.get("parts") or []:
        yield from _walk(p)


def _top_headers(mid: str, subject: str, sender: str, to: str, extra: list[dict] | None = None,
                 content_type: str = 'multipart/alternative; boundary="000000000000b1d2"') -> list[dict]:
    return [
        {"name": "Delivered-To", "value": to},
        {"name": "Received", "value": "by 2002:a05:6a10:9a8c:b0:4f1:... with SMTP id x12csp123; Wed, 29 May 2024 09:26:40 -0700"},
        {"name": "MIME-Version", "value": "1.0"},
        {"name": "Date", "value": "Wed, 29 May 2024 09:26:40 -0700"},
        {"name": "Message-ID", "value": f"<CA+{mid}@mail.gmail.com>"},
        {"name": "Subject", "value": subject},
        {"name": "From", "value": sender},
        {"name": "To", "value": to},
        *(extra or []),
        {"name": "Content-Type", "value": content_type},
    ]


# -- message shapes ----------------------------------------------------------------------------

def plain_reply(mid: str = "18f6a1b2c3d4e5f6", *, internal_ms: int = BASE_MS, history_id: int = 4100,
                mailbox: str = "ops@acme-appraisals.com") -> dict:
    """A multipart/alternative reply with quoted text and a signature."""
    text = ("Hi team,\n\nThanks, the inspection can go ahead on Friday at 10am. Lockbox code is with the agent."
            + SIGNATURE + "\nOn Tue, May 28, 2024 at 3:02 PM Ops <" + mailbox + "> wrote:\n> Can we schedule?\n")
    html_body = ("<div dir=\"ltr\"><p>Hi team,</p><p>Thanks, the inspection can go ahead on Friday at 10am.</p>"
                 "<div class=\"gmail_signature\">Dana Whitfield</div></div>")
    headers = _top_headers(mid, "Re: Inspection for 12 Elm St", "Dana Whitfield <dana@northwind-lending.com>",
                           mailbox, extra=[
                               {"name": "Cc", "value": "Loan Officer <lo@northwind-lending.com>"},
                               {"name": "Reply-To", "value": "appraisals@northwind-lending.com"},
                               {"name": "In-Reply-To", "value": "<CAO-ops-original@mail.gmail.com>"},
                               {"name": "References", "value": "<CAO-ops-original@mail.gmail.com>"},
                           ])
    payload = multipart("alternative", [text_part(text, "0"), text_part(html_body, "1", "html")], headers)
    return message(mid, payload=payload, internal_ms=internal_ms, history_id=history_id,
                   snippet="Hi team, Thanks, the inspection can go ahead on Friday at 10am. Lockbox code &amp; "
                           "key are with the agent&#39;s office")


def html_only(mid: str = "18f6a1b2c3d4e600", *, internal_ms: int = BASE_MS + 60_000) -> dict:
    body = ("<html><head><style>p{color:red}</style><title>x</title></head><body>"
            "<p>Your order #4471 is <b>confirmed</b>.</p><p>Fee:&nbsp;$450 &amp; tech fee $25</p>"
            "<script>track()</script></body></html>")
    part = text_part(body, "", "html")
    part["headers"] = _top_headers(mid, "Order confirmed", "Orders <no-reply@portal.example.com>",
                                   "ops@acme-appraisals.com", content_type='text/html; charset="UTF-8"')
    return message(mid, payload=part, internal_ms=internal_ms, labels=("INBOX", "CATEGORY_UPDATES"))


def with_attachments(mid: str = "18f6a1b2c3d4e700", *, internal_ms: int = BASE_MS + 120_000) -> dict:
    text = "Please find the signed engagement letter and two site photos attached." + SIGNATURE
    alt = multipart("alternative", [text_part(text, "0.0"), text_part("<p>Please find...</p>", "0.1", "html")],
                    part_id="0")
    parts = [
        alt,
        attachment_part("Engagement Letter - 12 Elm St.pdf", "application/pdf", 183_422,
                        "ANGjdJ8wq5xq1Yk3Qn0Y7m2pLr9-TzKdWvY1bXc4EfGhIjKl", "1"),
        attachment_part("IMG_2231.jpg", "image/jpeg", 2_401_876, "ANGjdJ9p3kLmNoPqRsTuVwXyZ0123456789-abcd", "2",
                        inline=True),
    ]
    headers = _top_headers(mid, "Signed engagement letter", "Sam Ortiz <sam@brokerage.example>",
                           "ops@acme-appraisals.com", content_type='multipart/mixed; boundary="000000000000c9e1"')
    return message(mid, payload=multipart("mixed", parts, headers), internal_ms=internal_ms)


def bounce(mid: str = "18f6a1b2c3d4e800", *, internal_ms: int = BASE_MS + 180_000) -> dict:
    text = ("** Address not found **\n\nYour message wasn't delivered to nobody@nowhere.example because the address "
            "couldn't be found.\n\nThe response from the remote server was:\n550 5.1.1 user unknown\n")
    status = {"partId": "1", "mimeType": "message/delivery-status", "filename": "",
              "headers": [{"name": "Content-Type", "value": "message/delivery-status"}],
              "body": {"size": 120, "data": b64url("Final-Recipient: rfc822; nobody@nowhere.example\nAction: failed\n")}}
    headers = _top_headers(mid, "Delivery Status Notification (Failure)",
                           "Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "ops@acme-appraisals.com",
                           extra=[{"name": "X-Failed-Recipients", "value": "nobody@nowhere.example"},
                                  {"name": "Auto-Submitted", "value": "auto-replied"}],
                           content_type='multipart/report; boundary="0000"; report-type=delivery-status')
    payload = multipart("report", [text_part(text, "0"), status], headers)
    return message(mid, payload=payload, internal_ms=internal_ms)


def latin1(mid: str = "18f6a1b2c3d4e900", *, internal_ms: int = BASE_MS + 240_000) -> dict:
    part = text_part("Merci, la visite est confirmée à 14h. Café offert.", "", "plain", charset="ISO-8859-1")
    part["headers"] = _top_headers(mid, "Visite confirmée", "Élodie <elodie@agence.example.fr>",
                                   "ops@acme-appraisals.com", content_type='text/plain; charset="ISO-8859-1"')
    return message(mid, payload=part, internal_ms=internal_ms,
                   labels=("INBOX",))


def newsletter(mid: str = "18f6a1b2c3d4ea00", *, internal_ms: int = BASE_MS + 300_000) -> dict:
    part = text_part("This week in housing: rates fell again.\n\nUnsubscribe: https://news.example/u/1", "")
    part["headers"] = _top_headers(mid, "Weekly housing digest", "News <digest@news.example>",
                                   "ops@acme-appraisals.com", extra=[
                                       {"name": "List-Id", "value": "Housing Digest <digest.news.example>"},
                                       {"name": "List-Unsubscribe", "value": "<https://news.example/u/1>"},
                                       {"name": "Precedence", "value": "bulk"},
                                   ], content_type='text/plain; charset="UTF-8"')
    return message(mid, payload=part, internal_ms=internal_ms, labels=("CATEGORY_PROMOTIONS", "UNREAD"))


def simple(mid: str, *, internal_ms: int = BASE_MS, history_id: int = 4100, labels=("INBOX",),
           subject: str | None = None, sender: str = "Client <client@example.com>") -> dict:
    part = text_part(f"Body of {mid}." + SIGNATURE, "")
    part["headers"] = _top_headers(mid, subject or f"Message {mid}", sender, "ops@acme-appraisals.com",
                                   content_type='text/plain; charset="UTF-8"')
    return message(mid, payload=part, internal_ms=internal_ms, history_id=history_id, labels=labels,
                   snippet=f"Body of {mid}.")


# -- API responses -------------------------------------------------------------------------------

def profile(history_id: int, email: str = "ops@acme-appraisals.com") -> dict:
    return {"emailAddress": email, "messagesTotal": 5123, "threadsTotal": 3377, "historyId": str(history_id)}


def messages_list(ids, next_page_token: str | None = None) -> dict:
    body = {"messages": [{"id": i, "threadId": i} for i in ids], "resultSizeEstimate": len(ids)}
    if next_page_token:
        body["nextPageToken"] = next_page_token
    return body


def history_list(added_ids, history_id: int, next_page_token: str | None = None, start: int = 4000,
                 labels=("INBOX", "UNREAD")) -> dict:
    """One history record per id (several ids in one record when an item is a list)."""
    records = []
    for n, item in enumerate(added_ids):
        ids = item if isinstance(item, (list, tuple)) else [item]
        records.append({
            "id": str(start + n + 1),
            "messages": [{"id": i, "threadId": i} for i in ids],
            "messagesAdded": [{"message": {"id": i, "threadId": i, "labelIds": list(labels)}} for i in ids],
        })
    body = {"historyId": str(history_id)}
    if records:
        body["history"] = records
    if next_page_token:
        body["nextPageToken"] = next_page_token
    return body


def error_body(code: int, message: str, reason: str | None = None, status: str | None = None,
               domain: str = "global") -> dict:
    err: dict = {"code": code, "message": message}
    if reason:
        err["errors"] = [{"message": message, "domain": domain, "reason": reason}]
    if status:
        err["status"] = status
    return {"error": err}


# -- HttpMockSequence entries ------------------------------------------------------------------------

def ok(body: dict) -> tuple[dict, str]:
    return ({"status": "200", "content-type": "application/json; charset=UTF-8"}, json.dumps(body))


def http_error(code: int, body: dict, **headers) -> tuple[dict, str]:
    h = {"status": str(code), "content-type": "application/json; charset=UTF-8"}
    h.update({k.replace("_", "-"): v for k, v in headers.items()})
    return (h, json.dumps(body))


def rate_limited_429(retry_after: str | None = None):
    extra = {"retry_after": retry_after} if retry_after else {}
    return http_error(429, error_body(429, "Too many concurrent requests for user", "rateLimitExceeded",
                                      "RESOURCE_EXHAUSTED", "usageLimits"), **extra)


def user_rate_limited_403():
    return http_error(403, error_body(403, "User-rate limit exceeded.  Retry after 2024-05-29T16:27:10.000Z",
                                      "userRateLimitExceeded", "PERMISSION_DENIED", "usageLimits"))


def daily_limit_403():
    return http_error(403, error_body(403, "Daily Limit Exceeded", "dailyLimitExceeded", "PERMISSION_DENIED",
                                      "usageLimits"))


def insufficient_scope_403():
    return http_error(403, error_body(403, "Request had insufficient authentication scopes.",
                                      "insufficientPermissions", "PERMISSION_DENIED"))


def server_error(code: int = 503):
    return http_error(code, error_body(code, "The service is currently unavailable.", "backendError", "UNAVAILABLE"))


def not_found(message: str = "Requested entity was not found."):
    return http_error(404, error_body(404, message, "notFound", "NOT_FOUND"))


def unauthorized():
    return http_error(401, error_body(401, "Request had invalid authentication credentials. Expected OAuth 2 access "
                                           "token, login cookie or other valid authentication credential.",
                                      "authError", "UNAUTHENTICATED"), www_authenticate='Bearer realm="https://accounts.google.com/"')


def token_invalid_grant():
    """The OAuth token endpoint's answer to a revoked refresh token."""
    return ({"status": "400", "content-type": "application/json; charset=utf-8"},
            json.dumps({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}))


def token_ok(access_token: str, expires_in: int = 3599) -> tuple[dict, str]:
    return ({"status": "200", "content-type": "application/json; charset=utf-8"},
            json.dumps({"access_token": access_token, "expires_in": expires_in,
                        "scope": "https://www.googleapis.com/auth/gmail.readonly", "token_type": "Bearer"}))
