"""The time a request names, as a concrete window in the sender's local time.

"Can you call me Thursday afternoon?" sent on Tuesday 10 November 2026 from Chicago becomes
Thursday 12 November 12:00-17:00 -06:00. Days and dates are anchored by dateparser relative to
the message's own date in the sender's timezone (never the clock); the windows are ours, and are
the conventions of the labelling guide (tests/data/MAIL_LABELLING.md): a day is 09:00-17:00;
morning 09:00-12:00, afternoon 12:00-17:00, evening and tonight 17:00-21:00, "first thing"
08:00-10:00; a clock time is one hour ("at 3" in business hours is 15:00); "by X" / "before X"
is a deadline, the window running from the message to X; nothing starts before the message.
When several times are named the earliest is the window, and the earliest deadline named
anywhere in the sender's text is kept beside it ("tonight ... before the rate lock expires
tomorrow at noon": tonight, deadline tomorrow 12:00). What is ambiguous says so: "next
Thursday" while a Thursday is still ahead this week, a weekday named on that same weekday, a
day/month order a Spanish writer may mean the other way round.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

_I = re.IGNORECASE
_WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2, "weds": 2,
             "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sunday": 6,
             "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4, "sábado": 5, "sabado": 5,
             "domingo": 6}
_TODAY = r"today|hoy|tonight|esta\s+noche"
_TOMORROW = r"tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|tmw|mañana|manana"
_DAY = (r"(?:(?:next|this|on|el|este|el\s+pr[oó]ximo|pr[oó]ximo)\s+)?"
        r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?|fri|"
        r"lunes|martes|mi[eé]rcoles|jueves|viernes)\b\.?")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
          r"octubre|noviembre|diciembre)")
_DATE = (rf"\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
         rf"\b\d{{1,2}}\s+de\s+{_MONTH}\b|\bthe\s+\d{{1,2}}(?:st|nd|rd|th)\b")
_PART = (r"(?:(?:in\s+the|this|por\s+la|en\s+la|esta)\s+)?(?:morning|afternoon|evening|tarde|noche)\b|"
         r"(?:por|en)\s+la\s+mañana\b|\blater\s+today\b")
_CLOCK = (r"(?:(?:at|@|around|by|before|after|a\s+las|alas)\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|"
          r"\d{1,2}:\d{2}|noon|midday|mediod[ií]a)\b|(?:at|@|around|by|before|after|a\s+las)\s+\d{1,2}\b(?![/:\d])"
          # "at 12 Fern Ct" is an address: a bare number before a capitalised word (a zone name aside)
          r"(?!\s+(?!(?:eastern|central|pacific|mountain)\b)(?-i:[A-Z][a-z]))")
# A bare hour right after a day ("tmrw 10", "Thursday 2"): a clock only there.
_BARE_HOUR = re.compile(r"[ \t]+(\d{1,2}(?::\d{2})?)\b(?![/:\d]|\s*(?:%|percent|days?|weeks?|units?|orders?))", _I)
_WEEK = r"(?:early\s+|late\s+|sometime\s+|la\s+)?(?:next|this|pr[oó]xima|esta)\s+(?:week|wk|semana)\b|(?:the\s+)?end\s+of\s+(?:the\s+)?week\b"
_WEEK_OF = rf"\bweek\s+of\s+(?:{_DATE})"
_EOD = r"\b(?:eod|end\s+of\s+(?:the\s+)?day|close\s+of\s+business|cob)\b"
_FIRST = r"\bfirst\s+thing\b"
_TOKEN = re.compile(
    "|".join(f"(?P<{name}>{pattern})" for name, pattern in (
        ("weekof", _WEEK_OF), ("date", _DATE), ("week", _WEEK), ("eod", _EOD), ("first", _FIRST), ("tomorrow", rf"\b(?:{_TOMORROW})\b(?!\s+(?:a\.?m|p\.?m))"),
        ("today", rf"\b(?:{_TODAY})\b"), ("day", rf"\b{_DAY}"), ("part", _PART), ("clock", _CLOCK))),
    _I)
# Words between two tokens of one phrase ("Thursday or Friday afternoon", "tomorrow at 3").
_GLUE = re.compile(r"^[\s,]*(?:or|and|at|@|on|around|in\s+the|a\s+las|el|o|y|-)?[\s,]*$", _I)
# Words right before a time that make it a deadline; the firm ones hold wherever the sender names
# them ("by Friday"), the others only in the request's own sentences ("I'm out until Monday").
_FIRM_WORDS = r"\bby|\bbefore|no\s+later\s+than|antes\s+del?|a\s+m[aá]s\s+tardar"
_DEADLINE_BEFORE = re.compile(rf"(?:{_FIRM_WORDS}|\buntil|\btill|\bexpires?|\bends?|\bdue|\bvence)\s*(?:the\s+|el\s+)?$", _I)
# A time that ends something: "the rate lock expires tomorrow at noon", "we lose the lock Friday",
# "closing is tomorrow at 10am", "the wire goes out at 3", "the 12/31 cutoff".
_DEADLINE_WORDS = re.compile(r"\b(?:expir\w*|deadline|lapses?|lose|loses|runs\s+out|vence\w*|closing(?:\s+is)?|"
                             r"closes|go(?:es)?\s+out|cut-?off)\b[^.?!]*$", _I)
_FIRM_DEADLINE_BEFORE = re.compile(rf"(?:{_FIRM_WORDS})\s*(?:the\s+|el\s+)?$", _I)
_PARTS = {"morning": (9, 12), "afternoon": (12, 17), "evening": (17, 21), "tonight": (17, 21), "noche": (17, 21),
          "tarde": (12, 17), "mañana": (9, 12), "later today": (None, 17)}


@dataclass(frozen=True)
class TimeWindow:
    text: str                  # the words as written
    start: datetime            # aware, the sender's local time
    end: datetime
    deadline: datetime | None = None
    deadline_text: str | None = None
    ambiguous: bool = False
    note: str = ""             # why it is ambiguous, or the options it stands for

    def as_record(self) -> dict:
        iso = lambda d: d.isoformat(timespec="minutes") if d else None  # noqa: E731
        return {"text": self.text, "start": iso(self.start), "end": iso(self.end), "deadline": iso(self.deadline),
                "deadline_text": self.deadline_text, "ambiguous": self.ambiguous, "note": self.note}


@dataclass(frozen=True)
class _Phrase:
    text: str
    start: int
    tokens: tuple[tuple[str, str], ...]   # (kind, words)
    deadline: bool
    firm: bool = False      # a deadline by its words ("by", "before", "expires"): it counts in any sentence


def find_phrases(sentence: str) -> list[_Phrase]:
    out: list[_Phrase] = []
    group: list[re.Match] = []

    def close():
        if group:
            begin, end = group[0].start(), group[-1].end()
            before = sentence[max(0, begin - 24):begin]
            words = sentence[begin:end].strip(" ,")
            first = group[0].group(0).lower()
            firm = bool(_FIRM_DEADLINE_BEFORE.search(before) or _DEADLINE_WORDS.search(sentence[max(0, begin - 40):begin])
                        or any(m.group(0).lower().startswith(("by ", "before ")) for m in group))
            deadline = firm or bool(_DEADLINE_BEFORE.search(before)) or group[0].lastgroup == "eod"
            out.append(_Phrase(words, begin, tuple((m.lastgroup, m.group(0)) for m in group), deadline, firm))
            group.clear()

    for m in _TOKEN.finditer(sentence):
        glue = sentence[group[-1].end():m.start()] if group else ""
        # Two days join only as options ("Thursday or Friday"); "5/18 on Friday" is two phrases.
        both_days = group and group[-1].lastgroup in _DAYISH and m.lastgroup in _DAYISH
        if group and (not _GLUE.match(glue) or (both_days and not re.search(r"\b(?:or|o)\b", glue, _I))):
            close()
        group.append(m)
        if m.lastgroup in ("today", "tomorrow", "day"):
            bare = _BARE_HOUR.match(sentence, m.end())
            if bare:
                group.append(_Bare(bare))
    close()
    return out


_DAYISH = ("today", "tomorrow", "day", "date")


class _Bare:
    """A bare hour after a day, shaped like a token match."""
    lastgroup = "clock"

    def __init__(self, m: re.Match):
        self._m = m

    def start(self) -> int:
        return self._m.start(1)

    def end(self) -> int:
        return self._m.end(1)

    def group(self, _index: int = 0) -> str:
        return self._m.group(1)


@lru_cache(maxsize=4096)
def _anchor(words: str, base_iso: str) -> datetime | None:
    """The date dateparser gives the words, relative to the message's local date (future first)."""
    import dateparser

    base = datetime.fromisoformat(base_iso)
    found = dateparser.parse(words, languages=["en", "es"],
                             settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "MDY",
                                       "REQUIRE_PARTS": [], "RETURN_AS_TIMEZONE_AWARE": False})
    return found


_NORMAL = {"tmrw": "tomorrow", "tmrow": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "tomorow": "tomorrow",
           "tommorow": "tomorrow", "tommorrow": "tomorrow", "thurs": "thursday", "thur": "thursday", "thu": "thursday",
           "weds": "wednesday", "tues": "tuesday", "manana": "mañana"}


def _clock(words: str) -> tuple[int, int] | None:
    w = words.lower()
    if re.search(r"noon|midday|mediod", w):
        return 12, 0
    m = re.search(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", w)
    if not m:
        return None
    h, minute, suffix = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").replace(".", "")
    if h > 23 or minute > 59:
        return None
    if suffix == "pm" and h < 12:
        h += 12
    elif suffix == "am" and h == 12:
        h = 0
    elif not suffix and 1 <= h <= 6:
        h += 12   # "at 3" during business hours is the afternoon
    return h, minute


def _day_of(kind: str, words: str, local: datetime) -> tuple[datetime | None, str]:
    """The day a token names, and why it is ambiguous ("" when it is not)."""
    low = " ".join(words.lower().split())
    if kind == "today":
        return local, ""
    if kind == "tomorrow":
        return local + timedelta(days=1), ""
    if kind == "day":
        name = re.sub(r"^(?:next|this|on|el|este|el\s+pr[oó]ximo|pr[oó]ximo)\s+", "", low).rstrip(".")
        wd = _WEEKDAYS.get(name)
        if wd is None:
            return None, ""
        ahead = (wd - local.weekday()) % 7
        note = ""
        if ahead == 0:
            ahead, note = 7, f"{words} was written on a {name.title()}: today or a week from today"
        elif low.startswith("next") and local.weekday() < wd:
            note = f"\"{words}\" could be this week's or next week's"
        return local + timedelta(days=ahead), note
    if kind == "date":
        text = " ".join(_NORMAL.get(w, w) for w in low.split())
        found = _anchor(text, local.replace(tzinfo=None).isoformat(timespec="minutes"))
        if found is None:
            return None, ""
        note = ""
        m = re.match(r"(\d{1,2})/(\d{1,2})", low)
        if m and int(m.group(1)) <= 12 and int(m.group(2)) <= 12 and int(m.group(1)) != int(m.group(2)):
            note = f"{words} read month/day"
        return local.replace(year=found.year, month=found.month, day=found.day), note
    return None, ""


def _at(day: datetime, h: int, m: int = 0) -> datetime:
    return day.replace(hour=h, minute=m, second=0, microsecond=0)


def _resolve(phrase: _Phrase, local: datetime) -> TimeWindow | None:
    days: list[datetime] = []
    notes: list[str] = []
    part = clock = None
    first = week = eod = False
    for kind, words in phrase.tokens:
        if kind in ("today", "tomorrow", "day", "date"):
            day, note = _day_of(kind, words, local)
            if day is not None:
                days.append(day)
            if note:
                notes.append(note)
            if kind == "today" and re.search(r"tonight|noche", words, _I):
                part = "tonight"
        elif kind == "part":
            low = words.lower()
            part = next((p for p in _PARTS if p in low), None)
        elif kind == "clock":
            clock = _clock(words)
        elif kind == "first":
            first = True
        elif kind == "week":
            week = words.lower()
        elif kind == "weekof":
            day, note = _day_of("date", re.sub(r"^week\s+of\s+", "", words, flags=_I), local)
            if day is not None:
                week = day - timedelta(days=day.weekday())       # that date's Monday
            if note:
                notes.append(note)
        elif kind == "eod":
            eod = True
    floor = local.replace(second=0, microsecond=0)
    if isinstance(week, datetime):      # "week of the 14th": Monday to Friday of that date's week
        start, end = _at(week, 9), _at(week + timedelta(days=4), 17)
        return TimeWindow(phrase.text, max(start, floor), max(end, floor), ambiguous=bool(notes), note="; ".join(notes))
    if week:
        monday = local + timedelta(days=7 - local.weekday())
        if re.search(r"next|pr[oó]xima", week):
            start, end = _at(monday, 9), _at(monday + timedelta(days=4 if "early" not in week else 1), 17)
        else:
            start, end = floor, _at(local + timedelta(days=max(0, 4 - local.weekday())), 17)
        return TimeWindow(phrase.text, max(start, floor), end, ambiguous=bool(notes), note="; ".join(notes))
    if not days:
        if clock is None and part is None and not eod and not first:
            return None
        days = [local]
    if eod:
        clock = clock or (17, 0)
    windows = []
    for day in days:
        if clock is not None:
            start = _at(day, *clock)
            end = start + timedelta(hours=1)
            if not phrase.deadline and not eod and start < floor and day.date() == local.date() and len(days) == 1:
                start, end = start + timedelta(days=1), end + timedelta(days=1)   # "at 3" said at 4pm: tomorrow
        elif first:
            start, end = _at(day, 8), _at(day, 10)
        elif part is not None:
            h0, h1 = _PARTS[part]
            # "later today": from the next full hour.
            start, end = _at(day, h0 if h0 is not None else min(local.hour + 1, h1)), _at(day, h1)
        else:
            start, end = _at(day, 9), _at(day, 17)
        windows.append((start, end))
    windows.sort()
    if phrase.deadline or eod:
        deadline = windows[0][0] if clock is not None else windows[0][1]
        return TimeWindow(phrase.text, floor, max(deadline, floor), deadline=deadline, deadline_text=phrase.text,
                          ambiguous=bool(notes), note="; ".join(notes))
    start, end = max(windows[0][0], floor), windows[-1][1]
    note = "; ".join(notes)
    if len(windows) > 1:
        note = "; ".join(filter(None, [note, "options: " + ", ".join(w[0].strftime("%a %d %b") for w in windows)]))
    return TimeWindow(phrase.text, start, max(end, start), ambiguous=bool(notes), note=note)


_OFFSET = re.compile(r"^(?:UTC)?([+-])(\d{2}):?(\d{2})$")


def zone(tz_name: str | None):
    """A zone name ("America/Chicago") or a UTC offset ("-05:00", as a Date header gives it); UTC otherwise."""
    m = _OFFSET.match(tz_name or "")
    if m:
        minutes = int(m.group(2)) * 60 + int(m.group(3))
        return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))
    try:
        return ZoneInfo(tz_name) if tz_name else timezone.utc
    except Exception:  # an unknown zone name: UTC, and the caller recorded what it was given
        return timezone.utc


def local_time(received_at_ms: int, tz_name: str | None) -> datetime:
    tz = zone(tz_name)
    return datetime.fromtimestamp(received_at_ms / 1000, tz=timezone.utc).astimezone(tz)


def resolve_requested_time(request_texts: list[str], other_texts: list[str], received_at_ms: int,
                           tz_name: str | None) -> TimeWindow | None:
    """The window named in the request's sentences (the earliest), with the earliest deadline named
    in them or, said firmly ("by", "before", "expires", "closing is"), anywhere else in the sender's
    new text (other_texts); None when no time is named."""
    local = local_time(received_at_ms, tz_name)
    found = [w for text in request_texts for p in find_phrases(text) if (w := _resolve(p, local))]
    deadlines = [w for w in found if w.deadline]
    times = [w for w in found if not w.deadline]
    # Another sentence's deadline that passes before the window opens is some other matter's.
    opens = min((w.start for w in times), default=None)
    deadlines += [w for text in other_texts for p in find_phrases(text)
                  if p.firm and (w := _resolve(p, local)) and w.deadline and (opens is None or w.deadline > opens)]
    deadline = min(deadlines, key=lambda w: w.deadline) if deadlines else None
    if times:
        best = min(times, key=lambda w: (w.start, w.end))
        if deadline is not None and deadline in found and deadline.deadline <= best.start:
            # "I'm away next week, so call me before Friday": a window after the request's own
            # deadline is not when they asked for it; the deadline is.
            return TimeWindow(deadline.text, deadline.start, deadline.end, deadline.deadline, deadline.deadline_text,
                              deadline.ambiguous or best.ambiguous, deadline.note)
        if deadline is not None:
            end = min(best.end, deadline.deadline) if deadline.deadline > best.start else best.end
            return TimeWindow(best.text, best.start, end, deadline.deadline, deadline.deadline_text,
                              best.ambiguous or deadline.ambiguous, "; ".join(filter(None, (best.note, deadline.note))))
        return best
    if deadline is not None and (deadline in found):
        return deadline
    return None


def offset_of(window: TimeWindow) -> str:
    return window.start.strftime("%z")


__all__ = ["TimeWindow", "find_phrases", "local_time", "resolve_requested_time"]
_ = time  # datetime.time kept importable for callers comparing clock times
