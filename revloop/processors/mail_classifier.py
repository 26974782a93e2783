"""Rule-based, multi-label classification of an inbound email.

Labelling guideline the rules implement (and tests/data/labelled_emails.jsonl follows):

* explicit_request: the client, in their own new text, asks US for a human action:
  call, callback, meeting, review (reconsideration of value) or send_documents.
  Conditional courtesies ("call me if you have questions"), first-person plans
  ("I'll call you"), third-person reports, hypotheticals and routine order workflow
  (revisions, "confirm receipt", status questions) are not requests. This is a
  guardrail: a wrong positive makes us promise a human action nobody asked for.
* Quoted reply text never counts. Forwarded content counts only for topical labels
  (complaint, urgent, renewal, upsell): a forwarded third party asked the forwarder,
  not us.
* bounce and out_of_office are machine mail: when either fires, it is the only label.
* Bulk mail (newsletters, marketing) gets no conversational labels; only renewal
  may survive, because panel-renewal notices are often sent in bulk.

Pure: standard library only, deterministic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Mapping

from revloop.processors.mail_text import fresh_subject, split_mail

LABELS = ("explicit_request", "complaint", "urgent", "renewal", "upsell", "opt_out", "out_of_office", "bounce")


@dataclass(frozen=True)
class Classification:
    labels: tuple[str, ...]
    requested_action: str | None
    requested_time: str | None
    confidence: float
    undecided: bool


_I = re.IGNORECASE
_M = re.IGNORECASE | re.MULTILINE


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), _I)


# ---------------------------------------------------------------------------
# Separating the sender's own words from quoted, forwarded and boilerplate text.

_REPLY_HEADER = re.compile(r"^\s*On\b.{0,300}?\bwrote:\s*$", _I | re.DOTALL)
_ORIGINAL_MESSAGE = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", _I)
_FORWARD_MARKER = re.compile(r"^\s*(?:-{3,}\s*Forwarded message\s*-{3,}|Begin forwarded message:)\s*$", _I)
_OUTLOOK_FROM = re.compile(r"^\s*\**From:\**\s+\S", _I)
_OUTLOOK_NEXT = re.compile(r"^\s*\**(?:Sent|Date|To|Subject):\**\s", _I)
_OUTLOOK_RULE = re.compile(r"^\s*_{10,}\s*$")
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw)\s*:", _I)
_REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv)\s*:", _I)
# Legal footers say "immediately"/"urgent" without meaning it.
_DISCLAIMER = re.compile(
    r"^\s*(?:confidentiality notice|confidential(?:ity)?\s*:|disclaimer\s*:|"
    r"this (?:e-?mail|message|communication)(?: and any (?:files|attachments)[^.]*?)? "
    r"(?:is|may contain|contains|and its attachments)\b.*confidential)",
    _I,
)


@dataclass(frozen=True)
class MailText:
    own: str          # what the sender wrote in this message
    forwarded: str    # forwarded content (third parties' words)


def split_body(body: str, subject: str = "") -> MailText:
    """Own text, minus quoted replies and legal footers; forwarded content apart."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    own: list[str] = []
    forwarded: list[str] = []
    is_forward = bool(_FORWARD_SUBJECT.match(subject or ""))
    target: list[str] | None = own
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue  # quoted reply text, wherever it appears
        two = line + " " + (lines[i + 1] if i + 1 < len(lines) else "")
        if _FORWARD_MARKER.match(line):
            target = forwarded
            continue
        if target is own and (_REPLY_HEADER.match(line) or _REPLY_HEADER.match(two)
                              or _ORIGINAL_MESSAGE.match(line) or _OUTLOOK_RULE.match(line)):
            target = None  # everything below is the thread being replied to
            continue
        if target is own and _OUTLOOK_FROM.match(line) and any(
                _OUTLOOK_NEXT.match(nxt) for nxt in lines[i + 1:i + 4]):
            target = forwarded if is_forward else None
            continue
        if _DISCLAIMER.match(line):
            if target is own:
                target = None
            continue
        if target is not None:
            target.append(line)
    return MailText("\n".join(own).strip(), "\n".join(forwarded).strip())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|\s+-{1,2}\s+(?=[A-Z])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


# ---------------------------------------------------------------------------
# Machine mail: bounces and auto-replies.

_BOUNCE_SENDER = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", _I)
_BOUNCE_SENDER_NAME = re.compile(r"\bmail delivery (?:subsystem|system)\b", _I)
_BOUNCE_SUBJECT = _rx(
    r"\bdelivery status notification\b", r"^\s*undeliverable\b", r"\bundelivered mail\b",
    r"\bmail delivery (?:failed|failure)\b", r"\breturned mail\b", r"\bdelivery (?:has )?failed\b",
    r"\bfailure notice\b", r"\bdelivery failure\b", r"\bnon-?delivery report\b",
)
_BOUNCE_BODY = _rx(
    r"\bdelivery has failed to these recipients\b", r"\bcould not be delivered to one or more\b",
    r"\bwasn't delivered to\b", r"\bpermanent fatal errors\b", r"\b550[ -]5\.\d\.\d+\b",
)


def _is_bounce(subject: str, body: str, addr: str, name: str, headers: Mapping[str, str]) -> bool:
    if _BOUNCE_SENDER.match(addr) or _BOUNCE_SENDER_NAME.search(name):
        return True
    content_type = headers.get("content-type", "")
    if "report-type=delivery-status" in content_type.replace(" ", "").lower():
        return True
    if "x-failed-recipients" in headers:
        return True
    if _BOUNCE_SUBJECT.search(subject):
        return True
    # A human saying "your email bounced" is not a DSN; only DSN boilerplate counts.
    return bool(_BOUNCE_BODY.search(body))


_AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-response")
_OOO_SUBJECT = _rx(
    r"^\s*(?:automatic|auto)[ -]?reply\b", r"^\s*autoreply\b", r"^\s*auto:", r"\bout of (?:the )?office\b",
    r"^\s*ooo\b",
)
_OOO_BODY = _rx(
    r"\b(?:i am|i'm|im)\s+(?:currently\s+)?(?:out of (?:the )?office|ooo|away from (?:the|my) office|"
    r"on (?:vacation|holiday|leave|maternity leave|paternity leave|pto)|traveling|travelling)\b",
    r"\b(?:limited|no) access to (?:my )?e-?mail\b",
    r"\bwill (?:not|n't) be checking e-?mail\b",
    r"\byour (?:message|email|e-mail) will not be forwarded\b",
    r"\bthank you for your (?:e-?mail|message)\.\s+i am (?:currently )?(?:out|away)\b",
)


def _is_auto_reply(subject: str, body: str, headers: Mapping[str, str]) -> tuple[bool, float]:
    auto = headers.get("auto-submitted", "").strip().lower()
    precedence = headers.get("precedence", "").strip().lower()
    header_says = (auto not in ("", "no")) or precedence == "auto_reply" or any(h in headers for h in _AUTO_HEADERS)
    if header_says and (_OOO_SUBJECT.search(subject) or _OOO_BODY.search(body)):
        return True, 0.97
    if header_says:
        return True, 0.8
    if _OOO_SUBJECT.search(subject) and _OOO_BODY.search(body):
        return True, 0.9
    if _OOO_BODY.search(body) and len(body) < 600:
        return True, 0.7
    return False, 0.0


# ---------------------------------------------------------------------------
# Bulk mail (newsletters, marketing): footers mention unsubscribing.

_BULK = _rx(
    r"\bto unsubscribe\b", r"\bunsubscribe (?:here|link|from these)\b", r"^[ \t]*unsubscribe[ \t]*\|",
    r"\bmanage (?:your )?(?:email )?preferences\b", r"\byou (?:are receiving|received) this\b",
    r"\bto stop receiving these\b", r"\bview (?:this email )?in (?:your )?browser\b",
)


# Multiline patterns use [ \t], not \s, after "^": \s would run across blank lines (quadratic).
def _is_bulk(text: str, headers: Mapping[str, str]) -> bool:
    if "list-unsubscribe" in headers or headers.get("precedence", "").lower() in ("bulk", "list"):
        return True
    return bool(re.search(_BULK.pattern, text, _M))


# ---------------------------------------------------------------------------
# Opt-out: the sender asks to stop receiving our mail.

_OPT_OUT = _rx(
    r"\bunsubscribe\s+me\b", r"^[ \t]*(?:please[ \t]+)?unsubscribe[.!]?[ \t]*$",
    r"\b(?:remove|take)\s+(?:me|us|my (?:e-?mail|address))\s+(?:off|from)\s+(?:of\s+)?"
    r"(?:your|the|this|these|all)\s+(?:\w+\s+)?(?:list|lists|emails|mailings)\b",
    r"\b(?:remove|take)\s+me\s+off\b",
    r"\bstop\s+(?:e-?mailing|sending|contacting|spamming)\s+(?:me|us)\b",
    r"\bstop\s+(?:e-?mailing|sending\s+(?:me|us)\s+(?:e-?mails|these|this))[ \t]*[.!]?[ \t]*$",
    r"\bopt\s+(?:me\s+)?out\b", r"\bno longer wish to receive\b", r"\bdo not (?:e-?mail|contact) me\b",
)


def _opt_out(subject: str, own: str) -> bool:
    if re.search(_OPT_OUT.pattern, own, _M):
        return True
    # Subject "unsubscribe" with (nearly) nothing else written.
    return bool(re.match(r"^\s*(?:re:\s*)?unsubscribe\s*$", subject, _I)) and len(own) < 200


# ---------------------------------------------------------------------------
# Explicit requests for a human action.

_ACTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("callback", _rx(
        r"\b(?:call|phone|ring)\s+(?:me|us)\s+back\b", r"\breturn\s+(?:my|our)\s+(?:phone\s+)?(?:call|voicemail)s?\b",
        r"\b(?:phone|call)\s+back\b", r"\bcall-?back\b",
    )),
    ("call", _rx(
        r"\b(?:call|phone|ring|buzz)(?:ing)?\s+(?:me|us|u)\b", r"\bping\s+(?:me|us)\b",
        r"\bgive\s+(?:me|us)\s+a\s+(?:quick\s+)?(?:call|ring|buzz|shout)\b",
        r"\b(?:hop|jump|get)\s+on\s+a\s+(?:quick\s+|short\s+)?(?:phone\s+)?call\b",
        r"\b(?:set\s*up|schedule|have|arrange|do)\s+a\s+(?:quick\s+|short\s+|brief\s+)?(?:phone\s+|conference\s+)?call\b",
        r"\b(?:free|available|time)\s+for\s+a\s+(?:quick\s+|short\s+)?(?:phone\s+)?(?:call|chat)\b",
    )),
    ("meeting", _rx(
        r"\bmeet\b", r"\bmeeting\b", r"\bsit\s+down\b", r"\bzoom\b", r"\bwebex\b", r"\bgoogle meet\b",
        r"\bteams\s+(?:call|meeting)\b", r"\bvideo\s+call\b", r"\b(?:grab|get|have)\s+(?:lunch|coffee)\b",
    )),
    ("review", _rx(
        r"\breconsider(?:ation)?\b", r"\bROV\b", r"\breview\s+(?:the|our|these|this|my)\b",
        r"\btake\s+(?:another|a\s+second)\s+look\b",
    )),
    ("send_documents", _rx(
        r"\b(?:send|e-?mail|forward|fax|provide)(?:\s+(?:me|us|over|along|through))*\s+"
        r"(?:a\s+|an\s+|the\s+|your\s+|our\s+)?(?:(?:copy|copies)\s+of\s+(?:the\s+|your\s+)?)?"
        r"(?:(?:updated|corrected|current|final|revised|signed|new|latest)\s+)?"
        r"(?:copy|copies|invoice|w-?9|e\s*&\s*o|e\s+and\s+o|license|licence|certificate|fee\s+schedule|"
        r"report|documents?|docs|declarations|insurance|price\s+list|pricing)\b",
    )),
)

# Something in the sentence addresses us and asks.
_REQUEST_CUE = _rx(
    r"\b(?:can|could|would|will|can't|won't)\s+(?:you|u|ya|someone|somebody|anyone|one of you|your\s+(?:team|office)|we)\b",
    r"\b(?:are|r)\s+(?:you|u)\s+(?:free|available|around)\b", r"\bdo\s+you\s+have\s+(?:time|a\s+minute|a\s+few\s+minutes)\b",
    r"\blet'?s\b", r"\blet\s+us\b", r"\bshall\s+we\b", r"\bwould\s+love\s+to\b",
    r"\b(?:i'?d|i\s+would|we'?d|we\s+would)\s+(?:like|love)\s+to\s+(?:schedule|set\s*up|meet|arrange|have|get|request)\b",
    r"\b(?:we\s+are|we're|i\s+am|i'm)\s+requesting\b", r"\b(?:we|i)\s+(?:request|need\s+you\s+to)\b",
    r"\bplease\b", r"\bpls\b", r"\bplz\b", r"\bkindly\b", r"\bneed\s+(?:you|someone)\s+to\b",
    r"\bwhen\s+(?:you|u)\s+(?:get|have)\s+a\s+(?:chance|minute|sec)\b", r"\b(?:would|do)\s+you\s+mind\b",
    r"\bmind\s+\w+ing\b", r"\b(?:i'?d|i\s+would|we'?d|we\s+would)\s+appreciate\b",
)
# An imperative at the start of the sentence (after a greeting or a name).
_IMPERATIVE = re.compile(
    r"^(?:(?:hi|hey|hello|ok|okay|also|and|so|[A-Z][a-z]+)\W+){0,2}"
    r"(?:call|phone|ring|give\s+(?:me|us)|return\s+(?:my|our)|send|e-?mail|forward|review|reconsider)\b",
    _I,
)
# Statements that mention the action without asking for it.
_BLOCKER = _rx(
    r"\bif\s+(?:you|there)\s+(?:have|need|want|would\s+like|'d\s+like|are|is)\b", r"\bif\s+you'd\s+like\b",
    r"\bfeel\s+free\b", r"\blet\s+me\s+know\s+if\b", r"\bno\s+need\b", r"\bnot\s+necessary\b",
    r"\b(?:don'?t|do\s+not|no)\s+(?:need\s+to\s+)?(?:call|meet|phone)\b", r"^\s*if\b",
    r"\b(?:may|might)\s+need\s+to\b", r"\bno\s+action\s+(?:is\s+)?(?:needed|required)\b",
    r"\b(?:i|we)(?:'ll|\s+will|\s+would|\s+can|'m\s+going\s+to|\s+am\s+going\s+to)\s+(?:give|call|phone|send|email|meet)\b",
)


# Weaker evidence: not enough to promise a human action, enough to ask a fallback model.
_ACTION_HINT = _rx(r"\b(?:call|phone|ring|meet|meeting|talk|chat|discuss|walk\s+through)\b")
_SOFT_CUE = _rx(
    r"\bwould\s+(?:help|be\s+(?:great|helpful|good|nice|appreciated))\b", r"\bappreciate\b", r"\bhoping\b",
    r"\bwondering\s+if\b", r"\bany\s+chance\b", r"\?",
)


def _sentence_action(sentence: str) -> str | None:
    for name, pattern in _ACTIONS:
        if pattern.search(sentence):
            return name
    return None


@dataclass(frozen=True)
class _RequestFinding:
    action: str | None
    time: str | None
    ambiguous: bool  # an action was mentioned but neither asked for nor ruled out


def _find_request(own: str) -> _RequestFinding:
    parts = sentences(own)
    ambiguous = False
    for i, sentence in enumerate(parts):
        action = _sentence_action(sentence)
        if _BLOCKER.search(sentence):
            continue
        if action is None:
            ambiguous = ambiguous or bool(_ACTION_HINT.search(sentence) and _SOFT_CUE.search(sentence))
            continue
        if _REQUEST_CUE.search(sentence) or _IMPERATIVE.search(sentence):
            time = extract_time(sentence)
            if time is None and i + 1 < len(parts):
                # "I'd like to schedule a meeting. Does next Thursday at 1pm work?"
                follow = parts[i + 1]
                if "?" in follow or re.search(r"\b(?:work|works|good|ok|okay)\b", follow, _I):
                    time = extract_time(follow)
            return _RequestFinding(action, time, False)
        ambiguous = True
    return _RequestFinding(None, None, ambiguous)


# ---------------------------------------------------------------------------
# Requested time, kept as written ("next Tuesday morning", "tomorrow at 3pm").

_DAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"mon|tues?|wed|thu(?:rs?)?|fri)")  # no "sat"/"sun": ordinary words
_REL = r"(?:today|tonight|tomorrow|tomorow|tmrw|tmr|tmw)"
_PART = r"(?:morning|afternoon|evening|night|am|pm)"
_AMPM = r"(?:[ap]m\b|[ap]\.m\.)"
_CLOCK = rf"(?:\d{{1,2}}:\d{{2}}(?:\s*{_AMPM})?|\d{{1,2}}\s*{_AMPM}|noon\b)"
_AT_CLOCK = rf"(?:(?:at|@|around|by)\s+(?:{_CLOCK}|\d{{1,2}}(?![\d:/-])))"
_TIME = re.compile(
    "|".join((
        rf"(?:(?:next|this|on)\s+)?{_DAY}\b(?:\s+{_PART}\b)?(?:,?\s+{_AT_CLOCK})?",
        rf"{_REL}\b(?:\s+{_PART}\b)?(?:,?\s+{_AT_CLOCK})?",
        rf"{_CLOCK}(?:\s+{_REL}\b|\s+(?:on\s+)?{_DAY}\b)?",
        rf"(?:early\s+|later\s+|end\s+of\s+)?(?:next|this)\s+(?:week|month|{_PART})\b",
        rf"later\s+today\b",
        rf"\b\d{{1,2}}/\d{{1,2}}\b",
        rf"{_AT_CLOCK}(?:\s+{_REL}\b|\s+(?:on\s+)?{_DAY}\b)?",
    )),
    _I,
)
_LEADING_PREPOSITION = re.compile(r"^(?:on|at|@|by|around)\s+", _I)


def extract_time(sentence: str) -> str | None:
    best: re.Match[str] | None = None
    for match in _TIME.finditer(sentence):
        if not re.match(r"\b", sentence[match.start():]) and match.start() > 0 and sentence[match.start() - 1].isalnum():
            continue  # inside a word, e.g. "atom"
        if best is None or len(match.group(0)) > len(best.group(0)):
            best = match
    if best is None:
        return None
    return _LEADING_PREPOSITION.sub("", best.group(0).strip()).strip(" ,")


# ---------------------------------------------------------------------------
# Topical labels.

_URGENT = _rx(
    r"\brush\b(?!\s+fees?\b)", r"\basap\b", r"\ba\.s\.a\.p\b", r"\burgent(?:ly)?\b", r"\bexpedite[ds]?\b",
    r"\btime[- ]sensitive\b", r"\bright\s+away\b", r"\bimmediately\b", r"\bprioritize\b", r"\bemergency\b",
    rf"\bclos(?:ing|es?)\s+(?:is\s+|was\s+)?(?:moved\s+up\s+to\s+)?(?:{_REL}|this\s+week|{_DAY})\b",
    r"\bclosing\s+moved\s+up\b", r"\brate\s+lock\s+expires\b", r"\bby\s+(?:eod|end\s+of\s+(?:the\s+)?day)\b",
    r"\bneed\s+(?:it|this|the\s+\w+|the\s+report|the\s+final)\s+(?:done\s+)?(?:today|tonight|asap)\b",
    r"\b(?:done|in)\s+today\b",
)
_NOT_URGENT = _rx(
    r"\bno\s+(?:rush|hurry)\b", r"\bnot\s+(?:urgent|a\s+rush|in\s+a\s+hurry)\b", r"\bisn'?t\s+urgent\b",
    r"\bif\s+(?:this|it)\s+is\s+urgent\b", r"\burgent\s+(?:matters|requests)\b", r"\bwhat(?:'s|\s+is)\s+your\s+rush\b",
)

_COMPLAINT = _rx(
    r"\bdisappoint(?:ed|ing|ment)\b", r"\bunacceptable\b", r"\bfrustrat(?:ed|ing|ion)\b", r"\bnot\s+happy\b",
    r"\bunhappy\b", r"\bterrible\b", r"\bawful\b", r"\bpoor\s+(?:quality|service|communication|job)\b",
    r"\bcomplaints?\b", r"\brude\b", r"\bunprofessional\b", r"\bsloppy\b",
    r"\bquality\b.{0,60}\b(?:slipped|declined|dropped|gone\s+down)\b",
    r"\b(?:way\s+)?too\s+long\b", r"\b(?:second|third|fourth|\d+(?:st|nd|rd|th))\s+(?:time|escalation|revision)\b",
    r"\btired\s+of\b", r"\bcame\s+back\s+(?:late|with\s+errors)\b", r"\bwith\s+errors\b",
    r"\b(?:not|isn'?t)\s+the\s+quality\b", r"\bbelow\s+(?:our\s+)?(?:standards|expectations)\b",
    r"\bescalation\b", r"\bno[- ]show\b", r"\bnot\s+show(?:ing)?\s+up\b", r"\bdidn'?t\s+show\s+up\b",
    r"\bstill\s+(?:don'?t|do\s+not|haven'?t)\s+(?:have|received|got(?:ten)?)\b",
)
_NOT_COMPLAINT = _rx(r"\bno\s+complaints?\b", r"\bnot\s+disappointed\b")

_RENEWAL_WORD = _rx(r"\brenew(?:al|als|ing|ed)?\b", r"\brecertif(?:y|ication)\b", r"\bre-?credential(?:ing)?\b")
_RENEWAL_CONTEXT = _rx(
    r"\bvendor\b", r"\bpanel\b", r"\bcontract\b", r"\bagreement\b", r"\bapproved\s+(?:vendor|appraiser|list)\b",
    r"\bengagement\s+terms\b", r"\bmaster\s+service\b", r"\bMSA\b", r"\bapproved\s+list\b",
)
_NOT_OUR_RENEWAL = _rx(
    r"\bheloc\b", r"\bline\s+of\s+credit\b", r"\bloan\b", r"\bmortgage\b", r"\bsubscription\b", r"\bauto-?renew",
    r"\blease\b", r"\bborrower\b", r"\bmembership\b",
)

_UPSELL = _rx(
    r"\badd(?:ing)?\s+(?:your\s+)?(?:desktop|drive-?by|hybrid|2055|1004d|bpo|review|inspection|commercial)",
    r"\badd\s+(?:those|these|them)\s+to\s+our\b",
    r"\bexpand(?:ing)?\s+(?:into|to|our)\b", r"\bexpansion\b",
    r"\b(?:more|additional|extra)\s+(?:volume|orders|business|work)\b",
    r"\bincrease\s+(?:the\s+)?(?:number\s+of\s+orders|volume|orders)\b", r"\bnew\s+business\b",
    r"\b(?:cover|coverage)\b.{0,40}\bcount(?:y|ies)\b", r"\bcount(?:y|ies)\b.{0,60}\bcover\b",
    r"\bdo\s+you\s+(?:also\s+)?(?:do|offer|handle|cover)\b", r"\binterested\s+in\s+adding\b",
    r"\blooking\s+for\s+an?\s+appraiser\s+for\b", r"\bprimary\s+appraisal\s+partner\b",
    r"\bapproved\s+to\s+lend\s+in\b", r"\bnew\s+(?:loan\s+)?program\b.{0,80}\b(?:need|inspection|appraisal)",
    r"\bsend\s+you\s+more\b",
)
_NOT_UPSELL = _rx(r"\b(?:fewer|less)\s+(?:orders|volume)\b", r"\bpausing\b", r"\breducing\b")


def _any_sentence(parts: list[str], yes: re.Pattern[str], no: re.Pattern[str]) -> bool:
    return any(yes.search(s) and not no.search(s) for s in parts)


def _renewal(text: str, parts: list[str]) -> bool:
    return bool(_RENEWAL_CONTEXT.search(text)) and _any_sentence(parts, _RENEWAL_WORD, _NOT_OUR_RENEWAL)


# ---------------------------------------------------------------------------

def _lower_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (headers or {}).items()}


def classify(subject: str, body: str, from_addr: str = "", headers: Mapping[str, str] | None = None) -> Classification:
    subject = subject or ""
    body = body or ""
    hdrs = _lower_headers(headers)
    name, addr = parseaddr(from_addr or hdrs.get("from", ""))
    addr = addr.lower()

    if _is_bounce(subject, body, addr, name, hdrs):
        return Classification(("bounce",), None, None, 0.98, False)
    auto, auto_confidence = _is_auto_reply(subject, body, hdrs)
    if auto:
        return Classification(("out_of_office",), None, None, auto_confidence, False)

    parts = split_mail(body, subject)
    text = MailText(parts.new_text, parts.text("forwarded"))
    # A reply's subject is inherited from the thread; only a fresh subject speaks for the sender.
    topical_subject = fresh_subject(subject)
    topical = "\n".join(t for t in (topical_subject, text.own, text.forwarded) if t)

    labels: set[str] = set()
    # Only the sender's own words say it is bulk: our footer quoted in a reply does not.
    bulk = _is_bulk("\n".join(parts.text(k) for k in ("new", "signature", "disclaimer")), hdrs)
    parts = sentences(topical)
    if _renewal(topical, parts):
        labels.add("renewal")
    if bulk:
        return Classification(tuple(sorted(labels)), None, None, 0.85, False)

    if _opt_out(subject, text.own):
        labels.add("opt_out")
    request = _find_request(text.own)
    if request.action:
        labels.add("explicit_request")
    if _any_sentence(parts, _URGENT, _NOT_URGENT):
        labels.add("urgent")
    if _any_sentence(parts, _COMPLAINT, _NOT_COMPLAINT):
        labels.add("complaint")
    if _any_sentence(parts, _UPSELL, _NOT_UPSELL):
        labels.add("upsell")

    undecided = request.ambiguous and not request.action
    confidence = 0.5 if undecided else (0.85 if labels else 0.75)
    return Classification(
        labels=tuple(label for label in sorted(labels)),
        requested_action=request.action,
        requested_time=request.time if request.action else None,
        confidence=confidence,
        undecided=undecided,
    )
