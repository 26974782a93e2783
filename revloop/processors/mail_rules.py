"""What rules decide with certainty, before or instead of the model.

* bounces: a mail system's delivery status notification (sender, report content type, the
  X-Failed-Recipients header, DSN subjects and boilerplate, RFC 3464);
* auto-replies: RFC 3834's Auto-Submitted (anything but "no"), Precedence: auto_reply and the
  X-Autoreply family; or an out-of-office subject over out-of-office words;
* bulk mail: a List-Unsubscribe header or Precedence bulk/list (RFC 2369, RFC 2076), or a
  marketing footer line in the sender's own message ("Reply STOP to opt out", "Unsubscribe |
  Manage preferences"); bulk mail carries no conversational label;
* a bare opt-out: the sender's whole new text (or a fresh subject over none) is "STOP",
  "unsubscribe", "remove me" and the like;
* never evidence: a sentence telling the reader how to opt out ("Reply STOP to unsubscribe") is
  someone else's instruction, not the sender opting out; "call me crazy" is an idiom.
Each rule returns the words it matched, as evidence.
"""
from __future__ import annotations

import re
from typing import Mapping

_I = re.IGNORECASE
_M = re.IGNORECASE | re.MULTILINE


def _rx(*alternatives: str, flags=_I) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), flags)


_BOUNCE_SENDER = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", _I)
_BOUNCE_SENDER_NAME = re.compile(r"\b(?:mail delivery (?:subsystem|system)|microsoft outlook|correo del sistema)\b", _I)
_BOUNCE_SUBJECT = _rx(
    r"\bdelivery status notification\b(?!\s*\((?:delay|success)\))", r"^\s*undeliverable\b", r"\bundelivered mail\b",
    r"\bmail delivery (?:failed|failure)\b", r"\breturned mail\b", r"\bdelivery (?:has )?failed\b",
    r"\bfailure notice\b", r"\bdelivery failure\b", r"\bnon-?delivery report\b", r"^\s*address not found\b",
    r"^\s*no se pudo entregar\b", r"\bmessage not delivered\b",
)
_BOUNCE_BODY = _rx(
    r"\bdelivery has failed to these recipients\b", r"\bcould not be delivered to one or more\b",
    r"\bwasn't delivered to\b", r"\bpermanent fatal errors\b", r"\b5[0-9]{2}[ -]5\.\d\.\d+\b",
    r"\bthis is a permanent error\b", r"\bcouldn't be delivered\b", r"\bno se ha podido entregar\b",
)
_DSN_CONTENT = re.compile(r"report-type\s*=\s*\"?delivery-status", _I)


def bounce(subject: str, body: str, addr: str, name: str, headers: Mapping[str, str]) -> str | None:
    """Why this is a DSN, or None. A person writing "your email bounced" is not one."""
    if _BOUNCE_SENDER.match(addr):
        return f"sender {addr}"
    if _BOUNCE_SENDER_NAME.search(name) and (_BOUNCE_SUBJECT.search(subject) or _BOUNCE_BODY.search(body)):
        return f"sender {name}"
    if _DSN_CONTENT.search(headers.get("content-type", "")):
        return "Content-Type: multipart/report; report-type=delivery-status"
    if "x-failed-recipients" in headers:
        return "X-Failed-Recipients header"
    if "x-ms-exchange-message-is-ndr" in headers:
        return "X-MS-Exchange-Message-Is-Ndr header"
    m = _BOUNCE_SUBJECT.search(subject)
    if m and _BOUNCE_BODY.search(body):
        return f"subject {m.group(0)!r}"
    return None


_AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-response")
_OOO_SUBJECT = _rx(
    r"^\s*(?:automatic|auto)[ -]?reply\b", r"^\s*autoreply\b", r"^\s*auto:", r"\bout of (?:the )?office\b",
    r"^\s*ooo\b", r"^\s*respuesta autom[aá]tica\b", r"^\s*fuera de la oficina\b", r"^\s*away:", r"^\s*abwesenheit",
)
_OOO_BODY = _rx(
    r"\b(?:i am|i'm|im)\s+(?:currently\s+)?(?:out of (?:the )?office|ooo|away from (?:the|my) office|"
    r"on (?:vacation|holiday|leave|maternity leave|paternity leave|pto)|traveling|travelling|out on pto)\b",
    r"\b(?:limited|no|intermittent) access to (?:my )?e-?mail\b", r"\bwill (?:not|n't) be checking e-?mail\b",
    r"\byour (?:message|email|e-mail) will not be forwarded\b", r"\bthis is an automated (?:response|reply)\b",
    r"\bestoy (?:fuera de la oficina|de vacaciones)\b", r"\bno longer (?:work|with) (?:at|for)?\b",
)


def auto_reply(subject: str, body: str, headers: Mapping[str, str]) -> str | None:
    """Why this is an automatic reply, or None."""
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto not in ("", "no"):
        return f"Auto-Submitted: {auto}"
    if headers.get("precedence", "").strip().lower() == "auto_reply":
        return "Precedence: auto_reply"
    for h in _AUTO_HEADERS:
        if h in headers:
            return f"{h} header"
    m = _OOO_SUBJECT.search(subject)
    if m and _OOO_BODY.search(body):
        return f"subject {m.group(0).strip()!r} over out-of-office words"
    return None


_MARKETING_LINE = _rx(
    r"^[ \t]*(?:reply|text|txt|respond)\s+(?:with\s+)?[\"'“]?(?:stop|unsubscribe|remove)\b",
    r"\b(?:reply|text|txt)\s+[\"'“]?stop[\"'”]?\s+to\s+(?:\d+\s+to\s+)?(?:opt[ -]?out|unsubscribe|stop|end|cancel)\b",
    r"^[ \t]*(?:to\s+)?unsubscribe\b.*(?:click|here|link|below|\|)", r"\bunsubscribe\s*\|", r"\|\s*unsubscribe\b",
    r"\bmanage (?:your )?(?:email )?preferences\b", r"^[ \t]*you (?:are receiving|received) this (?:e-?mail|message)\b",
    r"\bview (?:this email )?in (?:your|a) browser\b", r"\bif you no longer wish to receive these\b.*\bunsubscribe\b",
    r"\bupdate your (?:email )?preferences\b", r"\bto stop receiving (?:rate sheets|these (?:messages|offers))\b",
    r"^[ \t]*(?:to )?unsubscribe\s+(?:here|below|at any time|anytime)\b", r"\bto stop receiving these e-?mails,",
    flags=_M,
)


def bulk(own_message: str, headers: Mapping[str, str]) -> str | None:
    """Why this is bulk mail, from headers or a marketing footer in the sender's own message."""
    if "list-unsubscribe" in headers:
        return "List-Unsubscribe header"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return f"Precedence: {precedence}"
    m = _MARKETING_LINE.search(own_message or "")
    return f"marketing footer {m.group(0).strip()!r}" if m else None


_BARE_OPT_OUT = re.compile(
    r"^\W*(?:(?:please|pls|plz|kindly)\s+)?(?:stop|unsubscribe|unsub|remove|remove\s+me|remove\s+us|opt\s*-?\s*out|"
    r"opt\s+me\s+out|take\s+me\s+off|baja|darme\s+de\s+baja|dar\s+de\s+baja|no\s+m[aá]s)(?:\s+(?:please|pls|plz|thanks|thx|"
    r"gracias|por\s+favor))?\W*$", _I)


def bare_opt_out(new_text_without_greeting: str, fresh_subject: str) -> str | None:
    text = " ".join((new_text_without_greeting or "").split())
    if text and _BARE_OPT_OUT.match(text):
        return text
    if len(text) <= 12 and fresh_subject and _BARE_OPT_OUT.match(fresh_subject):
        return fresh_subject
    return None


# Phrasings that ask us to stop mailing, whatever surrounds them (a run-on sentence, a complaint). Only
# the sender's new text (or a fresh subject) is searched, never a quote; a negation just before
# ("don't remove me from the list") or an instruction to opt out ("Reply STOP") voids a match.
_WHO = r"(?:me|us|my\s+(?:e-?mail|name|address)|our\s+(?:e-?mail|office|address)|this\s+(?:e-?mail(?:\s+address)?|address))"
_LIST = r"(?:(?:your|ur|the|this|that|all|any|every|all\s+your)\s+)?(?:[\w-]+\s+){0,2}" \
        r"(?:list|lists|mailing|mailings|distribution|database|contacts|contact\s+list|e-?mails|marketing)"
_OPT_OUT_PHRASE = re.compile(
    r"\bunsubscribe\s+" + _WHO + r"\b"
    r"|\b(?:please|pls|plz|kindly|can\s+you|could\s+you)\s+unsubscribe\b"
    r"|\b(?:i|we)(?:'d|\s+would)?\s+(?:like|want|wish)\s+to\s+(?:unsubscribe|opt[ -]?out|be\s+(?:removed|taken\s+off))\b"
    r"|\bhow\s+(?:do|can)\s+(?:i|we)\s+(?:unsubscribe|opt[ -]?out|get\s+off)\b"
    r"|\b(?:remove|take|delete)\s+" + _WHO + r"\s+(?:off|of|from|out\s+of)\s+" + _LIST + r"\b"
    r"|\btake\s+(?:me|us)\s+(?:off|of)\s+(?:your|ur|the|this)\s+(?:\w+\s+)?list\b"
    r"|\bopt\s+(?:me|us)\s+out\b"
    r"|\b(?:please|pls|plz|kindly)\s+remove\s*(?:[.!]+|$)"
    r"|\b(?:do\s+not|don'?t|dont)\s+send\s+(?:me|us)\s+any\s*more\b"
    r"|\bremove\s+(?:me|us)\s*(?:,?\s*(?:please|pls|thanks|thank\s+you|thx))?\s*(?:[.!]+|$)"
    r"|\bstop\s+(?:e-?mailing|mailing|spamming|messaging|contacting)\s+(?:me|us|this\s+address|our\s+office)\b"
    r"|\bstop\s+sending\s+(?:these|them|those)\b(?!\s+(?:reports|invoices|orders|photos|files)\b)"
    r"|\bstop\s+sending\s+(?:me|us)\b(?!\s+(?:the|a|an)\s+\w*\s*(?:report|invoice|order|photos|copy)s?\b)"
    r"|\b(?:do\s+not|don'?t|dont)\s+(?:e-?mail|contact|message|spam)\s+(?:me|us)\s+(?:again|anymore|any\s+more|ever)\b"
    r"|\bno\s+more\s+(?:e-?mails|mail|messages|of\s+(?:these|this|your\s+e-?mails))\b(?!\s+(?:needed|necessary|required))"
    r"|\b(?:no\s+longer|don'?t|do\s+not)\s+(?:want|wish)\s+to\s+(?:receive|get|be\s+contacted)\b"
    r"|\bqu[ií]t(?:enme|eme|ame|en(?:nos)?)\s+de\s+(?:su|sus|la|esta)\s+lista"
    r"|\bd(?:arme|arnos|en(?:me)?)\s+de\s+baja\b"
    r"|\bno\s+(?:me|nos)\s+(?:env[ií]en|manden|escriban)\s+m[aá]s\b"
    r"|\bdejen\s+de\s+(?:enviarme|escribirme|mandarme|enviarnos|escribirnos)\b", _I)
_NEGATED = re.compile(r"\b(?:don'?t|do\s+not|dont|never|not|no\s+need\s+to)\s+(?:\w+\s+){0,1}$", _I)


# "STOP" typed in capitals, alone or run into the next sentence ("STOP Weather's turning"), not "STOP work on ...".
_SHOUTED_STOP = re.compile(r"^\W*(STOP|UNSUBSCRIBE)\b(?=\W*$|[\s.!]+[A-Z¿¡])")


def opt_out_phrase(text: str) -> str | None:
    """The words of an unambiguous request to stop our mail in ``text`` (one sentence of new text), or None."""
    if STOP_INSTRUCTION.search(text):
        return None
    m = _SHOUTED_STOP.match(text)
    if m:
        return m.group(1)
    for m in _OPT_OUT_PHRASE.finditer(text):
        if not _NEGATED.search(text[:m.start()]):
            return m.group(0)
    return None


def negated_opt_out(text: str) -> bool:
    """An opt-out phrasing that is only ever negated ("please don't take me off the list"): never an opt-out."""
    found = [m for m in _OPT_OUT_PHRASE.finditer(text)]
    return bool(found) and all(_NEGATED.search(text[:m.start()]) for m in found)


STOP_INSTRUCTION = re.compile(
    r"\b(?:reply|text|txt|respond|send)\s+(?:with\s+)?[\"'“]?(?:stop|unsubscribe|remove|end)\b[\"'”]?"
    r"|\bto\s+(?:opt[ -]?out|unsubscribe)\b.{0,30}\b(?:click|reply|text|visit)\b"
    r"|\b(?:unsubscribe|opt[ -]?out)\s+(?:here|below|at\s+any\s+time|anytime|by\s+\w+ing|via|using|online)\b"
    r"|\b(?:click|tap)\s+(?:here\s+)?to\s+(?:unsubscribe|opt[ -]?out)\b|\bto\s+stop\s+receiving\b", _I)
IDIOM = re.compile(r"\bcall\s+me\s+(?:crazy|old[- ]fashioned|paranoid|skeptical|cynical)\b|\bcall\s+it\s+a\s+day\b", _I)
GREETING = re.compile(r"^\W*(?:hi|hey|hello|dear|good\s+(?:morning|afternoon|evening)|morning|hola|buen[oa]s\s+\w+|"
                      r"estimad[oa]|greetings)\b[^.?!\n]{0,40}?[,:!\-–—]?\s*$", _I)
