"""Authors' styles and the assembly of one email body, with every part's kind and offsets recorded."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime

from lexicon import COMPANIES, FIRST, FREEMAIL, LAST, ROLES, ROLES_ES, TIMEZONES

GREETINGS = {
    "formal": ["Good morning {our},", "Hello {our},", "Dear {our},", "Good afternoon,", "Hello,"],
    "neutral": ["Hi {our},", "Hi {our} -", "Hi team,", "Hello {our},", "{our},", "Hi there,"],
    "casual": ["Hey {our}!", "Hey,", "hi {our}", "Morning!", "Hey team -", "{our} -"],
    "terse": ["", "", "{our} -", "Hi,"],
    "es": ["Hola {our},", "Buenos días,", "Estimado {our}:", "Buenas tardes {our},", "Hola,"],
}
CLOSINGS = {
    "formal": ["Thank you,", "Best regards,", "Sincerely,", "Kind regards,", "Respectfully,"],
    "neutral": ["Thanks,", "Thanks!", "Best,", "Thank you,", "Regards,", "Cheers,"],
    "casual": ["thx", "Thanks!!", "ty", "-", "Cheers", "Talk soon,"],
    "terse": ["", "", "Thx", "-"],
    "es": ["Saludos,", "Gracias,", "Un saludo,", "Atentamente,", "Quedo atenta,"],
}
MOBILE = ["Sent from my iPhone", "Sent from my Android", "Get Outlook for iOS", "Sent from my Galaxy",
          "Enviado desde mi iPhone", "Sent from Yahoo Mail on Android"]
DISCLAIMERS = [
    "CONFIDENTIALITY NOTICE: This email and any attachments are for the sole use of the intended recipient(s) and may "
    "contain confidential and privileged information. If you are not the intended recipient, please contact the sender "
    "immediately and destroy all copies of the original message.",
    "This message may contain confidential information. If you received it in error, please notify the sender "
    "immediately by reply email and delete it. Any unauthorized review, use or distribution is prohibited.",
    "The information contained in this e-mail is confidential and intended only for the named recipient. Urgent "
    "requests should not be sent by email.",
    "AVISO DE CONFIDENCIALIDAD: Este mensaje es confidencial y para uso exclusivo del destinatario. Si lo recibió por "
    "error, notifique al remitente de inmediato.",
    "NMLS Consumer Access: www.nmlsconsumeraccess.org. Equal Housing Lender. Please do not send non-public personal "
    "information by unsecured email. To stop receiving marketing messages from our bank, visit our preferences page.",
]
TYPOS = {"tomorrow": ["tomorow", "tmrw", "tommorow"], "please": ["pls", "plz", "pleas"], "you": ["u", "yuo"],
         "your": ["ur", "you're", "yor"], "could": ["cud", "coud"], "receive": ["recieve"], "appraisal": ["apprasial", "appriasal"],
         "off": ["of"], "the": ["teh", "th"], "thanks": ["thx", "thnks"], "because": ["bc", "cuz"], "inspection": ["inspecton"],
         "schedule": ["schedual", "shedule"], "really": ["realy"], "would": ["woud", "wuld"], "know": ["kno"]}


@dataclass(frozen=True)
class Style:
    sid: str
    lang: str              # en | es | mixed (Spanish greeting and closing around English)
    formality: str         # formal | neutral | casual | terse
    typo: float            # chance per long word
    lowercase: bool
    drop_punct: bool
    sig: str               # full | short | name | none | mobile | dash | rfc
    quote: str             # gmail | outlook | apple | es | bare
    fillers: tuple[int, int]
    ps_rate: float
    inline_greeting: bool
    disclaimer: bool
    call_me_sig: bool      # "Call me: 555-0100" among the signature's lines


def make_styles(rng: random.Random, n: int) -> list[Style]:
    out = []
    for i in range(n):
        lang = "es" if i % 9 == 4 else ("mixed" if i % 11 == 7 else "en")
        formality = rng.choice(["formal", "neutral", "neutral", "casual", "terse"])
        casual = formality in ("casual", "terse")
        out.append(Style(
            sid=f"s{i:02d}", lang=lang, formality=formality,
            typo=rng.choice([0.0, 0.0, 0.02, 0.05, 0.1]) if casual else rng.choice([0.0, 0.0, 0.01]),
            lowercase=casual and rng.random() < 0.4, drop_punct=casual and rng.random() < 0.3,
            sig=rng.choice(["full", "full", "short", "name", "none", "mobile", "dash", "rfc"]),
            quote=rng.choice(["gmail", "gmail", "outlook", "outlook", "apple", "bare"] + (["es"] * 3 if lang != "en" else [])),
            fillers=rng.choice([(0, 1), (0, 2), (1, 3), (2, 4)]) if not formality == "terse" else (0, 0),
            ps_rate=rng.choice([0.0, 0.05, 0.15]), inline_greeting=rng.random() < 0.3,
            disclaimer=rng.random() < 0.25, call_me_sig=rng.random() < 0.3,
        ))
    return out


@dataclass
class Author:
    first: str
    last: str
    company: str
    domain: str
    role: str
    phone: str
    tz: str
    style: Style

    @property
    def address(self) -> str:
        return f"{self.first} {self.last} <{self.first[0].lower()}{self.last.lower()}@{self.domain}>"


def make_authors(rng: random.Random, styles: list[Style], per_style: int) -> list[Author]:
    authors = []
    for style in styles:
        for _ in range(per_style):
            company, domain = rng.choice(COMPANIES)
            if rng.random() < 0.15:
                domain = rng.choice(FREEMAIL)
            role = rng.choice(ROLES_ES if style.lang == "es" else ROLES)
            authors.append(Author(rng.choice(FIRST), rng.choice(LAST), company, domain, role,
                                  f"555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}", rng.choice(TIMEZONES), style))
    return authors


def noisy(rng: random.Random, text: str, style: Style) -> str:
    """Typos, lower case and dropped punctuation as the author's habits say."""
    if style.typo:
        def swap(m: re.Match) -> str:
            w = m.group(0)
            if rng.random() >= style.typo:
                return w
            low = w.lower()
            if low in TYPOS:
                return rng.choice(TYPOS[low])
            if len(w) < 5:
                return w
            i = rng.randrange(1, len(w) - 2)
            op = rng.random()
            if op < 0.4:
                return w[:i] + w[i + 1] + w[i] + w[i + 2:]
            if op < 0.7:
                return w[:i] + w[i + 1:]
            return w[:i] + w[i] + w[i:]
        text = re.sub(r"[A-Za-z]{3,}", swap, text)
    if style.lowercase:
        text = text.lower()
    if style.drop_punct and rng.random() < 0.6:
        text = re.sub(r"[.!]+$", "", text)
    return text


def signature(rng: random.Random, a: Author) -> list[str]:
    s = a.style
    phone_line = rng.choice([f"Call me: {a.phone}", f"Call or text: {a.phone}"]) if s.call_me_sig else \
        rng.choice([f"c: {a.phone}", f"Cell: {a.phone}", f"Direct: {a.phone}", f"{a.phone}", f"O: {a.phone} | M: {a.phone}"])
    if s.sig == "full":
        lines = [f"{a.first} {a.last}", a.role, a.company, phone_line]
        if rng.random() < 0.5:
            lines.append(f"NMLS #{rng.randint(100000, 999999)}")
        if rng.random() < 0.4:
            lines.append(f"www.{a.domain}")
        return lines
    if s.sig == "short":
        return [f"{a.first} {a.last} | {a.role} | {a.company}", phone_line]
    if s.sig == "name":
        return [a.first]
    if s.sig == "mobile":
        return [a.first, "", rng.choice(MOBILE)] if rng.random() < 0.5 else [rng.choice(MOBILE)]
    if s.sig == "dash":
        return [f"- {a.first[0]}" if rng.random() < 0.5 else f"-{a.first}"]
    if s.sig == "rfc":
        return ["-- ", f"{a.first} {a.last}", a.company, phone_line]
    return []


@dataclass
class Body:
    """A body under construction: text plus (kind, start, end) for every part."""
    parts: list[tuple[str, int, int]] = field(default_factory=list)
    text: str = ""

    def add(self, kind: str, chunk: str, sep: str = "\n") -> tuple[int, int]:
        if self.text and sep:
            self.text += sep
        start = len(self.text)
        self.text += chunk
        self.parts.append((kind, start, len(self.text)))
        return start, len(self.text)

    def new_text(self) -> str:
        return "\n".join(self.text[s:e] for k, s, e in self.parts if k in ("greeting", "content", "ps"))


def date_header(dt: datetime) -> str:
    return format_datetime(dt)


def quote_block(rng: random.Random, style: str, who: str, who_addr: str, when: datetime, subject: str,
                text: str) -> list[tuple[str, str]]:
    """The earlier message as the replier's client quotes it: [(kind, chunk)]."""
    stamp = when.strftime("%a, %b %-d, %Y at %-I:%M %p")
    if style == "gmail":
        head = f"On {stamp} {who} <{who_addr}> wrote:"
        if len(head) > 76 and rng.random() < 0.5:
            cut = head.rfind(" ", 0, 70)
            head = head[:cut] + "\n" + head[cut + 1:]
        return [("reply_header", head), ("quoted", "\n".join("> " + ln if ln else ">" for ln in text.split("\n")))]
    if style == "apple":
        return [("reply_header", f"> On {when.strftime('%b %-d, %Y, at %-I:%M %p')}, {who} <{who_addr}> wrote:\n>"),
                ("quoted", "\n".join("> " + ln if ln else ">" for ln in text.split("\n")))]
    if style == "es":
        return [("reply_header", f"El {when.strftime('%d/%m/%Y %H:%M')}, {who} <{who_addr}> escribió:"),
                ("quoted", "\n".join("> " + ln for ln in text.split("\n")))]
    if style == "bare":
        return [("reply_header", "-----Original Message-----\n"
                                 f"From: {who} [mailto:{who_addr}]\nSent: {when.strftime('%A, %B %-d, %Y %-I:%M %p')}\n"
                                 f"To: orders@keystonevaluation.com\nSubject: {subject}"), ("quoted", text)]
    rule = "_" * 32 if rng.random() < 0.6 else "________________________________"
    return [("reply_header", f"{rule}\nFrom: {who} <{who_addr}>\nSent: {when.strftime('%A, %B %-d, %Y %-I:%M %p')}\n"
                             f"To: orders@keystonevaluation.com\nSubject: {subject}"), ("quoted", text)]


def forward_block(rng: random.Random, who: str, who_addr: str, when: datetime, subject: str, text: str,
                  lang: str) -> list[tuple[str, str]]:
    if lang == "es":
        marker = "---------- Mensaje reenviado ---------"
        head = f"{marker}\nDe: {who} <{who_addr}>\nFecha: {when.strftime('%d/%m/%Y')}\nAsunto: {subject}"
    elif rng.random() < 0.5:
        head = (f"---------- Forwarded message ---------\nFrom: {who} <{who_addr}>\n"
                f"Date: {when.strftime('%a, %b %-d, %Y at %-I:%M %p')}\nSubject: {subject}\nTo: <ops@lender.example>")
    else:
        head = f"Begin forwarded message:\n\nFrom: {who} <{who_addr}>\nSubject: {subject}\nDate: {when.strftime('%B %-d, %Y')}"
    return [("forward_header", head), ("forwarded", text)]


def business_time(rng: random.Random, tz) -> datetime:
    day = datetime(2026, 1, 5, tzinfo=tz) + timedelta(days=rng.randrange(0, 340))
    while day.weekday() > 4 and rng.random() < 0.85:
        day += timedelta(days=1)
    return day.replace(hour=rng.choice(range(7, 20)), minute=rng.randrange(60))
