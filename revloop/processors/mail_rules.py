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
    r"on (?:vacation|holiday|leave|maternity leave|paternity leave|pto)|traveling|travelling|out on pto|"
    r"away from (?:the|my) desk|(?:out\s+)?on\s+(?:medical|sick|family|parental|bereavement|extended|personal|disability)\s+leave)\b",
    r"\b(?:not|n't)\s+(?:be\s+)?checking\s+(?:my\s+)?e-?mails?\b",
    r"\bwill (?:respond|reply|get back to you)(?: to your (?:message|e-?mail))? (?:when|upon|on) (?:i|my) return",
    r"\b(?:limited|no|intermittent) access to (?:my )?e-?mail\b", r"\bwill (?:not|n't) be checking e-?mail\b",
    r"\byour (?:message|email|e-mail) will not be forwarded\b", r"\bthis is an automated (?:response|reply)\b",
    r"\bestoy (?:fuera de la oficina|de vacaciones)\b", r"\bno longer (?:work|with) (?:at|for)?\b",
)


# A portal's or a system's generated notice ("Your password will expire in 7 days", "Do not reply to this message")
# carries Auto-Submitted: auto-generated like an Exchange out-of-office, but says nothing of anyone being away.
_MACHINE_NOTICE = re.compile(r"\b(?:do\s+not|don'?t|please\s+do\s+not)\s+reply\b|\bautomated\s+(?:notice|notification|message|alert)\b"
                             r"|\bpassword\b|\bportal\b|\bnotification\b|\bsystem\s+(?:notice|message|alert)\b", re.I)


def auto_reply(subject: str, body: str, headers: Mapping[str, str]) -> str | None:
    """Why this is an automatic reply, or None."""
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto not in ("", "no") and not (auto.startswith("auto-generated") and _MACHINE_NOTICE.search(f"{subject}\n{body}")
                                       and not _OOO_SUBJECT.search(subject) and not _OOO_BODY.search(body)):
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
    r"^[ \t]*view\s+(?:this\s+(?:e-?mail\s+|newsletter\s+)?)?(?:in\s+(?:your\s+|a\s+)?browser|online)\b",
    r"^[ \t]*you(?:'re|\s+are)\s+receiving\s+this\b", r"\bmanage\s+(?:your\s+)?(?:subscription\s+)?preferences\b",
    r"\bto\s+opt\s+out\s+of\s+(?:future|these|our)\s+(?:offers|e-?mails|messages|promotions)\b",
    # rules 66: an unsubscribe link given in the message ("Don't want these emails? Unsubscribe: https://..."): a sender's
    # footer, never typed by a person opting out
    r"\b(?:unsubscribe|opt[ -]?out)\s*(?:here\s*)?[:\-–—]\s*<?https?://",
    flags=_M,
)


def bulk(own_message: str, headers: Mapping[str, str], subject: str = "") -> str | None:
    """Why this is bulk mail, from headers or a marketing footer in the sender's own message."""
    if "list-unsubscribe" in headers:
        return "List-Unsubscribe header"
    if headers.get("auto-submitted", "").strip().lower().startswith("auto-generated") and \
            _MACHINE_NOTICE.search(f"{subject}\n{own_message or ''}"):
        return "a generated notice (Auto-Submitted: auto-generated)"   # a portal's "URGENT: password expires": nobody asks
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return f"Precedence: {precedence}"
    m = _MARKETING_LINE.search(own_message or "")
    if m:
        return f"marketing footer {m.group(0).strip()!r}"
    if _LONE_UNSUBSCRIBE.search(own_message or "") and (_PITCH.search(own_message or "") or _SALE_OFFER.search(own_message or "")):
        return "a pitch over an 'Unsubscribe' line"
    m = _COLD_PITCH.search(own_message or "")
    if m:
        return f"a vendor's pitch {m.group(0).strip()!r}"
    if _GENERATED.search(own_message or "") and _NO_REPLY.search(own_message or "") and not _OOO_BODY.search(own_message or ""):
        return "a generated notice (automated message, do not reply)"   # rules 40: a portal's "URGENT: Action required"
    return None


_GENERATED = re.compile(r"\bthis\s+is\s+an\s+(?:automated|automatic|auto-generated|system[- ]generated)\s+"
                        r"(?:message|notice|notification|e-?mail|alert)\b", re.I)
_NO_REPLY = re.compile(r"\b(?:do\s+not|don'?t|please\s+do\s+not)\s+reply\b|\bno-?reply\b", re.I)


# A seller pitching their product or service to us, with or without list headers: "I help appraisal firms cut turn
# times", "Book your demo", "pricing starts at $99 per seat", "50 qualified leads a month", a recruiter. Its "do you
# have 15 minutes for a call?" is no client's request. A client asking us for a demo ("could we schedule a demo of your
# portal?") is not matched: the demo signal is an imperative at a sentence's start or "your demo".
_COLD_PITCH = re.compile(
    r"\b(?:i|we)\s+help\s+(?:\w+\s+){0,3}?(?:appraisers|appraisal\s+(?:firms|companies|shops|offices)|amcs|"
    r"(?:firms|companies|businesses|offices)\s+like\s+yours)\b"
    r"|(?:^[ \t]*|(?<=[.!?]\s))(?:book|schedule|grab|claim)\s+(?:a|your)\s+(?:free\s+|quick\s+|personal\s+)?demo\b|\bbook\s+your\s+(?:free\s+)?demo\b"
    r"|\bpricing\s+starts\s+at\b|\$\d+(?:\.\d\d)?\s*(?:/|per\s+)(?:seat|user)\b"
    # rules 40: a monthly price is a pitch when offered ("just $39/month", "plans from $99/mo"), not a payment told
    # ("she loses about $40/month")
    r"|\b(?:only|just|from|at|for|starting\s+at)\s+\$\d+(?:\.\d\d)?\s*(?:/|per\s+|a\s+)(?:month|mo)\b"
    r"|\b(?:qualified|warm|exclusive)\s+(?:leads|appointments)\b|\bi'?m\s+recruiting\b"
    r"|\bsomos\s+una\s+(?:agencia|empresa)\s+de\s+(?:marketing|software|publicidad)\b"
    r"|\b(?:reach\s+out|contact\s+us|call\s+us)\s+(?:today\s+)?to\s+learn\s+more\b"
    # rules 35: a discount on the seller's own product ("20% off their first ten reports")
    r"|\b\d{1,2}\s*%\s+off\s+(?:your|their|the|our)\s+(?:first|next)\b", _I | _M)


# A line holding only "Unsubscribe" under a vendor's pitch (a person typing only "Unsubscribe" is opting out).
_LONE_UNSUBSCRIBE = re.compile(r"^[ \t]*unsubscribe(?:\s+from\s+(?:these|this|our|all)\s+(?:e-?mails|messages|mailings|list|newsletters?))?[ \t]*[.!]?[ \t]*$", _M)
# rules 52: a seller's offer to buy now ("Enroll today", "for $129") over such a line is a pitch too
_SALE_OFFER = re.compile(r"\b(?:enroll|register|sign\s+up|order|buy|shop|join)\s+(?:today|now)\b|\bfor\s+(?:only\s+|just\s+)?\$\d+(?:\.\d\d)?\b(?!\s+(?:on|for)\s+\d)", _I)


_BARE_OPT_OUT = re.compile(
    r"^\W*(?:(?:please|pls|plz|kindly)\s+)?(?:stop|unsubscribe|unsub|remove|remove\s+me|remove\s+us|opt\s*-?\s*out|"
    r"opt\s+me\s+out|take\s+me\s+off|baja|darme\s+de\s+baja|dar\s+de\s+baja|no\s+m[aá]s)(?:[\s,]+(?:please|pls|plz|thanks|thx|"
    r"gracias|por\s+favor))?\W*$", _I)


_LONE_STOP = re.compile(r"^\W*(?:stop|baja|no\s+m[aá]s)\W*$", _I)


def bare_opt_out_line(unit_text: str) -> str | None:
    """A line of the new text that is nothing but an opt-out ("Opt out.", "pleas stop", "unsubscribe me") amid other
    news. A lone "Stop." or "No más." inside a longer message is left to the model: it may answer something else."""
    text = " ".join((unit_text or "").split())
    if not text or _LONE_STOP.match(text):
        return None
    if _BARE_OPT_OUT.match(text) or _BARE_OPT_OUT.match(forgive_typos(text)) or _BARE_OPT_OUT.match(forgive_opt_out_typos(text)):
        return text
    return None


def bare_opt_out(new_text_without_greeting: str, fresh_subject: str) -> str | None:
    text = " ".join((new_text_without_greeting or "").split())
    if text and (_BARE_OPT_OUT.match(text) or _BARE_OPT_OUT.match(forgive_opt_out_typos(text))):   # rules 56: "unsubcribe"
        return text
    if len(text) <= 12 and fresh_subject and _BARE_OPT_OUT.match(fresh_subject):
        return fresh_subject
    return None


# Phrasings that ask us to stop mailing, whatever surrounds them (a run-on sentence, a complaint). Only
# the sender's new text (or a fresh subject) is searched, never a quote; a negation just before
# ("don't remove me from the list") or an instruction to opt out ("Reply STOP") voids a match.
_WHO = r"(?:(?:the|this|my|our)\s+(?:e-?mail\s+)?address\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+|me|us|my\s+(?:e-?mail|name|address)|our\s+(?:e-?mail|office|address)|this\s+(?:e-?mail(?:\s+address)?|address)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
_LIST = (r"(?:(?:your|ur|the|this|that|all|any|every|all\s+your)\s+)?(?:[\w-]+\s+){0,3}"
         r"(?:list|lists|mailing|mailings|distributions?|distros?|database|contacts|contact\s+list|e-?mails|marketing|newsletters?|"
         r"(?:market|monthly|weekly|quarterly)\s+updates|promos?|promotions|promotional\s+e-?mails|e-?blasts?|blasts|digests?|bulletins?)")
# Our own newsletters and letters by the names people give them (never a report, an invoice or an order).
_OUR_LETTERS = (r"(?:newsletters?|news\s+letters?|market\s+(?:letters?|reports?|updates?|notes|snapshots?|recaps?|emails?)|"
                r"(?:monthly|weekly|quarterly)\s+(?:letters?|updates?|e-?mails|mailings?|digests?)|bulletins?|digests?|mailers?|e-?blasts?|"
                r"announcements|promos?|promotions|"
                # rules 56: a recurring mailing named by its cadence ("the Friday recap", "the weekly roundup", "the
                # monthly market update"): our mail, not a report of work
                r"(?:daily|weekly|monthly|quarterly|morning|evening|weekend|end-of-week|end\s+of\s+week|"
                r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s+(?:market\s+|rate\s+|email\s+|e-mail\s+)?"
                r"(?:recaps?|round-?ups?|summar(?:y|ies)|updates?|e-?mails?|letters?|rate\s+sheets?|sheets?|digests?|blasts?|notes|reports?))")
# rules 69: our seasonal mail by the names people give it
_HOLIDAY_MAIL = (r"(?:(?:holiday|christmas|thanksgiving|birthday|new\s+year'?s?|season'?s?(?:\s+greetings)?)\s+(?:e-?cards?|cards?|greetings|e-?mails?|"
                 r"mailings?|stuff|messages|newsletters?)|e-?cards?)")
_OPT_OUT_PHRASE = re.compile(
    r"\bunsub(?:scribe)?\s+" + _WHO + r"\b"
    r"|\b(?:please|pls|plz|kindly|can\s+you|could\s+you)\s+unsubscribe\b"
    r"|\b(?:i|we)(?:'d|\s+would)?\s+(?:like|want|wish)\s+to\s+(?:unsubscribe|opt[ -]?out|be\s+(?:removed|taken\s+off))\b"
    # rules 56: "how do I unsubscribe my client from the Zillow alerts?" asks about someone else's mail, not ours
    r"|\bhow\s+(?:do|can)\s+(?:i|we)\s+(?:unsubscribe|opt[ -]?out|get\s+off)\b(?!\s+(?:my|our|his|her|their|a|an|the)\s+(?!e-?mail|address)\w|\s+(?:him|her|them|clients?|people|someone|somebody)\b)"
    r"|\b(?:remove|take|delete|drop)\s+" + _WHO + r"\s+(?:off|of|from|out\s+of)\s+" + _LIST + r"\b"
    r"|\btake\s+(?:me|us)\s+(?:off|of)\s+(?:your|ur|the|this)\s+(?:\w+\s+)?list\b"
    # rules 35: off our letters by name ("please take me off the market letter")
    r"|\b(?:remove|take|delete|drop)\s+" + _WHO + r"\s+(?:off|of|from|out\s+of)\s+(?:your|ur|the|this|these|those|all\s+(?:the\s+|your\s+)?)?(?:[\w-]+\s+){0,2}?" + _OUR_LETTERS + r"\b"
    # rules 56: someone of the sender's taken off our letters by name or role ("take Dana off the Friday recap", "drop my
    # assistant from the newsletter"); off an order, a thread or a call is no opt-out (the letters are named)
    r"|\b(?:remove|take|delete|drop)\s+(?:(?:both\s+)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?:\s*(?:,|and|&)\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+)+|(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?|(?:my|our)\s+(?:assistant|colleague|partner|associate|"
    r"co-?worker|office\s+manager|processor|team))\s+(?:off|of|from|out\s+of)\s+(?:your|ur|the|this|these|those|all\s+(?:the\s+|your\s+)?)?"
    r"(?:[\w-]+\s+){0,2}?(?:" + _OUR_LETTERS + r"|mailing\s+list|distribution\s+list|e-?mail\s+list)\b"
    r"|\bopt\s+(?:me|us)\s+out\b"
    # "there's no need to keep me on your mailing list", "please don't keep me on the newsletter"
    r"|\b(?:no\s+need\s+to|(?:please\s+)?(?:don'?t|do\s+not)|no\s+reason\s+to)\s+keep\s+" + _WHO + r"\s+on\s+" + _LIST + r"\b"
    # "I'd rather not receive the monthly market updates anymore"
    r"|\b(?:i'?d|we'?d|would)\s+(?:rather|prefer)\s+not\s+(?:to\s+)?(?:receive|get)\s+(?:the|your|these|those|any)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:e-?mails|newsletters?|updates|promos?|promotions|mailings|blasts|digests?|bulletins?|marketing)\b"
    r"|\b(?:please|pls|plz|kindly)\s+remove\s*(?:[.!]+|$)"
    r"|\b(?:do\s+not|don'?t|dont)\s+send\s+(?:me|us)\s+any\s*more\b"
    r"|\bremove\s+(?:me|us)\s*(?:,?\s*(?:please|pls|thanks|thank\s+you|thx))?\s*(?:[.!?]+|$)"
    r"|\b(?:stop|quit)\s+(?:e-?mailing|mailing|spamming|messaging|contacting)\s+(?:me|us|this\s+address|our\s+office)\b"
    r"|\bstop\s+sending\s+(?:these|them|those)\b(?!\s+(?:reports|invoices|orders|photos|files)\b)"
    # rules 66: our mail stopped by its name ("kindly stop the emails", "please stop the market recaps"; not "stop the
    # inspection", not the emails to one address: "stop the emails to my old address"); wished to stop ("I'd like these
    # e-mails to stop")
    r"|(?:^\W*|\b(?:please|pls|plz|kindly|just|can\s+you|could\s+you)\s+)stop\s+(?:the|these|those|your|all\s+(?:the\s+|these\s+|your\s+)?)\s*"
    r"(?:[\w-]+\s+){0,2}?(?:e-?mails|mails|messages|mailings|" + _OUR_LETTERS + r")\b(?!\s+(?:to|from|for|about|on|going|at|with)\b)"
    r"|\b(?:i'?d|we'?d|i\s+would|we\s+would|i|we)\s+(?:really\s+)?(?:like|love|prefer|want)\s+(?:the|these|those|your|all\s+(?:the\s+|these\s+|your\s+)?)\s*"
    r"(?:[\w-]+\s+){0,2}?(?:e-?mails|mails|messages|mailings|" + _OUR_LETTERS + r")\s+to\s+stop\b"
    r"|\bstop\s+sending\s+(?:me|us)\b(?!\s+(?:the|a|an)\s+\w*\s*(?:report|invoice|order|photos|copy)s?\b)"
    r"|\b(?:do\s+not|don'?t|dont)\s+(?:e-?mail|contact|message|spam)\s+(?:me|us)\s+(?:again|anymore|any\s+more|ever)\b"
    r"|\bno\s+more\s+(?:e-?mails|mail|messages|of\s+(?:these|this|your\s+e-?mails))\b(?!\s+(?:needed|necessary|required))"
    # (rules 66: not "we don't want to get billed for a trip fee": getting a charge, not our mail)
    r"|\b(?:no\s+longer|don'?t|do\s+not)\s+(?:want|wish)\s+to\s+(?:receive|get(?!\s+(?!e-?mailed|spammed|contacted|messaged|texted)"
    r"(?:\w+ed|stuck|hit|caught)\b)|be\s+contacted)\b"
    r"|\b(?:qu|k)[ií]t(?:enme|eme|ame|en(?:nos)?)\s+de\s+(?:su|sus|la|esta)\s+lista"
    r"|\b(?:qu|k)[ií]t(?:enme|eme|ame|en(?:nos)?)\s+(?:de|del)\s+(?:este|su|el|la|esta|sus|estos)?\s*(?:bolet[ií]n|boletines|newsletter|listado|correos|env[ií]os)\b"
    # rules 33: "no longer interested in these emails", "enough with the newsletters", "I'll pass on these from now on",
    # "you can remove this address" (not from an order or a report)
    r"|\b(?:no\s+longer|not)\s+interested\s+in\s+(?:these|your|the|this|any\s+of\s+(?:these|your))\s+(?:[\w-]+\s+){0,2}?(?:e-?mails|mails|messages|"
    + _OUR_LETTERS + r")\b"
    r"|\benough\s+(?:with|of)\s+(?:the|these|your|all\s+the)\s+(?:[\w-]+\s+)?" + _OUR_LETTERS + r"\b"
    r"|\b(?:i'?ll|i\s+will|we'?ll|we\s+will)\s+pass\s+on\s+(?:these|them|the\s+" + _OUR_LETTERS + r")\s+(?:from\s+now\s+on|going\s+forward|in\s+(?:the\s+)?future)\b"
    r"|\b(?:remove|delete|drop)\s+(?:this|my|our)\s+(?:e-?mail\s+)?(?:address|inbox)\b(?!\s+(?:from|off|on|in)\s+(?:the\s+|your\s+)?(?:order|file|report|invoice|appraisal|form))"
    r"|\bd(?:arme|arnos|en(?:me)?)\s+de\s+baja\b"
    r"|\bno\s+(?:me|nos)\s+(?:env[ií]en|manden|escriban)\s+m[aá]s\b"
    r"|\bya\s+no\s+(?:me|nos)\s+(?:manden|env[ií]en|mande|env[ií]e|escriban)\s+(?:el|los|la|las|sus|su|m[aá]s|esto|estos|estas|eso|esos|este\s+\w+)\b"
    # rules 32: our newsletters by name ("could you stop sending me the market reports?", "I don't need the weekly market
    # letters any more; invoices to me as before": a partial opt-out is an opt-out), "no need to keep sending me these"
    r"|\b(?:stop|quit|cease)\s+(?:sending|e-?mailing|mailing)\s+(?:me\s+|us\s+)?(?:the\s+|your\s+|these\s+|those\s+|all\s+(?:the\s+|your\s+)?)?"
    r"(?:[\w-]+\s+){0,2}?" + _OUR_LETTERS + r"\b"
    r"|\b(?:i|we)\s+(?:really\s+)?(?:don'?t|do\s+not|no\s+longer)\s+(?:need|want)\s+(?:the|your|these|those|any)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:" + _OUR_LETTERS + r"|(?:marketing|promo)\s+(?:e-?mails|mails))\b(?:[^.;!?]{0,20}?\b(?:any\s*more|any\s+longer|now)\b)?"
    r"|\b(?:no\s+need|no\s+reason)\s+to\s+keep\s+sending\s+(?:me|us)\b|\b(?:please\s+)?(?:don'?t|do\s+not)\s+keep\s+sending\s+(?:me|us)\b"
    r"|\b(?:i'?d|we'?d|would)\s+(?:rather|prefer)\s+not\s+(?:to\s+)?(?:receive|get)\s+(?:these|them|this|those)\s+(?:any\s*more|any\s+longer)\b"
    r"|\b(?:never|(?:please\s+)?(?:do\s+not|don'?t))\s+(?:contact|e-?mail)\s+(?:this\s+(?:address|e-?mail(?:\s+address)?)|me|us)\s+(?:again|any\s*more)\b"
    r"|\b(?:keep|kept)\s+asking\s+to\s+be\s+(?:unsubscribed|removed|taken\s+off)\b|\basked\s+to\s+be\s+unsubscribed\b"
    r"|\b(?:j[áa]\s+)n[ãa]o\s+(?:quero|desejo)\s+(?:mais\s+)?receber\b|\bparem\s+de\s+(?:me\s+|nos\s+)?(?:mandar|enviar)\b"
    r"|\bcancelar\s+(?:a\s+)?(?:minha\s+)?inscri[çc][ãa]o\b|\b(?:favor|por\s+favor)\s+n[ãa]o\s+(?:me\s+)?enviar\s+mais\b"
    r"|\bfavor\s+de\s+no\s+(?:enviarme|mandarme|escribirme)\s+m[aá]s\b|\bborren\s+mi\s+(?:direcci[oó]n|correo)\b"
    r"|\bdejen\s+de\s+(?:enviarme|escribirme|mandarme|enviarnos|escribirnos)\b"
    # a sentence that is only the word, after a name ("Rachel, unsubscribe!!"); Spanish and Portuguese plainly said
    r"|^\W*(?:(?:hi|hello|hey|dear)\s+)?(?:[A-Z][a-z]+,\s*)?(?:unsubscribe|unsub)\s*[.!]*\s*$|^\W*baja,?\s+(?:por\s+favor|porfa|gracias)\W*$"
    r"|\bya\s+no\s+(?:deseo|quiero)\s+recibir\b|\bno\s+(?:deseo|quiero)\s+recibir\s+m[aá]s\b"
    # rules 50: "ya no me interesa recibir el boletín", "não me interessa mais receber"; our mailing cancelled as a
    # subscription ("please cancel my subscription to your emails")
    # rules 53: es imperatives with the pronoun ("bórrenme", "sáquenme de su lista"), "no quiero más correos", the letter
    # no longer needed ("ya no necesito el boletín"); en "I request removal of <address> from your lists", our letters
    # that "can stop"
    r"|\bb[oó]rr(?:enme|eme|ame|ennos)\b(?!\s+(?:el|la|los|las)\s+(?:pedido|orden|cita|factura|comparable))"
    r"|\bs[aá]qu(?:enme|eme|ennos)\s+de\s+(?:su|sus|la|las|esta|esa|el|este|ese)\s+(?:\w+\s+)?(?:lista|listas|bolet[ií]n|correos|env[ií]os)\b|\bs[aá]came\s+de\s+(?:la|tu|su|esta)\s+lista\b"
    r"|\bno\s+quiero\s+(?:recibir\s+)?m[aá]s\s+(?:correos|e-?mails|mensajes|boletines|bolet[ií]n|env[ií]os|publicidad)\b"
    r"|\bya\s+no\s+(?:necesito|necesitamos|quiero|queremos|leo)\s+(?:el|los|sus|su|este|estos)\s+(?:\w+\s+)?(?:bolet[ií]n|boletines|correos\s+de\s+mercado|newsletter)\b"
    r"|\b(?:request|requesting|ask\s+for)\s+(?:the\s+)?removal\s+of\s+(?:me|us|my\s+\w+|this\s+\w+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s+from\s+(?:all\s+)?(?:of\s+)?(?:your|the)\s+(?:[\w-]+\s+)?(?:lists?|mailing\s+lists?|distribution)\b"
    r"|\b(?:the|your|these)\s+(?:[\w-]+\s+){0,2}?(?:updates|newsletters?|market\s+(?:letters?|reports?|updates?)|e-?mails|mailings|emails)\s+can\s+stop\b"
    r"|\b(?:ya\s+)?no\s+(?:me|nos)\s+interesa\s+(?:seguir\s+recibiendo|seguir\s+recibir|recibir)\b|\bn[ãa]o\s+(?:me|nos)\s+interessa\s+(?:mais\s+)?receber\b"
    r"|\bcancel\s+(?:my|our|this)\s+(?:e-?mail\s+|newsletter\s+|mailing\s+)?subscription(?:\s+to\s+(?:your|ur|the|these|this)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:e-?mails|list|mailing\s+list|newsletters?|updates|mailings?|letters?|marketing))?(?=\s*(?:[.!,;]|$|please|pls|thanks|thank))"
    # rules 59: our mail turned off ("can you turn off the satisfaction surveys for me?"), an address removed with nothing
    # more ("Please remove office@marsh.example, thanks."), "Enough with the emails." said alone, "make it stop" said alone
    r"|\b(?:turn|switch|shut)\s+off\s+(?:the|these|those|your|all\s+(?:the\s+|these\s+|your\s+)?)?(?:[\w-]+\s+){0,2}?(?:surveys?|e-?mails|"
    r"reminders|notifications|newsletters?|mailings?|market\s+(?:letters?|updates?|reports?)|updates)\b(?!\s+(?:on|for)\s+(?:the\s+)?(?:order|file|loan))"
    r"|^\W*(?:(?:please|pls|plz|kindly)\s+)?(?:remove|unsubscribe|delete)\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*(?:,?\s*(?:please|pls|thanks|thank\s+you|thx))?\s*[.!]*\s*$"
    r"|^\W*enough\s+(?:with|of)\s+(?:the|these|your|all\s+(?:the|these|your))\s+(?:[\w-]+\s+)?(?:e-?mails|messages|mailings)\s*[.!]*\s*$"
    r"|^\W*(?:(?:please|pls|plz|just)\s+)?make\s+(?:it|them|these|the\s+e-?mails)\s+stop\W*$"
    r"|\bdejen\s+de\s+(?:envi|escrib|mand)[aá]r(?:me|nos)(?:l[oa]s?)?\b"
    r"|\b(?:no\s+need|no\s+reason)\s+to\s+(?:keep\s+)?send(?:ing)?\s+(?:me|us)\s+(?:the|these|those|your)\s+(?:[\w-]+\s+){0,2}?" + _OUR_LETTERS + r"\b"
    # rules 56: pt "me descadastrem", "quero me descadastrar", "cancelar o recebimento"; es "desuscríbanme",
    # "cancelen mi suscripción", "no me envíen más correos"
    r"|\bdescadastr(?:em|e|ar|a|em-me|e-me)\b|\bme\s+descadastr\w+"
    r"|\bcancelar\s+o\s+recebimento\s+(?:d[oa]s?\s+)?(?:\w+\s+)?(?:e-?mails|boletins|boletim|newsletters?|mensagens|informativos?|comunicados)\b"
    r"|\bdesuscr[ií]b(?:anme|ame|eme|irme|irnos|anos)\b|\bdesinscr[ií]b(?:anme|irme)\b"
    r"|\b(?:quiero|quisiera|queremos|deseo|deseamos|me\s+gustar[ií]a|quero|queremos|gostaria\s+de|gostar[ií]amos\s+de|desejo)\s+"
    r"(?:dejar\s+de\s+recibir|deixar\s+de\s+receber|n[ãa]o\s+receber\s+mais)\b"
    r"|\bcancel(?:ar|en|e)\s+(?:mi|nuestra)\s+suscripci[oó]n\b"
    r"|\bno\s+(?:me|nos)\s+(?:env[ií]en|manden|mande|env[ií]e)\s+(?:m[aá]s\s+)?(?:correos|e-?mails|mensajes|boletines|publicidad|promociones)\b"
    r"|\bn[ãa]o\s+(?:quero|desejo)\s+mais\s+receber\b|\b(?:me\s+)?(?:tirem|removam|excluam)\s+(?:me\s+)?(?:da|dessa|desta)\s+lista\b"
    # "removam meu e-mail da lista de vocês", "quiten mi correo de su lista"
    r"|\b(?:tirem|removam|excluam|retirem|remova|tire|exclua|retire|quiten|quite|borren|borre|eliminen|elimine)\s+(?:o\s+)?"
    r"(?:meu|mi|nosso|nuestro)\s+(?:e-?mail|correo|endere[çc]o|direcci[oó]n|nome|nombre|contato|contacto)\s+(?:da|de|dessa|desta)\s+"
    r"(?:sua\s+|su\s+|la\s+|esta\s+)?(?:lista|mailing)\b"
    # rules 69: partial opt-outs (the guide: "a partial opt-out is an opt-out"): one kind wanted and our letters not ("I only
    # want the invoices from you, not the newsletters"), moved to fewer of them ("switch me to just the quarterly market
    # report"), our holiday mail stopped by its name ("quit sending the holiday e-cards")
    r"|\b(?:i|we)\s+(?:only|just)\s+(?:want|need)\s+(?:the\s+|your\s+)?[^.?!]{1,50}?,?\s+not\s+(?:the\s+|your\s+|any\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:" + _OUR_LETTERS + "|" + _HOLIDAY_MAIL + r")"
    r"|\b(?:switch|move|change|put)\s+(?:me|us)\s+(?:over\s+)?(?:to|onto)\s+(?:just|only)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?" + _OUR_LETTERS + r"\b"
    r"|\b(?:stop|quit|cease)\s+(?:sending|e-?mailing|mailing)\s+(?:me\s+|us\s+)?(?:the\s+|your\s+|these\s+|those\s+|all\s+(?:the\s+|your\s+)?)?(?:[\w-]+\s+){0,2}?"
    + _HOLIDAY_MAIL + r"\b", _I)
_NEGATED = re.compile(r"\b(?:don'?t|do\s+not|dont|never|not|no\s+need\s+to)\s+(?:(?!(?:interested|needed|necessary|relevant|useful|"
                      r"happy|ok|okay|working|sure|helpful|applicable)\b)\w+\s+){0,1}$"
                      # rules 35: Spanish and Portuguese say it with "no" / "não" right before ("no dejen de mandarme el
                      # boletín" = don't stop sending it to me)
                      r"|(?:^|[\s,;¡¿])(?:no|n[ãa]o|nunca)\s+(?:(?:me|nos|te|le|les)\s+)?$", _I)


# "STOP" typed in capitals, alone or run into the next sentence ("STOP Weather's turning"), not "STOP work on ...".
_SHOUTED_STOP = re.compile(r"^\W*(STOP|UNSUBSCRIBE)\b(?=\W*$|[\s.!]+[A-Z¿¡])")


# "Remove me now.", "Remove me and fix it.": an imperative "remove me" opening a sentence, unless it is from a thread,
# a cc line, a call or a meeting (leaving a conversation, not our mailing list).
_REMOVE_ME = re.compile(r"^\W*(?:(?:please|pls|plz|kindly|just)\s+)?remove\s+(?:me|us)\b(?!\s+(?:from|off)\s+(?:the\s+|this\s+|that\s+)?"
                        r"(?:cc|thread|chain|e-?mail\s+chain|call|invite|invitation|meeting|group|loop|conversation|file|order))", _I)


# rules 56: the opt-out words typed with a slip ("unsubcribe", "unsubscibe", "remvoe me", "mailng list", "anmore"), read as the word
# itself, for the opt-out phrasings only (each still needs its whole shape: "please unsubcribe me", a lone "Unsubscrbe").
# Up to two edits for a word as long as "unsubscribe", one for shorter ones; real words that are that close are left as
# they are ("subscribe me" is the opposite, "I unsubscribed" is news, "removed", "remote").
_OPT_OUT_TYPO_WORDS = (("unsubscribe", 2), ("subscription", 2), ("newsletter", 2), ("remove", 1), ("mailing", 1),
                       ("emailing", 1), ("sending", 1), ("anymore", 1))
_NOT_OPT_OUT_TYPOS = frozenset((
    "subscribe", "subscribed", "subscriber", "subscribers", "subscribes", "unsubscribed", "unsubscribes", "resubscribe",
    "subscriptions", "prescription", "inscription", "description", "newsletters", "removed", "remover",
    "removes", "remote", "mailings", "nailing", "sailing", "failing", "railing", "jailing", "wailing", "mauling",
    "emailing", "emailings", "lending", "pending", "ending", "spending", "bending", "mending", "tending", "vending",
    "fending", "rending", "seeding", "sanding", "standing", "sensing"))


def _within(a: str, b: str, limit: int) -> bool:
    """a and b at most `limit` edits apart (insert, delete, substitute, swap two neighbours: the optimal string
    alignment distance). One edit is checked directly (forgive_typos asks it of every word); more run the table."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > limit:
        return False
    if limit == 1:
        if len(a) == len(b):
            diff = [i for i in range(len(a)) if a[i] != b[i]]
            return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                      and a[diff[1]] == b[diff[0]])
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return False
        prev2, prev = prev, row
    return prev[-1] <= limit


def forgive_opt_out_typos(text: str) -> str:
    """``text`` with each word a slip away from an opt-out word spelt right ("unsubcribe" -> "unsubscribe")."""
    def fix(m: re.Match) -> str:
        w = m.group(0)
        low = w.lower()
        if len(low) == 4 and low != "list" and sorted(low) == sorted("list") and _within(low, "list", 1):
            return "LIST" if w.isupper() else "list"   # rules 66: "lsit", two letters swapped (never "lost", "last")
        if len(low) < 5 or low in _NOT_OPT_OUT_TYPOS:
            return w
        for target, limit in _OPT_OUT_TYPO_WORDS:
            if limit > 1 and low.endswith(("ed", "ing", "ers")):
                limit = 1   # "unsubcribed" is news told with a slip, not "unsubscribe"
            if low != target and _within(low, target, limit):
                return target.upper() if w.isupper() else target
        return w
    return re.sub(r"[A-Za-z]+", fix, text or "")


def opt_out_phrase(text: str) -> str | None:
    """The words of an unambiguous request to stop our mail in ``text`` (one sentence of new text), or None. Words
    typed with a slip are forgiven: then the words are the whole sentence (what the sender typed)."""
    found = _opt_out_words(text)
    if found:
        return found
    fixed = forgive_opt_out_typos(text)
    if fixed != text and _opt_out_words(fixed):
        return " ".join(text.split())
    return None


def _opt_out_words(text: str) -> str | None:
    if STOP_INSTRUCTION.search(text):
        return None
    m = _SHOUTED_STOP.match(text)
    if m:
        return m.group(1)
    for m in _OPT_OUT_PHRASE.finditer(text):
        if not _NEGATED.search(text[:m.start()]):
            return m.group(0)
    m = _REMOVE_ME.match(text)
    return m.group(0).strip() if m else None


# "Don't stop sending the rate sheets", "never stop emailing these", "keep them coming": a sender who wants more of our
# mail. Such a unit is never the model's opt-out evidence (a rule's explicit opt-out phrasing still is).
KEEP_SENDING = re.compile(
    r"\b(?:don'?t|do\s+not|dont|never|please\s+don'?t)\s+stop\s+(?:sending|e-?mailing|mailing|the|these|those|your|them|it)\b"
    r"|(?<!need to )(?<!reason to )(?<!don't )(?<!do not )\bkeep\s+(?:them|these|those|it|the\s+\w+(?:\s+\w+)?)\s+coming\b"
    r"|(?<!need to )(?<!reason to )(?<!don't )(?<!do not )\bkeep\s+(?:sending|e-?mailing)\b"
    # rules 35: "keep me on the list", "no dejen de mandarme", "não deixem de me enviar", "sigan mandándome"
    r"|(?<!need to )(?<!reason to )(?<!don't )(?<!do not )(?<!dont )\bkeep\s+(?:me|us|my\s+(?:e-?mail|address)|this\s+address)\s+on\s+"
    r"(?:the|your|this|that|ur)\s+(?:[\w-]+\s+)?(?:list|mailing|distribution|distro|newsletters?|letters?)\b"
    r"|\bno\s+(?:dejen|deje|dejes)\s+de\s+(?:mand|envi|escrib)\w*|\bn[ãa]o\s+(?:deixem|deixe|deixa)\s+de\s+(?:me\s+|nos\s+)?(?:mandar|enviar)\w*"
    r"|\b(?:sigan|siga|sigue|continúen|continuen)\s+(?:mand|envi)\w+|\bcontinuem\s+(?:a\s+)?(?:me\s+|nos\s+)?(?:mandar|enviar)\w*"
    # rules 38: "no me saquen de la lista", "não me tirem da lista" (don't take me off)
    r"|\bno\s+(?:me|nos)\s+(?:saquen|quiten|borren|eliminen|den\s+de\s+baja|saques|quites)\b|\bn[ãa]o\s+(?:me|nos)\s+(?:tirem|removam|excluam|retirem|tire|remova)\b", _I)


# rules 66: "I'd like those to stop", "please make them stop", said of our mail named in the sentence before ("I keep
# getting your market recaps."): an opt-out only with that sentence (the classifier checks it); "them" alone may be calls
_STOP_THEM = re.compile(r"\b(?:(?:i'?d|we'?d|i\s+would|we\s+would|i|we)\s+(?:really\s+|just\s+)?(?:like|love|prefer|want|need)\s+"
                        r"(?:those|these|them|they)\s+to\s+stop|(?:please\s+|pls\s+|just\s+)?make\s+(?:those|these|them)\s+stop|"
                        r"(?:those|these|they)\s+(?:need|have|has)\s+to\s+stop)\b", _I)
_OUR_MAIL_NAMED = re.compile(r"\b(?:e-?mails|mails|mailings|messages|" + _OUR_LETTERS + r")\b(?!\s+(?:about|for|on)\s+(?:the\s+)?(?:order|file|loan|appraisal))", _I)


def stop_them(text: str, before: str) -> str | None:
    """rules 66: a wish that "those" stop, when the sentence before names our mail coming in (not a report, not calls)."""
    m = _STOP_THEM.search(text or "")
    if not m or _NEGATED.search(text[:m.start()]) or not _OUR_MAIL_NAMED.search(before or "") or \
            STOP_INSTRUCTION.search(before or "") or KEEP_SENDING.search(before or "") or NOT_RECEIVED.search(before or ""):
        return None
    return m.group(0)


# rules 66: "We don't want to get billed for a trip fee": money, no mail, is never the model's opt-out evidence
_MONEY = re.compile(r"\b(?:bill(?:ed|ing)?|charg(?:e|ed|es|ing)|fees?|invoic\w*|pay(?:ing|ment)?|refund\w*|cost\w*)\b", _I)


def money_not_mail(text: str) -> bool:
    return bool(_MONEY.search(text or "")) and not _MAIL_WORDS.search(text or "")


def negated_opt_out(text: str) -> bool:
    """An opt-out phrasing that is only ever negated ("please don't take me off the list"): never an opt-out."""
    found = [m for m in _OPT_OUT_PHRASE.finditer(text)]
    return bool(found) and all(_NEGATED.search(text[:m.start()]) for m in found)


# Mail that did not arrive ("I never got your email", "no me llegó al correo"): a sender who wants more of
# our mail, not less. Such a unit is never the model's opt-out evidence (a rule's explicit phrasing still is).
NOT_RECEIVED = re.compile(
    r"\b(?:didn'?t|did\s+not|never|haven'?t|have\s+not|hasn'?t|has\s+not|wasn'?t|was\s+not)\s+"
    r"(?:get|got|gotten|receive[ds]?|come\s+through|came\s+through|arrive[ds]?|show(?:ed)?\s+up|reach(?:ed)?)\b"
    r"|\bnot\s+in\s+my\s+inbox\b"
    r"|\bno\s+(?:me|nos|le|les)\s+(?:lleg[óo]|llegaron|ha\s+llegado|han\s+llegado)\b"
    r"|\b(?:no|nunca)\s+(?:lo\s+|la\s+|los\s+|las\s+)?(?:recib[ií]|he\s+recibido|hemos\s+recibido)\b"
    r"|\bnunca\s+(?:me|nos)\s+(?:lleg[óo]|llegaron|llegan)\b", _I)


STOP_INSTRUCTION = re.compile(
    r"\b(?:reply|text|txt|respond|send)\s+(?:with\s+)?[\"'“]?(?:stop|unsubscribe|remove|end)\b[\"'”]?"
    r"|\bto\s+(?:opt[ -]?out|unsubscribe)\b.{0,30}\b(?:click|reply|text|visit)\b"
    r"|\b(?:unsubscribe|opt[ -]?out)\s+(?:here|below|at\s+any\s+time|anytime|by\s+\w+ing|via|using|online)\b"
    r"|\b(?:click|tap)\s+(?:here\s+)?to\s+(?:unsubscribe|opt[ -]?out)\b|\bto\s+stop\s+receiving\b", _I)
IDIOM = re.compile(r"\bcall\s+me\s+(?:crazy|old[- ]fashioned|paranoid|skeptical|cynical)\b|\bcall\s+it\s+a\s+day\b"
                   r"|\bcall\s+it\s+what\s+you\s+(?:want|will|like)\b", _I)
# A unit that is only a sign-off or a phone's footer: a subject over it is the whole message.
SIGN_OFF_ONLY = re.compile(r"^\W*(?:thanks?|thx|ty|thank\s+you|cheers|best|regards|best\s+regards|kind\s+regards|gracias|saludos|"
                           r"sent\s+from\s+my\s+\w+|enviado\s+desde\s+mi\s+\w+)\W*$", _I)
GREETING = re.compile(r"^\W*(?:hi|hey|hello|dear|good\s+(?:morning|afternoon|evening)|morning|hola|buen[oa]s\s+\w+|"
                      r"estimad[oa]|greetings)\b[^.?!\n]{0,40}?[,:!\-–—]?\s*$", _I)


# -- requests whose shape is unambiguous -----------------------------------------------------------------
# A question or an imperative asking *us* to do one of the guide's kinds of work ("can you call me", "pls
# resend the invoice", "would you mind walking me through it by phone", "I need you to cancel ...",
# "¿me puede llamar?"). Only the sender's new text and a fresh subject are searched (never a quote, a
# forward or a signature); a conditional courtesy ("call me if you have questions"), a report about
# someone else ("the borrower asked if you could call"), a status question ("can you tell me when ..."),
# an idiom ("call me crazy"), a contact line ("Call me: 555-0100") and a marketing line ("contact us
# today") are not. What the model misses among these shapes the rule adds; the type is still the model's.
_OBJ = (r"(?:me|us|him|her|them|it|this|that|these|those|the|a|an|my|our|your|his|their|over|back|out|off|up|again|asap|today|"
        r"tonight|tomorrow|tmrw|when|whenever|at|by|before|re|regarding|first|pls|please|next|on|monday|tuesday|wednesday|"
        r"thursday|friday|in\s+person|invoice|pricing|photos|w-?9|copies|order|orders|file|appointment|inspection|appraisal|"
        r"report|ln|loan|and(?=\s+(?:see|ask|tell|let|check|confirm|find|get|make|have|send|call)\b)|#?\d+)")
_VERB = (
    r"(?:call|ring|phone|buzz|text|call\s+back|give\s+(?:me|us|him|her|them|the\s+\w+(?:\s+\w+)?)\s+(?:a|an|your)\s+(?:call|ring|buzz|shout|quote|bid|price|"
    r"callback|estimate|proposal|offer|number|numbers)|join(?!\s+(?:me|us)\s+in\s+(?:thanking|welcoming|congratulating))"
    r"|talk|chat|speak|meet(?!\s+(?:our|my)\b)|hop\s+on|jump\s+on|set\s+up|schedule|re-?schedule|book|arrange"
    r"|send(?!\s+(?:my|our)\s+(?:thanks|best|regards|love|congratulations))|re-?send|e-?mail|forward|fwd|upload|attach|provide|share|re-?issue|re-?upload|re-?submit"
    r"|quote|price|bid|inspect|re-?inspect|(?:go|come|head|get)\s+(?:back\s+)?out|(?:swing|stop)\s+by\s+(?:the\s+(?:property|house|site|home|subject)|\d|and\b)"
    # rules 37: "can the appraiser come by Saturday morning?" (not "stop by our office")
    r"|(?:come|swing|stop|drop|pop)\s+by\s+(?=(?:the\s+(?:property|house|site|home|subject|unit)|on\s+(?:mon|tue|wed|thu|fri|sat|sun)|this\s+(?:week|morning|afternoon|weekend)|"
    r"tomorrow|tmrw|today|(?:mon|tues?|wed|thu|thurs|fri|sat|sun)\w*\b|next\s+week|sometime|\d))"
    r"|change|cancel|hold(?:\s+off)?|put\s+(?:\w+\s+){0,6}on\s+hold|put\s+(?:me|us)\s+in\s+touch|correct|fix|amend|revise|edit"
    r"|update(?!\s+(?:me|us|your\s+(?:records|bookmarks?|favou?rites|saved|contact\s+(?:info|information|details)|contacts?|address\s+book|files|systems?|links?|vendor\s+(?:file|records)|payee|remit\w*|information|info|browser|password))\b)|move|push\s+(?:back|out|the)|switch|swap|add(?!\s+(?:me|us)\s+to)"
    # rules 67: "put a rush on 5 Heron Way", "void INV-2093", "let the tenant know we're coming" (a third party told for them)
    r"|put\s+(?:a\s+)?rush\s+on|void|let\s+(?:the|their|our|my|his|her)\s+(?:[\w-]+\s+){0,2}?(?:seller|buyer|borrower|tenant|agent|builder|"
    r"owner|homeowner|hoa|occupant|lender|processor|listing\s+agent|property\s+manager|manager|contractor|realtor)s?\b[^.?!]{0,60}?\bknow\b"
    r"|expedite|rush|waive|refund|redo|re-?do|reconsider|contact(?!\s+us\b)|reach\s+out|get\s+in\s+touch|touch\s+base|follow\s+up"
    r"|coordinate|loop\s+in|notify|walk\s+(?:me|us)\s+through|take\s+(?:a|another)\s+look|try\s+(?:me|us)\s+(?:again|back)"
    # a detail taken off an order ("remove the second borrower from order 8820", "take the old code off the order notes"),
    # never the sender taken off a list (an opt-out, decided before any request)
    r"|remove\s+(?!(?:me|us|my|our|him|her|them)\b)(?:[\w'#-]+\s+){1,4}?(?:from|off)\s+(?:the\s+|this\s+|that\s+|our\s+|my\s+)?(?:order|file|report|invoice|engagement|appraisal|grid)[^.?!,;]*"
    r"|take\s+(?!(?:me|us|my|our|him|her|them)\b)(?:[\w'#-]+\s+){1,4}?off\s+(?:the\s+|this\s+|that\s+|our\s+|my\s+)?(?:order|file|report|invoice|engagement|appraisal|grid)[^.?!,;]*"
    r"|do\s+(?:a|an|the|another)\s+(?:re-?inspection|reinspection|final|1004d|walk-?through|drive-?by|site\s+visit|bid|quote)"
    r"|get\s+(?:me|us)\s+(?:a|an|the)|bill\s+(?:the|us|me|our|it|them)"
    r"|get\s+(?:it|that|this|them|the\s+(?:[\w-]+\s+){0,2}?(?:report|appraisal|invoice|cert|certificate|1004d|revision|photos|final|value))\s+(?:over\s+|back\s+)?to\s+(?:us|me)\b"
    r"|(?:have|get|send)\s+(?:someone|somebody|the\s+(?:appraiser|inspector|guy)|(?:your|ur)\s+(?:appraiser|inspector|guy|team))\s+(?:back\s+)?(?:to\s+)?"
    r"(?:out|call|ring|phone|go|come|head|re-?inspect|inspect|look|contact|reach|swing|stop|meet|redo|re-?do|re-?take|retake|re-?shoot|fix)"
    r"|get\s+on\s+(?:the\s+phone|a\s+call|a\s+zoom|zoom|teams)|get\s+(?:your|ur)\s+(?:[\w-]+\s+){0,2}on\s+(?:the\s+phone|a\s+call|zoom|teams)|jump\s+on\s+the\s+phone|(?:go|come|head|get)\s+back\s+(?:out|to|and|by)|revisit|re-?measure|measure\s+(?:the|it)"
    r"|stop\s+(?:the\s+|all\s+)?(?:inspection|work|order|appraisal|file|report)|take\s+(?:\w+\s+){0,4}off\s+(?:the|this|my|our)\s+(?:order|invoice|bill)"
    r"|check\s+with\s+(?:the|your|their|our)|present\s+to|grab\s+(?:a\s+)?(?:coffee|lunch|breakfast)|return\s+(?:my|our)\s+(?:call|calls)"
    r"|sign\s+and\s+(?:return|send))")
_NOUN = (r"(?:quote|bid|price|pricing|proposal|estimate|fee\s+quote|callback|call\s*back|call|phone\s+call|quick\s+call|"
         r"re-?inspection|reinspection|final\s+inspection|1004d|site\s+visit|copy|invoice|w-?9|e\s*&\s*o|"
         r"certificate|cert|revised\s+report|revision|photos|meeting|zoom|teams\s+call|refund|credit|(?<=your\s)(?:[\w-]+\s+){0,3}report|fee\s+schedule|"
         r"rent\s+schedule|license|engagement\s+letter|offer)")
# "Need your Q3 turn-time report": a report named as theirs to send; "we need the report by Friday" is left to the model
_SOMEONE = (r"(?:you|u|yuo|ya|yall|y'all|(?:someone|somebody|anyone)\s+(?:from|at|in)\s+(?:your|ur)\s+(?:office|team|company|firm|shop)|someone|somebody|anyone|(?:your|ur)\s+(?:team|office|appraiser|inspector|guy|staff)|"
            r"the\s+appraiser|the\s+inspector)")
# "I need", "we'd like", "I would really like" and a dropped subject at the unit's start ("Need you to call ...").
_I_WE = r"(?:\band\s+would\s+|\b(?:i|we)(?:\s+really|\s+will|\s+would|'d|'ll|\s+still|\s+just|\s+do)?(?:\s+really)?\s+|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+|^\W*(?:(?:asap|urgent|quick\s+one|heads\s+up|also|ok|okay|fyi)\s*[-–—:,!]+\s*)?(?:really\s+|just\s+|still\s+)?)"
_LIKE = r"(?:(?<='d\s)|(?<=would\s))(?:like|love|appreciate)"   # "I'd like", never "I like the quote"
_ADV = (r"(?:(?:please|pls|plz|kindly|possibly|just|also|quickly|maybe|still|perhaps|then|actually|pretty\s+please|be\s+sure\s+to|"
        r"(?:when(?:ever)?|once)\s+(?:you|u|ya)\s+(?:get|have)\s+(?:a\s+)?(?:chance|sec|second|minute|moment|min)\s*,?|"
        r"make\s+sure\s+(?:to|you)|remember\s+to|don'?t\s+forget\s+to|go\s+ahead\s+and|do\s+me\s+a\s+favou?r\s+and|be\s+so\s+kind\s+as\s+to)\s+)*")
_REQUEST = re.compile(
    # can you / could u / cud u / would you (please) call ...; can't you just ...
    r"\b(?:can|could|would|will|cud|cld|wud|cn|coud|culd|coudl|woud|can'?t|cant|won'?t)\s+" + _SOMEONE + r"\s+" + _ADV
    + r"(?:be\s+able\s+to\s+" + _ADV + r")?" + _VERB + r"\b"
    # would you mind / do you mind calling; any chance you could; is it possible to; are you able to
    r"|(?:\b(?:would|do|wud)\s+(?:you|u)\s+|^\W*)mind\s+" + _ADV + r"(?:call|ring|phon|send|resend|re-send|email|e-mail|forward|upload|"
    r"quot|pric|inspect|re-?inspect|chang|cancel|hold|mov|switch|contact|reach|walk|talk|meet|schedul|set|go|com|tak|"
    r"get|giv|swing|stop|fix|correct|updat|push|add|look|hop|jump|loop)\w*\b"
    r"|\b(?:any\s+chance|any\s+way|anyway|is\s+there\s+any\s+(?:way|chance)|is\s+it\s+possible|would\s+it\s+be\s+possible|are\s+(?:you|u)\s+able|"
    r"r\s+u\s+able)\s+(?:(?:for\s+)?" + _SOMEONE + r"\s+)?(?:(?:could|can|would|to)\s+)?" + _ADV + _VERB + r"\b"
    # please / pls / kindly + verb; "por favor" + a Spanish verb below
    r"|\b(?:please|pls|plz|kindly)\s+(?:(?:also|just|can\s+you|could\s+you)\s+)?" + _VERB + r"\b"
    # rules 34: the work verb second in a please-clause ("please review the attached agreement and send back a signed
    # copy", "please confirm your fee schedule or propose new fees")
    r"|\b(?:please|pls|plz|kindly)\s+(?:review|read|sign|check|look\s+over|go\s+over|complete|fill\s+out|confirm|verify|"
    r"log\s*(?:in|on)(?:\s+to)?|sign\s+(?:in|on)(?:\s+to)?|go\s+(?:in)?to|visit|open|access)\b"
    r"[^.?!;]{0,80}?\b(?:and|or)\s+(?:then\s+|also\s+)?(?:" + _VERB + r"|propose\s+(?:a\s+|an\s+|your\s+|new\s+|updated\s+|revised\s+)*"
    r"(?:fees?|rates?|pricing|prices?|quote|bid|terms|fee\s+schedule))\b"
    # I need you to / we'd like you to / I'm asking that you / I'd appreciate it if you could
    r"|" + _I_WE + r"(?:need|want|" + _LIKE + r"|ask|request|asking)\s+(?:that\s+)?" + _SOMEONE
    + r"\s+(?:to\s+)?" + _ADV + _VERB + r"\b"
    r"|\b(?:i'?d|i\s+would|we'?d|we\s+would)\s+(?:really\s+)?(?:appreciate|love|be\s+(?:very\s+|so\s+|really\s+|most\s+)?"
    r"(?:grateful|thankful|glad|happy|obliged))\s+(?:it\s+)?if\s+" + _SOMEONE
    + r"\s+(?:could|can|would|will)?\s*" + _ADV + r"(?:give\s+(?:me|us)\s+(?:a|an)\s+(?:\w+\s+)?(?:offer|quote|price|bid|call)|" + _VERB + r")\b"
    r"|(?:^\W*|[.,;:]\s*)would\s+(?:really\s+|greatly\s+)?appreciate\s+(?:it\s+)?if\s+" + _SOMEONE + r"\s+(?:could|can|would)\s+" + _ADV + _VERB + r"\b"
    r"|\b(?:it\s+would|it'?d|that\s+would|that'?d)\s+(?:really\s+|greatly\s+|so\s+)?help\s+(?:a\s+lot\s+|us\s+|me\s+)?if\s+" + _SOMEONE
    + r"\s+(?:could|can|would)\s+" + _ADV + _VERB + r"\b"
    r"|\b(?:tell|give|send)\s+(?:me|us)\s+(?:your|the)\s+(?:fee|fees|price|pricing|rate|rates|quote|bid|turn\s*times?\s+and\s+fees?)\b"
    # "If you could schedule the final for Thursday, that would be ideal": the condition is the ask
    r"|^\W*(?:(?:and|also|so|oh)\s+)?if\s+" + _SOMEONE + r"\s+(?:could|can|would)\s+" + _ADV + _VERB + r"\b(?=[^.?!]{0,120}?[,;\-–—]?\s+"
    r"(?:(?:that|it|this)\s*(?:would|'d|will|'ll)\s+be\s+(?:really\s+|very\s+|so\s+|super\s+|most\s+|much\s+)?(?:great|ideal|perfect|helpful|"
    r"appreciated|wonderful|fantastic|awesome|amazing|lovely|brilliant|best|a\s+(?:big\s+|huge\s+)?help)|(?:i|we)(?:'d|\s+would)\s+(?:really\s+|greatly\s+)?"
    r"(?:appreciate|be\s+(?:very\s+|so\s+)?(?:grateful|thankful))|thanks?\b|thank\s+you\b))"
    r"|(?:\b(?:it\s+would|it'?d|that\s+would|that'?d)|^\W*would)\s+be\s+(?:really\s+|very\s+|so\s+|super\s+|most\s+|extremely\s+)?(?:helpful|great|"
    r"wonderful|appreciated|ideal|nice|good|amazing|a\s+big\s+help|a\s+huge\s+help)\s+if\s+" + _SOMEONE
    + r"\s+(?:could|can|would)\s+" + _ADV + _VERB + r"\b"
    # I'd be grateful for a copy; we'd welcome a proposal; might I trouble you for ...
    r"|\b(?:i'?d|i\s+would|we'?d|we\s+would)\s+(?:really\s+)?(?:be\s+(?:very\s+|so\s+|most\s+)?(?:grateful|thankful|obliged)\s+for|"
    r"welcome|appreciate)\s+(?:a|an|the|your|some|any)\s+(?:[\w-]+\s+){0,3}?" + _NOUN + r"s?\b"
    r"|\b(?:might|may|could|can)\s+i\s+(?:please\s+)?(?:trouble|bother|ask)\s+(?:you|your\s+(?:team|office))\s+(?:for|to)\b"
    r"|\bwould\s+it\s+be\s+(?:too\s+much\s+(?:trouble|to\s+ask)|a\s+problem|ok|okay|alright|all\s+right)\s+(?:for\s+" + _SOMEONE
    + r"\s+)?to\s+" + _ADV + _VERB + r"\b"
    r"|\b(?:would|could|will)\s+(?:you|u|your\s+(?:team|office))\s+be\s+(?:open|willing|up)\s+(?:to|for)\s+(?:that|this|it|do(?:ing)?\s+(?:that|this|it)|"
    r"a\s+(?:quick\s+|brief\s+|short\s+)?(?:call|meeting|chat|zoom|visit|walk-?through|site\s+visit))\b"
    # rules 67: one of our people named as the doer ("Can Marcus swing by Thursday?", "please have Priya call the attorney"),
    # never one who would call us ("Could Marcus call you instead?") nor a day ("Can Friday work?": no work verb)
    r"|\b(?:can|could|would|will|cud|wud)\s+(?!(?:Mon|Tues?|Wed|Thu|Thurs|Fri|Sat|Sun)(?:day|nes?day|rsday|urday)?\b|It\b|We\b|They\b|He\b|She\b|You\b|Ur?\b|"
    r"This\b|That\b|There\b|Someone\b|Anyone\b|Somebody\b)(?-i:[A-Z][a-z]+)\s+" + _ADV + r"(?:still\s+)?" + _VERB + r"\b(?!\s+(?:you|u|ya|y'?all|your)\b)"
    r"|\b(?:please|pls|plz|kindly|can\s+(?:you|u)|could\s+(?:you|u))\s+(?:have|get|ask)\s+(?!(?:Mon|Tues?|Wed|Thu|Thurs|Fri|Sat|Sun)(?:day|nes?day|rsday|urday)?\b|It\b|"
    r"We\b|They\b|This\b|That\b)(?-i:[A-Z][a-z]+)\s+(?:to\s+)?" + _ADV + _VERB + r"\b(?!\s+(?:you|u|ya|y'?all|your)\b)"
    r"|\b(?:please|pls|plz|kindly)\s+(?:have|get)\s+(?:that|it|this|them|these|those|the\s+[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:scheduled|rescheduled|sent|re-?sent|fixed|corrected|updated|moved|changed|cancel+ed|re-?done|uploaded|added|booked)\b"
    # rules 67: a meeting asked for in a bare question ("Coffee next Wednesday?", "Lunch Thu?"); a day or date offered for one
    # ("Would the 14th or 15th work for a 20-minute call?")
    r"|^\W*(?:(?:how|what)\s+about\s+)?(?:a\s+)?(?:quick\s+)?(?:lunch|coffee|breakfast|drinks|zoom|teams\s+call|video\s+call|phone\s+call|call)\s+"
    r"(?:on\s+)?(?:today|tomorrow|tmrw|next\s+(?:week|mon|tue|wed|thu|fri)\w*|this\s+(?:week|mon|tue|wed|thu|fri)\w*|(?:mon|tue|wed|thu|fri)\w*)\b[^.?!]{0,30}\?"
    r"|\b(?:would|will|does|do|could|can)\s+(?:the\s+\d{1,2}(?:st|nd|rd|th)|(?:mon|tue|wed|thu|fri)\w*|tomorrow|next\s+\w+)(?:\s+(?:or|and)\s+(?:the\s+)?[\w-]+){0,2}\s+"
    r"work\s+for\s+(?:a|an|the|our|your)\s+(?:[\w-]+\s+){0,2}?(?:call|meeting|session|zoom|chat|walk-?through|visit|site\s+visit|inspection|"
    r"re-?inspection|lunch|coffee|presentation|demo\s+of\s+your)\b"
    # can you get that scheduled; can you do / take care of that (a need set out in the sentence before)
    r"|\b(?:can|could|would|will|cud|wud)\s+" + _SOMEONE + r"\s+(?:please\s+)?(?:get|have)\s+(?:that|it|this|them|these|those|the\s+[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:scheduled|rescheduled|done|sent|re-?sent|fixed|corrected|updated|moved|changed|cancel+ed|over|re-?done|uploaded|added|booked|out)\b"
    r"|\b(?:can|could|would|will|cud|wud)\s+" + _SOMEONE + r"\s+(?:please\s+)?(?:do|handle|manage|accommodate|take\s+care\s+of|make)\s+"
    r"(?:that|this|it)\b(?!\s+(?:happen\s+)?(?:for|on)\s+(?:fha|va|usda|commercial|desktop))"
    r"|^\W*(?:worth|mind)\s+(?:a|another)\s+(?:second\s+|quick\s+|closer\s+)?look\b"
    r"|\b(?:was|am|were)\s+wondering\s+what\s+(?:you|u)\s+(?:would\s+|'d\s+)?(?:charge|quote)\b"
    r"|\bneed\s+(?:\d+|a\s+few|five|ten|fifteen|twenty|thirty|some)\s+(?:min|mins|minutes)\s+(?:with|of)\s+(?:you|your)\b"
    r"|\b(?:can|could)\s+(?:we|i)\s+(?:please\s+)?(?:get|grab|have)\s+(?:\d+|a\s+few|five|ten|fifteen|twenty|thirty|some)\s+(?:min|mins|minutes)\b"
    r"|^\W*(?:pick|suggest|propose|send\s+(?:me\s+|us\s+)?(?:some|a\s+few))\s+(?:a\s+)?(?:slot|time|times|day|date|dates)\b"
    r"|^\W*(?:please\s+)?(?:reach\s+out|get\s+in\s+touch|touch\s+base)\s+(?:to|with)\s+(?!(?:you|u)\b)(?=\w)"
    r"|\b(?:i'?d|we'?d|i\s+would|we\s+would)\s+(?:really\s+)?(?:love|like)\s+to\s+(?:get|have)\s+(?:the|this|that|it|our|my)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:moved|rescheduled|re-?scheduled|changed|cancel+ed|done|scheduled|sent|re-?sent|updated|corrected|booked|"
    r"pushed|put\s+on\s+hold|looked\s+at|re-?inspected|inspected|quoted)\b"
    r"|^\W*(?:please\s+)?get\s+(?:your|ur)\s+(?:[\w-]+\s+){0,2}on\s+(?:the\s+phone|a\s+call|zoom|teams)\b"
    r"|^\W*(?:\w+\s*[-–—,:]\s*)?(?:a\s+)?(?:quick\s+)?(?:\d+|five|ten|fifteen|twenty|thirty)[- ]?(?:min|mins|minute)\s+(?:call|zoom|chat|meeting)\s+"
    r"(?:today|tonight|tomorrow|tmrw|this\s+(?:week|afternoon|morning)|(?:on\s+)?(?:mon|tue|wed|thu|fri)\w*)\b"
    r"|\b(?:ser[ií]a|es)\s+posible\s+(?:que\s+)?(?:cambi|mov|reprogram|envi|mand|llam|hac|cotiz|reenv|inspecc|regres)\w*"
    r"|\b(?:i\s+was|i'?m|we\s+were|we'?re|hoping|wondering)\s*(?:wondering|hoping)?\s+(?:(?:if|whether|that)\s+)?" + _SOMEONE
    + r"\s+(?:could|can|would|might)\s+" + _ADV + _VERB + r"\b"
    # I need / we'd like / can I get a quote, a callback, a re-inspection, a copy ...
    r"|" + _I_WE + r"(?:need|want|" + _LIKE + r"|request)\s+(?:to\s+(?:get|have|request|schedule|book|order|set\s+up)\s+)?"
    r"(?:(?:a|an|the|your|another|one\s+more|some)\s+(?:[\w-]+\s+){0,3}?)?" + _NOUN + r"s?\b(?!\s+(?:from|with)\s+(?:the|my|our|a)\b)"
    r"|\b(?:can|could|may)\s+(?:i|we)\s+(?:please\s+)?(?:get|have|request|schedule|book)\s+(?:a|an|the|your|another)\s+(?:\w+\s+){0,2}?"
    + _NOUN + r"s?\b"
    r"|\b(?:i'?d|i\s+would|we'?d|we\s+would)\s+like\s+to\s+(?:cancel|change|schedule|re-?schedule|set\s+up|book|arrange|request|order|"
    r"move|switch|put\s+(?:\w+\s+){0,3}on\s+hold|hold|speak|talk|get)\b"
    r"|^\W*(?:cancel|cancellation|hold|resend|re-?send|re-?inspect|reinspection)\s*[-–—:]\s*\w"
    r"|^\W*(?:urgent:?\s+)?(?:" + _NOUN + r")\s+(?:request(?:ed)?|needed|required|wanted)\b|\brequest(?:ing)?\s+(?:for\s+)?(?:a|an)\s+(?:\w+\s+){0,1}?" + _NOUN + r"\b"
    # can we meet / let's set up a call (not a vendor's "can we set up a call to show you our platform": _PITCH)
    r"|\b(?:can|could|shall)\s+we\s+(?:please\s+)?(?:meet|schedule|set\s+up|do\s+a|hop\s+on|jump\s+on|get\s+on|talk|chat|push|move|"
    r"re-?schedule|cancel|change|switch|find\s+(?:a\s+)?time|grab)\b"
    r"|\blet'?s\s+(?:meet|schedule|set\s+up|find\s+(?:a\s+)?time|grab|get\s+on|hop\s+on|jump\s+on|do\s+a\s+(?:call|meeting|zoom|teams))\b"
    r"|\b(?:are|r|would|will)\s+(?:you|u|your\s+(?:team|office))\s+(?:be\s+)?(?:free|available|around|open)\b.{0,40}?"
    r"\b(?:call|chat|talk|meet|meeting|zoom|teams|phone)\b"
    r"|\bwhen'?s\s+a\s+good\s+time\s+(?:to|for)\s+(?:talk|chat|call|meet|a\s+call)\b|\bcan\s+i\s+get\s+(?:you|u|someone)\s+to\b"
    r"|\bwhat(?:'s|\s+is|\s+are|\s+would|\s+do|\s+does)\s+(?:be\s+)?(?:your|you'?d|you)\s+(?:\w+\s+)?(?:(?:and|&)\s+)?(?:price|fee|fees|charge|rate|rates|cost)\b"
    r"|\bwhat\s+(?:would|do|will)\s+(?:you|u)\s+charge\b|\bhow\s+much\s+(?:would|do|will)\s+(?:you|u)\s+charge\b"
    r"|\bwhat\s+you'?d\s+charge\b|\brequesting\s+(?:that\s+)?(?:you|u|someone)\b"
    r"|\bneed\s+(?:someone|somebody|an?\s+appraiser|the\s+appraiser)\s+(?:back\s+)?(?:out|at|to\s+(?:go|come|head))\b"
    # "don't send anyone out to 4 Reed until the tenant's moved out": hold the order until then
    r"|\b(?:please\s+)?(?:don'?t|do\s+not|dont)\s+send\s+(?:anyone|anybody|someone|somebody|the\s+appraiser|the\s+inspector|"
    r"(?:your|ur)\s+(?:appraiser|inspector|guy|team))\s+(?:out|over|back)\b[^.?!]{0,60}?\b(?:until|till|til|before)\b"
    # "you'll need to send someone back out", "y'all need to get somebody out here"
    r"|\b(?:you|u|y'?all|yall|you\s+guys|you\s+all|your\s+(?:team|office))\s+(?:will\s+|'ll\s+|really\s+|still\s+)?need\s+to\s+" + _ADV + _VERB + r"\b"
    # an order's detail that must change ("the due date on 55120 needs to be the 15th instead of the 22nd")
    r"|\b(?:due\s+date|appointment(?:\s+(?:date|time))?|inspection\s+(?:date|time)|effective\s+date|fee|borrower'?s?\s+name|"
    r"(?:property\s+)?address|product|form\s+type|loan\s+(?:number|amount|type)|lender\s+name|client\s+name|contact\s+(?:info|number))\b"
    r"[^.?!]{0,40}?\b(?:needs?|has)\s+to\s+(?:be\s+(?:changed|moved|updated|corrected|switched|pushed|fixed)|be\b[^.?!]{1,40}?\b(?:instead\s+of|not)\b|change|move)"
    # an invitation to speak or present for the client
    r"|\b(?:if|would|could|can|will)\s+(?:you|u)\s+(?:can\s+|could\s+|would\s+)?(?:be|serve\s+as)\s+(?:one\s+of\s+)?(?:our|a)\s+"
    r"(?:guest\s+|keynote\s+|featured\s+)?(?:speakers?|presenters?|panelists?)\b"
    # rules 57: a need for our work stated, not asked: "I'm going to need the corrected appraisal before ...", "we're gonna
    # need a quote for the lots" (the sender's own need, of us: a third party's need told is no ask)
    r"|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:going\s+to|gonna)\s+need\s+(?:a|an|the|your|another|one\s+more)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:" + _NOUN + r"|(?:corrected|revised|updated|amended)\s+(?:[\w-]+\s+)?(?:report|appraisal|invoice|1004d|cert\w*|copy))s?\b(?!\s+(?:from|with)\s+(?:the|my|our|a|their)\b)"
    # es / pt: "Necesito el informe corregido para el viernes", "Preciso do laudo revisado", "Precisamos de uma nova vistoria"
    # (never after "no" / "não" / "ya no": "ya no necesito el boletín" opts out). The report itself needed ("necesitamos el
    # reporte hoy") is the order's pressure, as in English ("we need the report today": urgent, no new task); a corrected
    # one or other work is asked for.
    r"|(?<!no\s)(?<!não\s)(?<!nao\s)\bnecesit(?:o|amos|ar[ée]|ar[ée]mos)\s+(?:el|la|los|las|su|sus|una?)\s+(?:nuev[oa]\s+)?(?:(?:informe|avalú?o|avaluo|reporte|tasaci[oó]n)\s+"
    r"(?:corregido|revisado|actualizado|modificado)|factura|certificado|copia|cotizaci[oó]n|presupuesto|reinspecci[oó]n|inspecci[oó]n)\b"
    r"|(?<!no\s)(?<!não\s)(?<!nao\s)\bprecis(?:o|amos|arei|aremos)\s+(?:d[oa]s?|de\s+(?:um|uma|novo|nova)|de)\s+(?:nov[oa]\s+)?(?:(?:laudo|relat[óo]rio|avalia[çc][ãa]o)\s+"
    r"(?:revisado|corrigido|atualizado)|fatura|nota\s+fiscal|vistoria|revistoria|reinspe[çc][ãa]o|inspe[çc][ãa]o|c[óo]pia|or[çc]amento|certificado|liga[çc][ãa]o|reuni[ãa]o)\b"
    # Spanish
    r"|\bnecesit(?:o|amos)\s+(?:un|una)\s+(?:nuev[oa]\s+)?(?:presupuesto|cotizaci[oó]n|inspecci[oó]n|reinspecci[oó]n|copia|factura|llamada|reuni[oó]n)"
    r"|\b(?:podemos|podr[ií]amos)\s+(?:agendar|hacer|programar|tener|reunirnos|hablar|vernos|juntarnos)\b|\bnos\s+(?:podemos|podr[ií]amos)\s+(?:reunir|ver|juntar)\b|\bme\s+gustar[ií]a\s+(?:reunirme|hablar|que\s+me)"
    r"|\b(?:pueden|puede|podr[ií]an|podr[ií]a)\s+regresar\b"
    # rules 67: "¿Podrían hablar con el constructor?", "¿Pueden hacer la reinspección el jueves?", "favor de enviarnos la
    # factura", pt "vocês podem fazer a vistoria?"
    r"|\b(?:pueden|puede|podr[ií]an|podr[ií]a)\s+(?:usted(?:es)?\s+)?(?:por\s+favor\s+)?(?:hablar|comunicarse|coordinar)\s+con\s+(?:el|la|los|las|nuestr[oa]s?|mi|su)\b"
    r"|\b(?:pueden|puede|podr[ií]an|podr[ií]a|podem|pode|poderiam|poderia)\s+(?:usted(?:es)?\s+|voc[êe]s?\s+)?(?:por\s+favor\s+)?(?:hacer|fazer)\s+(?:la|una|el|a|uma|o)\s+"
    r"(?:nueva\s+|nova\s+)?(?:re-?inspecci[oó]n|inspecci[oó]n|visita|vistoria|aval[uú]o|valuaci[oó]n|tasaci[oó]n|avalia[çc][ãa]o|inspe[çc][ãa]o|reinspe[çc][ãa]o)\b"
    r"|\bfavor\s+de\s+(?:envi|mand|reenvi|llam|cancel|cambi|cotiz|program|reprogram|contact|corregi|hac)\w*"
    r"|\b(?:me|nos)\s+(?:puede|podr[ií]a|pueden|podr[ií]an)\s+(?:por\s+favor\s+)?(?:llamar|enviar|mandar|reenviar|cotizar|contactar|"
    r"confirmar\s+la\s+cita|cambiar|cancelar)"
    r"|\b(?:puede|podr[ií]a|pueden|podr[ií]an)\s+(?:usted(?:es)?\s+)?(?:por\s+favor\s+)?(?:llamar|enviar|mandar|reenviar|cotizar|"
    r"contactar|cambiar|cancelar|inspeccionar|reprogramar|programar)\w*"
    r"|\b(?:ll[aá]m(?:e|eme|ame|enme|enos)|env[ií](?:e|eme|enme|enos)|m[aá]nd(?:e|eme|enme|enos)|reenv[ií](?:e|eme|enme)|"
    r"c[aá]ncel(?:e|en)|cambi(?:e|en)\s+la|cot[ií]c(?:e|eme|enme)|contact(?:e|en)\s+a)\b"
    r"|\bnecesito\s+que\s+(?:me\s+|nos\s+)?(?:llam|env[ií]|mand|reenv[ií]|cambi|cancel|cotic|contact)\w*"
    # asking again is asking ("This is the fourth time I'm asking for the corrected report", "é a terceira vez que peço o laudo")
    r"|\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th)\s+time\s+(?:i'?m|i\s+am|i'?ve|i\s+have|we'?ve|we\s+have|we'?re|we\s+are)\s+"
    r"(?:had\s+to\s+)?(?:ask(?:ing|ed)?|request(?:ing|ed)?)\s+(?:you\s+|y'?all\s+)?(?:for\s+)?(?:the|a|an|your|this|that|my|our)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:report|invoice|correction|revision|copy|refund|credit|callback|call|quote|w-?9|cert\w*|photos|1004d|re-?inspection|update)\b"
    r"|\bvez(?:es)?\s+que\s+(?:eu\s+)?(?:pe[çc]o|solicito|pedi)\s+(?:a|o|as|os)\s+(?:corre[çc][ãa]o|laudo|nota|fatura|c[óo]pia|reembolso|revis[ãa]o|retorno)\b"
    # Portuguese: "Poderia ligar-me amanhã?", "vocês conseguem reenviar a nota fiscal?", "por favor, enviem o laudo"
    r"|\b(?:poderia|poderiam|pode|podem|podes|podia|podiam|consegue|conseguem|conseguiria|conseguiriam)\s+(?:(?:voc[êe]s?|o\s+senhor|a\s+senhora)\s+)?"
    r"(?:por\s+favor\s+)?(?:me\s+|nos\s+)?(?:ligar|retornar|enviar|mandar|reenviar|encaminhar|remarcar|reagendar|agendar|marcar|cancelar|orçar|"
    r"corrigir|refazer|alterar|mudar|passar|voltar|vistoriar|avaliar|contatar|contactar)\b"
    r"|\b(?:por\s+favor|favor)\s*,?\s+(?:me\s+|nos\s+)?(?:ligu\w+|envi\w+|mand\w+|reenvi\w+|encaminh\w+|remarqu\w+|cancel\w+|corrij\w+|"
    r"alter\w+|retorn\w+|contat\w+)", _I)
# An imperative opening the unit, past a greeting, a name or a filler: "Call me tmrw", "Resend the W-9", "P.S. send the photos".
_IMPERATIVE = re.compile(
    r"^(?:(?:hi|hey|hello|ok|okay|also|and|so|oh|plus|one\s+more\s+thing|p\.?\s?s\.?|ps|fyi|btw|quick\s+one|hola|"
    r"buen[oa]s\s+(?:d[ií]as|tardes|noches)|estimad[oa]|"
    r"[a-z]+\s*[,:\-–—])\W+){0,3}"
    # a condition opening the sentence ("If so, send me ..."): request_phrase decides whether it voids the ask
    r"(?:(?:if|when|whenever|once)\b[^,.;!?]{1,60},\s*)?" + _ADV + r"(" + _VERB + r")(?:\s+" + _OBJ + r"\b|\s*[.!]*$|\s*[.!,;]\s|(?<=hold)\b)", _I)
# rules 32: "give me a ring", "go ahead and book it" (a yes to our question: the quote names the work, never the ask),
# a need stated on an order ("the co-borrower's name has to be added to the order", "the loan amount on order 7731 should
# read $412,000"), Spanish "¿pueden volver a la propiedad el lunes?"
_ORDER_NEED_RX = (
    r"\b(?:needs?|has|have|must)\s+to\s+be\s+(?:added|changed|corrected|updated|removed|fixed|amended|switched)\s+(?:to|on|in|from)\s+"
    r"(?:the\s+|our\s+|this\s+)?(?:order|file)\b"
    # rules 67: "he needs to go on the order too", "she has to be listed on the order"
    r"|\b(?:needs?|has|have|must)\s+to\s+(?:go|be\s+(?:put|listed|included|named|shown)|get\s+(?:put|added|listed))\s+(?:on|onto|in)\s+"
    r"(?:the\s+|our\s+|this\s+)?(?:order|engagement)\b"
    r"|\b(?:on|in|for)\s+(?:the\s+)?order\s+(?:#\s*)?[\w-]*\d[\w-]*\s+(?:should|needs\s+to|has\s+to)\s+(?:read|say|be|show)\b"
    r"|\bon\s+the\s+order\s+(?:for\s+[^,.;]{1,30}?\s+)?(?:should|needs\s+to|has\s+to)\s+(?:read|say|show|be)\b(?!\s+(?:fine|ok|okay|correct|right|good|all\s+set))"
    r"|\border\s+(?:#\s*)?[\w-]*\d[\w-]*\s+(?:should|needs\s+to|has\s+to)\s+(?:read|say|show)\b")
ORDER_NEED = re.compile(_ORDER_NEED_RX, _I)
_ASK_MORE = re.compile(
    r"\b(?:give\s+(?:me|us)|gimme)\s+a\s+(?:ring|call|buzz|shout|holler|jingle)\b"
    r"|\bgo\s+ahead\s+and\s+(?:book|schedule|cancel|send|order|set|put|change|update|add|remove|reschedule|move|resend|proceed|"
    r"lock|hold|confirm)\s+(?:it|that|them|this)\b"
    r"|" + r"(?:" + _ORDER_NEED_RX + r")"
    r"|\b(?:pueden|podr[ií]an|puede|podr[ií]a)\s+(?:volver|regresar|ir|pasar|venir)\s+a\s+(?:la\s+|el\s+)?(?:propiedad|casa|inmueble|departamento)\b"
    # rules 35: our work product needing to be done again, said as the sender's need ("I need them redone", "we need it
    # corrected", "need those replaced with sales inside the subdivision"): addressed to whoever made it, us
    r"|(?:\b(?:i|we)\s+(?:really\s+|still\s+|will\s+|'ll\s+|just\s+)?|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:gonna|going\s+to)\s+|\b(?:i'?ll|we'?ll)\s+|"
    r"^\W*(?:(?:gonna|going\s+to|will|we'?ll|i'?ll)\s+)?)(?:need|needs|want)\s+(?:them|it|these|those|this|that|all\s+(?:of\s+)?(?:them|these|those))\s+"
    r"(?:to\s+be\s+)?(?:redone|re-?done|replaced|fixed|corrected|re-?taken|retaken|re-?shot|reshot|revised|swapped(?:\s+out)?|"
    r"re-?measured|re-?uploaded|re-?issued|reissued|re-?sent|resent)\b"
    # rules 39: "The condition rating needs to be revisited by your appraiser"
    r"|\b(?:needs?|has|have)\s+to\s+be\s+(?:revisited|redone|re-?done|re-?checked|corrected|fixed|changed|updated|revised|replaced|removed|added|re-?measured|re-?inspected|retaken|re-?taken)\s+"
    r"by\s+(?:you|u|your\s+(?:appraiser|inspector|team|office|staff)|the\s+appraiser|the\s+inspector)\b"
    # Portuguese: "vocês teriam disponibilidade para uma chamada de vídeo?", "podemos marcar uma reunião?"
    r"|\b(?:voc[êe]s?|o\s+senhor|a\s+senhora)\s+(?:teriam|teria|t[êe]m|tem|teriam\s+como)\s+(?:disponibilidade|tempo|um\s+tempinho|um\s+hor[áa]rio|agenda)\s+"
    r"(?:para|pra)\s+(?:uma\s+|um\s+)?(?:reuni[ãa]o|chamada|liga[çc][ãa]o|conversa|call|videochamada|visita|vistoria|bate-?papo|nova\s+vistoria)"
    r"|\b(?:podemos|poder[ií]amos)\s+(?:marcar|agendar|conversar|falar|nos\s+reunir|fazer\s+uma\s+(?:reuni[ãa]o|chamada|liga[çc][ãa]o))\b"
    r"|\b(?:gostaria|gostar[ií]amos)\s+de\s+(?:marcar|agendar|remarcar|reagendar)\b"
    r"|\b(?:[ée]|seria)\s+poss[ií]vel\s+(?:marcar|agendar|remarcar|reagendar|enviar|mandar|reenviar|ligar|voltar)\b",
    _I)
# A short yes that asks us to go on with what we proposed ("go ahead and book it", "yes please, send it over"): its kind of
# work is in our quoted question.
ANSWER_ASK = re.compile(r"\bgo\s+ahead\b|^\W*(?:yes|yep|yeah|sure|ok|okay|s[ií])\b", _I)
_CONTACT_LINE = re.compile(r"^\W*(?:call|text|ring|phone|cell|mobile|tel)\s*(?:me|us)?\s*(?:at|on|:)?\s*[\d\s().+\-x]+\W*$", _I)
# Courtesies and pitches after the ask ("call me if you have questions", "contact us today for a free quote").
_COURTESY_TAIL = re.compile(
    r"^.{0,80}?\b(?:if\s+(?:you\s+|u\s+)?(?:have|need|needed|want|wish|prefer|would\s+like|'d\s+like|run\s+into|get\s+stuck|"
    r"are\s+interested|think|see\s+anything|find|any)\b|if\s+(?:there|anything|that|it\s+helps|so|not|necessary|needed|required)\b|"
    r"for\s+(?:anything|all|any)\s+(?:related|matters|questions)|with\s+(?:any\s+)?(?:questions|concerns|issues)|should\s+you\s+need|for\s+(?:more\s+(?:info|information|details)|details|"
    r"a\s+free|your\s+free)|to\s+learn\s+more)", _I)
# A condition after the ask makes it a courtesy or a contingency ("text me if you're running late"), unless it only
# softens the ask ("if possible", "if you get a chance", "if that works").
_CONDITION_AFTER = re.compile(
    r"^.{0,80}?\b(?:if|in\s+case|whenever|should\s+(?:you|there))\b(?!\s+(?:possible|at\s+all\s+possible|you\s+(?:can|could)\b|"
    r"(?:you|u)\s+(?:get|have)\s+a\s+(?:chance|moment|minute|sec|second)|that(?:'?s|\s+is)?\s+(?:ok|okay|possible|alright|all\s+right|"
    r"easier|convenient|works|suits)|that\s+works|it'?s\s+not\s+too\s+much|not\s+already|you\s+haven'?t|you\s+have\s+not|"
    r"you\s+don'?t\s+mind|you\s+would|you'?d))", _I)
# A condition on our answer, our capacity or our own work is part of the ask ("do you cover Rockland? If so, send me
# your fees", "if you do, I'd like a quote", "if there's an opening tomorrow, ...", "if the appraiser is still in the
# area, could he ...", "if you haven't sent it yet, please hold off"); a condition on the reader's need ("if you have
# questions") or on a future event ("if the buyer backs out") is not.
_OUR_SIDE = (r"(?:you'?re|you\s+are|u\s+r|ur)\s+(?:around|free|available|about)\b|so\b|yes\b|that'?s\s+a\s+yes\b|(?:you|u|your\s+(?:team|office|firm|company))\s+(?:do|does|can|could|handle|cover|service|work\s+in|take|are\s+able|"
             r"have\s+(?:the\s+)?(?:time|room|capacity|availability|bandwidth|an?\s+(?:opening|slot)))\b|"
             r"there(?:'?s|\s+is|\s+are)\s+(?:an?\s+|any\s+)?(?:opening|openings|slot|slots|cancellation|availability|room)\b|"
             r"(?:the|your|ur)\s+(?:appraiser|inspector|guy|team)\s+(?:is|are|'s|happens\s+to\s+be)\s+(?:still\s+)?"
             r"(?:in\s+the\s+area|around|nearby|available|out\s+there|free)\b|(?:you|u)\s+haven'?t\s+(?:already\s+|yet\s+)?\w+|"
             r"(?:it'?s|that'?s|it\s+is)\s+not\s+too\s+much\s+trouble\b|(?:you|u)\s+(?:get|have)\s+(?:a\s+)?(?:moment|chance|minute|sec|time)\b")
_CONDITIONAL_BEFORE = re.compile(r"\b(?:if|whenever|when|in\s+case|in\s+the\s+event|unless|should\s+(?:you|the|a|an|he|she|they|it|"
                                 r"anything|there|we|your)|si)\b(?!\s+(?:you|u)\s+(?:have|get)\s+a\s+"
                                 r"(?:moment|chance|sec|second|minute)|\s+possible|\s+you\s+can\b|" + r"\s+(?:" + _OUR_SIDE + r"))", _I)
# A vendor's pitch for their own services ("can we set up a call to show you our platform").
_PITCH = re.compile(r"\bdemo\b|\bsee\s+it\s+in\s+action\b|\bgrab\s+a\s+(?:time|slot)\s+on\s+my\s+calendar\b|\bour\s+sales\s+team\b|\b(?:call|chat|meeting)\s+with\s+(?:our\s+team|us)\s+today\b|\b(?:to\s+(?:show|demo|introduce|tell\s+you\s+about|walk\s+you\s+through)|our\s+(?:platform|software|solution|"
                    r"product|services|tool|app))\b|\bfree\s+(?:trial|demo|consultation)\b", _I)
# An auto-reply's or a signature's pointer to someone else ("For urgent matters please contact Jane at ...").
_AWAY = re.compile(r"\b(?:for\s+(?:urgent|immediate|time-sensitive|anything\s+urgent)|(?:in|during)\s+my\s+absence|while\s+i'?m\s+(?:out|away)|"
                   r"if\s+you\s+(?:need|require)\s+(?:immediate|urgent|prompt)\s+(?:assistance|help|attention)|"
                   r"for\s+(?:anything|all\s+matters|any\s+matters)\s+related)\b", _I)
_POLITE_IF = re.compile(r"\b(?:appreciate(?:d)?\s+(?:it\s+)?|great\s+|helpful\s+|grateful\s+|nice\s+|wonderful\s+|ideal\s+|best\s+|"
                        r"wondering\s+|wondered\s+|hoping\s+|see\s+)if\s*$", _I)
_REPORTED = re.compile(
    r"\b(?:he|she|they|borrower|agent|seller|buyer|client|underwriter|lender|processor|officer|manager|boss|tenant|builder|"
    r"realtor|wife|husband|attorney|owner|homeowner|customer|team|broker|investor|coworker|colleague)\s+"
    r"(?:\w+\s+)?(?:asked|asks|is\s+asking|was\s+asking|wants\s+to\s+know|wanted\s+to\s+know|wonders|wondered|is\s+wondering|"
    r"was\s+wondering|said|says|told|mentioned|requested|wants|wanted|would\s+like)\b", _I)
_NOT_ASKING = re.compile(
    r"\b(?:can|could|would)\s+(?:you|u)\s+(?:believe|imagine|tell|confirm|let\s+me\s+know|advise|see\s+why|blame)\b"
    r"|\b(?:you|u)\s+(?:could|can|would|should|might)\s+have\b|\bwhy\s+(?:didn'?t|did|couldn'?t|can'?t|won'?t|wouldn'?t)\s+(?:you|u)\b"
    r"|\bno\s+need\s+to\b|\b(?:don'?t|do\s+not|dont|never)\s+(?:need\s+to\s+)?(?:call|send|resend|change|cancel|contact)\b"
    r"(?!\s+(?:anyone|anybody|someone|somebody|the\s+appraiser|the\s+inspector|(?:your|ur)\s+(?:appraiser|inspector|guy|team))\s+(?:out|over|back)\b)"
    r"|\bsend\s+(?:me\s+|us\s+)?(?:an?\s+)?(?:update|status|eta)\b|\bthanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\b", _I)


_LET_ME_KNOW = re.compile(r"(?:^\s*|\b(?:and|&|to)\s+)(?:let\s+(?:me|us)\s+know|tell\s+(?:me|us)|advise|confirm|see|check|find\s+out|ask)\b", _I)


# rules 35: a work word naming what is reported on ("reinspect on 12 Elm Pass came back clean", "final for 9 Oak went fine")
_WORK_REPORTED = re.compile(
    r"^\W*(?:the\s+)?(?:re-?inspect(?:ion)?|reinspection|inspection|final|1004d|walk-?through|revisit|site\s+visit)\s+(?:on|for|at)\s+"
    r"[^,.;!?]{1,40}?\s+(?:came\s+(?:back|in|out)|went|was|is|passed|cleared|looks?|looked|has\s+been|got|turned\s+out)\b", _I)


# rules 69: our report needed by a deadline, said as the sender's need ("We need the final report by Monday EOD", "I need
# the appraisal by 3 today"): the guide's "our work needed ..., said as the sender's need, asks us"; the deadline says it
# is wanted from us now, not a third party's report or a need some day. "Please have the report uploaded by 4" asks the
# same; es "mándenlo" / "envíenmelo" is an imperative to us.
_DEADLINE = (r"(?:by|before|no\s+later\s+than)\s+(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|business)|eod|cob|noon|midday|today|tonight|tomorrow|"
             r"(?:this|next)\s+\w+|(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\w*|\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?|the\s+\d{1,2}(?:st|nd|rd|th))\b")
_NEEDED_BY = re.compile(
    r"\b(?:i|we)\s+(?:really\s+|still\s+|absolutely\s+|will\s+|'ll\s+)?need\s+(?:the|your|that|this)\s+(?:final\s+|revised\s+|corrected\s+|updated\s+|completed\s+)?"
    r"(?:report|appraisal|1004d|revision)\s+(?:(?:for|on)\s+[^.?!,]{1,40}?\s+)?(?:back\s+)?" + _DEADLINE
    + r"|\bplease\s+have\s+(?:the|your)\s+(?:[\w-]+\s+){0,2}?(?:report|appraisal|1004d|revision|invoice)\s+(?:(?:for|on)\s+[^.?!,]{1,40}?\s+)?"
    r"(?:uploaded|sent|delivered|e-?mailed|to\s+(?:me|us))\b"
    r"|\b(?:m[aá]nd[ea]n?|env[ií][ea]n?)(?:lo|la|los|las|melo|mela|noslo|nosla)\b", _I)


# rules 69: no task in these, whatever their imperative: "fix" aimed at how we run ("Fix your list.", of mail that keeps
# coming; v15) or set as the condition of an offer ("Fix that and we'll give you Santa Rosa County too."; v17): none of
# the guide's request types; a notice to everyone to update their own bookmarks or records (the guide's own example).
_NO_TASK_69 = re.compile(
    r"^\W*(?:please\s+|just\s+)?fix\s+(?:your|ur)\s+(?:mailing\s+)?(?:list|lists|database|system|phones?|process|distribution)\b"
    r"|\b(?:fix|do|change|sort\s+out)\s+(?:that|this|it)\s+and\s+(?:we|i)(?:'ll|\s+will|'d|\s+would)\b"
    r"|^\W*(?:update|change)\s+their\s+(?:[\w-]+\s+){0,1}?(?:bookmarks?|records?|contacts?|address\s+books?|logins?|links?)\b"
    r"|\b(?:everyone|everybody|all\s+(?:vendors|appraisers|users))\s+(?:should|must|needs?\s+to|will\s+need\s+to)\s+update\b", _I)


def request_phrase(text: str) -> str | None:
    """The words of an unambiguous request for our work in ``text`` (one unit of new text), or None."""
    if not text or STOP_INSTRUCTION.search(text) or IDIOM.search(text) or _CONTACT_LINE.match(text) \
            or _NOT_ASKING.search(text) or _AWAY.search(text) or _PITCH.search(text) or opt_out_phrase(text) \
            or bare_opt_out(text, "") or _FUTURE_MAIL.search(text) or _NO_TASK_69.search(text):
        return None
    found = []
    m = _IMPERATIVE.match(text)
    if m and not _WORK_REPORTED.match(text):
        found.append((m.start(1), m.end(0)))
    found += [(m.start(), m.end()) for m in _REQUEST.finditer(text)]
    found += [(m.start(), m.end()) for m in _ASK_MORE.finditer(text)]
    found += [(m.start(), m.end()) for m in _NEEDED_BY.finditer(text)]
    keep = [(m.start(), m.end()) for m in _KEEP_GETTING.finditer(text)]   # "I still want the invoices by email"
    for start, end in sorted(found):
        if any(a <= start < b for a, b in keep):
            continue
        before, after = text[:start], text[end:]
        after = _LET_ME_KNOW.split(after, 1)[0]   # "can you add it and let me know if the fee changes": the condition is the question's
        if _REPORTED.search(before) or _COURTESY_TAIL.match(after) or _CONDITION_AFTER.match(after):
            continue
        cond = list(_CONDITIONAL_BEFORE.finditer(before))
        if cond and not _POLITE_IF.search(before[:cond[-1].end()]) and not _POLITE_IF.search(before):
            continue
        return text[start:end].strip()
    return None


# -- urgency ----------------------------------------------------------------------------------------------
# Time pressure said outright ("ASAP", "we close tomorrow", "the rate lock expires Friday", "need it today"),
# and its denials ("no rush", "not urgent", "no deadline on this one", "urgent care", "family emergency",
# "rush order" as a product). The model's urgent evidence must at least mention time or pressure: plain
# news ("we're closed Monday for the holiday") reads close to urgency in an embedding and is not.
_URGENT_DENIED = re.compile(
    r"\b(?:no|not|non)[- ](?:urgent|rush|hurry|deadline|pressure|emergency)\b|\bnot\s+(?:an?\s+|that\s+|too\s+|very\s+|super\s+)?"
    r"(?:urgent|emergency|rush|pressing|time[- ]sensitive)\b|\bno\s+(?:big\s+)?(?:rush|hurry|deadline|pressure|huge\s+rush)\b"
    r"|\btake\s+your\s+time\b|\bwhenever\s+(?:you\s+|yuo\s+)?(?:get\s+(?:to\s+it|a\s+chance|around)|can|have\s+time)\b"
    r"|\bno\s+need\s+to\s+(?:rush|hurry)\b|\burgent\s+care\b|\bfamily\s+emergency\b|\brush\s+(?:order|fee|service|option)s?\b|\bexpedite[ds]?\s+(?:fee|product|option|service|network)s?\b"
    r"|\b(?:appraiser|inspector|he|she|they)\s+(?:is|are|'s|'re)\s+running\s+(?:a\s+(?:bit|little)\s+)?(?:late|behind)\b"
    r"|\bsin\s+prisa\b|\bno\s+es\s+urgente\b|\bnext\s+(?:month|year)\b|\bin\s+(?:a\s+few|two|three|several)\s+(?:weeks|months)\b"
    # an office's closing days and hours are news, not pressure
    r"|\b(?:we'?re|we\s+are|we'?ll\s+be|we\s+will\s+be|office\s+(?:is|will\s+be)|branch\s+(?:is|will\s+be))\s+closed\b"
    r"|\bclosed\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|the\s+\d+\w*)\s+for\b|\bfor\s+the\s+holiday\b"
    r"|\bholiday\s+(?:schedule|hours)\b|\boffice\s+hours\b"
    # rules 63: "effective immediately" dates a notice, it presses no one
    r"|\beffective\s+immediately\b"
    # rules 32: the sender's own schedule ("Will do tomorrow, I'm tied up today"), our report N days overdue (a complaint)
    r"|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:\w+\s+)?(?:tied\s+up|swamped|slammed|busy|booked|buried|stuck)\s+(?:all\s+)?(?:today|this\s+(?:morning|afternoon))\s+(?:with|in)\b"
    r"|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:\w+\s+)?(?:tied\s+up|swamped|slammed|busy|booked|out|buried|drowning|underwater|stuck)(?:\s+(?:in|with)\s+(?:[\w-]+\s+){0,2}?[\w-]+)?\s+(?:all\s+)?(?:today|this\s+(?:morning|afternoon))\b"
    r"(?![^.?!]*\b(?:asap|urgent\w*|clos\w*|lock|expir\w*|deadline|need\s+it)\b)"
    r"|^\W*will\s+do\b|\b(?:is|was)\s+(?:now\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:days?|weeks?)\s+(?:overdue|late|past\s+due)\b"
    r"(?![^.?!]*\b(?:clos\w*|fund\w*|lock|expir\w*|deadline|asap|urgent\w*|today|tonight|tomorrow)\b)"
    # good news about a closing, and a standing that lapses on a date weeks away, are not pressure
    r"|(?<!n't\s)(?<!not\s)(?<!never\s)(?<!cannot\s)\b(?:clear(?:ed)?|good|ready|all\s+set|on\s+track|set|scheduled)\s+to\s+(?:close|fund)\b"
    r"|\b(?:status|membership|certification|credentials?|license|licence|agreement|contract|approval|panel|insurance|e\s*&\s*o|policy|w-?9)\s+"
    r"(?:\S+\s+){0,6}?(?:expires?|lapses?|ends|runs\s+out)\s+(?:on\s+|at\s+|in\s+)?(?:\d{1,2}/\d{1,2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the\s+end\s+of|th\s+end\s+of)\w*"
    # rules 40: a loss that is over ("We lost a closing because the report was late": a complaint), emergency services
    r"|\b(?:we|i|they|he|she)\s+(?:already\s+|just\s+)?lost\s+(?:a|the|our|that|one|two|another)\s+(?:closing|deal|buyer|lock|loan|file)s?\b"
    r"(?=[^.?!]*\b(?:because|due\s+to|last|over|thanks\s+to)\b)|\bemergency\s+(?:services|room|vehicles?|exit|contacts?|repairs?\s+(?:were|was))\b", _I)
_URGENT_PHRASE = re.compile(
    r"\basap\b|\ba\.s\.a\.p\.?|\bas\s+soon\s+as\s+(?:possible|humanly\s+possible)\b|\burgent(?:ly)?\b|\bimmediately\b"
    r"|\bright\s+away\b|\btime[- ]sensitive\b|\b(?:we|they|it|loan|file|borrowers?|buyers?|deal)\s+(?:close|closes|fund|funds|sign|signs)\s+"
    r"(?:tomorrow|tmrw|tmrrw|tmr|tomorow|tommorow|2morrow|today|tonight|in\s+the\s+morning|first\s+thing|in\s+(?:two|2|three|3|48|24)\s+(?:days|hours)|"
    r"(?:on\s+|this\s+)?(?:monday|tuesday|wednesday|thursday|friday)(?!\s+(?:the\s+)?\d|\s+(?:next|after)))\b"
    r"|\b(?:closing|funding|settlement)(?:'s|’s)?\s+(?:is\s+|was\s+moved\s+up\s+to\s+|got\s+moved\s+up\s+to\s+|moved\s+up\s+to\s+)?(?:tomorrow|today|tonight)\b"
    # rules 43: "hot file", "can you expedite the report", a closing moved up to any day, "we sign at 4 today", es "el cierre es mañana"
    r"|\bhot\s+file\b|\bexpedite\s+(?:the|this|it|that|our|my)\b"
    r"|\b(?:closing|funding|settlement|signing)\s+(?:\w+\s+){0,3}?(?:got\s+|was\s+|has\s+been\s+|just\s+got\s+)?(?:bumped|moved|pushed)\s+up\b"
    r"|\b(?:we|they|borrowers?|buyers?)\s+(?:sign|signs|close|closes|fund|funds)\s+at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+(?:today|tonight|tomorrow)\b"
    r"|\bel\s+cierre\s+es\s+(?:mañana|hoy)\b|\bcierra\w*\s+(?:mañana|hoy)\b"
    # rules 54: "were closing in the am", "funding tmrw am", "we're recording today", "lock is up Monday"
    r"|\b(?:we'?re|were|we\s+are|they'?re|they\s+are|borrowers?\s+(?:is|are))\s+(?:closing|funding|signing|recording)\s+(?:today|tonight|tomorrow|tmrw|tmr|in\s+the\s+am|in\s+the\s+morning|"
    r"first\s+thing|this\s+(?:morning|afternoon))\b"
    r"|\b(?:closing|funding|recording|signing)\s+(?:tmrw|tomorrow|today)\s+(?:am|pm|morning|afternoon|at\s+\d)\b"
    r"|\block\s+(?:is\s+up|runs\s+out|ends)\s+(?:on\s+)?(?:today|tonight|tomorrow|tmrw|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    # rules 50: "Cerramos mañana", "firmamos hoy en la tarde", pt "assinamos amanhã"
    r"|\b(?:cerramos|firmamos|escrituramos|fechamos|assinamos)\s+(?:mañana|manana|hoy|amanh[ãa]|hoje)\b"
    # rules 47: a contingency ending on a near day, the wire going out at an hour, "in a bind"
    r"|\bcontingency\s+(?:period\s+|deadline\s+)?(?:(?:on|for)\s+[^.?!,]{1,30}?\s+)?(?:ends|expires|runs\s+out|is\s+up|lapses)\s+(?:on\s+)?(?:today|tonight|tomorrow|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|this\s+week|in\s+(?:\d+|two|three)\s+days)\b"
    r"|\bwire\s+(?:goes\s+out|is\s+going\s+out|releases?|is\s+released)\s+(?:at\s+\d|today|tonight|this\s+(?:morning|afternoon))"
    r"(?![^.?!]*\b(?:every|each|daily|usually|normally|always)\b)"
    r"|\bin\s+a\s+(?:bind|jam|pinch|crunch)\b"
    # rules 44: "closing in 2 hrs"
    r"|\b(?:closing|funding|signing|settlement|close|fund)\s+in\s+(?:\d+|an?|one|two|three|a\s+couple(?:\s+of)?)\s+(?:hrs?|hours?|mins?|minutes?)\b"
    # rules 40: "We're signing at 4 today"
    r"|\b(?:we'?re|we\s+are|they'?re|they\s+are|borrowers?\s+(?:is|are))\s+(?:signing|closing|funding)\s+(?:at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+)?"
    r"(?:today|tonight|tomorrow|this\s+(?:morning|afternoon))\b"
    r"|\b(?:closing|funding|settlement)\s+(?:on\s+[^.?!,]{1,30}?\s+)?(?:got\s+|was\s+|has\s+been\s+|just\s+got\s+)?moved\s+up\s+to\s+(?:tomorrow|today|tonight)\b"
    r"|\brate\s+lock\s+(?:expires|is\s+expiring|expiring|runs\s+out|ends)\b|\block\s+expires\s+(?:tomorrow|today|tonight|friday|monday)\b"
    r"|\b(?:need|needs|needed)\s+(?:it|this|that|them|the\s+\w+(?:\s+\w+)?)\s+(?:back\s+)?(?:by\s+)?(?:today|tonight|eod|cob|"
    r"end\s+of\s+(?:the\s+)?day|this\s+morning|this\s+afternoon|within\s+the\s+hour|in\s+the\s+next\s+hour)\b"
    r"|\b(?:can'?t|cannot)\s+wait\b|\bevery\s+hour\s+counts\b|\bdrop\s+everything\b|\burgente\b|\bde\s+inmediato\b|\blo\s+antes\s+posible\b"
    r"|\bpara\s+hoy\b|\bcuanto\s+antes\b|\bhoy\s+mismo\b|\b(?:mand|envi|llam|reenvi)\w*\s+hoy\b"
    # rules 63: the hour itself ("send the cert within the hour"), "NEED TODAY" without its object, a rate lock named with its
    # loan between ("the rate lock on 12 Elm expires Friday"), the borrowers already at the closing table
    r"|\bwithin\s+the\s+(?:next\s+)?hour\b|\bin\s+the\s+next\s+(?:hour|\d+\s+min(?:ute)?s)\b"
    r"|(?:^\W*|[-–—:|]\s*|\b(?:i|we)\s+(?:really\s+|still\s+|just\s+)?)need(?:ed|s)?\s+(?:by\s+)?(?:today|tonight|eod|cob)\b(?!['’]s)"
    r"|\brate\s+lock\s+(?:on|for)\s+[^.?!,]{1,40}?\s+(?:expires|is\s+expiring|runs\s+out|ends)\b"
    r"|\b(?:are|is|'re|sitting|already)\s+(?:already\s+|now\s+)?(?:at|in)\s+the\s+closing\s+table\b"
    r"|\b(?:we|they|borrowers?|buyers?)\s+(?:close|closes|fund|funds)\s+this\s+week\b|\bas\s+soon\s+as\s+(?:you|u|y'?all)\s+(?:can|possibly\s+can)\b", _I)
# Pressure that hangs on an event which may never come ("Should the buyer back out, please cancel right away").
_EVENTUAL = re.compile(r"^\W*(?:should\s+(?!(?:you|u)\b)\w|in\s+case\b|in\s+the\s+event\b|if\s+(?:the\s+)?(?:buyer|seller|borrower|deal|loan|"
                       r"value|appraisal|contract|sale|tenant|lender)\b)", _I)
_TIME_PRESSURE = re.compile(
    r"\b(?:asap|urgent\w*|immediately|right\s+away|now|today|tonight|eod|cob|deadline|expir\w*|lock|"
    r"(?:closing|close|closes|closed|funding|fund|funds|settlement)\s+(?:\w+\s+){0,3}?(?:tomorrow|tmrw|today|tonight|this\s+week|"
    r"in\s+(?:\d+|two|three|a\s+few)\s+(?:days|hours)|monday|tuesday|wednesday|thursday|friday)|"
    r"hours?|minutes?|soon|quick\w*|rush\w*|fast|priority|critical|emergency|tight|late|early|earlier|"
    r"(?:out\s+of|in|on|no|short\s+on)\s+time|time[- ]sensitive|timeline|"
    r"overdue|behind|waiting|wait|hurry|pressure|noon|midnight|"
    r"(?:by|before|until)\s+(?:\w+\s+){0,2}?(?:tomorrow|tmrw|tomorow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|noon|eod|"
    r"the\s+\d+\w*|\d)|drop\s+everything|hoy|urgente|ya|pronto|antes|prioridad|cierre)\b", _I)


# rules 69: a closing or funding named with its near day, whatever stands between ("closing on 1701 E Lakeshore Dr is
# tomorrow at 10", "We close 2608 W Boone Ave at 3 today", "My closing is Monday", "loan on 77 Spanish Moss funds
# Tuesday", "closing is weds"): the guide's "closing tomorrow". Not a weekday with a date or "next" after it (it may be
# weeks away), not a closing past ("we funded today!!!"), not business resuming ("we're funding again starting Monday").
_NEAR_DAY = (r"(?:today|tonight|tomorrow|tmrw|tmr|this\s+(?:morning|afternoon|evening|(?:mon|tues?|wed|thu|thur|thurs|fri)\w*)|"
             r"(?:on\s+)?(?:mon|tues?|weds?|thu|thur|thurs|fri)\w*(?!\s+(?:the\s+)?\d|\s+(?:next|after|week)))")
_NEAR_CLOSING = re.compile(
    r"(?![^.?!]*\b(?:again|pace|resum\w*|every|each|usually|normally|as\s+usual)\b)"
    r"(?:\b(?:closing|funding|settlement|signing)(?:'s|’s)?\s+(?:(?:on|for)\s+[^.?!,]{1,40}?\s+)?(?:is|are)\s+(?:set\s+for\s+|scheduled\s+for\s+|now\s+)?" + _NEAR_DAY + r"\b"
    r"|\b(?:we|we'?re|we\s+are|they|they'?re|borrowers?|buyers?|loan|file)\s+(?:on\s+[^.?!,]{1,40}?\s+)?(?:close|closes|closing|fund|funds|funding)\s+"
    r"(?:[^.?!,]{1,40}?\s+)?(?:at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+)?" + _NEAR_DAY + r"\b)", _I)


def urgency_phrase(text: str) -> str | None:
    """Words saying outright that the sender is pressed for time, unless denied in the same unit or hanging on an event
    that may never come ("Should the buyer back out, please cancel right away"). What is lost when a near time is
    missed is pressure without the word ("If it isn't in by Wednesday we lose the lock", "Otherwise we miss today's
    funding cutoff", "the house gets locked up with no access after Friday")."""
    if not text or STOP_INSTRUCTION.search(text):
        return None
    if not (_URGENT_DENIED.search(text) or _EVENTUAL.match(text)):
        m = _URGENT_PHRASE.search(text) or _NEAR_CLOSING.search(text)
        if m:
            return m.group(0)
    stake = _STAKE.search(text)
    if stake and _NEAR_TIME.search(text) and not _URGENT_DENIED.search(_STAKE.sub(" ", text)) and \
            (not _EVENTUAL.match(text) or _MISSED_DEADLINE_IF.match(text)):
        return stake.group(0)
    return None


def stake_after_deadline(text: str, before: str) -> str | None:
    """rules 63: what is lost, said in the sentence after an ask with its near time ("Can you reissue it by tomorrow? We can't
    close without a report in our name."): the stake's words, or None."""
    if not text or not before or _NEAR_TIME.search(text) or _URGENT_DENIED.search(text) or _EVENTUAL.match(text) \
            or _URGENT_DENIED.search(before) or not _NEAR_TIME.search(before):
        return None
    stake = _STAKE.search(text)
    return stake.group(0) if stake else None


# rules 40: what is lost if a near time is missed, and the near time itself. A stake alone ("if the value comes in low
# the buyer walks") hangs on an event; said with today, tomorrow, a weekday or hours it is the sender's pressure.
_STAKE = re.compile(
    r"\blos(?:e|es|ing)\s+(?:the\s+|teh\s+|th\s+|our\s+|his\s+|her\s+|their\s+)?(?:deal|(?:rate\s+)?lock|rate|house|buyer|closing|loan)\b"
    r"|\bmiss(?:es|ed|ing)?\s+(?:the\s+|our\s+|their\s+|(?:today|tomorrow|friday|monday|tuesday|wednesday|thursday)(?:'s|’s)\s+)?"
    r"(?:funding\s+|closing\s+|investor\s+|purchase\s+)?(?:closing|close|funding|cut-?off|deadline|lock|window)\b"
    r"|\bno\s+(?:more\s+)?access\s+(?:after|past|from|once)\b|\b(?:can'?t|cannot|won'?t)\s+(?:fund|close|sign)\s+without\b"
    # rules 63: what cannot go on without our work ("underwriting won't clear to close without the cert", "we cannot draw
    # docs without the appraisal", "compliance cannot release the file without ..."), a loan that falls out of its pool
    r"|\b(?:can'?t|cannot|won'?t|will\s+not|unable\s+to)\s+(?:clear\s+(?:it\s+|the\s+\w+\s+)?to\s+close|draw(?:\s+(?:the\s+)?docs)?|release\s+(?:the\s+)?(?:file|loan|funds)|"
    r"close\s+the\s+loan|fund\s+the\s+loan)\b[^.?!]{0,60}?\bwithout\b"
    r"|\b(?:loan|file|deal)\s+(?:falls|will\s+fall|could\s+fall|drops|gets\s+dropped|gets\s+kicked)\s+out\b"
    r"|\b(?:is|are)\s+holding\s+(?:the\s+)?(?:file|closing|funding|loan)\b|\b(?:file|loan)\s+rolls\s+(?:to|into|over)\b[^.?!]*"
    r"|\bbuyer\s+walks\b|\bdeal\s+(?:falls|could\s+fall|will\s+fall)\s+(?:apart|through)\b"
    r"|\b(?:buyers?|sellers?|borrowers?|investors?|they|he|she)\s+(?:can|could|will|may|might)\s+walk\b(?!\s+(?:the|through|thru|around|in|into|over|you|us|it)\b)"
    r"|\bwalk\s+away\s+from\s+(?:the\s+)?(?:deal|contract|purchase)\b"
    # rules 44: "or we blow the 3-day window"
    r"|\bblow\s+(?:the|our|their)\s+(?:[\w-]+\s+)?(?:window|deadline|lock|closing|cut-?off)\b"
    r"|\b(?:cut-?off|deadline)(?:\s+(?:for|on)\s+[^.?!,]{1,30}?)?\s+is\s+(?:at\s+)?(?:\d|noon|midnight|today|tonight|tomorrow|eod|cob|this)"
    r"|\brate\s+(?:goes|will\s+go)\s+up\b"
    # rules 47: "or the file gets suspended"
    r"|\b(?:file|loan|deal|closing|order)\s+(?:gets|will\s+get|will\s+be|is)\s+(?:suspended|denied|cancel+ed|pulled|killed|kicked\s+back)\b"
    # rules 54: what else is lost if a near time is missed: the contract cancelled, a backup offer taken, the application
    # started over, es "pierdo la tasa"
    r"|\b(?:can|could|will|may|might)\s+(?:cancel|terminate)\s+(?:the\s+)?(?:contract|deal|purchase|sale)?\b|\b(?:take|takes|go\s+with)\s+the\s+back-?up\s+offer\b"
    r"|\bstart\s+(?:the\s+|our\s+|my\s+)?(?:whole\s+)?(?:application|loan|process|file)\s+over\b|\bstart\s+over\b"
    r"|\bpierd(?:o|e|en|emos)\s+(?:la\s+)?(?:tasa|casa|cierre|venta|compra|pr[eé]stamo)\b|\bperder\s+(?:la\s+)?(?:tasa|casa|venta)\b", re.I)
_NEAR_TIME = re.compile(
    r"\b(?:today|tonight|tomorrow|tmrw|today'?s|tomorrow'?s|this\s+(?:morning|afternoon|evening)|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|noon|midnight|eod|cob|(?:within|in)\s+(?:the\s+)?(?:next\s+)?(?:\w+\s+)?hours?|"
    r"\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d\d|(?:by|before)\s+\d{1,2}|"
    # rules 54: es near times ("si no se hace esta semana pierdo la tasa")
    r"hoy|mañana|esta\s+semana|lunes|martes|miércoles|miercoles|jueves|viernes)\b", re.I)
# "If the appraisal isn't in by Wednesday ...": a deadline that may be missed is no event that may never come
_MISSED_DEADLINE_IF = re.compile(r"^\W*if\b[^,.?!;]*\b(?:isn'?t|is\s+not|aren'?t|are\s+not|don'?t|doesn'?t|can'?t|haven'?t|"
                                 r"hasn'?t|not)\b[^,.?!;]*\b(?:by|before|until)\b", re.I)


def may_be_urgent(text: str) -> bool:
    """A unit that can be the model's urgent evidence: it mentions time or pressure and does not deny urgency, and
    its pressure is more than a plain deadline ("need the comps by tomorrow noon" asks for work with a time; "by
    tomorrow noon or we lose the rate lock" is pressed)."""
    text = text or ""
    if _URGENT_DENIED.search(text) or _EVENTUAL.match(text):
        return False
    if _DONE_EVENT.search(text) and not _STILL_PRESSED.search(text):
        return False   # rules 69: "19 Cedar closed Friday and we funded today!!!": the guide's celebration, no pressure
    rest = _PLAIN_DEADLINE.sub(" ", text)
    return bool(_TIME_PRESSURE.search(rest) or _AT_STAKE.search(rest))


# rules 69: a closing or funding that has happened ("we funded today!!!", "it closed Friday"), with nothing still pressing
_DONE_EVENT = re.compile(r"\b(?:we|it|they|loan|deal|file|borrowers?|buyers?|[\w-]+\s+(?:st|ave|rd|ln|dr|ct|way|blvd))\s+(?:just\s+|finally\s+)?(?:closed|funded|recorded)\b"
                         r"|\b(?:has|have|had)\s+(?:just\s+|finally\s+)?(?:closed|funded|recorded)\b", _I)
_STILL_PRESSED = re.compile(r"\b(?:need|needs|asap|urgent\w*|still|must|can'?t|cannot|won'?t|before|by|until|expir\w*|lock|deadline)\b", _I)


# A deadline and nothing more: "by Friday", "before the 12th", "no later than March 20", "by end of day Thursday".
_PLAIN_DEADLINE = re.compile(
    r"\b(?:by|before|until|no\s+later\s+than|on\s+or\s+before)\s+(?:(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?(?:day|week|month|business)\s+)?"
    r"(?:(?:this|next|on)\s+)?(?:tomorrow|tmrw|tomorow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|"
    r"thu|thurs|fri|the\s+\d{1,2}(?:st|nd|rd|th)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?)"
    r"(?:\s+(?:at\s+)?(?:noon|morning|afternoon|evening|\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?))?\b", _I)
# What is at stake when a deadline is missed: the pressure a plain deadline lacks.
_AT_STAKE = re.compile(r"\bat\s+risk\b|\bmiss(?:es|ed|ing)?\s+(?:the\s+|our\s+)?(?:closing|close|funding|cut-?off|deadline|lock)\b"
                       r"|\blos(?:e|es|ing)\s+(?:the\s+|our\s+|his\s+|her\s+|their\s+)?(?:deal|lock|rate|house|buyer|closing|loan)\b"
                       r"|\bcut-?off\b|\b(?:falls?|drops?)\s+out\b|\bwithout\b[^.?!]{0,40}\b(?:close|closing|fund\w*|draw|release)\b|\b(?:close|closing|fund\w*|draw|release)\b[^.?!]{0,40}\bwithout\b"
                       r"|\b(?:buyers?|sellers?|borrowers?|investors?|they|he|she|deal)\s+(?:\w+\s+){0,2}?walks?\b(?!\s+(?:the|through|thru|around|in|into|over|you|us|it|him|her|them)\b)|\bfall(?:s|ing)?\s+(?:apart|through)\b|\bslips?\b|\bwon'?t\s+fund\b|\bcan'?t\s+(?:fund|close)\b", _I)


# -- renewal ---------------------------------------------------------------------------------------------
# Renewal of our standing with a client said outright: "your annual re-credentialing with our panel falls on August 1",
# "your approved-appraiser status comes up for renewal in 90 days" (nothing to do yet is still renewal). Not a borrower's
# HELOC or a lease: the words must name our panel, vendor or approval standing.
_RENEWAL_PHRASE = re.compile(
    r"\b(?:re-?credential\w*|recertif\w*)\b"
    # rules 69: a renewal of our standing by its noun, either order ("renewing <Firm> on our approved-vendor panel", "your
    # renewed vendor agreement", "Your MSA renewal is countersigned", "renewal of the Master Services Agreement"), the
    # annual approved-vendor / approved-appraiser review
    r"|\b(?:renew\w*)\b[^.?!]{0,60}?\b(?:panel|vendor\s+agreement|master\s+(?:appraisal\s+)?services?\s+agreement|msa|vsa|panel\s+agreement|"
    r"approved[- ](?:vendor|appraiser)\s+(?:panel|list|status))\b"
    r"|\b(?:panel\s+(?:agreement|membership)|vendor\s+agreement|msa|vsa|master\s+(?:appraisal\s+)?services?\s+agreement)\s+(?:renew\w*)\b"
    r"|\bannual\s+approved[- ](?:vendor|appraiser)\s+review\b"
    # rules 41: "your credentialing with us comes due", a license or E&O on file that lapses, kept on our roster
    r"|\b(?:your|annual|vendor|appraiser)\s+credentialing\b"
    # rules 46: "vendor recert", a panel "due for its yearly review", "updating our vendor roster for 2030", "to stay on our
    # panel", "our agreement with you is up at the end of the month", "re-onboard all appraisal vendors"
    r"|\brecerts?\b|\b(?:panel|roster|vendor\s+list|approved\s+(?:\w+\s+)?list)\b[^.?!]{0,40}?\b(?:due|up)\s+for\s+(?:its\s+|their\s+|your\s+|an?\s+|the\s+)?"
    r"(?:yearly\s+|annual\s+)?(?:review|renewal|recertification|re-?approval)\b"
    r"|\b(?:updating|refreshing|renewing|rebuilding)\s+(?:our|the)\s+(?:vendor|appraiser|approved)\s+(?:\w+\s+)?(?:roster|list|panel)\b"
    r"|\bstay\s+on\s+(?:our|the)\s+(?:\w+\s+)?(?:panel|roster|approved\s+list|vendor\s+list)\b"
    r"|\b(?:agreement|contract)\s+with\s+(?:you|your\s+(?:firm|company|office|team))\b[^.?!]{0,40}?\b(?:is\s+up|expir\w*|ends|lapses?|runs\s+out|renew\w*)\b"
    r"|\bre-?onboard\w*\s+(?:all\s+)?(?:(?:our|of\s+our|the)\s+)?(?:\w+\s+)?(?:vendors|appraisers|panel)\b"
    # rules 43: "re-up your spot on our panel", es "su contrato de proveedor vence", "renovación del convenio"
    r"|\b(?:vendor|appraiser|panel)\s+(?:\w+\s+){0,2}?(?:profile|status|file|record)\s+(?:[\w-]+\s+){0,8}?re-?(?:verif|validat|approv)\w*\b"   # rules 44
    r"|\bre-?up\s+(?:your|our|the)\s+(?:\w+\s+){0,3}?(?:panel|roster|list|approval|agreement|contract|spot|status)\b"
    r"|\b(?:renewed|extended|re-?approved|re-?upped)\s+(?:your|ur)\s+(?:[\w-]+\s+){0,2}?(?:membership|approval|status|spot|seat|place|contract|agreement|msa|credentials?)\b"
    r"|\b(?:contrato|convenio|acuerdo|membres[ií]a|acreditaci[oó]n)\s+de\s+(?:proveedor|tasador|valuador|panel)\b[^.?!]{0,40}?\b(?:vence|expira|se\s+renueva|renovaci[oó]n)\b"
    r"|\brenovaci[oó]n\s+(?:del|de\s+su)\s+(?:contrato|convenio|panel|membres[ií]a)\b"
    r"|\b(?:license|licence|e\s*&\s*o|certificate|insurance)\s+(?:\w+\s+){0,3}?on\s+file\b[^.?!]{0,60}?\b(?:expir\w*|lapse[sd]?|out\s+of\s+date|renew\w*)\b"
    r"|\bkeep\s+(?:you\s+)?(?:active|approved|assigning\s+you|on\s+(?:our|the)\s+(?:panel|roster|list))\b"
    r"|\b(?:panel|vendor|approved[- ](?:appraiser|vendor)|appraiser|credential\w*|master\s+service|msa)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:status|membership|approval|agreement|credentials?|contract)\b[^.?!]{0,60}?\b(?:renew\w*|up\s+for\s+renewal|due\s+for\s+renewal|"
    r"expires?|expiring)\b", _I)
_NOT_OUR_RENEWAL = re.compile(r"\b(?:heloc|lease|mortgage|loan|subscription|permit|insurance\s+policy|policy)\s+renewal\b"
                               r"|\b(?:subscription|membership\s+dues|plan|software|license\s+for\s+\d+\s+users?)\b[^.?!]{0,40}?\brenews\b(?=[^.?!]*\b(?:card|charged|billed|auto)\b)", _I)


# rules 69: the guide's "Not renewal: ... a lease": a lease renewing (ours as a tenant) with nothing of our standing with a
# client (panel, vendor agreement, credentials) in the sender's words
_LEASE = re.compile(r"\blease[sd]?\b|\btenan(?:t|cy)\b", _I)
_STANDING_NOUNS = re.compile(r"\b(?:panel|vendor|approved|credential\w*|re-?credential\w*|recertif\w*|msa|vsa|master\s+services?|appraiser\s+list|roster)\b", _I)


def lease_not_standing(text: str) -> bool:
    """``text`` (the fresh subject and new text) is about a lease and names nothing of our standing with a client."""
    return bool(_LEASE.search(text or "")) and not _STANDING_NOUNS.search(text or "")


# rules 40: the model's renewal evidence speaks of a renewal, a term or our standing's paperwork ("This is not the level of
# service we expect from a panel vendor" reads close to one and is a complaint)
_RENEWAL_WORDS = re.compile(
    r"\b(?:renew\w*|re-?credential\w*|recertif\w*|credential\w*|re-?approv\w*|expir\w*|lapse[sd]?|agreement|contract|msa|vsa|"
    r"annual\s+review|(?:panel|vendor)\s+review|term|terms|questionnaire|packet|e\s*&\s*o|license|licence|insurance|w-?9|"
    r"status|membership|due|vence|vencimiento|renovaci\w+|renova\w*|convenio|contrato)\b", _I)


def may_be_renewal(text: str) -> bool:
    """A unit that can be the model's renewal evidence: it names a renewal, a term or our standing's paperwork."""
    return bool(_RENEWAL_WORDS.search(text or ""))


def renewal_phrase(text: str) -> str | None:
    """Words saying our standing with the client (panel, approval, credentials, vendor agreement) renews, or None."""
    if not text or _NOT_OUR_RENEWAL.search(text):
        return None
    m = _RENEWAL_PHRASE.search(text)
    return m.group(0).strip() if m else None


# -- complaints -------------------------------------------------------------------------------------------
# Dissatisfaction said in a way no reader mistakes ("This is the third time I've asked. Unacceptable.", "ur guy left the
# gate open ... not cool", "The report was due Friday. It's Wednesday. What is going on?", "Still waiting. 9 days now."):
# the model, trained on longer complaints, misses these terse ones. Trouble with someone else ("the HOA's answer is
# unacceptable", "still waiting on the title company") is not a complaint about us; "no complaints" never is.
_OTHERS = re.compile(r"\b(?:hoa|title\s+(?:company|co)|escrow|lender|underwriter|uw|borrower|buyer|seller|listing\s+agent|agent|"
                     r"realtor|roofer|contractor|builder|tenant|county|city|insurance|insurer|weather|market|rates?|bank|processor|"
                     r"inquilin[oa]|vendedor|comprador|banco)\b", _I)
_OURS = re.compile(r"\b(?:you|u|your|ur|y'?all|you\s+guys|your\s+office|your\s+team|ustedes|su\s+oficina)\b", _I)
_COMPLAINT_DENIED = re.compile(r"\bno\s+(?:complaints?|issues?|problems?)\b|\bnot\s+(?:complaining|a\s+complaint)\b"
                               # rules 32: "I'm not upset, I just don't understand ...", forgiveness of a delay
                               r"|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+not\s+(?:upset|angry|mad|annoyed|complaining|frustrated)\b"
                               r"|\b(?:completely|totally|fully)?\s*understand\s+(?:the|about\s+the)\s+delay\b|\bno\s+hard\s+feelings\b"
                               r"|\bnothing\s+to\s+complain\b|\bsin\s+quejas\b|\bno\s+(?:me\s+)?quejo\b", _I)
_NOT_OURS = re.compile(r"\bnothing\s+to\s+do\s+with\s+(?:you|your)\b|\bnot\s+(?:your|ur)\s+fault\b|\bnothing\s+(?:further\s+|else\s+)?(?:is\s+)?"
                       r"(?:needed|required)\s+from\s+(?:you|your)\b|\bno\s+(?:fault|culpa)\s+(?:of\s+)?(?:yours|suya|de\s+ustedes)\b", _I)
_COMPLAINT_PHRASE = re.compile(
    r"\b(?:this\s+is\s+)?(?:totally\s+|completely\s+|simply\s+|just\s+)?unacceptable\b|\b(?:es\s+)?inaceptable\b|\bno\s+es\s+aceptable\b"
    r"|\bnot\s+cool\b|\bnot\s+ok(?:ay)?\s+(?:at\s+all|with\s+(?:me|us))\b|^\W*not\s+ok(?:ay)?\W*$|\bnot\s+good\s+enough\b"
    r"|\b(?:charg(?:e|es|ed|ing)|bill(?:s|ed|ing)?|invoic(?:e|es|ed|ing))\s+(?:us\s+|me\s+)?(?:twice|double)\b|\b(?:looks|is|was)\s+doubled\b|\bdouble[- ](?:charged|billed)\b"
    r"|\bover-?(?:billed|charged)\b"
    r"|\b(?:y'?all|you\s+guys|you)\s+left\s+the\s+(?:\w+\s+){0,2}?(?:gate|door|lights|garage|water)\b"
    r"|\b(?:the\s+)?(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th)\s+time\s+(?:i'?ve|i\s+have|we'?ve|we\s+have|i'?m|i\s+am|we'?re|we\s+are|"
    r"i\s+(?:asked|called|emailed|wrote)|we\s+(?:asked|called|emailed|wrote)|asking|requesting|calling|emailing|writing|following\s+up|"
    r"this\s+(?:week|month|has\s+happened)|(?:that\s+)?(?:your|ur)\s+\w+)"
    r"|^\W*still\s+waiting\W*$|\bstill\s+waiting\b[^.?!]{0,40}?\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several)\s+(?:days|weeks|business\s+days)\b"
    r"|^\W*(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\s+(?:days|weeks|business\s+days)\s+(?:now(?:\s+and\s+(?:nothing|counting))?|and\s+counting|and\s+nothing)\W*$"
    r"|\b(?:the\s+|your\s+|ur\s+|my\s+)?(?:report|appraisal|revision|1004d|final|update|corrected\s+report)\s+was\s+(?:due|promised)\s+(?:on\s+|for\s+|by\s+|last\s+)?"
    r"(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\w*\b"
    r"|^\W*what\s+(?:is|'s|the\s+hell\s+is|on\s+earth\s+is)\s+going\s+on\s*\?+\W*$"
    r"|\b(?:your|ur)\s+(?:guy|appraiser|inspector|staff|person|people|team|office)\s+(?:\w+\s+){0,2}?(?:left\s+(?:the|our|my|his|her|their)\s+(?:[\w-]+\s+){0,2}?(?:gate|door|lights|garage)|"
    r"never\s+(?:showed|called|came|responded|returned)|didn'?t\s+(?:show|call|bother|respond)|was\s+(?:rude|late|unprofessional|a\s+no-?show)|"
    r"showed\s+up\s+(?:late|\w+\s+hours?\s+late)|forgot|tracked\s+mud|damaged|broke|let\s+the\s+(?:dog|cat))"
    r"|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:very\s+|really\s+|extremely\s+|so\s+|pretty\s+)?(?:fed\s+up|sick\s+of|tired\s+of\s+(?:chasing|waiting|asking))\b"
    r"|\bsigo\s+esperando\b|\bes\s+la\s+(?:segunda|tercera|cuarta)\s+vez\b"
    # rules 32: terse disgust, staff who would not look at the evidence, our report late by days, rudeness, a closing pushed
    r"|^\W*(?:careless|sloppy|shoddy|lazy|unprofessional|embarrassing)\s+(?:work|job|report|effort)\b|^\W*(?:i\s+|we\s+)?expected\s+(?:more|better)(?:\s+(?:from|of)\s+(?:you|y'?all|your\s+\w+))?\s*[.!]*\s*$"
    r"|\b(?:your|ur)\s+(?:[\w-]+\s+){0,1}?(?:appraiser|inspector|staff|guy|person|scheduler|team|office|rep)\s+(?:wouldn'?t|would\s+not|refused\s+to|"
    r"didn'?t|did\s+not|won'?t)\s+(?:even\s+)?(?:look\s+at|consider|read|listen|review|check)\b"
    r"|\b(?:your|ur|the)\s+(?:report|appraisal|revision|1004d)\s+(?:on\s+[^.?!]{1,40}?\s+)?(?:is|was)\s+(?:now\s+)?(?:\d+|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|several)\s+(?:days?|weeks?|business\s+days)\s+(?:overdue|late|past\s+due)\b"
    r"|\b(?:your|ur)\s+(?:[\w-]+\s+){0,1}?(?:scheduler|staff|appraiser|inspector|receptionist|rep|team|office)\s+(?:was|were)\s+(?:really\s+|very\s+|so\s+)?"
    r"(?:short|rude|curt|dismissive|condescending|nasty|snippy)\s+with\b"
    r"|\b(?:push|delay|move)(?:ed)?\s+(?:the\s+|our\s+)?closing\b[^.?!]{0,60}?\bbecause\s+(?:your|ur|the)\s+(?:report|appraisal)\b"
    r"|\b(?:frankly|honestly|pretty|really)\s+embarrassing\b|\bmuy\s+mal\s+servicio\b|\bp[ée]simo\s+servicio\b"
    # an error in our report ("The report you sent has the wrong parcel number on every page")
    r"|\b(?:your|the|ur)\s+(?:report|appraisal|invoice)\s+(?:you\s+sent\s+|you\s+delivered\s+)?(?:has|had|lists|listed|shows|showed)\s+"
    r"(?:the\s+)?wrong\b"
    # an opt-out ignored: asked before and the mail keeps coming (the message is both an opt-out and a complaint)
    r"|\bhow\s+many\s+(?:more\s+)?times\s+(?:do|does|must|will|have|should)\b"
    r"|\b(?:i|we)\s+(?:already\s+|have\s+already\s+|'?ve\s+already\s+)?(?:unsubscribed|opted\s+out|hit\s+unsubscribe|clicked\s+unsubscribe)\b"
    r"[^.?!]{0,80}?\b(?:still|keep|keeps|kept|again|continu\w+)\b"
    r"|\bstill\s+(?:getting|receiving)\s+(?:these|them|this\s+(?:junk|spam)|your\s+(?:emails?|newsletters?|promos?|marketing|mail\w*))\b"
    r"|\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th)\s+request\b"
    r"|\b(?:me\s+siguen|siguen)\s+(?:llegando|mandando|enviando)\b|\bcontinuam\s+(?:me\s+)?(?:mandando|enviando)\b"
    # our appraiser late and silent, in Spanish and Portuguese; no one answering
    r"|\b(?:el\s+|la\s+)?(?:tasador|tasadora|valuador|perito|inspector|avaliador|avaliadora|vistoriador)\s+(?:[\w,]+\s+){0,4}?"
    r"(?:lleg[óo]|chegou)\b[^.?!]{0,60}?\b(?:tarde|retraso|atrasad[oa]|depois\s+do\s+combinado|ni\s+(?:siquiera\s+)?llam[óo]|"
    r"sin\s+avisar|nem\s+(?:ligou|avisou))\b"
    r"|\bningu[ée]m\s+(?:me\s+|nos\s+)?(?:d[áa]|deu)\s+retorno\b|\bnadie\s+(?:me\s+|nos\s+)?(?:contesta|responde)\b"
    r"|\b(?:[ée]|es)\s+a\s+(?:segunda|terceira|quarta|quinta)\s+vez\b"
    # rules 36: displeasure said mildly or indirectly: nobody told us, not thrilled, a promised day long past, more
    # back-and-forth than it should have taken, hoping the next one goes smoother, a repeat of the same miss, a disappointment
    r"|\b(?:no\s*one|nobody|no-one)\s+(?:from\s+(?:your|ur)\s+\w+\s+|there\s+|over\s+there\s+)?(?:ever\s+|even\s+|bothered\s+to\s+)?"
    r"(?:let\s+(?:us|me)\s+know|told\s+(?:us|me)|informed\s+(?:us|me)|notified\s+(?:us|me)|warned\s+(?:us|me)|gave\s+(?:us|me)\s+a\s+heads[- ]up|"
    r"called\s+(?:us|me)|reached\s+out)\b"
    r"|^\W*(?:(?:i'?m|we'?re|i\s+am|we\s+are|honestly|frankly)\s+)?not\s+(?:thrilled|happy|pleased|impressed|amused)\s*[.!]*\s*$"
    r"|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:\w+\s+)?not\s+(?:thrilled|happy|pleased|impressed)\s+(?:with|about|by)\s+(?:how|the\s+way|your|ur|this|that)\b"
    r"|^\W*(?:and\s+)?(?:it'?s|it\s+is|today\s+is)\s+(?:now|already)\s+(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\w*\W*$"
    r"|\b(?:took|takes|taking)\s+(?:a\s+lot\s+|way\s+|much\s+|far\s+|quite\s+a\s+bit\s+)?(?:more|longer)\b[^.?!]{0,50}?\bthan\s+(?:it\s+)?"
    r"(?:should\s+have|needed\s+to|had\s+to|necessary|promised|we\s+were\s+told)\b"
    r"|\bhoping\s+(?:the\s+)?next\s+(?:one|order|file|report|time)\s+(?:is|goes|will\s+(?:be|go))\s+(?:a\s+(?:lot|bit|little)\s+)?(?:smoother|better|faster|quicker)\b"
    r"|\b(?:a\s+)?(?:bit|little|tad|somewhat|rather|pretty|quite|very|really)?\s*disappointed\s+(?:with|in|by)\s+(?:how|the\s+way|your|ur)\b"
    # rules 42: billed for what did not happen ("charged the rush fee but it wasn't a rush order"), days past the due date
    r"|\b(?:charged|billed|invoiced)\b[^.?!]{0,60}?\bbut\s+(?:[\w'-]+\s+){0,3}?(?:wasn'?t|weren'?t|didn'?t|never|was\s+not|did\s+not|were\s+not)\b"
    r"|\b(?:a|one|two|three|four|five|\d+)\s+(?:business\s+)?(?:days?|weeks?)\s+(?:past|after|beyond|over)\s+(?:the\s+|its\s+|our\s+)?(?:due\s+date|deadline|promised\s+date|date\s+(?:you|we\s+were)\s+(?:promised|given))\b"
    r"|\b(?:scheduling|billing|working\s+with\s+(?:you|your\s+\w+)|communication|getting\s+(?:answers|updates|a\s+response))\b[^.?!]{0,30}?\b(?:has|have|had)\s+been\s+(?:\w+\s+)?"
    r"(?:a\s+(?:real\s+|total\s+|bit\s+of\s+a\s+)?(?:headache|nightmare|pain|struggle|mess|hassle)|painful|frustrating|difficult|tough)\b"
    # rules 38: billed over what was agreed; communication / turn times / service said to be poor
    r"|\b(?:higher|more|over)\s+than\s+(?:the\s+|what\s+)?(?:quote|quoted|estimate|agreed|we\s+agreed|you\s+quoted|was\s+quoted)\b"
    r"|\b(?:communication|responsiveness|response\s+times?|turn\s*-?\s*times?|turnaround|service)\b[^.?!]{0,40}?\b(?:has|have|had)\s+(?:been\s+|gotten\s+|become\s+)?"
    r"(?:\w+\s+)?(?:spotty|poor|lacking|slow|slower|inconsistent|hit[- ]or[- ]miss|rough|sub-?par|terrible|bad|worse|slipp(?:ed|ing))\b"
    # rules 37: "Would have been nice to get a heads-up that the inspection was pushed."
    r"|\b(?:it\s+)?(?:would(?:\s+have|'ve)|would\s+of)\s+been\s+(?:nice|good|helpful)\s+(?:to\s+(?:get|have|know|hear|be\s+told)|if\s+(?:someone|somebody|you|anyone))\b"
    r"|\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th)\s+(?:[\w-]+\s+){0,2}?(?:in\s+a\s+row|this\s+(?:week|month|quarter)|running)\b"
    r"(?=[^.?!]*\b(?:missing|without|late|wrong|not|never|didn'?t|wasn'?t|hasn'?t|left\s+off|forgot|no)\b)"
    r"|\b(?:photos?|pictures?|pics|comps?|sketch|floor\s*plan|address|parcel(?:\s+number)?|legal\s+description|square\s+footage|gla|room\s+count|bedroom\s+count)\b"
    r"[^.?!]{0,60}?\b(?:are|is|were|was)\s+(?:of|from|for)\s+(?:the\s+)?(?:wrong|neighbou?r'?s'?|(?:house|home|property|unit)\s+next\s+door|a\s+different\s+(?:house|home|property|unit))\b"
    # someone of ours hung up on the sender ("your scheduling line hung up on me twice")
    r"|\b(?:your|ur)\s+(?:[\w-]+\s+){1,2}?hung\s+up\s+on\s+(?:me|us)\b|\b(?:someone|somebody)\s+(?:at|from|in)\s+(?:your|ur)\s+\w+\s+hung\s+up\b"
    # sarcasm over our lateness ("Great, another late report, love that for us")
    r"|\b(?:great|wonderful|fantastic|perfect|awesome|lovely|oh\s+good|just\s+great|terrific|brilliant)\s*[,.!…—-]*\s+(?:another|one\s+more|yet\s+another)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:late|past[- ]due|overdue|delayed|missed|botched)(?![-\w])"
    r"|\b(?:yet\s+)?another\s+(?:[\w-]+\s+){0,2}?(?:late|past[- ]due|overdue)\s+(?:report|appraisal|revision|order|delivery)\b"
    r"|\b(?:otra\s+vez|de\s+nuevo|nuevamente)\b[^.?!]{0,40}?\b(?:tarde|atrasad[oa]|retrasad[oa])\b"
    r"|\b(?:mais\s+uma\s+vez|de\s+novo|novamente)\b[^.?!]{0,40}?\b(?:atrasad[oa]|atrasou|com\s+atraso)\b"
    r"|\b(?:as[ií]\s+)?no\s+podemos\s+seguir\s+(?:trabajando|con\s+ustedes)\b|\bn[ãa]o\s+(?:d[áa]|podemos)\s+(?:para\s+)?(?:continuar|seguir)\s+(?:trabalhando\s+)?com\s+voc[êe]s\b"
    # rules 50: a service failure stated as fact. Our work took weeks; our report due on a day now past (its address
    # between); nobody troubled to tell the sender (es / pt too); our appraiser who never came (es / pt); nobody to reach,
    # calls and messages left unanswered; photos of one place, not the one ordered; billed one sum where the agreement
    # says another; our record called a concern
    r"|\b(?:you|you\s+people|you\s+guys|y'?all|your\s+(?:[\w-]+\s+)?(?:crew|team|office|appraiser|inspector|firm|company|people|shop|staff))\s+"
    r"(?:took|needed|spent)\s+(?:over\s+|almost\s+|nearly\s+|more\s+than\s+)?(?:\d+|two|three|four|five|six|seven|eight|several)\s+(?:full\s+)?(?:weeks|months)\b"
    r"|\b(?:report|appraisal|revision|1004d|final|update|corrected\s+report)\s+(?:on|for)\s+[^.?!]{1,40}?\s+was\s+(?:due|promised)\s+(?:on\s+|for\s+|by\s+|last\s+)?"
    r"(?:(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\w*|the\s+\d{1,2}(?:st|nd|rd|th)|yesterday|\d{1,2}/\d{1,2})\b"
    r"|\b(?:the\s+|your\s+|ur\s+)?(?:report|appraisal|revision|1004d)\s+was\s+(?:due|promised)\s+(?:on\s+)?(?:the\s+\d{1,2}(?:st|nd|rd|th)|yesterday|\d{1,2}/\d{1,2})\b"
    r"|(?<!\bknow\s)(?<!\bi\s)\bit\s+was\s+(?:due|promised)\s+(?:on\s+|by\s+|last\s+)?(?:(?:mon|tues?|wed|thu|thur|thurs|fri)\w*|yesterday)\b"
    r"(?![^.?!]*\b(?:sorry|apolog\w*|payment|pay|check|invoice|our\s+end|my\s+bad)\b)"
    r"|\b(?:no\s*one|nobody|no-one)\s+(?:ever\s+|even\s+)?(?:bothered|called|thought|took\s+the\s+time|cared\s+enough)\s+to\s+(?:tell|let|inform|warn|call|notify)\s+(?:us|me)\b"
    r"|\bnadie\s+(?:nos|me)\s+(?:avis[óo]|inform[óo]|dijo|llam[óo]|notific[óo])\b|\bningu[ée]m\s+(?:nos|me)\s+(?:avisou|informou|disse|ligou)\b"
    r"|\b(?:el|la)\s+(?:inspector|inspectora|tasador|tasadora|valuador|valuadora|perito)\s+(?:nunca|no)\s+(?:vino|lleg[óo]|se\s+present[óo]|apareci[óo])\b"
    r"|\b(?:o|a)\s+(?:avaliador|avaliadora|vistoriador|vistoriadora)\s+(?:nunca|n[ãa]o)\s+(?:veio|apareceu|chegou)\b"
    r"|\b(?:difficult|hard|impossible|tough|a\s+struggle)\s+to\s+(?:reach|get\s+(?:a\s+)?hold\s+of|get\s+through\s+to)\s+(?:anyone|anybody|someone|somebody|you|your\s+\w+)\b"
    r"|\b(?:voicemails?|messages|calls|e-?mails)\s+(?:[\w-]+\s+){0,3}?(?:go|goes|went|have\s+gone|sit|sat|have\s+sat)\s+(?:\w+\s+)?(?:unanswered|unreturned)\b"
    r"|\b(?:photos?|pictures?|pics|shots|images)\b[^.?!]{0,60}?\b(?:are|is|were|was)\s+(?:of|from)\s+[^.?!,]{1,30},\s+not\s+(?:of\s+)?\w"
    r"|\b(?:billed|charged|invoiced)\s+(?:us|me)\s+\$[\d,.]+[^.?!]{0,80}?\b(?:but|yet|when|while|whereas)\b[^.?!]{0,60}?\b(?:says|said|shows|lists|quoted|agreed|is|was)\s+\$?\d"
    r"|\b(?:your|ur)\s+(?:[\w-]+\s+){0,3}?(?:rate|rates|times?|performance|record|scores?|quality|delays?|delivery)\b[^.?!]{0,40}?\b(?:is|are|has\s+been|remains?|was)\s+"
    r"(?:a\s+|an\s+)?(?:(?:real|serious|growing|major|big|significant|ongoing)\s+)?(?:concern|problem|issue)\b", _I)


# A threat to take work elsewhere is a complaint however calmly put: "If the next one is late too, our branch will start
# ordering from a different AMC", "we'll have no choice but to move our volume elsewhere".
_VOLUME_THREAT = re.compile(
    r"\b(?:we'?ll|we\s+will|i'?ll|i\s+will|we'?re\s+going\s+to|we\s+are\s+going\s+to|i'?m\s+going\s+to|(?:we|i)\s+(?:would|may|might|will)\s+"
    r"(?:have|need)\s+to|(?:our|my)\s+(?:branch|team|office|company|lenders?|los|loan\s+officers|volume|orders|business)\s+(?:will|goes|go)|"
    r"(?:have|has)\s+no\s+choice\s+but\s+to)\s+(?:\w+\s+){0,2}?(?:move|moving|take|taking|pull|pulling|shift|shifting|switch|switching|"
    r"send|sending|start\s+(?:ordering|sending|using)|go|route|routing|steer|steering|give|giving|"
    r"look|find)\b.{0,50}?(?:(?:\b(?:orders|volume|business|work|files|loans|appraisals|it|them)\s+|(?<=go\s)|(?<=look\s))elsewhere\b|\b(?:another|a\s+different|a\s+new|other)\s+(?:amcs?|vendors?|appraisers?|"
    r"appraisal\s+(?:firms?|compan(?:y|ies))|firms?|compan(?:y|ies)|shops?)\b(?!\s+(?:on|in|at|from)\s+your)"
    # rules 61: "I'll start routing our county orders to someone else"
    r"|\b(?:to|with)\s+(?:someone|somebody|some\s+other\s+(?:firm|shop|appraiser|amc))\s+else\b)",
    _I)


# "If turn times don't improve we'll have to look at other panels", "we're going to start shopping for another AMC"
_SHOPPING_THREAT = re.compile(
    r"\b(?:we'?ll|we\s+will|i'?ll|i\s+will|we'?re\s+going\s+to|we\s+are\s+going\s+to|i'?m\s+going\s+to|(?:we|i)\s+(?:would|may|might|will)\s+"
    r"(?:have|need)\s+to|(?:have|has)\s+no\s+choice\s+but\s+to|(?:we|i)\s+(?:are|am)|we'?re|i'?m)\s+(?:\w+\s+){0,3}?"
    r"(?:look\w*|shop\w*|consider\w*|explor\w*|evaluat\w*)\s+(?:at\s+|for\s+|around\s+(?:for\s+)?)?(?:other|another|different|new)\s+(?:panels?|amcs?|appraisers?|vendors?|firms?|options|"
    r"compan(?:y|ies)|providers?|appraisal\s+(?:firms?|compan(?:y|ies)))\b(?!['’]|\s+(?:comps|reports|work|data|sales)\b)", _I)


# Looking elsewhere for what we do not offer is no threat ("we'll look at other panels for Dayton since you don't cover it").
_NOT_COVERED = re.compile(r"\b(?:you|u|y'?all|your\s+\w+)\s+(?:don'?t|do\s+not|doesn'?t|does\s+not|can'?t|cannot|aren'?t\s+able\s+to)\s+"
                          r"(?:cover|serve|service|do|handle|go|offer|work)\b", _I)


# rules 50: someone else telling the sender our work was due ("The lender says it was due Monday") names them as the
# teller, not as the one at fault
_RELAYED_DUE = re.compile(r"\b(?:says|said|tells\s+(?:me|us)|told\s+(?:me|us))\s+(?:that\s+)?it\s+was\s+(?:due|promised)\b", _I)


# rules 61: displeasure in still other shapes. Our work held to the client's own yardstick and found short ("your turn
# time averaged 11 days against our 7-day standard", "the adjustments were sloppy", "that should have been caught", "a
# pretty big miss"); the sender left to learn a change from someone else ("I had to find out from the buyer"), nobody
# turning up; asking us again and again ("had to call your office three times"); our work still not done ("the report
# is still not in", "your office still hasn't scheduled it"); business lost or leaving ("that's why we stopped sending you
# work", "I doubt we'll be back", "we're going with another appraiser"); our people's conduct ("the inspector who came out
# was curt with my tenant", "that remark was unprofessional", "we expect better from you"); billed over the schedule
# ("$150 over your fee schedule"), "we don't appreciate ..."; a wish that the next one goes better, "not the experience
# we want", "not a great look".
_COMPLAINT_61 = re.compile(
    r"\b(?:your|ur)\s+(?:[\w-]+\s+){0,3}?(?:turn\s*-?\s*times?|turnaround|times?|rates?|scores?|quality|performance|delivery|average|reports?)\b(?:[^.?!]|\.\d){0,80}?"
    r"\b(?:against|versus|vs\.?|above|over|below|short\s+of|outside)\s+(?:our|the|my)\s+(?:[\w%.-]+\s+){0,2}?(?:standard|requirement|target|sla|benchmark|"
    r"expectation|guideline)s?\b"
    r"|\b(?:not|isn'?t|aren'?t|wasn'?t|weren'?t|never|didn'?t|don'?t|doesn'?t)\s+(?:even\s+)?(?:meeting|meet|met|up\s+to|close\s+to)\s+(?:our|the|my)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:standards?|requirements?|expectations?|sla|targets?)\b|\bfell\s+(?:well\s+|way\s+|far\s+)?short\s+of\b"
    r"|\b(?:should|could)\s+(?:have|'ve|of)\s+been\s+(?:caught|noticed|spotted|flagged|checked|picked\s+up|done\s+right)\b"
    r"|\b(?:a|that'?s\s+a|that\s+(?:is|was)\s+a|what\s+a)\s+(?:pretty\s+|really\s+|very\s+|rather\s+)?(?:big|huge|major|serious|basic|glaring|obvious|bad|costly)\s+"
    r"(?:miss|mistake|error|oversight|blunder|screw-?up|goof)\b"
    r"|\b(?:no\s*one|nobody|no-one)\s+(?:ever\s+)?(?:came|showed(?:\s+up)?|turned\s+up|arrived|called|answered|responded|got\s+back)\b(?!\s+(?:to|at)\s+the\s+(?:door|house|property))"
    r"|\b(?:had|have|needed)\s+to\s+(?:ask|call|e-?mail|chase|remind|nudge|write\s+to|follow\s+up\s+with)\s+(?:you|y'?all|your\s+(?:[\w-]+\s+)?[\w-]+)\s+"
    r"(?:[\w'-]+\s+){0,6}?(?:twice|three\s+times|four\s+times|five\s+times|\d+\s+times|several\s+times|multiple\s+times|repeatedly|over\s+and\s+over)\b"
    r"|\b(?:report|appraisal|revision|1004d|inspection|corrected\s+report|final)\b[^.?!]{0,40}?\b(?:(?:is|'s|was|are)\s+still\s+not|still\s+(?:isn'?t|is\s+not|wasn'?t|"
    r"hasn'?t\s+been|has\s+not\s+been|aren'?t))\s+(?:in|here|done|back|delivered|uploaded|complete|completed|scheduled|fixed|corrected)\b"
    r"|\b(?:your|ur)\s+(?:[\w-]+\s+)?(?:office|team|appraiser|inspector|staff|firm|company|shop|scheduler|people)\s+(?:still\s+)?(?:hasn'?t|has\s+not|haven'?t|have\s+not)\s+"
    r"(?:even\s+|yet\s+)?(?:scheduled|called|sent|delivered|uploaded|responded|contacted|started|finished|returned|reached\s+out|gotten\s+back|bothered)\b"
    r"|\b(?:your|ur)\s+(?:[\w-]+\s+)?(?:appraiser|inspector|guy|person|team|staff|office|scheduler)\s+was\s+supposed\s+to\s+(?:be|come|show|arrive|call|meet|send)\b"
    r"|\b(?:(?:the|your|ur)\s+(?:appraiser|inspector|scheduler|receptionist|rep|guy|person|lady|trainee|staff(?:\s+member)?)\s+(?:(?:who|that)\s+[^.?!,]{1,40}?\s+|"
    r"(?:you|they|y'?all)\s+sent\s+(?:out\s+|over\s+)?)?|you\s+)"
    r"(?:was|were|got)\s+(?:really\s+|very\s+|so\s+|pretty\s+|kind\s+of\s+|a\s+bit\s+|a\s+little\s+|extremely\s+|quite\s+)?"
    r"(?:short|rude|curt|dismissive|condescending|nasty|snippy|unprofessional|argumentative|abrupt|disrespectful|hostile|snide)\s+(?:with|to|toward)\b"
    r"|\b(?:that|this|his|her|the)\s+(?:comment|remark|behaviou?r|attitude|conduct|tone)\s+(?:was|is)\s+(?:\w+\s+)?(?:unprofessional|inappropriate|uncalled\s+for|out\s+of\s+line|offensive)\b"
    r"|\b(?:i|we)\s+(?:expect|expected|would\s+expect)\s+(?:much\s+|a\s+lot\s+|far\s+)?(?:better|more)\s+(?:from|of)\b"
    r"|\$\s?[\d,]+(?:\.\d\d)?\s+(?:over|above|more\s+than|higher\s+than)\s+(?:your|ur|the|our)\s+(?:[\w-]+\s+){0,2}?(?:fee\s+schedule|quote|quoted\s+(?:fee|price)|"
    r"agreed\s+(?:fee|price|rate)|estimate|rate\s+sheet|contract(?:ed)?\s+(?:fee|rate))\b"
    r"|\b(?:we|i)\s+(?:really\s+)?(?:don'?t|do\s+not)\s+appreciate\b"
    r"|\b(?:would|it'?d|it\s+would)\s+(?:be|have\s+been)\s+(?:nice|great|good|helpful)\s+if\s+(?:the\s+)?next\s+(?:one|order|file|report|time|inspection|appointment)\b"
    r"|\bnot\s+(?:the|a)\s+(?:kind\s+of\s+|level\s+of\s+)?(?:experience|service|standard)\s+(?:we|i|our\s+\w+)\s+(?:want|expect|expected|need|are\s+used\s+to|signed\s+up\s+for)\b"
    r"|\bnot\s+a\s+(?:great|good)\s+look\b", _I)
# rules 61: business lost or leaving ("that's why we stopped sending you work", "I doubt we'll be back", "we're going with
# another appraiser"): about us whatever place or party the sentence names
_LEAVING = re.compile(
    r"\bwhy\s+(?:we|i)\s+(?:stopped|quit)\s+(?:sending|giving|using|ordering)\b|\b(?:we|i)\s+(?:stopped|quit)\s+(?:sending|giving)\s+(?:you|y'?all|your\s+\w+)\s+"
    r"(?:any\s+)?(?:work|orders|business|files)\b"
    r"|\b(?:doubt|don'?t\s+think|do\s+not\s+think)\s+(?:we'?ll|we\s+will|i'?ll|i\s+will)\s+(?:be\s+back|(?:be\s+)?(?:using|use)\s+(?:you|y'?all|your)|(?:be\s+)?(?:ordering|order)\s+from\s+(?:you|y'?all))\b"
    r"|\b(?:we'?re|we\s+are|i'?m|i\s+am)\s+(?:now\s+)?(?:going|moving|switching)\s+(?:with|to|over\s+to)\s+(?:another|a\s+different|a\s+new|some\s+other|other)\s+"
    r"(?:appraiser|amc|firm|vendor|company|shop|appraisal\s+(?:firm|company))s?\b", _I)
# rules 61: the sender left to learn of a change from someone else: the one named is the source, not the one at fault
_LEFT_UNTOLD = re.compile(r"\b(?:had\s+to|only|first)\s+(?:find|found|learn(?:ed|t)?|hear(?:d)?)\s+(?:out\s+|about\s+(?:[\w'-]+\s+){1,6}?)"
                          r"(?:about\s+(?:[\w'-]+\s+){1,6}?)?(?:from|through|via|when|by\s+accident|second-?hand)\b", _I)
# what the sender learned late: a change of our appointment or our work, not the property's news ("the leak")
_OUR_CHANGE = re.compile(r"\b(?:reschedul\w*|moved|chang\w*|cancel\w*|pushed|postpon\w*|appointment|inspection|visit|report|appraisal|"
                         r"delivered|late|delay\w*|time)\b", _I)
# rules 61: our own work called poor by its noun ("the comp selection on this one was weak", "your adjustments are
# unsupported"): the work is ours whoever else is named in the sentence ("... and the lender's reviewer tore it apart")
_OUR_WORK_FAULT = re.compile(
    r"\b(?:the|your|ur)\s+(?:comp(?:arable)?s?|comp\s+selection|selection\s+of\s+comps|adjustments?|analysis|reconciliation|report|appraisal|sketch|"
    r"photos?|narrative|write-?up|work|support|workfile|commentary|grid)\b(?:\s+(?:on|for|in)\s+(?:this|that|the)\s+(?:[\w'-]+\s+){0,3}?(?:one|file|report|order|property|job))?\s+"
    r"(?:was|were|is|are)\s+(?:really\s+|pretty\s+|very\s+|way\s+too\s+|too\s+|extremely\s+|just\s+|frankly\s+|honestly\s+)?"
    r"(?:weak|poor|sloppy|careless|shoddy|inadequate|unsupported|sub-?par|riddled|a\s+mess|not\s+(?:well\s+)?supported)\b", _I)


# rules 69: a service failure said plainly, in shapes seen across blind authors: an error called in our report or invoice
# ("The report for 611 Elm has the wrong borrower name", "an error in the report", es "el reporte tiene mal"); our work's
# length said with disbelief ("Wow, only 19 days.", "Wow. Eleven days for a 1004D") or in weeks ("why the report took
# three weeks"); "no notice of the delay" (the guide: "nobody let us know"); asks unanswered, counted ("I've emailed three
# times", "per my last two emails"), nobody from our office reaching or coming ("nobody from your office has managed to
# reach her", es "nadie vino / llamó / contestó"); our work not done on its day ("the final was supposed to be done
# Monday", "nobody has been out"); a day we promised ("I was promised Monday", the guide's "We were told Friday"); a
# threat to move the work ("or I'm moving it to another shop"). complaint_phrase still drops it when only a third party is
# named ("I've emailed the borrower three times").
_DAYS = r"(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\w*"
_LONG = r"(?:[7-9]|[1-9]\d|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
_COMPLAINT_69 = re.compile(
    r"\b(?:the|your|ur)\s+(?:report|appraisal|invoice|bill|1004d|revision)\s+(?:(?:for|on)\s+[^.?!,]{1,40}?\s+)?(?:has|had|lists|listed|shows|showed|says|said|is\s+showing)\s+"
    r"(?:the\s+|a\s+)?wrong\b"
    r"|(?<!\bmy\s)(?<!\bour\s)\b(?:error|mistake)s?\s+(?:in|on)\s+(?:the|your|ur)\s+(?:report|appraisal|invoice|1004d|grid|sketch)\b"
    r"|\b(?:reporte|aval[uú]o|informe|factura)\s+tiene\s+mal\b|\berror(?:es)?\s+en\s+(?:el|la|su)\s+(?:reporte|aval[uú]o|informe|factura)\b"
    r"|\b(?:wow|gee|whoa|geez)\W+(?:only\s+|just\s+)?" + _LONG + r"\s+(?:business\s+)?(?:days|weeks)\b"
    r"|\b(?:report|appraisal|revision|1004d|final|inspection)\b[^.?!]{0,40}?\btook\s+(?:over\s+|almost\s+|nearly\s+|more\s+than\s+)?(?:two|three|four|five|six|several|\d+)\s+(?:full\s+)?weeks\b"
    r"|\bno\s+(?:notice|word|heads[- ]up|warning|explanation)\s+(?:of|about|on)\s+(?:the\s+|any\s+)?(?:delay|change|reschedul\w*)\b"
    r"|\b(?:no\s*one|nobody)\s+(?:from|at|in)\s+(?:your|ur)\s+(?:office|team|company|firm|shop|side|staff)\b[^.?!]{0,40}?\b(?:reach\w*|call\w*|contact\w*|respond\w*|"
    r"answer\w*|return\w*|got\s+back|gotten\s+back|show\w*|came|come)\b"
    r"|\bnadie\s+(?:me\s+|nos\s+)?(?:llam[óo]|contest[óoea]|respondi[óo]|vino|lleg[óo]|apareci[óo])\b"
    r"|\bper\s+my\s+(?:last|previous)\s+(?:two|three|four|several|\d+)\s+(?:e-?mails|messages|requests|voicemails)\b"
    r"|\b(?:i'?ve|i\s+have|we'?ve|we\s+have)\s+(?:now\s+|already\s+)?(?:emailed|e-?mailed|called|written|asked|reached\s+out|followed\s+up)\s+(?:you\s+|your\s+\w+\s+)?"
    r"(?:twice|three\s+times|four\s+times|\d+\s+times|several\s+times|multiple\s+times|repeatedly)\b"
    r"|\b(?:was|were)\s+supposed\s+to\s+(?:be\s+)?(?:done|finished|completed|delivered|uploaded|sent|in|out|here|there|back)\s+(?:on\s+|by\s+|last\s+)?" + _DAYS + r"\b"
    r"|\b(?:no\s*one|nobody)\s+(?:has\s+(?:ever\s+)?been|ever\s+came|came|showed)\s+(?:out|up|by)\b"
    r"|\b(?:i|we)\s+(?:was|were)\s+(?:promised|told)\s+(?:it\s+)?(?:on\s+|by\s+|for\s+)?" + _DAYS + r"\b"
    r"|\b(?:moving|sending|taking|giving|switching|pulling|move|send|take|give)\s+(?:it|this|that|the\s+(?:file|order|work)|them|these|those|our\s+\w+)\s+(?:over\s+)?to\s+"
    r"(?:another|a\s+different|a\s+new|some\s+other|other)\s+(?:appraiser|amc|firm|vendor|company|shop|appraisal\s+(?:firm|company))s?\b", _I)


def complaint_phrase(text: str) -> str | None:
    """Words of a complaint about our service no reader mistakes, unless denied or aimed at someone else."""
    if not text or _COMPLAINT_DENIED.search(text):
        return None
    m = _VOLUME_THREAT.search(text) or (_SHOPPING_THREAT.search(text) if not _NOT_COVERED.search(text) else None)
    if m and not _WHY_US.search(text):
        return m.group(0).strip()
    m = _OUR_WORK_FAULT.search(text) or (_OUR_CHANGE.search(text) and _LEFT_UNTOLD.search(text)) or \
        (_LEAVING.search(text) if not _NOT_COVERED.search(text) else None)
    if m:
        return m.group(0).strip()
    m = _COMPLAINT_PHRASE.search(text) or _COMPLAINT_61.search(text) or _COMPLAINT_69.search(text)
    if not m:
        return None
    if _OTHERS.search(text) and not _OURS.search(text) and not _RELAYED_DUE.search(text):   # "the HOA's answer is unacceptable"
        return None
    return m.group(0).strip()


_PRAISE = re.compile(r"\b(?:great|excellent|awesome|fantastic|amazing|perfect|home\s+run|love|loved|glad|thanks?|thank\s+you|appreciate\w*|"
                     r"impressed|happy|pleased|helped|helpful|solid|nice|smooth|quick\s+turn|fast\s+turn|gracias|excelente|buen[oa]"
                     # rules 62: a matter settled ("The corrected report looks fine and it's cleared.", "all squared away now")
                     r"|looks?\s+(?:fine|good|right|correct|clean)|all\s+(?:good|set|squared\s+away|sorted)|(?:it'?s|it\s+is|got|been|was)\s+cleared|"
                     r"resolved|squared\s+away)\b", _I)
_DISPLEASED_WITH_US = re.compile(r"\b(?:never|didn'?t|did\s+not|no\s+one|nobody)\b[^.?!]{0,30}\b(?:call(?:ed)?\s+back|return\w*|answer\w*|respond\w*)\b", _I)
_DISPLEASED = re.compile(r"\b(?:not|n't|never|no|but|late|still|again|wrong|error|mistake|slow|poor|worse|worst|bad|missing|missed|"
                         r"disappoint\w*|frustrat\w*|upset|unacceptable|problem|issue|complain\w*|mess|sarcas\w*|really\?)\b|\?", _I)


# Someone else's failings told as the reason the sender chose us: "the previous AMC never returned calls; that's why we
# came to you", "our backup AMC was late again, glad we have you".
_WHY_US = re.compile(r"\b(?:why|reason)\s+(?:that\s+)?we\s+(?:came|switched|moved|went|turned|changed)\s+(?:over\s+)?to\s+(?:you|your|y'?all)\b"
                     r"|\bglad\s+(?:we\s+(?:have|found|switched\s+to|went\s+with)|to\s+have)\s+(?:you|your|y'?all)\b"
                     r"|\b(?:switched|came|moved)\s+(?:over\s+)?to\s+(?:you|your\s+(?:firm|company|team|office))\b", _I)


# The sender taking themself off someone else's list ("I finally got off that home warranty company's mailing list",
# "took myself off the MLS alerts"): news about a third party, neither an opt-out from us nor a complaint about us.
_OFF_OTHERS_LIST = re.compile(
    r"\b(?:unsubscribed|unsubscribing|got\s+(?:myself\s+)?off|getting\s+off|took\s+(?:myself|me)\s+off|opted\s+out|removed\s+myself|"
    r"me\s+(?:descadastrei|desinscrib[ií]|di\s+de\s+baja))\s+(?:of\s+|from\s+|de\s+)?(?:the\s+|that\s+|their\s+|those\s+|a\s+|all\s+|la\s+|las\s+|da\s+)?"
    r"(?:[\w'’.-]+\s+){0,5}?(?:list|lists|alerts?|e-?mails|newsletters?|mailings?|notifications|texts|lista|alertas)\b", _I)
_STILL = re.compile(r"\b(?:still|keep|keeps|kept|again|continu\w+|sigo|siguen|continuam)\b", _I)
# The sender's own miss ("I was on vacation so I missed your call") is no complaint about us.
_OWN_MISS = re.compile(r"\b(?:i|we)\s+(?:must\s+have\s+|just\s+|totally\s+)?missed\s+(?:your|ur|the)\s+(?:call|calls|email|message|voicemail|text)\b", _I)


def off_others_list(text: str) -> bool:
    """The sender reports leaving a third party's mailing list, not ours (no "your", nothing still arriving)."""
    text = text or ""
    return bool(_OFF_OTHERS_LIST.search(text)) and not _OURS.search(text) and not _STILL.search(text)


# rules 36: a difference between our report and another source, pointed out or asked about ("The report shows 3 baths,
# the MLS has 2.5. Which one is right?", "the assessor has the GLA at 1,840 and your report says 2,010") is a question,
# not a complaint, unless the sender calls ours an error or a repeat.
_SOURCE = (r"(?:mls|listing|county|assessor'?s?|tax\s+(?:records?|card|roll)|public\s+records?|survey|surveyor|title\s+(?:commitment|report|search|work)|"
           r"title|plans|blueprints|purchase\s+(?:contract|agreement)|contract|builder'?s?|permit|hoa|flood\s+cert\w*|cad|appraisal\s+district|"
           r"realist|zillow|redfin|deed|plat|closing\s+disclosure|1008|loan\s+application|application|(?:borrower|seller|owner)'?s?\s+(?:\w+\s+)?(?:says|has|records))")
_DISCREPANCY = re.compile(
    r"\b(?:your|the|ur)\s+(?:report|appraisal|grid|sketch)\s+(?:[\w-]+\s+){0,2}?(?:says|shows|has|lists|states|reports|indicates|notes|puts|gives|reads)\b"
    r"[^?!]{0,100}?\b" + _SOURCE + r"\b[^.?!]{0,40}?\b(?:says|shows|has|have|lists|states|is|are|reads|puts|gives|indicates)\b"
    r"|\b" + _SOURCE + r"\b[^.?!]{0,60}?\b(?:says|shows|has|have|lists|states|reads|puts|gives|indicates)\b[^?!]{0,80}?\b(?:and|but|while|whereas|yet|,)\s+"
    r"(?:your|the|ur)\s+(?:report|appraisal|grid|sketch)\s+(?:[\w-]+\s+){0,2}?(?:says|shows|has|lists|states|reports|indicates|reads|puts|gives)\b"
    r"|\bwhich\s+(?:one\s+|number\s+|figure\s+)?(?:is|'s)\s+(?:right|correct|accurate)\b|\bwhich\s+(?:one\s+)?should\s+(?:i|we)\s+(?:go\s+with|use|trust)\b"
    r"|\bwhich\s+(?:one\s+)?to\s+(?:trust|use|go\s+with|believe)\b"
    # rules 37: our report's figure said alone, beside another source's in the sentence before ("The report shows 9,100.")
    r"|^\W*(?:and\s+|but\s+|while\s+)?(?:your|the|ur)\s+(?:report|appraisal)\s+(?:says|shows|has|lists|states|reads|puts\s+it\s+at|came\s+in\s+at)\s+[^.?!]{0,40}?\d[^.?!]{0,25}[.!]?\s*$"
    r"|\bwhere\s+the\s+difference\s+comes\s+from\b|\b(?:just\s+)?(?:want|trying)\s+to\s+understand\s+(?:where|why|the\s+difference)\b", _I)
# rules 42: a question about how we did it ("Why does the report use a 5% time adjustment?") is no complaint by itself
_METHOD_QUESTION = re.compile(r"^\W*(?:(?:just\s+)?(?:curious|wondering)\W+)?(?:why|how\s+come|how)\s+(?:does|did|do|is|was|were)\s+(?:the|your|ur)\s+"
                              r"(?:report|appraisal|appraiser|grid|adjustments?|reconciliation)\s+(?:use|used|include|included|apply|applied|pick|picked|choose|chose|"
                              r"select|selected|weight|weighted|arrive|get|come|make|made|treat|treated|bracket)\b", _I)
_ERROR_CLAIMED = re.compile(r"\b(?:wrong|incorrect|error|errors|mistake|mistakes|inaccura\w+|again|(?:second|third|fourth|2nd|3rd)\s+time|sloppy|"
                            r"careless|unacceptable|keep\s+(?:catching|finding|getting)|can'?t\s+keep|still|fix|didn'?t\s+match)\b", _I)
# Trouble told of a third party as the subject ("FYI the borrower still isn't answering", "The pest inspector still hasn't
# sent his report", "our LOS is down again"), with nothing aimed at us in the sentence.
_THIRD_PARTY_TROUBLE = re.compile(
    r"^\W*(?:(?:fyi|so|ugh|also|update|heads\s+up|just\s+so\s+you\s+know)\W+)?(?:the|our|my|their|his|her|this)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:borrowers?|buyers?|sellers?|members?|clients?|customers?|applicants?|listing\s+agent|agent|realtor|title\s+(?:company|co)|escrow(?:\s+officer)?|lender|underwriter|uw|processor|"
    r"(?:pest|termite|home|septic|well|roof)\s+inspector|surveyor|contractor|roofer|builder|tenants?|hoa|county|city|insurer|insurance\s+(?:company|agent)|"
    r"los|system|portal|it|attorney|closer|investor|homeowners?|owners?|property\s+manager|management\s+company)\b(?!\s+(?:said|says|told|mentioned)\b)", _I)
# A third party's feelings are usually about us ("The borrower is furious and so am I"): that sentence stays evidence.
_FEELING = re.compile(r"\b(?:furious|angry|upset|livid|mad|unhappy|frustrated|disappointed|annoyed|irritated|fuming|not\s+happy|"
                      r"complain\w*|confused)\b", _I)
# The sender's own tries at someone else, joining another's ("I've tried three times today as well").
_OWN_TRIES = re.compile(r"\b(?:i'?ve|i\s+have|we'?ve|we\s+have)\s+(?:also\s+)?(?:tried|called|texted|e-?mailed|left\s+\w+\s+(?:messages|voicemails))\b"
                        r"[^.?!]*\b(?:as\s+well|too)\b", _I)
# The sender says our side is fine ("Yours came in fine, just venting", "Nothing needed from you", "no action on your end"):
# the trouble in the message is not with us.
_EXONERATED = re.compile(
    r"\b(?:yours|your\s+(?:report|appraisal|part|side|end|work|stuff)|the\s+appraisal)\s+(?:is|was|came\s+(?:in|through)|looks?|went)\s+"
    r"(?:\w+\s+)?(?:fine|good|great|perfect|ok|okay|clean|solid)\b"
    r"|\bnothing\s+(?:is\s+)?(?:needed|required)\s+(?:from|of)\s+(?:you|your)\b|\bno\s+action\s+(?:is\s+)?(?:needed\s+|required\s+)?(?:on|from)\s+your\s+(?:end|side|part)\b"
    r"|\bjust\s+venting\b|\bnot\s+(?:on\s+)?(?:you|y'?all)\b(?!\s+to\b)|\bnothing\s+to\s+do\s+with\s+(?:you|your)\b|\bnot\s+(?:your|ur)\s+fault\b"
    r"|\bno\s+(?:fault|culpa)\s+(?:of\s+)?(?:yours|suya|de\s+ustedes)\b", _I)


# rules 50: less volume told as news ("Expect maybe half of what you've been seeing from us", "we're cutting back orders
# through Q1") and a note that we wrote to the wrong person are no complaint evidence unless an error or a feeling is named.
_LESS_VOLUME = re.compile(r"\b(?:expect|anticipate|plan\s+on|figure\s+on)\s+(?:maybe\s+|about\s+|roughly\s+|around\s+|only\s+)?(?:half|fewer|less|a\s+(?:third|quarter|fraction))\b"
                          r"|\b(?:cutting|cut|scaling|scale|pulling|pull|dialing|dial)\s+back\s+(?:on\s+)?(?:our\s+)?(?:orders|volume|ordering)\b"
                          r"|\b(?:slowed|slowing|dried|drying)\s+(?:to\s+a\s+crawl|up|down)\b", _I)
_WRONG_PERSON = re.compile(r"\b(?:have|got|reached|e-?mailing|emailed|contacted|writing\s+to)\s+the\s+wrong\s+(?:person|contact|address|e-?mail|guy|gal|lady|"
                           r"company|people|number|inbox)\b", _I)


def exonerates_us(new_text: str) -> bool:
    """The sender's new text says our side is fine: a complaint-like message about someone else."""
    return bool(_EXONERATED.search(new_text or ""))


def may_be_complaint(text: str) -> bool:
    """A unit that can be the model's complaint evidence: not a denied complaint ("No complaints here"), not praise
    alone ("Turn times have been great this quarter"), not the sender leaving someone else's list or missing our call."""
    text = text or ""
    if (KEEP_SENDING.search(text) and not complaint_phrase(text)) \
            or ((_DISCREPANCY.search(text) or _METHOD_QUESTION.match(text)) and not _ERROR_CLAIMED.search(text)) \
            or (_THIRD_PARTY_TROUBLE.match(text) and not _OURS.search(text) and not _FEELING.search(text)) or (_OWN_TRIES.search(text) and not _OURS.search(text)):
        return False
    if (_LESS_VOLUME.search(text) or _WRONG_PERSON.search(text) or (_RENEWAL_WORDS.search(text) and re.search(r"\brenew\w*|\brenov\w*", text, _I))) \
            and not _ERROR_CLAIMED.search(text) and not _FEELING.search(text) and not complaint_phrase(text):
        return False   # rules 50: "Expect maybe half of what you've been seeing", "you have the wrong person", "Lo renovamos ..."
    if ORDER_NEED.search(text) and not _OURS.search(text):   # "Loan amount on order 7731 should read $412,000": a change asked
        return False
    said = opt_out_phrase(text)   # "Ya no me manden esto porfa.": an opt-out and nothing more is no complaint
    if said and not _DISPLEASED.search(text.replace(said, " ")):
        return False
    if _COMPLAINT_DENIED.search(text) or _NOT_OURS.search(text) or _WHY_US.search(text) or upsell_phrase(text) \
            or off_others_list(text) or (_OWN_MISS.search(text) and not _DISPLEASED_WITH_US.search(text)):
        return False
    return not (_PRAISE.search(text) and not _DISPLEASED.search(text))


# rules 62: a third party named in the sentence before, then not answering under a pronoun ("Could you reach the HOA's
# manager? They haven't returned any of my calls.", "Can you call the listing agent? He's not picking up for me."): the
# sender's trouble with them, not with us
_PRONOUN_UNRESPONSIVE = re.compile(
    r"^\W*(?:(?:and|but|so|plus)\s+)?(?:he|she|they)\b[^.?!]{0,25}?\b(?:not|never|hasn'?t|haven'?t|isn'?t|aren'?t|wasn'?t|weren'?t|didn'?t|"
    r"doesn'?t|don'?t|won'?t)\s+(?:even\s+|been\s+|yet\s+|ever\s+)?(?:answer|pick\w*\s+up|respond|return|reply|call\w*\s+(?:me\s+|us\s+)?back|"
    r"get\w*\s+back|show\w*\s+up|picking\s+up)\w*", _I)


def others_unresponsive(text: str, before: str) -> bool:
    """``text`` tells of someone not answering under a pronoun whose one named in ``before`` (the sentence before) is a third
    party, and names nothing of ours."""
    return bool(_PRONOUN_UNRESPONSIVE.match(text or "")) and bool(_OTHERS.search(before or "")) and not _OURS.search(text) \
        and not _FEELING.search(text) and not _OUR_PEOPLE.search(before or "")


# our people named ("Your inspector said he'd call the tenant. He never called back.": "he" is ours)
_OUR_PEOPLE = re.compile(r"\b(?:your|ur)\s+(?:[\w-]+\s+)?(?:appraiser|inspector|guy|team|office|staff|scheduler|person|people|rep|assistant)s?\b", _I)


# -- upsell ---------------------------------------------------------------------------------------------
# Upsell is more or new business: a unit the model reads as upsell must say "more", "new", "also", "expand",
# "do you handle ...", "send you our ..." or the like. Talking about the business there is ("we'd like to meet
# to discuss volume", "our volume is down") is not an offer of more of it.
_MORE_BUSINESS = re.compile(
    # rules 69: not "more than" (a comparison), a firm's name ("<Firm> Partners") or our standing ("approved-vendor review")
    r"\b(?:more(?!\s+than\b)|new|additional|expand\w*|also|too|as\s+well|increas\w*|grow\w*|extra|start\w*|add\w*|launch\w*|pilot|"
    r"open\w*|take\s+on|taking\s+on|over\s+to\s+you|your\s+way|route|bigger|larger|other|else|another|interest\w*|(?-i:partner\w*)|"
    r"looking\s+for|do\s+you\s+(?:guys\s+)?(?:do|handle|cover|offer|have)|(?:can|could|would)\s+(?:you|your\s+\w+)\s+(?:handle|cover|take|do)|"
    r"counties|coverage|capacity|send\s+you|sending\s+you|give\s+you|bring|onboard\w*|sign\s+up|approved(?![- ](?:vendor|appraiser))|"
    r"tambi[eé]n|m[aá]s|nuev\w+|ampliar|expandir)\b", _I)


# Less business, or more only some day ("volume will be lighter", "if we ever expand into Clark County I'll let you know").
_LESS_OR_SOMEDAY = re.compile(r"\b(?:in-?\s?house|if\s+we\s+ever|someday|some\s+day|one\s+day|down\s+the\s+road|fewer|less|lighter|slower|"
                              r"pull(?:ing|ed)?\s+back|reduc\w+|cut(?:ting)?\s+back|scal(?:e|ing)\s+back|no\s+longer|won'?t\s+be|"
                              r"wind(?:ing)?\s+down|paus(?:e|ing)|menos|might|maybe(?!\s+(?:around\s+|about\s+)?\d)|perhaps|possibly|"
                              r"no\s+promises)\b", _I)
# Whose business it is: the sender's ("we've got 12 more spec homes"), not a third party's ("the builder is expanding
# the subdivision with 40 more lots").
_FIRST_PERSON = re.compile(r"\b(?:we|we'?re|we'?ve|we'?d|we'?ll|our|us|i|i'?m|i'?ve|i'?d|my|nos|nuestr[oa]s?|vamos)\b", _I)
_ORDERS = r"(?:orders|appraisals|files|loans|deals|units|homes|properties|assignments|jobs|reports|inspections|lots|houses|spec\s+homes|condos|townhomes|townhouses|duplexes|triplexes|fourplexes|4-?plexes|rentals|rental\s+(?:houses|homes|properties)|avalúos|órdenes)"
# More or new business said outright: volume offered ("we could send you another 15-20 orders a month", "20 appraisals
# per month", "12 more spec homes"), a new product ("do you do desktop appraisals?", "if you handle commercial"), new
# ground ("would you cover those too?", "nos gustaría trabajar con ustedes allá también"), a program to bid on.
# a volume per period counts only when offered or priced ("we could send you 20 orders a month", "a quote for 20
# appraisals per month"), not as history ("we did 40 appraisals a month with our old AMC")
_VOLUME = re.compile(r"\b(?:another|an\s+extra|extra|additional|\d+(?:\s*(?:-|–|to)\s*\d+)?)\s+(?:[\w-]+\s+){0,2}?" + _ORDERS
                     + r"\s+(?:a|per|each|every)\s+(?:month|week|quarter|year)\b", _I)
_OFFERING = re.compile(r"\b(?:could|can|would|will|'ll|'d|want\s+to|plan\s+to|looking\s+to|ready\s+to|happy\s+to|offer|quote|pricing|"
                       r"bid|proposal|handle|take\s+on|capacity|for)\b", _I)
_UPSELL_PHRASE = re.compile(
    r"\b(?:send|give|route|throw|steer|push|refer|bring|move|shift)\s+(?:you|y'?all|your\s+(?:team|way|office))\s+(?:guys\s+)?"
    r"(?:another|more|additional|extra|a\s+lot\s+more|a\s+bunch\s+more|all\s+(?:of\s+)?our|our\s+(?:[\w-]+\s+){0,2}?(?:volume|business|orders|pipeline|book))\b"
    r"|\b(?:more|additional|extra)\s+(?:volume|business|work|orders)\s+(?:your\s+way|to\s+you|with\s+you|for\s+you)\b"
    r"|(?<=\bwe've\sgot\s)\d+\s+more\s+(?:[\w-]+\s+){0,2}?" + _ORDERS + r"\b"
    r"|\b(?:we|i)\s+(?:have|'ve\s+got|have\s+got|got)\s+\d+\s+more\s+(?:[\w-]+\s+){0,2}?" + _ORDERS + r"\b"
    r"|\b(?:do|does|would|could|can|if|whether)\s+(?:you|u|y'?all|you\s+guys|you\s+folks|your\s+(?:team|firm|office|company))\s+(?:also\s+|even\s+|ever\s+)?"
    r"(?:do|offer|handle|perform|provide|cover|take\s+on|work)\s+(?:any\s+)?(?:desktop|hybrid|commercial|drive-?by|exterior[- ]only|bpo|reo|"
    r"field\s+review|desk\s+review|review|evaluation|land|condo\s+reviews?|condos?|multi-?family|2-4|two-to-four|str|short-term\s+rental|relocation|estate|"
    r"new\s+construction|construction)\w*"
    # rules 42: a new product or office of the sender's that needs appraisers ("We're launching a jumbo product in March and
    # will need appraisers for it"), coverage of a named county asked about ("Any chance you cover Hamilton County?")
    r"|\b(?:we'?re|we\s+are|we'?ll\s+be|we\s+will\s+be)\s+(?:launching|rolling\s+out|starting|introducing|adding|opening|expanding)\b[^.?!]{0,80}?"
    r"\b(?:need|want|looking\s+for)\w*\s+(?:\w+\s+){0,2}?(?:appraisers?|appraisal\s+(?:partners?|coverage|support|help|vendors?)|valuation\s+partners?|coverage)\b"
    r"|\b(?:any\s+chance|do|does|can|could|would)\s+(?:you|y'?all|you\s+guys|you\s+folks|your\s+(?:team|firm|office))\s+(?:also\s+|happen\s+to\s+)?"
    r"(?:cover|service|serve|work\s+in|go\s+(?:out\s+)?(?:to|into))\s+(?-i:[A-Z])[\w.]+(?:\s+(?-i:[A-Z])\w+)?\s+(?:count(?:y|ies)|parish)\b"
    # rules 36: another part of the client's business wanting us too ("our Cheyenne branch asked about using you guys too"),
    # a further service asked about ("Does Keystone offer drone roof inspections?")
    r"|\b(?:using|use|work\s+with|working\s+with|order\s+from|ordering\s+from|send(?:ing)?\s+(?:orders|files)\s+to)\s+(?:you|y'?all|you\s+guys|you\s+folks|"
    r"your\s+(?:firm|team|company|shop|office))\s+(?:too|as\s+well|also)\b"
    r"|\b(?:do|does)\s+(?:you|u|y'?all|you\s+guys|you\s+folks|your\s+(?:team|firm|office|company|shop)|(?-i:[A-Z][\w&'-]+))\s+(?:also\s+|even\s+)?"
    r"(?:offer|provide|perform|do|handle)\s+(?:any\s+)?(?:[\w-]+\s+){0,3}?(?:inspections|appraisals|reviews|evaluations|valuations|services|consulting|"
    r"assignments|reports|work)\b(?=[^.!]*\?)"
    r"|\b(?:would|could|can|will)\s+(?:you|u|y'?all|you\s+guys|your\s+(?:team|firm|office))\s+(?:be\s+able\s+to\s+)?(?:also\s+)?(?:cover|service|handle|take)\s+"
    r"(?:those|them|that\s+area|those\s+(?:areas|counties|markets)|(?:[A-Z]\w+\s+){1,2}count(?:y|ies))\s*(?:too|as\s+well|also)"
    r"|\b(?:nos\s+gustar[ií]a|queremos|quisi[eé]ramos|quisieramos)\s+(?:seguir\s+)?trabajar\s+con\s+ustedes\s+(?:all[aáií]|ah[ií]|en\s+\w+)?\s*(?:tambi[eé]n)"
    r"|\b(?:expand\w*|adding|add|open\w*|launch\w*|grow\w*|entering|moving\s+into)\b[^.?!]{0,80}?\b(?:with\s+you|you\s+(?:guys\s+)?too|"
    r"y'?all\s+too|your\s+(?:help|coverage)|cover\s+(?:those|them|it)|ustedes)\b"
    r"|\b\d+[- ](?:unit|home|lot|house|property|loan|door|farm|parcel|building|store|site|branch)s?\s+(?:[\w-]+\s+){0,3}?(?:program|portfolio|pipeline|pool|batch|package)\b"
    r"|\b(?:proposal|quote|bid|pricing)\s+(?:for|on)\s+(?:handling\s+)?(?:our|all\s+(?:of\s+)?our)\s+(?:[\w-]+\s+){0,2}?(?:volume|business|book)\b"
    # put on the sender's panel or programme ("we've added your firm to our panel for Linn and Marion counties",
    # "you've been approved for our jumbo program", "approved you for our HELOC line")
    r"|\b(?:add(?:ed|ing)?|approv(?:ed|ing)|onboard(?:ed|ing)?|put(?:ting)?)\s+(?:you|y'?all|your\s+(?:firm|company|team|office|shop))\s+"
    r"(?:to|on|onto|for)\s+(?:our|the)\s+(?:[\w&-]+\s+){0,3}?(?:panel|vendor\s+list|approved\s+list|roster|program(?:me)?|list)\b"
    r"|\b(?:you(?:'ve|\s+have)|your\s+(?:firm|company|team|office)\s+(?:has|is))\s+(?:now\s+)?(?:been\s+)?(?:approved|added|onboarded)\s+"
    r"(?:for|to|on)\s+(?:our|the)\s+(?:[\w&-]+\s+){0,3}?(?:panel|program(?:me)?|vendor\s+list|list|roster)\b"
    # new ground the sender wants us on ("we're opening two branches up north and want you covering Cass and Clay counties")
    r"|\b(?:want|need|like)\s+(?:you|y'?all|your\s+(?:firm|team|company))\s+(?:to\s+)?(?:cover(?:ing)?|handl(?:e|ing)|tak(?:e|ing)\s+on|servic(?:e|ing))\s+"
    r"(?:those|them|it|the\s+new|our\s+new|(?:[A-Z]\w+\s+)?(?:and\s+[A-Z]\w+\s+)?count(?:y|ies))"
    r"|\b(?:launch\w*|open\w*|expand\w*|start\w*|roll\w*\s+out|adding|add)\b[^.?!]{0,80}?\b(?:we'?d\s+like|we\s+would\s+like|we\s+want|we'?re\s+hoping|we\s+hope)\s+"
    r"(?:you|y'?all|your\s+(?:team|firm|company))\s+(?:to\s+|'?ll\s+|will\s+)?(?:handle|cover|do|take\s+on|be\s+(?:our|the))\b"
    r"|\bqueremos\s+que\s+ustedes\s+(?:hagan|manejen|cubran|se\s+encarguen\s+de)\b(?=.*\b(?:empez|nuev|abri|expand|ampli|originar|tambi[eé]n))"
    r"|(?<=\b)(?:vamos\s+a\s+empezar|empezaremos|comenzaremos)\s+a\s+(?:originar|ofrecer|abrir|operar)\b(?=.*\bustedes\b)"
    # rules 50: upsell carried by an ask: the price of an add-on or a new service of ours, the whole of a programme to
    # price, the sender choosing us for a batch ("I'd like it to be you"), a partner needed for a new product, a
    # county added to our coverage
    r"|\b(?:how\s+much\s+(?:is|are|would\s+be|do\s+you\s+charge\s+for)|what\s+(?:do|would|will)\s+(?:you|y'?all)\s+charge\s+for|what'?s\s+the\s+(?:price|cost|fee)\s+(?:of|for)|"
    r"(?:pricing|price|cost)\s+(?:on|for))\s+(?:the|your|that|this)\s+(?:[\w-]+\s+){0,3}?(?:add-?ons?|add\s+ons?|upgrades?|packages?|new\s+(?:service|product|offering))\b"
    r"|\b(?:proposal|bid|pricing|quote)\s+(?:for|on)\s+(?:the\s+)?(?:whole|entire|full)\s+(?:phase|project|program|programme|portfolio|development|subdivision|community|build|pipeline|batch)\b"
    r"|\b(?:i'?d|we'?d|i\s+would|we\s+would)\s+(?:like|love|want)\s+(?:it|that|them)\s+to\s+be\s+(?:you|y'?all|your\s+(?:firm|team|company|shop|office))\b"
    r"|\b(?:we'?ll|we\s+will|we'?re\s+going\s+to)\s+need\s+(?:a|an|some)\s+(?:[\w-]+\s+)?(?:partner|vendor|appraiser|firm|provider)\s+for\b"
    r"|\badded\s+(?:[\w-]+\s+){1,3}?(?:count(?:y|ies)|markets?|areas?|regions?|territor(?:y|ies)|states?|zip\s+codes)\s+to\s+(?:your|ur)\s+"
    r"(?:coverage|service\s+area|territory|footprint|assignments?|rotation)\b"
    # rules 55: a further product asked about in other words ("do u guys do pre-listing appraisals", "do you ever do
    # walkthrough inspections", "are you able to take on PMI-removal appraisals"), a firm named onto the sender's roster,
    # the whole book moved to us, all of a batch given to us, the allocation raised, a team told to use us; es more
    # properties wanted done, our coverage of a county asked
    r"|\b(?:do|does|are|would|could|can)\s+(?:you|u|y'?all|you\s+guys|u\s+guys|you\s+folks|your\s+(?:team|firm|office|company|shop))\s+(?:ever\s+|also\s+|even\s+|be\s+)?"
    r"(?:do|offer|handle|perform|able\s+to\s+(?:do|take\s+on|handle)|take\s+on)\s+(?:any\s+)?(?:[\w-]+\s+){0,3}?(?:appraisals|inspections|reviews|valuations|evaluations|bpos)\b"
    r"|\badd(?:ed|ing)?\s+(?-i:[A-Z])[\w&'-]+(?:\s+(?-i:[A-Z])[\w&'-]+){0,3}\s+to\s+(?:our|the)\s+(?:[\w&-]+\s+){0,3}?(?:panel|(?:appraiser|appraisal|vendor|valuation)s?\s+(?:roster|list))\b"
    r"|\b(?:move|moving|shift|shifting|bring|bringing|send|sending|consolidat\w+)\s+(?:all\s+(?:of\s+)?)?(?:our|the|my)\s+(?:entire\s+|whole\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:book|volume|business|pipeline|portfolio)\s+(?:over\s+)?to\s+(?:you|y'?all|your)\b"
    r"|\b(?:use|want)\s+(?:you|y'?all|your\s+(?:firm|team|company)|(?:an?\s+)?appraisals?)\s+(?:for\s+)?(?:[\w-]+\s+){0,3}?(?:for|on|from)\s+(?:all|every|each)\s+(?:of\s+(?:them|the|our)\s*)?"
    r"|\b(?:want|wants|need)\s+(?:an?\s+)?appraisals?\s+for\s+all\s+of\s+them\b"
    r"|\b(?:your|ur)\s+allocation\b[^.?!]{0,60}?\b(?:increas\w*|go(?:es|ing)?\s+up|grow\w*|expand\w*|rais\w*)\b|\b(?:increas\w*|rais\w*|expand\w*)\s+(?:your|ur)\s+allocation\b"
    r"|\b(?:told|telling|asked)\s+(?:my|our)\s+(?:whole\s+|entire\s+)?(?:team|office|agents|loan\s+officers|los|branch)\b[^.?!]{0,40}?\bto\s+(?:use|send\s+\w+\s+to|order\s+from)\s+(?:you|y'?all|your)\b"
    r"|\b(?:otr[oa]s|m[aá]s)\s+(?:\d+|dos|tres|cuatro|cinco|seis|varias|varios)\s+(?:propiedades|casas|avalúos|lotes)\b"
    r"|\bustedes\s+(?:tambi[eé]n\s+)?(?:trabajan|cubren|van|hacen\s+aval[uú]os)\s+en\s+(?:el\s+condado\s+de\s+)?(?-i:[A-Z])\w+", _I)


def upsell_phrase(text: str) -> str | None:
    """Words offering or asking about more or new business with us, unless it is less, some day, or a vendor's pitch."""
    if not text or _LESS_OR_SOMEDAY.search(text) or _PITCH.search(text) or STOP_INSTRUCTION.search(text):
        return None
    m = _VOLUME.search(text)
    if m and _OFFERING.search(text[:m.start()]):
        return m.group(0).strip()
    m = _UPSELL_PHRASE.search(text)
    if m and re.match(r"(?:expand|adding|add|open|launch|grow|entering|moving)", m.group(0), _I) and not _FIRST_PERSON.search(text):
        return None   # someone else's growth
    return m.group(0).strip() if m else None


# An offer about paperwork ("Would you also like the invoice emailed to AP?", "Do you want a copy of the survey too?")
# asks how to serve us, not for more business.
_PAPERWORK_OFFER = re.compile(r"\b(?:do|would|should)\s+(?:you|i|we)\s+(?:also\s+)?(?:want|need|like|prefer|send|copy|cc)\b"
                              r".{0,60}?\b(?:sent|emailed|mailed|faxed|copied|cc'?d|forwarded|(?:a|the)\s+copy|invoice|w-?9|"
                              r"survey|receipt|contract|plans?)\b", _I)


# Work the sender gives someone else ("We use another firm for our commercial work") is no more business for us.
_OTHER_VENDOR = re.compile(r"\b(?:use|using|go\s+(?:with|through|to)|goes\s+(?:to|through)|sends?|send\s+(?:it|them)\s+to|have|handled\s+by)\s+"
                           r"(?:another|a\s+different|a\s+separate|other|our\s+other|an?\s+(?:local|in-house))\s+(?:[\w-]+\s+)?"
                           r"(?:firm|amc|appraisers?|company|shop|vendor|panel)s?\b|\busamos\s+otr[oa]\s+(?:empresa|tasador|amc)\b", _I)


# rules 39: "Let me know if you need anything else from me" is a courtesy, not more business
_ANYTHING_ELSE = re.compile(r"\b(?:anything|something|nothing)\s+else\s+(?:from\s+(?:me|us)|(?:i|we)\s+can|you\s+need)\b|\bif\s+you\s+need\s+anything\b", _I)


def may_be_upsell(text: str) -> bool:
    """A unit that can be the model's upsell evidence: it speaks of more or new business, not less or some day, and is
    no offer about paperwork."""
    text = text or ""
    if _ANYTHING_ELSE.search(text) and not upsell_phrase(text):
        return False
    return bool(_MORE_BUSINESS.search(text) or _WORK_OUR_WAY.search(text)) and not _LESS_OR_SOMEDAY.search(text) \
        and not _PAPERWORK_OFFER.search(text) and not _OTHER_VENDOR.search(text) and not _VOLUME_THREAT.search(text) \
        and not _SHOPPING_THREAT.search(text)


# rules 69: business coming our way needs no word of "more": work sent or moved to us, the sender wanting us on work of
# theirs (by pronoun or by our firm's name), a volume per period, a kind of work asked about ("u guys do drive-bys?"), a
# line of business entered. The model must still read the unit as upsell; this only lets it be evidence.
_WORK_OUR_WAY = re.compile(
    r"\b(?:send|sending|move|moving|give|giving|route|routing|steer|steering|shift|shifting|bring|bringing|refer|referring)\b"
    r"[^.?!]{0,60}?\b(?:to|over\s+to)\s+(?:you|u|y'?all|your\s+(?:firm|team|company|shop|office))\b"
    r"|\b(?:want|wants|like|love|need)\s+(?:you|u|y'?all|(?-i:[A-Z])[\w&'-]+)\s+(?:on\s+(?:it|all|every|each|them|board|the|our|this|these|those)|"
    r"to\s+(?:handle|take|do|cover|be\s+(?:our|the)))\b"
    r"|\b(?:queremos|quiero|quero|queremos)\s+que\s+(?:ustedes|voc[eê]s)\b"
    r"|\b(?:\d+(?:\s*[-–]\s*\d+)?\+?|two|three|four|five|six|ten|twenty|diez|cinco|dos|tres)\s+(?:[\w-]+\s+){0,4}?(?:a|per|each|every|al|por)\s+"
    r"(?:month|week|quarter|year|mes|m[eê]s|semana|año|ano)\b"
    r"|\b(?:you|u)\s+(?:all|guys|folks)\s+(?:do|handle|offer|cover|take)\b(?=[^.!]*\?)|\b(?:getting|moving|branching)\s+(?:out\s+)?into\b"
    r"|\b(?:preferred|regular|go-?to|primary)\s+(?:choice|appraiser|vendor|firm|provider)\b|\bmais\b", _I)


# rules 69: a homeowner's one job asked about by a pronoun ("My HELOC is up for renewal and the bank needs a new appraisal.
# Do you do those?"): a quote for their own house, not more business from a client
_OWN_HOME = re.compile(r"\bmy\s+(?:own\s+)?(?:home|house|heloc|home\s+equity|condo|property|place|mortgage|refi\w*)\b", _I)
_DO_YOU_DO_IT = re.compile(r"\b(?:do|can)\s+(?:you|u|y'?all)\s+(?:guys\s+)?do\s+(?:those|that|these|them|it|this|one)\b", _I)


def own_home_job(text: str, before: str) -> bool:
    """``text`` asks whether we do "those" right after the sender named their own home or loan in ``before``."""
    return bool(_DO_YOU_DO_IT.search(text or "")) and bool(_OWN_HOME.search(before or "")) and not _WORK_OUR_WAY.search(text or "")


# -- asks that need their neighbourhood -----------------------------------------------------------------
# A subject over an empty body is the whole message ("Invoice copy pls", "Qoute for 5 properties?", "Teams call
# Thurs?"): the work it names and a sign of asking (a question mark, "pls", "needed", "requested", an imperative)
# make it a request; a status word ("paid", "scheduled", "notes", "recap") makes it news. Phone typing is forgiven:
# a word one letter away from a work word ("qoute", "requsted", "reinpection", "cancle") reads as that word.
_TYPO_WORDS = ("quote", "inspect", "reinspect", "could", "would", "invoice", "inspection", "reinspection", "requested", "request", "needed", "cancel", "cancellation",
               "appraisal", "callback", "schedule", "reschedule", "revision", "please", "meeting", "certificate", "estimate",
               "proposal", "pricing", "photos", "resend")
_SUBJECT_WORK = re.compile(
    r"\b(?:call|ring|callback|phone|zoom|teams|meeting|meet|lunch|coffee|quote|quotes|bid|bids|pricing|price|fees?|proposal|"
    r"estimate|invoice|invoices|w-?9|e\s*&\s*o|cert|certificate|copy|copies|photos|report|re-?inspect\w*|reinspection|inspection|"
    r"1004d|site\s+visit|cancel|cancellation|hold|reschedule|re-?schedule|push|move|correction|revision)\b", _I)
_SUBJECT_WORK_ASKED = re.compile(   # what a bare question mark asks for ("Lunch Tues?"; "Report?" alone is a status question)
    r"\b(?:call|callback|zoom|teams|meeting|meet|lunch|coffee|quote|quotes|bid|bids|pricing|proposal|estimate|re-?inspect\w*|"
    r"reinspection|1004d|site\s+visit|copy)\b", _I)
_SUBJECT_ASK = re.compile(r"\b(?:pls|plz|please|need|needed|requested|request|required|asap)\b", _I)
_SUBJECT_STATUS = re.compile(
    r"\b(?:paid|received|recvd|sent|status|update|updated|recap|notes|summary|minutes|confirmed|confirmation|scheduled|complete|"
    r"completed|done|attached|enclosed|ready|delivered|approved|thanks|thank|fyi|invitation|accepted|declined|cancell?ed|"
    r"reminder|follow[- ]?up|question|questions|received|submitted|uploaded|due|overdue|new\s+order|order\s+#?\d+\s*$)\b"
    r"|^\W*(?:re|fw|fwd)\s*:", _I)
_SUBJECT_IMPERATIVE = re.compile(r"^\W*(?:please\s+|pls\s+)?(?:push|move|cancel|hold|resend|re-?send|send|call|ring|quote|bid|"
                                 r"reschedule|re-?inspect|change|switch|fix|correct|email|forward|upload)\s+\w", _I)


def _near(word: str, target: str) -> bool:
    """One edit (insert, delete, substitute or swap two neighbours) apart, for words of five letters or more."""
    return word == target if len(word) < 5 else _within(word, target, 1)


def forgive_typos(text: str) -> str:
    """``text`` with each word one edit away from a work word spelt right ("Qoute" -> "quote")."""
    def fix(m: re.Match) -> str:
        w = m.group(0)
        low = w.lower()
        if low in _TYPO_WORDS or (low.endswith("s") and low[:-1] in _TYPO_WORDS):   # a plural is no typo
            return w
        for target in _TYPO_WORDS:
            if _near(low, target):
                return target
        return w
    return re.sub(r"[A-Za-z]+", fix, text)


_SUBJECT_PROPOSAL = re.compile(
    r"^\W*(?:quick\s+)?(?:zoom|teams|call|phone\s+call|lunch|coffee|meeting|meet)\s+(?:" + "{day}" + r")\b.*(?:\?|\bto\s+(?:go\s+over|discuss|review|talk))", _I)


_FOLLOW_UP_SUBJECT = re.compile(r"^\W*(?:(?:re|fw|fwd)\s*:\s*)?(?:quick\s+|friendly\s+|gentle\s+)?(?:follow(?:ing)?[- ]?up|checking\s+in|circling\s+back)"
                                r"(?:\s+(?:on|re|regarding|for|about)\b[^?]*)?\W*$", _I)


def subject_request_phrase(subject: str, alone: bool) -> str | None:
    """The words of a request in a fresh subject; ``alone`` when the body holds no new text of the sender's, so the
    subject is the whole message. A single word over a body ("Quote", "Schedule") names a topic, not an ask."""
    if not subject:
        return None
    if _FOLLOW_UP_SUBJECT.match(subject):   # rules 37: "Follow up", "Following up on 77 Linden": a nudge on status
        return None
    if not alone:
        m = _SUBJECT_PROPOSAL.match(subject)
        return m.group(0).strip() if m else (request_phrase(subject) if len(subject.split()) > 1 else None)
    text = forgive_typos(subject)
    found = request_phrase(text)
    if found:
        return subject if found not in subject else found
    if _SUBJECT_STATUS.search(text) or not _SUBJECT_WORK.search(text):
        return None
    if _SUBJECT_ASK.search(text) or _SUBJECT_IMPERATIVE.match(text) or ("?" in text and _SUBJECT_WORK_ASKED.search(text)):
        return subject.strip()
    return None


# "hey can't do tmrw anymore. thurs ok?": a day offered in place of one the sender cannot make is a request to move it.
_CANNOT_MAKE = re.compile(r"\b(?:can'?t|cant|cannot|won'?t|wont|not\s+able\s+to|unable\s+to)\s+(?:do|make|be\s+there|be\s+home|be\s+around)\b"
                          r"|\b(?:doesn'?t|does\s+not|won'?t)\s+work\b|\bnot\s+(?:available|home|around)\b|\bi'?m\s+working\b", _I)
_DAY = (r"(?:mon|tues?|weds|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?|tmrw|tomorrow|tomorow|today|tonight|"
        r"next\s+week|this\s+week|the\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}/\d{1,2}|morning|afternoon")
_SUBJECT_PROPOSAL = re.compile(_SUBJECT_PROPOSAL.pattern.replace("{day}", _DAY), _I)
_OTHER_DAY = re.compile(r"^\W*(?:(?:how|what)\s+about|would|does|is|can\s+we\s+do|could\s+we\s+do|maybe|or)?\s*(?:" + _DAY
                        + r")\b[^.?!]{0,25}?\b(?:ok|okay|work|works|instead|better|possible|good|fine)?\s*\?", _I)


def other_day_phrase(text: str, before: str) -> str | None:
    """A day offered as a question ("thurs ok?") after the sender said they cannot make the one set."""
    if not _CANNOT_MAKE.search(before or "") and "instead" not in text.lower():
        return None
    m = _OTHER_DAY.match(text)
    return m.group(0).strip() if m else None


# An assistant or a colleague writing for someone ("on behalf of Mark", "Ms. Patel asked me to request ...", "writing
# for Dr. Lin"): what that person would like from us is asked of us ("she'd like a quote", "Mr. Okafor would appreciate
# a quick call from you"). Without such a frame, "the borrower would like a call" stays a report about someone else.
_WRITES_FOR = re.compile(r"\bon\s+behalf\s+of\b|\b(?:writing|reaching\s+out|emailing)\s+(?:for|on\s+behalf)\b|\b(?:executive\s+)?assistant\s+to\b"
                         r"|\b(?:asked|has\s+asked|have\s+been\s+asked)\s+me\s+to\b|\bi\s+(?:handle|manage|keep)\s+\w+'s\s+(?:calendar|schedule)\b"
                         r"|\b(?:en\s+nombre\s+de)\b", _I)
_PROXY_ASK = re.compile(
    r"\b(?:he|she|they|who|(?:mr|ms|mrs|dr)\.?\s+[A-Z][\w'-]+|[A-Z][a-z]+)\s*(?:'d|\s+would|\s+will)\s+(?:really\s+|also\s+)?(?:like|love|appreciate)"
    r"\s+(?:(?:to\s+(?:" + _VERB + r"))|(?:a|an|the|your|some)\s+(?:[\w-]+\s+){0,3}?" + _NOUN + r"s?\b)"
    r"|\basked\s+me\s+to\s+(?:request|ask\s+(?:for|you|if|whether)|see\s+(?:whether|if)|check\s+(?:whether|if)|arrange|set\s+up|"
    r"schedule|book|get\s+(?:a|an|the|your))\b"
    r"|\b(?:asked|asks|would\s+like)\s+(?:that\s+)?(?:you|your\s+team)\s+(?:to\s+)?" + _VERB + r"\b")


def writes_for_someone(new_text: str) -> bool:
    return bool(_WRITES_FOR.search(new_text or ""))


def proxy_request_phrase(text: str) -> str | None:
    """What the person the sender writes for asks of us, in ``text`` (one unit of new text), or None."""
    if not text or STOP_INSTRUCTION.search(text) or _NOT_ASKING.search(text) or _PITCH.search(text) or _AWAY.search(text) \
            or opt_out_phrase(text):   # rules 60: "She asked me to ask you to please unsubscribe this address" opts out
        return None
    m = _PROXY_ASK.search(text)
    return m.group(0).strip() if m else None


# -- what the model must not take for an ask ------------------------------------------------------------------
# A vendor's pitch, a sign-off ("Send my regards to the team"), a pointer to an attachment ("Please see attached"), and
# an ask hanging on a future event or on the reader's need ("Should the buyer back out, please cancel", "If the value
# comes in low, call me") read like requests to an embedding; none asks us for work now.
_SIGN_OFF = re.compile(r"\bsend\s+(?:my|our)\s+(?:regards|best|thanks|love|congratulations|condolences)\b"
                       r"|\bplease\s+(?:see|find|review)\s+(?:the\s+)?(?:attached|below|enclosed|attachment|herewith)\b"
                       r"|\bfor\s+your\s+(?:kind\s+)?perusal\b", _I)
_CONTINGENCY_OPENING = re.compile(
    r"^\W*(?:should\s+(?!(?:you|u)\b)\w|in\s+case\b|in\s+the\s+event\b|if\s+(?!(?:" + _OUR_SIDE
    + r")|possible\b|at\s+all\s+possible\b|(?:you|u)\s+(?:could|can|would|don'?t\s+mind|wouldn'?t\s+mind)\b|not\s+too\s+much\b))", _I)


# "Call me if you have any questions", "feel free to text me if anything comes up": an offer, not an ask.
_COURTESY_OFFER = re.compile(
    r"^\W*(?:(?:and\s+|but\s+)?(?:please\s+)?(?:feel\s+free\s+to|don'?t\s+hesitate\s+to|do\s+not\s+hesitate\s+to|you\s+can\s+(?:always\s+)?)?\s*)"
    r"(?:call|text|email|e-mail|ring|reach\s+out\s+to|contact|ping)\s+(?:me|us)\b[^?]{0,60}?\b(?:if|should|whenever|with)\s+"
    r"(?:(?:you|u)(?!\s+(?:can|could|get\s+a|have\s+a\s+(?:sec|minute|moment)))|there|anything|any)\b(?![^?]*\b(?:can\s+you|could\s+you|please)\b)", _I)
# The sender's own plan ("I'm meeting the builder Thursday and will update you after", "I'll send it over tonight").
_OWN_PLAN = re.compile(r"^\W*(?:(?:ok|okay|so|also|fyi)\W+)?(?:i'?ll|i\s+will|we'?ll|we\s+will|i'?m\s+going\s+to|we'?re\s+going\s+to|"
                       r"i\s+plan\s+to|we\s+plan\s+to|let\s+me|i'?m\s+(?:meeting|calling|sending|heading|going|seeing))\b", _I)
_ASKS_INSIDE = re.compile(r"\?|\b(?:you\s+to|please|pls|can\s+you|could\s+you|would\s+you|need\s+(?:you|someone))\b", _I)
# News that reads like an ask to an embedding, none of it asking us for work now (each only without an ask inside):
# a confirmation of what is agreed ("Perfect, see you Thursday at 10", "Confirmed for the 9th", "we're all set"); a
# pointer to an attachment ("Attached is ...", "Adjunto la orden firmada"); a settled matter ("the UW wanted a second
# comp but backed off, so no changes needed"); a report of what happened ("The roofer was a no-show again, so the 1004D
# will have to wait"); a wish to keep getting mail ("I still want the invoices"); an acknowledgement asked for.
_CONFIRMED = re.compile(
    r"(?<!to\s)\bsee\s+(?:you|u|ya|y'?all)\s+(?:then|there|soon|(?:on|at|next|this)\b|tomorrow|tmrw|tonight|in\s+the|(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\w*)"
    r"|\bconfirmed\s+(?:for|on)\b|\b(?:we'?re|you'?re|we\s+are|you\s+are|i'?m|i\s+am)\s+(?:all\s+)?set\b|\b(?:that|it|this)\s+works\s+(?:for\s+(?:me|us)|great|perfect)\b"
    r"|^\W*(?:(?:perfect|great|sounds\s+good|ok(?:ay)?|awesome|excellent)\W+)+(?:[\w-]+\s+){0,3}(?:at\s+[\d:]+(?:\s*[ap]\.?m\.?)?\s+)?works\b"
    r"|\bnos\s+vemos\b|\bquedamos\s+(?:el|para|a\s+las)\b|\bconfirmad[oa]\s+para\b", _I)
_ATTACHED = re.compile(
    r"^\W*(?:(?:hi|hey|hello|hola|buen[oa]s(?:\s+d[ií]as|\s+tardes)?|good\s+\w+)\b[^.!?\n]{0,30}?[,!:\-–—]?\s*)?"
    r"(?:attached\s+(?:is|are|please\s+find|you'?ll\s+find)|enclosed\s+(?:is|are|please\s+find)|(?:i'?ve|i\s+have|we'?ve|we\s+have)\s+attached|"
    r"here\s+(?:is|are)\s+the|please\s+find\s+(?:attached|enclosed)|(?:te\s+|les?\s+)?adjunt[oa]s?\b|(?:te\s+|les?\s+)?anexo\b|"
    r"(?:te\s+|les?\s+)?env[ií]o\s+(?:adjunt|la|el|los|las)|ci-?joint)", _I)
_SETTLED = re.compile(
    r"\bno\s+(?:changes?|action|revisions?|further\s+action|updates?)\s+(?:is\s+|are\s+)?(?:needed|necessary|required)\b|\bbacked\s+off\b"
    r"|\b(?:sorted|figured)\s+(?:it|that|this)\s+out\b|\b(?:sorted|figured)\s+out\b|\bno\s+(?:longer|more)\s+(?:needed|necessary|required)\b"
    r"|\bnothing\s+(?:is\s+)?(?:needed|required)\s+from\s+(?:you|your)\b|\bno\s+action\s+(?:is\s+)?(?:needed|required)\b"
    r"|\bnothing\s+you\s+can\s+do\b|\bjust\s+keeping\s+you\s+(?:posted|informed|in\s+the\s+loop)\b|\bya\s+(?:no\s+)?(?:se\s+)?resolvi[oó]\b", _I)
_REPORT_OPENING = re.compile(
    r"^\W*(?:(?:fyi|so|also|update|quick\s+update|heads\s+up)\W+)?(?:the|our|my|his|her|their)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:was|were|has\s+been|have\s+been|had|did|didn'?t|is\s+going\s+to|will\s+have\s+to|won'?t|came|went|got|backed|decided|"
    r"cleared|closed|funded|passed|showed)\b", _I)
_KEEP_GETTING = re.compile(r"\b(?:i|we)\s+(?:still\s+)?(?:want|need|like)\s+(?:to\s+(?:keep\s+)?(?:get|receiv)\w*\s+)?(?:the\s+|your\s+|my\s+)?"
                           r"(?:[\w-]+\s+)?(?:invoices|confirmations|updates|e-?mails|reports|statements)\s+(?:by\s+e-?mail|e-?mailed|coming|going\s+forward|too|as\s+well)\b"
                           r"|\b(?:i|we)\s+still\s+want\s+(?:the|your|my)\s+(?:[\w-]+\s+)?(?:invoices|confirmations|updates|e-?mails|statements)\b"
                           r"|\bkeep\s+(?:them|those|it|'?em)\s+coming\b|\bkeep\s+(?:me|us)\s+(?:posted|updated|in\s+the\s+loop)\b"
                           # rules 60: beside an opt-out, what may go on as before ("still send me the appraisals obviously")
                           r"|\b(?:still|keep)\s+send(?:ing)?\s+(?:me|us)\s+(?:the\s+|my\s+|our\s+)?(?:[\w-]+\s+)?(?:appraisals|reports|invoices|orders|"
                           r"confirmations|statements)\b(?!\s+(?:for|on|to)\b)", _I)
_ACKNOWLEDGE = re.compile(r"\b(?:confirm|acknowledge)\s+(?:the\s+)?receipt\b|\bconfirm\s+(?:you|that\s+you)\s+(?:got|received|have)\b"
                          r"|\bconfirm(?:ar|en|e)?\s+(?:de\s+)?(?:recibido|recepci[oó]n)\b|\bacuse\s+de\s+recibo\b", _I)
# A question about where things stand ("any update on 12 Oak?", "¿Alguien me puede decir dónde está el reporte?"): the
# guide's status questions, never a request by themselves.
_STATUS_QUESTION = re.compile(
    r"\bany\s+(?:update|updates|news|word|eta|status)\b|\bwhere\s+(?:are\s+we|do\s+we\s+stand|(?:is|are)\s+(?:we|it|the|that|this|my|our))\b"
    r"|\bwhat'?s\s+the\s+(?:status|eta|latest|word)\b|\bwhat\s+is\s+the\s+(?:status|eta)\b|\bstatus\s+(?:update\s+)?on\b"
    r"|\bhow'?s\s+(?:it|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:going|coming(?:\s+along)?)\b|\bwhen\s+(?:will|can|should)\s+(?:i|we)\s+(?:expect|see|get)\b"
    r"|\bd[oó]nde\s+(?:est[aá]|van|vamos|qued[oó])\b|\b(?:alguien|usted(?:es)?)\s+(?:me\s+|nos\s+)?(?:puede|pueden|podr[ií]a|podr[ií]an)\s+decir\b"
    r"|\b(?:me|nos)\s+(?:puede|pueden|podr[ií]a|podr[ií]an|puedes)\s+(?:decir|informar)\s+(?:d[oó]nde|cu[aá]ndo|c[oó]mo|si|qu[eé])\b"
    r"|\bc[oó]mo\s+va\b|\bqu[eé]\s+(?:pas[oó]|ha\s+pasado)\s+con\b|\balguna\s+(?:novedad|actualizaci[oó]n)\b"
    # rules 38: "any luck scheduling 55 Elm?", "is the report still on track for Friday?", "do we have a date yet?"
    r"|\bany\s+luck\s+(?:with|on|scheduling|getting|reaching|finding|booking|setting)\b"
    r"|\b(?:is|are)\s+(?:the|it|that|this|we|they|those)\s+(?:[\w-]+\s+){0,4}?still\s+(?:on\s+(?:track|schedule)|good\s+for|set\s+for|happening)\b"
    r"|\b(?:do|did)\s+(?:we|you|u)\s+have\s+(?:a|an)\s+(?:inspection\s+|appointment\s+|delivery\s+|due\s+)?(?:date|eta|time)\s+(?:yet|for|on)\b", _I)


# rules 52: a plea for an answer to a status question ("Can someone please just answer?") asks for no work of ours
_ANSWER_PLEA = re.compile(r"^\W*(?:can|could|will|would|cud)\s+(?:someone|somebody|anyone|anybody|you|u)\s+(?:please\s+|pls\s+)?(?:just\s+)?"
                          r"(?:answer|respond|reply)(?:\s+(?:me|us|this|my\s+(?:question|e-?mail)))?(?:\s+(?:please|already|for\s+once))?\W*$", _I)


def _news_not_ask(text: str) -> bool:
    if _ANSWER_PLEA.match(text):
        return True
    if _ACKNOWLEDGE.search(text) and not re.search(r"\b(?:can|could|would)\s+(?:you|u)\s+(?!confirm)", text, _I):
        return True
    if _STATUS_QUESTION.search(text) and not any(request_phrase(p) for p in re.split(r"(?<=[?.!;])\s+", text)):
        return True
    if _ASKS_INSIDE.search(text):
        return False
    if _REPORT_OPENING.match(text) and re.search(r"\b(?:you|u|your|ur|need|needs|needed)\b", text, _I):
        return False
    return bool(_CONFIRMED.search(text) or _ATTACHED.match(text) or _SETTLED.search(text) or _REPORT_OPENING.match(text)
                or _KEEP_GETTING.search(text))


# A revisit asked for once the sender's side finishes ("If the painters wrap up Monday, can your appraiser go back out
# Tuesday?", "once the deck is in, please reinspect") is a request for that day, not a contingency on someone's need.
_REVISIT_WHEN_DONE = re.compile(
    r"^\W*(?:if|once|when|as\s+soon\s+as)\b[^?]{0,80}?\b(?:finish\w*|done|complete\w*|wrap\w*\s+up|installed|in|dry|ready|fixed|"
    r"repaired|replaced|passes|passed)\b[^?]{0,40}?\b(?:can|could|would|will|please|pls|need)\b[^?]{0,60}?"
    r"\b(?:go\s+back|come\s+back|back\s+out|re-?\s?inspect\w*|reinspection|final|1004d|completion|walk-?through|photos?|pics?)\b", _I)


# rules 32: the sender's speculation about what we may have to do ("I told the buyer you'll likely have to go back out once
# the porch is rebuilt") and a conditional "call me if ..." are no asks; nor is a bare "take me off, please" (an opt-out).
_SPECULATION = re.compile(
    r"\b(?:(?:you'?ll|you\s+will|(?:your|ur)\s+(?:appraiser|inspector|guy|team)\s+will)\s+(?:most\s+likely|probably|likely|possibly)|"
    r"you'?d|you\s+would|you\s+(?:may|might)|(?:your|ur)\s+(?:appraiser|inspector|guy|team)\s+(?:may|might|would))\s+(?:also\s+|still\s+)?"
    r"(?:need|have|want)\s+(?:to\s+|a\s+|an\s+|another\s+)", _I)
_CALL_ME_IF = re.compile(r"^\W*(?:please\s+|just\s+|feel\s+free\s+to\s+)?(?:call|text|ring|phone|e-?mail|buzz)\s+(?:me|us)\b[^.?!]{0,40}?"
                         r"\b(?:if|in\s+case|should)\b(?!\s+(?:possible|at\s+all\s+possible|(?:you|u)\s+(?:can|could|(?:get|have)\s+a\s+(?:chance|minute|moment|sec|second))|"
                         r"(?:that|it)(?:'?s|\s+is)?\s+(?:ok|okay|possible|alright|all\s+right|easier|convenient|simpler|quicker|works|suits)|"
                         r"that\s+works|you\s+(?:prefer|'d\s+rather|would\s+rather)))", _I)


# rules 35: a way of working asked for from now on, naming no work ("Could we get that sorted going forward?"), and a
# notice asking everyone to update their own bookmarks or records
_GOING_FORWARD = re.compile(r"\b(?:going\s+forward|in\s+(?:the\s+)?future|from\s+now\s+on|next\s+time|moving\s+forward)\b", _I)
_FUTURE_MAIL = re.compile(r"\bsend\s+(?:all\s+|any\s+)?future\s+(?:mail|correspondence|post|packages|deliveries|payments|checks)\b", _I)
_OWN_RECORDS = re.compile(r"\bupdate\s+your\s+(?:records|bookmarks?|favou?rites|saved|contact\s+(?:info|information|details)|contacts?|address\s+book|systems?|links?|vendor\s+(?:file|records)|"
                          r"payee|remit\w*|browser|password)\b", _I)


# rules 57: a third party's future need passed on as news ("The underwriter said they'll need a 1004D after the repairs"):
# nobody asks us in it (an ask beside it, "so please get it scheduled", still does)
_THEIR_FUTURE_NEED = re.compile(
    r"\b(?:the|our|their|his|her|my)\s+(?:[\w-]+\s+)?(?:underwriter|uw|lender|bank|borrower|buyer|seller|title\s+company|escrow|"
    r"investor|processor|loan\s+officer|client|builder|hoa)s?\s+(?:said|says|mentioned|told\s+(?:me|us)|thinks|indicated|expects)\s+"
    r"(?:that\s+)?(?:they|he|she|it)(?:'ll|\s+will|\s+would|'d|\s+might|\s+may|\s+could)\s+(?:probably\s+|likely\s+|also\s+)?need\b", _I)
_ASKS_US = re.compile(r"\?|\b(?:you|u|your|ur|y'?all|please|pls|plz)\b", _I)


# rules 59: a unit asking us for work that names no mail ("Please remove them and send the corrected copy to me and my
# lender", of photos in our report) is never the model's opt-out evidence: "remove" there is of a thing in our work
_MAIL_WORDS = re.compile(r"\b(?:lists?|mail\w*|e-?mails?|newsletters?|unsub\w*|subscri\w*|letters?|updates?|marketing|distribution\w*|"
                         r"distros?|surveys?|reminders|spam|stop|contact\w*|recaps?|digests?|round-?ups?|bulletins?|blasts?|"
                         r"any\s*more|any\s+longer|no\s+longer)\b", _I)


def asks_work_not_mail(text: str) -> bool:
    """The unit names work of ours (a request shape or the kind of work) and speaks of no mail or list."""
    return not _MAIL_WORDS.search(text) and bool(request_phrase(text) or request_kind(text))


# rules 60: "Please find a new order attached for 5520 N Maple" points to an attachment (no ask beside it); "I need to get
# the disclosures redone on my side" is the sender's own work (the guide: "the sender's own redo does not ask")
_FIND_ATTACHED = re.compile(r"^\W*(?:(?:hi|hey|hello|good\s+\w+)\b[^.!?\n]{0,30}?[,!:\-–—]?\s*)?(?:please|pls|kindly)\s+find\s+"
                            r"(?:[\w-]+\s+){0,5}?(?:attached|enclosed|herewith|below)\b", _I)
_ANOTHER_ASK = re.compile(r"\?|\b(?:and|then|also)\s+(?:please\s+)?(?:call|send|confirm|let|schedule|review|sign|return|update|advise|"
                          r"get|have|book|quote|cancel|change|fix|correct)\b", _I)
_OWN_SIDE = re.compile(r"\b(?:i|we)\s+(?:still\s+)?(?:need|have|got)\s+to\s+(?:get\s+)?[^.?!]{0,60}?\bon\s+(?:my|our)\s+(?:side|end)\b", _I)


# rules 67: "I need to be upfront with you about the fees" (candour, no task); "my lender may want a 1004D later" (a third
# party's possible need, the sender's speculation)
_CANDOUR = re.compile(r"\b(?:need|have|want|got)\s+to\s+be\s+(?:upfront|up\s+front|honest|frank|straight|clear|transparent|candid)\s+with\b", _I)
_THEIR_MAYBE = re.compile(
    r"\b(?:the|our|their|his|her|my)\s+(?:[\w-]+\s+)?(?:underwriter|uw|lender|bank|borrower|buyer|seller|title\s+company|escrow|investor|"
    r"processor|loan\s+officer|client|builder|hoa|insurer)s?\s+(?:may|might|could|will\s+(?:probably|likely)|'ll\s+(?:probably|likely)|"
    r"will\s+possibly)\s+(?:also\s+)?(?:want|need|ask\s+for|require|request)\b", _I)


# rules 69: work the sender offers, put as a question ("Can your team take that on?", "Can you take 12 orders?", "Would you be
# interested in taking those for Mobile?", "Would you be open to doing draw inspections for our builder loans?") asks
# whether we want more business (upsell), not for any of the guide's tasks; a single job with its day still asks ("Would
# you be open to doing the re-inspection Saturday?")
_TAKE_OFFERED = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u|y'?all|you\s+guys|your\s+(?:team|firm|office|shop|crew))\s+(?:be\s+able\s+to\s+)?(?:take|handle|absorb|fit)\s+"
    r"(?:(?:that|those|them|these|it)(?:\s+(?:on|in))?|on\s+(?:that|those|them|these)|\d+\s+(?:more\s+|extra\s+|additional\s+)?(?:[\w-]+\s+)?"
    r"(?:orders|files|loans|appraisals|assignments|jobs|refis|deals))\s*\?"
    r"|\b(?:would|are|could)\s+(?:you|y'?all|your\s+(?:team|firm|office|shop))\s+(?:be\s+)?(?:interested|open)\s+(?:in|to)\s+(?:taking|doing|handling|covering|picking\s+up)\s+"
    r"(?:those|them|these|that\s+(?:work|volume)|(?:[\w-]+\s+){0,3}?[\w-]+s\b)(?![^?]*\b(?:today|tomorrow|tonight|(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\w*|\d{1,2}(?::\d\d)?\s*(?:am|pm))\b)", _I)
# rules 69: a status check put as "please confirm the 1004D was uploaded" (the guide: "please confirm receipt" is no request)
_CONFIRM_DONE = re.compile(r"\b(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+)?confirm\s+(?:that\s+|whether\s+|if\s+)?(?:the|your|it|our|my)\b[^.?!]{0,50}?"
                           r"\b(?:was|were|has\s+been|have\s+been|got|went)\s+(?:\w+\s+)?(?:uploaded|sent|received|delivered|submitted|e-?mailed|through|out)\b", _I)


def not_request_evidence(text: str) -> bool:
    """A unit that is never the model's evidence of a request, whatever it scores."""
    if (_TAKE_OFFERED.search(text) or _CONFIRM_DONE.search(text)) and not request_phrase(text):
        return True
    if KEEP_SENDING.search(text) and not request_phrase(text):
        return True   # rules 69: a wish for more of our mail ("não deixem de me enviar as atualizações") is no task
    if (_CANDOUR.search(text) or _THEIR_MAYBE.search(text)) and "?" not in text and not request_phrase(text):
        return True
    if _THEIR_FUTURE_NEED.search(text) and not _ASKS_US.search(text):
        return True
    if (_FIND_ATTACHED.match(text) or _OWN_SIDE.search(text)) and not _ANOTHER_ASK.search(text) and not request_phrase(text):
        return True
    if (_GOING_FORWARD.search(text) and request_kind(forgive_typos(_GOING_FORWARD.sub(" ", text))) is None and not request_phrase(text)) \
            or ((_OWN_RECORDS.search(text) or _WORK_REPORTED.match(text)) and not request_phrase(text)) or _FUTURE_MAIL.search(text):
        return True
    if (_SPECULATION.search(text) and "?" not in text and not re.search(r"\bplease\b|\bpls\b", text, _I)) \
            or _CALL_ME_IF.match(text) or bare_opt_out_line(text):
        return True
    return bool(_PITCH.search(text) or _SIGN_OFF.search(text) or _AWAY.search(text)
                or (_CONTINGENCY_OPENING.match(text) and not _REVISIT_WHEN_DONE.search(text))
                or _COURTESY_OFFER.match(text) or (_OWN_PLAN.match(text) and not _ASKS_INSIDE.search(text))
                or _news_not_ask(text) or bool(opt_out_phrase(text))
                or (bool(upsell_phrase(text)) and not request_phrase(text)))


# -- the kind of work a request names ---------------------------------------------------------------------------
# The request's own words name its kind more reliably than an embedding of the sentence ("pls cancle the 4th st order"
# is an order change whatever else it mentions). The kind named first wins; at the same word, contacting someone else
# beats the channel ("call the listing agent"), changing an order beats sending.
_THIRD = (r"(?:the\s+|teh\s+|th\s+|our\s+|their\s+|his\s+|her\s+|my\s+|this\s+|that\s+|these\s+|those\s+)?(?:listing\s+agent|selling\s+agent|buyer'?s\s+agent|agent|borrower|builder|hoa|"
          r"tenant|title(?:\s+company)?|seller|buyer|owner|homeowner|lender|underwriter|realtor|property\s+manager|management\s+company|"
          r"contractor|attorney|closer|loan\s+officer|site\s+superintendent|superintendent|seller'?s\s+agent|buyer'?s\s+agent|[A-Z][a-z]+\s+(?:at|from)\s+[A-Z]|"
          r"(?:mr|mrs|ms|miss|dr)\.?\s+[A-Z][a-z]+)"   # rules 45: "Mrs. Alvarez"
          r"(?:s|es)?(?:(?:'s|’s)\s+(?:husband|wife|spouse|son|daughter|assistant|office|partner|attorney|agent))?")   # rules 40, 45   # rules 40: "call the borrowers", "text the tenants"
_KINDS = (
    ("third_party", re.compile(
        r"\b(?:contact|reach\s+out\s+to|loop\s+in|coordinate\s+(?:\w+\s+){0,2}with|let|tell|ask|notify|touch\s+base\s+with|"
        r"get\s+in\s+touch\s+with|follow\s+up\s+with|call|ring|phone|text|email|e-mail|message|write\s+to|put\s+(?:me|us)\s+in\s+touch\s+with|check\s+with|"
        r"confirm\s+with|work\s+with|walk|reach|talk\s+to|talk\s+with|speak\s+(?:to|with))\s+" + _THIRD + r"\b|\bcoordinate\s+access\b"
        r"|\bllam\w*\s+(?:al|a\s+(?:la|el))\s+(?:inquilin[oa]|prestatari[oa]|agente|constructor|vendedor|comprador|due[ñn][oa]|hoa|administrador)"
        r"|\bgiv(?:e|ing)\s+" + _THIRD + r"\s+a\s+(?:call|ring|shout|heads\s+up)\b"
        # rules 51: "can you call her back?", "have someone call him first thing Monday"
        r"|\b(?:call|ring|phone|text|contact|reach)\s+(?:her|him)\b(?!\s+(?:crazy|old[- ]fashioned))"
    r"|\bget\s+" + _THIRD + r"\s+on\s+the\s+(?:phone|line)\b"
        r"|\b(?:email|e-mail|text|send|forward)\s+" + _THIRD + r"\s+(?:the\s+|a\s+)?(?:inspection|appointment|schedule|time|date|details|"
        r"confirmation|info)", _I)),
    ("order_change", re.compile(
        r"\b(?:don'?t|do\s+not|dont)\s+send\s+(?:anyone|anybody|someone|somebody|the\s+\w+|(?:your|ur)\s+\w+)\s+(?:out|over|back)\b[^.?!]{0,60}?\b(?:until|till|til|before)\b|"
        r"\b(?:cancel\w*|cancle|canceled|hold\s+off|hold\s+(?:the|this|that|it|our|my)|on\s+hold|re-?schedul\w*|push(?:ed)?\s+"
        r"(?:[\w-]+\s+)?(?:back|out|to|up)\b|push(?:ed)?\s+(?:the|it)|mov(?:e|ed)\s+(?:to|up|the|it|back|this)|mov(?:e|ed)\s+[\w-]+\s+(?:to|up|back)\b|chang\w*|instead|correct(?:ed|ion)?|fix|swap|replace|"
        r"add(?:ed)?|amend\w*|updat(?:e|ed)\s+(?:the\s+report|the\s+order|it|the\s+\w+\s+to)|remove\s+(?:the|that|this)|waive|refund|switch|different\s+day|"
        r"(?:another|second)\s+look\s+at\s+the\s+(?:adjustments?|comps?|value|report|grid)|expedite\s+(?:the|this|it|that|our|my)|cambi\w+|cancel\w+|reprogram\w+|"
        r"stop\s+(?:the\s+|all\s+)?(?:inspection|work|order|appraisal)|updat\w*\s+(?:the\s+)?[\w']+(?:\s+[\w']+){0,2}\s+on\s+the\s+order|"
        r"actualic\w+|remarc\w+|reagend\w+|alterar|altere\w*|mudar|mude|mudem|"
        r"remove\s+(?:[\w'#-]+\s+){1,4}?from\s+(?:the\s+)?(?:order|file|invoice|report)|take\s+(?:[\w'#-]+\s+){1,4}?off\s+(?:the\s+)?(?:order|file|invoice|report))\b"
        r"|\b(?:needs?|has)\s+to\s+be\b[^.?!]{1,40}?\b(?:instead\s+of|not)\b", _I)),
    ("site_visit", re.compile(
        r"\b(?:re-?inspect\w*|reinspection|the\s+final\b(?!\s+(?:invoice|report|copy|version|draft|bill|numbers|cert|certs|certificate|photos|pictures|sketch|pdf))|inspect\w*(?!\s+(?:photos|report|time|date|fee))|1004d(?!\s+fee)|(?<!fotos de la )(?<!fotos de )final\s+inspection|site\s+visit|(?:go|come|head|get)\s+back|"
        r"(?:swing|stop|come|drop)\s+by(?!\s+(?:our|my|the|their)\s+(?:office|offices|branch|booth|desk))|out\s+there|re-?measure|measure|walk-?through|(?<!fotos de la )inspecci\w+|revisit|"
        r"send\s+(?:someone|somebody|an?\s+appraiser|the\s+appraiser|th\s+appraiser|your\s+\w+|ur\s+\w+)\s+(?:back\s+)?(?:out|over|to)|"
        # rules 40: "Can you send someone Thursday?"
        r"(?:go|get\s+out\s+there)\s+(?:and\s+)?take\s+a\s+look\b|"
        # rules 51: "meet the builder out there for the final"
        r"meet\s+(?:[\w'-]+\s+){0,3}?(?:out\s+there|on\s+site|onsite|at\s+the\s+(?:property|house|site|home|lot|unit|job\s*site))|"
        # rules 45: "check the repairs", "retake the kitchen photos", "take new exterior photos"
        r"(?:check|look\s+at)\s+(?:on\s+)?(?:the\s+)?(?:completed\s+)?repairs?\b|re-?shoot|re-?take|re-?photograph\w*|"
        r"(?:take|shoot|snap)\s+(?:new|fresh|updated|more|some)\s+(?:[\w-]+\s+)?(?:photos|pictures|pics)\b|"
        r"send\s+(?:someone|somebody|an?\s+(?:appraiser|inspector)|the\s+(?:appraiser|inspector)|your\s+(?:appraiser|inspector|guy|person))\b(?!\s+(?:the|a|an|an?\s+e-?mail|"
        r"me|us|over\s+the|copies|a\s+copy|photos|the\s+report)\b)|"
        r"(?:volver|regresar|ir)\s+a\s+(?:la\s+|el\s+)?(?:propiedad|casa|inmueble)|verify\s+the\s+repairs|vistori\w+|(?:get|send|have)\s+(?:someone|somebody|anyone|an?\s+appraiser)\s+(?:back\s+)?(?:out|over)|(?:mand|envi)\w*\s+al\s+(?:valuador|tasador|inspector))\b", _I)),
    ("quote", re.compile(r"\b(?:quote|quotes|bid|bids|pric\w+|proposal|estimate|offer|fees(?!\s+schedule)|charge|charges|cotiz\w*|"
                         # rules 40: "What would it cost to have you re-inspect ...", "how much would a 1004D run"
                         r"what\s+(?:would|will|does|do|did)\s+(?:it|that|this|you|y'?all)\s+(?:cost|run|charge)|how\s+much\s+(?:would|will|do|does|is|for)|"
                         r"cost\s+(?:me|us)|"
                         r"your\s+fee(?!\s+schedule)|fee\s+for\s+(?:a|an)\b|cu[aá]nto\s+cobra\w*|"
                         r"presupuesto)\b", _I)),
    ("meeting", re.compile(r"\b(?:(?:come|stop|swing|drop)\s+by\s+(?:our|my|the|their)\s+(?:office|offices|branch|booth)|come\s+(?:and\s+|to\s+|in\s+and\s+)?(?:speak|talk|present)|meet|meeting|meetings|speakers?|presenters?|panelists?|seminar|video\s+call|zoom|teams|(?<!after )(?<!before )(?<!until )(?<!by )lunch|coffee|breakfast|in\s+person|on\s+the\s+calendar|"
                           r"presentation|min(?:s|utes)?\s+with\s+(?:you|your)|reuni\w+|chamada\s+de\s+v[ií]deo|videochamada)\b", _I)),
    ("call", re.compile(r"\b(?:call|calls|callback|ring|phone|text|buzz|talk|speak|chat|llam\w+|try\s+(?:me|us)|ligar|ligue\w*|liga|liga[çc][ãa]o|chamada)\b", _I)),
    ("document", re.compile(r"\b(?:send|resend|re-send|email|e-mail|forward|upload|re-?upload|copy|copies|invoice|invoices|"
                            r"w-?9|e\s*&\s*o|cert|certificate|report|photos|license|letter|docs?|documents?|envi\w+|mand\w+|receipt|sketch|fee\s+schedule|"
                            r"factura|copia|reenvi\w+|nota\s+fiscal|laudo)\b", _I)),
)


# rules 40: a document sent, its name holding the work it reports on ("send the 1004D cert", "upload the re-inspection
# report", "forward the corrected invoice"): the verb comes first and the object is a document, so it is a document.
_SEND_DOCUMENT = re.compile(
    r"\b(?:send|resend|re-send|email|e-mail|forward|upload|re-?upload|attach|share|deliver|re-?deliver|re-?submit)\s+(?:me\s+|us\s+|over\s+|along\s+|back\s+)?"
    r"(?:the\s+|a\s+|an\s+|your\s+|our\s+|that\s+|this\s+|those\s+|these\s+)?"
    r"(?:(?!(?:for|on|of|to|about|pricing|price|prices|fee|fees|quote|quotes|bid|estimate|proposal|someone|somebody)\b)[\w&'/-]+\s+){0,4}?"
    r"(?:cert|certs|certificate|certificates|report|reports|photos|pictures|pics|invoice|invoices|copy|copies|pdf|w-?9|license|"
    r"letter|sketch|docs?|documents?|appraisal|appraisals|final(?!\s+(?:inspection|walk))|(?:1004|1073|1025|2055|1004d|1004mc|442)s?)\b(?!\s+(?:to|over\s+to)\s+" + _THIRD + r"\b)", re.I)

_CORRECTED_COPY = re.compile(r"\bsend\s+(?:me\s+|us\s+)?(?:a|the)\s+corrected\s+(?:one|invoice|copy|version|w-?9|bill)\b", _I)


# rules 51: a revision of our report sent back ("correct the bedroom count and re-upload", "add the photos and resubmit",
# "upload the revised report") is a document (the guide: the card sends the revised report); the order's own details,
# the invoice or a fee corrected stay an order change.
_REVISION_SENT = re.compile(r"\b(?:re-?upload\w*|re-?submit\w*)\b|\b(?:upload|send|deliver|provide)\s+(?:me\s+|us\s+)?(?:the\s+|a\s+|an\s+)?"
                            r"(?:revised|corrected|updated|amended)\s+(?:report|appraisal)\b", _I)
_ORDER_DETAILS = re.compile(r"\b(?:invoice|invoices|fee|fees|bill|billing|charge|due\s+date|order\s+(?:date|details)|product)\b", _I)
# the sender's own meetings ("I'm in meetings all morning, can you call me at 2?") name no kind of work
_OWN_MEETINGS = re.compile(r"\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:\w+\s+)?(?:in|stuck\s+in|tied\s+up\s+in|booked\s+in|between)\s+(?:back[- ]to[- ]back\s+)?meetings\b", _I)


def request_kind(text: str) -> str | None:
    """The kind of work the words of a request name (a REQUEST_TYPE of mail_classifier), or None: the kind whose words
    come first in the sentence ("call me to talk about the inspection" is a call), ties to the earlier kind above; a
    document only when nothing else is named ("send me a proposal" is a quote, "send a meeting invite" a meeting)."""
    if _CORRECTED_COPY.search(text or ""):   # "please send a corrected one": a document, not a change to the order
        return "document"
    if _REVISION_SENT.search(text or "") and not _ORDER_DETAILS.search(text or ""):
        return "document"
    text = _OWN_MEETINGS.sub(" ", text or "")
    if ORDER_NEED.search(text or ""):   # "The sales price on order 55120 should read $389,900": the order changes
        return "order_change"
    found = []
    sent = _SEND_DOCUMENT.search(text or "")
    if sent:   # rules 40: "send the 1004D cert", "upload the re-inspection report": the work names the document sent
        found.append((False, sent.start(), len(_KINDS), "document"))
    for rank, (kind, words) in enumerate(_KINDS):
        m = words.search(text or "")
        if m:
            found.append((kind == "document", m.start(), rank, kind))
    return min(found)[3] if found else None


# -- out of office ----------------------------------------------------------------------------------------------
# The model's out-of-office evidence must speak of being away ("out of the office", "on vacation until", "limited access
# to email", "no longer with"): a subject like "Questions" scored high once, and an auto-reply reading drops every other
# label of the message.
_AWAY_WORDS = re.compile(
    r"\b(?:out|away|ooo|office|vacation|vacationing|holiday|holidays|leave|pto|travel\w*|return\w*|back\s+(?:on|in|at)|until|"
    r"access|absence|absent|auto\w*|automatic|no\s+longer|left|retired|maternity|paternity|sabbatical|conference|"
    r"(?:not|no\s+longer|isn'?t)\s+(?:being\s+)?(?:monitored|checked|read)|mailbox|inbox|"
    r"fuera|vacaciones|ausente|regres\w*|oficina|permiso|licencia)\b", _I)


# A person telling us ahead of time ("Heads up, I'll be on vacation Dec 21 - Jan 2") is writing, not an auto-reply.
_PERSONAL_NOTICE = re.compile(r"\bheads\s+up\b|\bjust\s+(?:so\s+you\s+know|letting\s+you\s+know|a\s+reminder)\b|\bfyi\b"
                              r"|\b(?:wanted|want)\s+to\s+let\s+you\s+know\b|\bbefore\s+i\s+(?:go|leave|head\s+out)\b|\bpara\s+que\s+sepas\b", _I)


# An absence that is over ("I was on PTO last week", "back from vacation", "while I was away") is news in a person's
# mail: an auto-reply speaks of the absence it answers from.
_WAS_AWAY = re.compile(r"\b(?:i\s+was|i'?ve\s+been|i\s+have\s+been|we\s+were|while\s+i\s+was|when\s+i\s+was|"
                       r"(?:just\s+)?(?:got|getting|came|coming|i'?m|am)\s+back\s+(?:from|in|to)|back\s+from|"
                       r"returned\s+from|since\s+i\s+got\s+back|estuve|estive|voltei)\b", _I)


def may_be_away(text: str) -> bool:
    """A unit that can be the model's out-of-office evidence: it speaks of the writer being away, and is no personal
    heads-up and no absence already over."""
    text = _GOES_OUT.sub(" ", text or "")
    return bool(_AWAY_WORDS.search(text)) and not _PERSONAL_NOTICE.search(text) and not _WAS_AWAY.search(text)


# rules 40: something sent out ("the questionnaire will go out in November", "invoices went out") is nobody away
_GOES_OUT = re.compile(r"\b(?:go|goes|going|gone|went|send|sends|sent|sending|mail(?:s|ed)?|ship(?:s|ped)?|roll(?:s|ed)?\s+out|"
                       r"put|puts|get|gets|got|hand(?:s|ed)?)\s+out\b(?!\s+of\b)", re.I)


# What only an auto-reply says: a person writing to us, even while away, does not.
_AUTO_SHAPE = re.compile(
    r"\b(?:limited|no|intermittent)\s+access\s+to\s+(?:my\s+)?e-?mail|"
    r"\bwill\s+(?:respond|reply|answer|get\s+back\s+to\s+you)\b.{0,40}?\b(?:when|upon|on|after)\s+(?:i|my)\s+return|"
    r"\bmailbox\s+is\s+(?:no\s+longer|not)\s+(?:being\s+)?(?:monitored|checked|active)|"
    r"\bno\s+longer\s+(?:with\s+(?:the|our)\s+(?:company|firm|bank|office)|employed|works?\s+(?:at|for|with))\b|"
    r"\byour\s+(?:message|e-?mail)\s+will\s+not\s+be\s+forwarded|\bthis\s+is\s+an\s+automat(?:ed|ic)\s+(?:response|reply|message)|"
    r"\bacceso\s+limitado\b|\ble\s+responder[ée]\b.{0,40}\bregres|\bacesso\s+limitado\b|\bresponderei\b.{0,40}\bretorno", _I)


# rules 58: an auto-reply in French, German, Portuguese, Italian or Spanish without its headers or an out-of-office
# subject ("Je suis absent du bureau jusqu'au 24 février ..."): the writer away now, in the first person, and what only
# an auto-reply adds (until when, back on, limited access to mail, whom to contact meanwhile, thanks for your message).
# Both are needed: a person writing "Ich war im Urlaub. Können Sie ...?" (an absence over) is no auto-reply.
_AWAY_ABROAD = re.compile(
    r"\bje\s+(?:suis|serai)\s+(?:actuellement\s+|présentement\s+)?(?:absente?|hors\s+du\s+bureau|en\s+(?:congés?|vacances|déplacement|"
    r"formation|arrêt\s+maladie|congé\s+maternité|congé\s+parental))\b"
    r"|\bich\s+(?:bin|befinde\s+mich)\b(?:[^.!?\n]|(?<=\d)\.){0,40}?\b(?:nicht\s+im\s+büro|abwesend|im\s+urlaub|außer\s+haus|ausser\s+haus|"
    r"nicht\s+erreichbar|auf\s+dienstreise|in\s+elternzeit|krank(?:geschrieben)?)\b"
    r"|\b(?:estou|estarei)\s+(?:atualmente\s+)?(?:fora\s+do\s+escrit[óo]rio|de\s+f[ée]rias|ausente|em\s+viagem|de\s+licen[çc]a|fora)\b"
    r"|\b(?:sono|sar[òo])\s+(?:attualmente\s+)?(?:fuori\s+(?:ufficio|sede)|in\s+ferie|assente|in\s+vacanza|in\s+congedo|in\s+trasferta)\b"
    r"|\b(?:estoy|estar[ée])\s+(?:actualmente\s+)?(?:fuera\s+de\s+la\s+oficina|de\s+vacaciones|ausente|de\s+viaje|de\s+licencia)\b", _I)
_AUTO_REPLY_ABROAD = re.compile(
    r"\bjusqu'?\s*(?:au|à|a)\b|\bde\s+retour\b|\bdès\s+mon\s+retour\b|\baccès\s+limité\b|\bpour\s+toute\s+(?:urgence|question)\b"
    r"|\ben\s+cas\s+d'?\s*urgence\b|\bje\s+(?:répondrai|traiterai|reviendrai)\b|\bmerci\s+(?:pour|de)\s+votre\s+(?:message|courriel|e-?mail)\b"
    r"|\bbis\s+(?:zum|einschließlich|einschliesslich|\d)|\bab\s+(?:dem\s+)?\d{1,2}\.|\bwieder\s+(?:erreichbar|im\s+büro|da|zurück)\b"
    r"|\bkeinen\s+zugriff\b|\bin\s+dringenden\s+fällen\b|\beingeschränkt\b|\bnach\s+meiner\s+rückkehr\b"
    r"|\bvielen\s+dank\s+für\s+ihre\s+(?:nachricht|e-?mail)\b"
    r"|\baté\s+(?:o\s+dia\s+|dia\s+)?\d|\bretornarei\b|\bde\s+volta\b|\bacesso\s+limitado\b|\bem\s+caso\s+de\s+urg[êe]ncia\b"
    r"|\bresponderei\b|\bobrigad[oa]\s+pela\s+sua\s+mensagem\b"
    r"|\bfino\s+al\b|\brientrer[òo]\b|\bal\s+mio\s+rientro\b|\baccesso\s+limitato\b|\bper\s+urgenze\b|\bin\s+caso\s+di\s+urgenza\b"
    r"|\bgrazie\s+per\s+il\s+(?:suo|tuo)\s+messaggio\b|\brisponder[òo]\b"
    r"|\bhasta\s+el\b|\bregres(?:o|ar[ée])\b|\bacceso\s+limitado\b|\bpara\s+(?:asuntos|temas|casos)\s+urgentes\b|\bresponder[ée]\b"
    r"|\bgracias\s+por\s+su\s+mensaje\b", _I)


def away_abroad(new_text: str) -> str | None:
    """The words of an auto-reply written in French, German, Portuguese, Italian or Spanish (the writer away now, and
    what only an auto-reply adds), or None."""
    m = _AWAY_ABROAD.search(new_text or "")
    return m.group(0) if m and _AUTO_REPLY_ABROAD.search(new_text) else None


def auto_reply_shape(text: str) -> bool:
    """Words only an automatic reply uses ("limited access to email", "I will respond when I return", "this mailbox is
    not monitored")."""
    return bool(_AUTO_SHAPE.search(text or ""))


def points_elsewhere(text: str) -> bool:
    """An auto-reply's pointer to someone else while the writer is away ("For urgent matters please contact ...")."""
    return bool(_AWAY.search(text or ""))



# rules 41: a thing already named delivered to the sender ("Can you get it to me tonight?", "Need it within the hour."):
# a document, whatever work the sentence before named ("the lender is holding the wire for your 1004D")
DELIVER_IT = re.compile(r"\b(?:get|send|email|e-mail|have|need|needs)\s+(?:it|that|this|them|those)\s+(?:back\s+)?"
                        r"(?:to\s+(?:me|us)|over|by|within|today|tonight|asap|before|in\s+the\s+next)\b", re.I)


# rules 43: the sender says the pressure is gone ("the rush is over", "no longer urgent"): a forwarded "URGENT" is history
_URGENCY_OVER = re.compile(r"\b(?:the\s+)?rush\s+is\s+over\b|\bno\s+longer\s+(?:urgent|a\s+rush|time[- ]sensitive)\b"
                           r"|\bisn'?t\s+urgent\s+any\s*more\b", re.I)


def urgency_over(text: str) -> bool:
    """The sender's new text says the time pressure is over."""
    return bool(_URGENCY_OVER.search(text or ""))
