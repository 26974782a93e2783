"""People on an email: address headers plus the sender's signature block.

Pure: standard library only. Signature parsing is heuristic and conservative: a field
it cannot find with some confidence stays None rather than being guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

from revloop.processors.mail_text import own_message


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str
    title: str | None = None
    role: str | None = None
    phone: str | None = None
    company: str | None = None


_I = re.IGNORECASE


def parse_address_list(header_value: str) -> list[tuple[str | None, str]]:
    """'Name <a@b>, c@d' -> [(name|None, lower-cased email)], first occurrence wins."""
    seen: set[str] = set()
    out: list[tuple[str | None, str]] = []
    for name, addr in getaddresses([header_value or ""]):
        addr = addr.strip().lower()
        if "@" not in addr or addr in seen:
            continue
        seen.add(addr)
        name = " ".join(name.split()) or None
        out.append((name, addr))
    return out


# ---------------------------------------------------------------------------
# Roles, checked in order: seniority wins over function ("VP, Underwriting" is an executive).

_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("executive", re.compile(
        r"\b(?:s?vp|evp|avp|vice\s+president|president|director|chief|ceo|cfo|coo|cto|head\s+of|"
        r"owner|founder|managing\s+partner)\b", _I)),
    ("vendor_manager", re.compile(
        r"\b(?:vendor\s+(?:manager|management|relations|coordinator|specialist)|appraisal\s+(?:manager|coordinator|desk)|"
        r"amc\s+(?:coordinator|manager)|valuation\s+(?:manager|coordinator)|panel\s+manager)\b", _I)),
    ("loan_officer", re.compile(
        r"\b(?:(?:mortgage\s+)?loan\s+(?:officer|originator|consultant)|mlo|mortgage\s+(?:banker|consultant|advisor))\b", _I)),
    ("processor", re.compile(r"\b(?:processor|processing)\b", _I)),
    ("underwriter", re.compile(r"\b(?:underwriter|underwriting)\b", _I)),
    ("closer", re.compile(r"\b(?:closer|closing\s+(?:coordinator|specialist))\b", _I)),
    ("agent", re.compile(r"\b(?:realtor|real\s+estate\s+agent|listing\s+agent|buyer'?s\s+agent|broker\s+associate)\b", _I)),
    ("accounts_payable", re.compile(r"\b(?:accounts\s+payable|ap\s+(?:specialist|clerk)|billing)\b", _I)),
)


def infer_role(title: str | None) -> str | None:
    if not title:
        return None
    for role, pattern in _ROLES:
        if pattern.search(title):
            return role
    return None


# ---------------------------------------------------------------------------
# Signature block.

_SIGN_OFF = re.compile(
    r"^\s*(?:thanks|thank\s+you|thx|ty|best|best\s+regards|kind\s+regards|warm\s+regards|regards|cheers|"
    r"sincerely|respectfully|all\s+the\s+best|talk\s+soon|take\s+care)\b[\s,.!]*(?:[A-Z][a-z]+[,.!]?)?\s*$",
    _I,
)
_DASH_DELIM = re.compile(r"^--\s*$")
_TITLE_WORDS = re.compile(
    r"\b(?:officer|manager|management|processor|processing|underwriter|coordinator|director|vp|svp|evp|avp|"
    r"vice\s+president|president|ceo|cfo|coo|chief|analyst|specialist|supervisor|realtor|agent|broker|assistant|"
    r"lead|head|owner|partner|closer|appraiser|administrator|originator|consultant|associate|representative|"
    r"accounts\s+payable|banker|team\s+lead|operations)\b", _I)
# A company name usually ends in one of these.
_COMPANY_END = re.compile(
    r"\b(?:bank|bancorp|credit\s+union|cu|fcu|amc|mortgage|lending|loans?|financial|realty|group|inc\.?|llc|"
    r"l\.l\.c\.|corp\.?|corporation|company|co\.|federal|savings|trust|capital|partners|valuation|appraisals?|"
    r"services|n\.a\.|home\s+loans|funding|bancshares)\s*$", _I)
_PHONE = re.compile(
    r"(?<![\w#])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-]?\d{3}[\s.\-]\d{4}(?!\d)"
    r"|(?<![\w#])\+?1?\d{10}(?!\d)"
)
_NOT_NAME = re.compile(r"[@\d:/]|\bwww\b|https?", _I)
_NAME = re.compile(r"^[A-Z][a-zA-Z'\-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][a-zA-Z'\-]+){0,2}$")
# Display names that are mailboxes, not people.
_ROLE_ACCOUNT = re.compile(
    r"\b(?:dept|department|team|desk|management|support|orders?|billing|accounts|compliance|info|admin|"
    r"noreply|no-reply|notifications?|system|services|vendor\s+management|newsletter|news)\b", _I)


def normalize_phone(text: str) -> str | None:
    """'+1-555-123-4567' / '(555) 123-4567' / '555.123.4567' -> '+15551234567' (NANP)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 10:
        return "+1" + digits
    if len(digits) == 11 and digits.startswith("1"):
        return "+" + digits
    return None


def _signature_lines(own: str) -> list[str]:
    lines = [ln.rstrip() for ln in own.split("\n")]
    for i in range(len(lines) - 1, -1, -1):
        if _DASH_DELIM.match(lines[i]):
            return [ln for ln in lines[i + 1:] if ln.strip()]
    # Last sign-off within the final dozen lines; the block follows it.
    for i in range(len(lines) - 1, max(-1, len(lines) - 13), -1):
        if _SIGN_OFF.match(lines[i]):
            return [ln for ln in lines[i + 1:] if ln.strip()]
    # Otherwise the final paragraph, if it is short lines (a block, not prose).
    block: list[str] = []
    for line in reversed(lines):
        if not line.strip():
            if block:
                break
            continue
        block.insert(0, line)
    if 1 <= len(block) <= 6 and all(len(ln) <= 60 for ln in block) and not any(ln.rstrip().endswith("?") for ln in block):
        return block
    return []


def _fields(lines: list[str]) -> list[str]:
    """Split 'Tom Becker | Senior Loan Officer | Harbor Lending' into its parts."""
    out: list[str] = []
    for line in lines:
        for part in re.split(r"\s*[|•·]\s*|\s{3,}|\t", line):
            part = part.strip(" ,-–—")
            if part:
                out.append(part)
    return out


def _looks_like_name(text: str) -> bool:
    return bool(_NAME.match(text)) and not _NOT_NAME.search(text) and not _TITLE_WORDS.search(text) \
        and not _COMPANY_END.search(text)


def _personal(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.replace('"', "").split())
    if "," in name:  # "Lopez, Maria" -> "Maria Lopez"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}".strip()
    if _ROLE_ACCOUNT.search(name) or "@" in name:
        return None
    return name or None


def parse_signature(body: str, from_name: str | None, from_addr: str) -> Person:
    """Person for the sender from the signature block at the end of their own text."""
    own = own_message(body or "")
    lines = _signature_lines(own)
    header_name = _personal(from_name)
    name = title = company = phone = None

    for field in _fields(lines):
        if phone is None:
            found = _PHONE.search(field)
            if found and not re.search(r"\bfax\b|^f\s*[:.]", field, _I):
                phone = normalize_phone(found.group(0))
                if phone:
                    continue
        if _PHONE.search(field) or re.match(r"^\s*nmls\b", field, _I) or "@" in field or re.search(r"www\.|https?://", field, _I):
            continue
        if name is None and title is None and _looks_like_name(field):
            name = field
            continue
        if title is None and _TITLE_WORDS.search(field):
            # "Mortgage Processor, Northstar Bank" / "Underwriter II, Tri-State Bank"
            head, sep, tail = field.partition(",")
            if sep and _COMPANY_END.search(tail.strip()) and not _COMPANY_END.search(head.strip()):
                title, company = head.strip(), company or tail.strip()
            else:
                title = field
            continue
        if company is None and _COMPANY_END.search(field):
            company = field

    # The display name is better than a first-name-only sign-off ("Karen").
    if header_name and (name is None or len(header_name.split()) >= len(name.split())):
        name = header_name
    return Person(name=name, email=from_addr.strip().lower(), title=title, role=infer_role(title),
                  phone=phone, company=company)


# ---------------------------------------------------------------------------

_MACHINE_LOCAL = re.compile(r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?|notifications?)\b", _I)


def _external(addr: str, mailbox_domain: str) -> bool:
    domain = addr.rpartition("@")[2]
    ours = (mailbox_domain or "").lower().lstrip("@")
    if ours and (domain == ours or domain.endswith("." + ours)):
        return False
    return not _MACHINE_LOCAL.match(addr)


def people_from_message(from_header: str, to_header: str, cc_header: str, reply_to_header: str,
                        body: str, mailbox_domain: str) -> list[Person]:
    """External people on the message, sender first and enriched from the signature."""
    people: dict[str, Person] = {}
    for name, addr in parse_address_list(from_header or ""):
        if _external(addr, mailbox_domain) and addr not in people:
            people[addr] = parse_signature(body, name, addr)
    for header in (reply_to_header, to_header, cc_header):
        for name, addr in parse_address_list(header or ""):
            if _external(addr, mailbox_domain) and addr not in people:
                people[addr] = Person(name=_personal(name), email=addr)
    return list(people.values())
