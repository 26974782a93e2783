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
             "domingo": 6, "segunda": 0, "terça": 1, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4}
_TODAY = r"today|hoy|hoje|tonight|esta\s+noche|esta\s+noite"
_TOMORROW = r"tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|tmw|mañana|manana|amanh[ãa]"
_DAY = (r"(?:(?:next|this|on|el|este|el\s+pr[oó]ximo|pr[oó]ximo)\s+)?"
        r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?|fri|"
        r"lunes|martes|mi[eé]rcoles|jueves|viernes|(?:segunda|ter[çc]a|quarta|quinta|sexta)(?:-feira)?)\b\.?")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
          r"octubre|noviembre|diciembre)")
_DATE = (rf"\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
         rf"\b\d{{1,2}}\s+de\s+{_MONTH}\b|\b(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+of\s+{_MONTH}\b|"
         rf"\bthe\s+\d{{1,2}}(?:st|nd|rd|th)\b")
def _one_edit(word: str) -> set[str]:
    """The word with one letter dropped, doubled, or two neighbours swapped (phone typing)."""
    out = set()
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1:])
        out.add(word[:i] + word[i] + word[i:])
        if i + 1 < len(word):
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    out.discard(word)
    return out


# rules 35: a part of the day typed with one slip ("tmrw aftrnoon", "thurs mornnig", "this evenng") is that part ("aftrnoon"
# had read as "noon").
_PART_TYPOS = {v: w for w in ("afternoon", "morning", "evening") for v in sorted(_one_edit(w)) if v not in ("mornin",)}
_PART_TYPO_RX = "|".join(sorted(_PART_TYPOS, key=len, reverse=True))
# rules 38: "tomorrow" typed with one slip ("tmorrow", "tomorrw") is tomorrow
_TOMORROW = _TOMORROW + "|" + "|".join(sorted((v for v in _one_edit("tomorrow") if v not in _TOMORROW.split("|")), key=len, reverse=True))
_PART = (r"(?:(?:in\s+the|this|por\s+la|en\s+la|esta)\s+)?(?:morning|mornin'?|afternoon|evening|tarde|noche|" + _PART_TYPO_RX + r")(?![\w'])|"
         r"(?:por|en)\s+la\s+mañana\b|\blater\s+today\b|\bafter\s+lunch\b|"
         r"\bde\s+manh[ãa]|(?:\bà|\ba|\bde)\s+(?:tarde|noite)\b|\bthis\s+aft\b")
_CLOCK = (r"(?:(?:at|@|around|by|before|b4|after|a\s+las|alas|às)\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|"
          r"\d{1,2}:\d{2}|noon(?:ish)?|midday|mediod[ií]a|(?:half|quarter)\s+(?:past|after|to|til)\s+\d{1,2}|\d{1,2}\s*-?ish)\b|"
          r"(?:at|@|around|by|before|b4|after|a\s+las|às)\s+\d{1,2}\b(?![/:\d])"
          # "at 12 Fern Ct" is an address: a bare number before a capitalised word (a zone name aside)
          r"(?!\s+(?!(?:eastern|central|pacific|mountain)\b)(?-i:[A-Z][a-z]))")
# A bare hour right after a day ("tmrw 10", "Thursday 2"): a clock only there.
_BARE_HOUR = re.compile(r"[ \t]+(\d{1,2}(?::\d{2})?)\b(?![/:\d]|\s*(?:-|–)\s*\d|\s*(?:%|percent|days?|weeks?|units?|orders?))", _I)
_WEEK = (r"(?:early\s+|late\s+|sometime\s+|mid\s*-?\s*|la\s+)?(?:next|this|pr[oó]xima|esta)\s+(?:week|wk|semana)\b|"
         r"(?:the\s+)?end\s+of\s+(?:the\s+)?week\b|(?:the\s+)?week\s+after\s+next\b")
_WEEKEND = r"\b(?:this|next|over\s+the|on\s+the|the)\s+weekend\b"
_WEEK_OF = rf"\bweek\s+of\s+(?:{_DATE})"
_EOD = r"\b(?:eod|end\s+of\s+(?:the\s+)?day|close\s+of\s+business|cob)\b"
_FIRST = (r"\bfirst\s+thing\b|\bearly\s+(?=(?:tomorrow|tmrw|monday|tuesday|wednesday|thursday|friday|mon|tue|wed|thu|fri|"
          r"morning|in\s+the\s+morning)\b)|\btemprano\b|\bcedo\b")
# "call me in an hour", "in 30 mins": from the message's own time.
# ("we close in two days" names an event, not a window: days count only as a deadline, "within 3 days".)
_COUNT = r"(?:the\s+next\s+)?(?:an?|one|two|three|a\s+couple(?:\s+of)?|a\s+few|\d{1,3})\s+"
_RELATIVE = (rf"\bin\s+{_COUNT}(?:hours?|hrs?|minutes?|mins?)\b|\bwithin\s+{_COUNT}(?:hours?|hrs?|minutes?|mins?|days?)\b|"
             r"\bwithin\s+the\s+hour\b")
# "between 10 and 2", "from 9 to 11am", "10am-2pm": a window of its own (bare numbers only after
# "between"/"from", so "10-2" as a date or a score is never one).
_HOUR = r"\d{1,2}(?::\d{2})?"
_RANGE = (rf"\b(?:between|from)\s+{_HOUR}\s*(?:am|pm)?\s*(?:and|to|-|–|until|till)\s*(?:{_HOUR}\s*(?:am|pm)?|noon)\b|"
          rf"\b{_HOUR}\s*(?:am|pm)\s*(?:-|–|to|until|till)\s*{_HOUR}\s*(?:am|pm)\b|"
          rf"\b{_HOUR}\s*(?:-|–)\s*{_HOUR}\s*(?:am|pm)\b")
# A zone named after a clock time ("4:30 pm EST", "2 Eastern"): the time is that zone's.
_ZONE_AFTER = re.compile(r"\s*\(?\b([ecmp])[sd]?t\b\)?|\s+(eastern|central|mountain|pacific)\b(?:\s+time\b)?", _I)
_US_ZONES = {"e": "America/New_York", "c": "America/Chicago", "m": "America/Denver", "p": "America/Los_Angeles"}
# "swing by Wednesday" is a visit, not a deadline.
_VISIT_BY = re.compile(r"\b(?:swing(?:ing)?|stop(?:ping)?|come|coming|drop(?:ping)?|pop(?:ping)?|go|going|head(?:ing)?|"
                       r"pass(?:ing)?|run(?:ning)?)\s+by\s*$", _I)
# "at 9 or 10", "3 or 4pm": the other hour the sender offers (bare numbers only right after a clock).
_ALT_HOUR = re.compile(r"\s*\bor\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?)(?![/:\d\w])", _I)
# "the 18th or 19th", "Dec 3 or 4": another day of the same month.
_ALT_DATE = re.compile(r"\s*(?:\bor|\band|&|-|–)\s*(?:the\s+)?(\d{1,2})(st|nd|rd|th)?\b(?![/:]|\s*(?:am|pm|floor|party|%))", _I)
# "after the 15th", "any day after Monday": from the next day on.
_AFTER_DAY = re.compile(r"\bafter\s*$", _I)
# "Wed AM", "tomorrow pm": a part of that day.
_BARE_PART = re.compile(r"[ \t]+(a\.?m\.?|p\.?m\.?)(?![\w])", _I)
_TOKEN = re.compile(
    "|".join(f"(?P<{name}>{pattern})" for name, pattern in (
        ("weekof", _WEEK_OF), ("date", _DATE), ("week", _WEEK), ("weekend", _WEEKEND), ("eod", _EOD), ("first", _FIRST), ("tomorrow", rf"\b(?:{_TOMORROW})\b"),
        ("today", rf"\b(?:{_TODAY})\b"), ("day", rf"\b{_DAY}"), ("part", _PART), ("relative", _RELATIVE),
        ("range", _RANGE), ("clock", _CLOCK))),
    _I)
# Words between two tokens of one phrase ("Thursday or Friday afternoon", "tomorrow at 3").
_GLUE = re.compile(r"^[\s,]*(?:or|and|at|@|on|around|in\s+the|a\s+las|el|o|y|-|/|any\s*time|de\s+la|de|da)?[\s,]*$", _I)
# Words right before a time that make it a deadline; the firm ones hold wherever the sender names
# them ("by Friday"), the others only in the request's own sentences ("I'm out until Monday").
_FIRM_WORDS = r"\bby|\bbefore|\bb4|no\s+later\s+than|antes\s+del?|a\s+m[aá]s\s+tardar"
_DEADLINE_BEFORE = re.compile(rf"(?:{_FIRM_WORDS}|\buntil|\btill|\bexpires?|\bends?|\bdue|\bvence)\s*(?:the\s+|el\s+)?$", _I)
# A time that ends something: "the rate lock expires tomorrow at noon", "we lose the lock Friday",
# "closing is tomorrow at 10am", "the wire goes out at 3", "the 12/31 cutoff".
# Rules 65: a lock, contingency or commitment that "ends", a party that closes ("we close tomorrow at
# 11", "the buyers close Monday"), "el cierre ... es mañana", "o fechamento é sexta".
_DEADLINE_WORDS = re.compile(r"\b(?:expir\w*|deadline|lapses?|lose|loses|runs\s+out|vence\w*|closing(?:\s+is)?|"
                             r"closes|go(?:es)?\s+out|cut-?off|cierre|fechamento|"
                             r"(?:lock|contingency|commitment|option\s+period)\b[^.?!]{0,30}\bends|"
                             r"(?:we|they|buyers?|borrowers?|sellers?|clients?)\s+(?:\w+\s+)?close)\b[^.?!]*$", _I)
_FIRM_DEADLINE_BEFORE = re.compile(rf"(?:{_FIRM_WORDS})\s*(?:the\s+|el\s+)?$", _I)
_PARTS = {"morning": (9, 12), "mornin": (9, 12), "afternoon": (12, 17), "evening": (17, 21), "tonight": (17, 21), "noche": (17, 21),
          "tarde": (12, 17), "mañana": (9, 12), "manhã": (9, 12), "manha": (9, 12), "noite": (17, 21),
          "later today": (None, 17), "after lunch": (13, 17), "am": (9, 12), "pm": (12, 17),
          "aft": (12, 17)}


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
    after: bool = False     # "after the 15th": from the day after the one named
    by: bool = False        # a deadline said with "by", "before", "no later than" (not "the lock expires ...")


def find_phrases(sentence: str) -> list[_Phrase]:
    out: list[_Phrase] = []
    group: list[re.Match] = []

    def close():
        if group:
            begin, end = group[0].start(), group[-1].end()
            before = sentence[max(0, begin - 24):begin]
            words = sentence[begin:end].strip(" ,")
            first = group[0].group(0).lower()
            visit = bool(_VISIT_BY.search(before))
            firm = bool((_FIRM_DEADLINE_BEFORE.search(before) and not visit)
                        or _DEADLINE_WORDS.search(sentence[max(0, begin - 40):begin])
                        or any(m.group(0).lower().startswith(("by ", "before ", "b4 ")) for m in group))
            deadline = firm or bool(_DEADLINE_BEFORE.search(before) and not visit) or group[0].lastgroup == "eod"
            after = group[0].lastgroup in ("day", "date") and bool(_AFTER_DAY.search(before))
            by = bool(_FIRM_DEADLINE_BEFORE.search(before) and not visit) or \
                any(m.group(0).lower().startswith(("by ", "before ", "b4 ")) for m in group)
            out.append(_Phrase(words, begin, tuple((m.lastgroup, m.group(0)) for m in group), deadline, firm, after, by))
            group.clear()

    for m in _TOKEN.finditer(sentence):
        if group and m.start() < group[-1].end():
            continue                 # words a bare hour, date or zone already took
        glue = sentence[group[-1].end():m.start()] if group else ""
        # Two days join only as options ("Thursday or Friday"); "5/18 on Friday" is two phrases.
        both_days = group and group[-1].lastgroup in _DAYISH and m.lastgroup in _DAYISH
        weekday_and_date = both_days and group[-1].lastgroup == "day" and m.lastgroup == "date" and not glue.strip(" ,")
        if group and (not _GLUE.match(glue) or (both_days and not weekday_and_date
                                                and not re.search(r"\b(?:or|o)\b|/", glue, _I))):
            close()
        group.append(m)
        if m.lastgroup in ("today", "tomorrow", "day", "date"):
            bare = _BARE_PART.match(sentence, m.end())
            if bare:
                group.append(_Bare(bare, "part"))
            elif m.lastgroup != "date" and (bare := _BARE_HOUR.match(sentence, m.end())):
                group.append(_Bare(bare))
            elif m.lastgroup == "date" and (other := _ALT_DATE.match(sentence, m.end())):
                day_words = _same_month(m.group(0), other.group(1))
                if day_words:
                    group.append(_Bare(other, "date", day_words))
        if group[-1].lastgroup == "clock" and (alt := _ALT_HOUR.match(sentence, group[-1].end())):
            group.append(_Bare(alt, "clockalt"))
        if group[-1].lastgroup in ("clock", "clockalt", "range"):
            named = _ZONE_AFTER.match(sentence, group[-1].end())
            if named:
                group.append(_Bare(named, "zone", (named.group(1) or named.group(2))[0].lower()))
    close()
    return out


_DAYISH = ("today", "tomorrow", "day", "date")


def _same_month(date_words: str, n: str) -> str | None:
    """The words for day n of the month date_words names ("the 18th", 19 -> "the 19th";
    "Dec 3", 4 -> "Dec 4"); None for a date whose form says no month and day this way."""
    if re.fullmatch(r"the\s+\d{1,2}(?:st|nd|rd|th)", date_words, _I):
        return f"the {n}th"
    m = re.fullmatch(rf"({_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?", date_words, _I)
    return f"{m.group(1)} {n}" if m else None


class _Bare:
    """A bare hour or part after a day, or a zone after a clock, shaped like a token match."""

    def __init__(self, m: re.Match, kind: str = "clock", words: str | None = None):
        self._m, self.lastgroup, self._words = m, kind, words

    def start(self) -> int:
        return self._m.start(1) if self._m.group(1) is not None else self._m.start()

    def end(self) -> int:
        return self._m.end()

    def group(self, _index: int = 0) -> str:
        return self._words if self._words is not None else self._m.group(1)


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
    w = re.sub(r"\bb4\b", "before", words.lower())     # the 4 of "b4 5" is no hour
    if re.search(r"noon|midday|mediod", w):
        return 12, 0
    m = re.search(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", w)
    if not m:
        return None
    h, minute, suffix = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").replace(".", "")
    if re.search(r"\bhalf\s+(?:past|after)", w):
        minute = 30
    elif re.search(r"\bquarter\s+(?:past|after)", w):
        minute = 15
    elif re.search(r"\bquarter\s+(?:to|til)", w):
        h, minute = (h - 1) % 24 or 12, 45
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
        name = name.removesuffix("-feira")
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
        nth = re.fullmatch(r"the\s+(\d{1,2})(?:st|nd|rd|th)", low)
        if nth:
            return _next_day_of_month(int(nth.group(1)), local), ""
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


def _range(words: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """"between 10 and 2" -> (10:00, 14:00); a suffix on the second time only also holds for the
    first when it keeps the range in order ("from 9 to 11am")."""
    m = re.search(rf"({_HOUR})\s*(am|pm)?\D+?({_HOUR}|noon)\s*(am|pm)?", words, _I)   # rules 39: "between 10 and noon"
    if not m:
        return None, None
    second = _clock(m.group(3) + (m.group(4) or ""))
    first = _clock(m.group(1) + (m.group(2) or ""))
    if not m.group(2) and m.group(4):
        same = _clock(m.group(1) + m.group(4))
        if same is not None and second is not None and same < second:
            first = same
    if first is None or second is None or second <= first:
        return first, None
    return first, second


_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "a couple": 2, "a couple of": 2, "a few": 3}


def _relative(words: str) -> tuple[timedelta, bool, bool] | None:
    """(how far, whether it is a deadline ("within"), whether in days)."""
    low = " ".join(words.lower().split())
    if low == "within the hour":
        return timedelta(hours=1), True, False
    m = re.match(r"(in|within)\s+(?:the\s+next\s+)?(.+?)\s+(hours?|hrs?|minutes?|mins?|days?)$", low)
    if not m:
        return None
    n = int(m.group(2)) if m.group(2).isdigit() else _COUNTS.get(m.group(2))
    if n is None:
        return None
    unit = m.group(3)
    delta = timedelta(days=n) if unit.startswith("d") else timedelta(hours=n) if unit.startswith("h") else timedelta(minutes=n)
    return delta, m.group(1) == "within", unit.startswith("d")


def _next_day_of_month(n: int, local: datetime) -> datetime | None:
    """"the 5th": this month's if it is still ahead (or today), else the next month that has one."""
    year, month = local.year, local.month
    for _ in range(3):
        try:
            day = local.replace(year=year, month=month, day=n)
        except ValueError:       # no 31st this month
            day = None
        if day is not None and day.date() >= local.date():
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _hour_after(first: tuple[int, int] | None, other: tuple[int, int] | None) -> tuple[int, int] | None:
    """The end of "at 9 or 10": an hour after the later one offered (None when it is no later)."""
    if first is None or other is None:
        return None
    if other <= first and other[0] + 12 <= 23 and (other[0] + 12, other[1]) > first:
        other = (other[0] + 12, other[1])          # "at 11 or 1": 13:00
    if other <= first:
        return None
    return min((other[0] + 1, other[1]), (23, 59))


def _at(day: datetime, h: int, m: int = 0) -> datetime:
    return day.replace(hour=h, minute=m, second=0, microsecond=0)


def _on(day: datetime, hm: tuple[int, int], named_zone=None) -> datetime:
    """That clock time on that day in the sender's time; a time said in a named zone ("3pm
    Eastern" from Chicago) is converted: 14:00 there."""
    if named_zone is None:
        return _at(day, *hm)
    return datetime.combine(day.date(), time(*hm), named_zone).astimezone(day.tzinfo)


def _resolve(phrase: _Phrase, local: datetime) -> TimeWindow | None:
    # Each day named keeps the part or clock said right after it ("Friday morning or Monday
    # afternoon"); a day without one takes the phrase's ("Thursday or Friday afternoon").
    days: list[list] = []          # [day, part, clock, clock_end, token kind, its ambiguity note]
    notes: list[str] = []
    part = clock = clock_end = named_zone = relative = None
    first = week = eod = weekend = False
    for kind, words in phrase.tokens:
        if kind in ("today", "tomorrow", "day", "date"):
            day, note = _day_of(kind, words, local)
            if day is not None:
                if days and kind == "date" and days[-1][4] == "day" and not days[-1][1] and days[-1][2] is None:
                    weekday_note = days[-1][5]
                    if days[-1][0].weekday() == day.weekday():
                        # "Thu 11/12": the weekday settles both the week and the day/month order
                        note = ""
                        if weekday_note in notes:
                            notes.remove(weekday_note)
                    else:                                     # "Monday the 17th" when the 17th is a Tuesday
                        notes.append(f"{words} is not a {days[-1][0].strftime('%A')}")
                    days[-1][0], days[-1][4] = day, "date"
                else:
                    days.append([day, None, None, None, kind, note])
            if note:
                notes.append(note)
            if kind == "today" and re.search(r"tonight|noche|noite", words, _I):
                part = "tonight"
                if days:
                    days[-1][1] = part
        elif kind == "part":
            low = words.lower().replace(".", "")
            low = re.sub(r"[a-z]+", lambda w: _PART_TYPOS.get(w.group(0), w.group(0)), low)
            found = low if low in ("am", "pm") else next((p for p in _PARTS if p in low), None)
            part = found
            if days and days[-1][1] is None and days[-1][2] is None:
                days[-1][1] = found
        elif kind in ("clock", "range"):
            clock, clock_end = (_clock(words), None) if kind == "clock" else _range(words)
            if clock is not None and kind == "clock" and clock[0] < 12 and days and \
                    days[-1][1] in ("afternoon", "evening", "tonight", "noche", "noite", "tarde", "pm"):
                clock = (clock[0] + 12, clock[1])   # rules 39: "tonight after 7" is 19:00, as "after 7 tonight" is
            if clock is not None and kind == "clock" and words.lower().startswith("after"):
                # "after 3": the rest of the working day; "after 6": the evening
                clock_end = (17, 0) if clock[0] < 16 else (21, 0) if clock[0] < 20 else None
            if days and days[-1][2] is None:
                days[-1][2], days[-1][3] = clock, clock_end
        elif kind == "clockalt":
            other = _clock(words)
            if days and days[-1][2] is not None and days[-1][3] is None:
                days[-1][3] = _hour_after(days[-1][2], other)
            elif clock is not None and clock_end is None:
                clock_end = _hour_after(clock, other)
        elif kind == "zone":
            named_zone = ZoneInfo(_US_ZONES[words])
        elif kind == "relative":
            relative = _relative(words)
        elif kind == "first":
            first = True
        elif kind == "week":
            week = words.lower()
        elif kind == "weekend":
            weekend = "next" if words.lower().startswith("next") else "this"
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
    if week and days and re.search(r"^(?:next|this)\s+(?:week|wk)$", week):
        # "Tuesday next week": that weekday in that week, not the week
        monday = local + timedelta(days=(7 if week.startswith("next") else 0) - local.weekday())
        for entry in days:
            entry[0] = monday + timedelta(days=entry[0].weekday())
            if entry[5] in notes:
                notes.remove(entry[5])
        week = False
    if week:
        monday = local + timedelta(days=7 - local.weekday())
        if "after next" in week:
            monday += timedelta(days=7)
        if re.search(r"next|pr[oó]xima", week):
            first_day, last_day = (1, 3) if week.startswith("mid") else (0, 1) if "early" in week else (0, 4)
            start, end = _at(monday + timedelta(days=first_day), 9), _at(monday + timedelta(days=last_day), 17)
        else:
            start, end = floor, _at(local + timedelta(days=max(0, 4 - local.weekday())), 17)
        return TimeWindow(phrase.text, max(start, floor), end, ambiguous=bool(notes), note="; ".join(notes))
    if relative is not None:
        delta, within, in_days = relative
        if within:                   # "within 24 hours": a deadline that far from the message
            if in_days:              # "within 3 days": the end of that working day
                return TimeWindow(phrase.text, floor, _at(local + delta, 17), deadline=_at(local + delta, 17),
                                  deadline_text=phrase.text)
            return TimeWindow(phrase.text, floor, floor + delta, deadline=floor + delta, deadline_text=phrase.text)
        start = floor + delta
        return TimeWindow(phrase.text, start, start + timedelta(hours=1))
    if weekend:
        saturday = local + timedelta(days=(5 - local.weekday()) % 7 + (7 if weekend == "next" else 0))
        if local.weekday() == 6 and weekend != "next":
            saturday = local - timedelta(days=1)
        return TimeWindow(phrase.text, max(_at(saturday, 9), floor), _at(saturday + timedelta(days=1), 17))
    if not days:
        if clock is None and part is None and not eod and not first:
            return None
        days = [[local, None, None, None, "today", ""]]
    if eod:
        clock = clock or (17, 0)
    windows = []
    for day, own_part, own_clock, own_end, _kind, _note in days:
        day_part = own_part if own_part or own_clock else part
        day_clock, day_end = (own_clock, own_end) if own_clock or own_part else (clock, clock_end)
        if day_clock is None and own_part and clock is not None and len(days) == 1:
            # "after 6 tonight": from 18:00, not the evening's 17:00; a bare hour is the part's ("at 7 tonight": 19:00)
            later = own_part in ("afternoon", "evening", "tonight", "noche", "noite", "tarde", "pm") and clock[0] < 12
            day_clock = (clock[0] + 12, clock[1]) if later else clock
            day_end = clock_end if clock_end is None or not later or clock_end[0] >= 12 else (clock_end[0] + 12, clock_end[1])
            if day_end is not None and day_end <= day_clock:
                day_end = (21, 0) if own_part in ("evening", "tonight", "noche", "noite") else None
        if day_clock is not None:
            start = _on(day, day_clock, named_zone)
            end = _on(day, day_end, named_zone) if day_end is not None else start + timedelta(hours=1)
            if end <= start:
                end = start + timedelta(hours=1)
            if not phrase.deadline and not eod and start < floor and day.date() == local.date() and len(days) == 1:
                start, end = start + timedelta(days=1), end + timedelta(days=1)   # "at 3" said at 4pm: tomorrow
        elif first:
            start, end = _at(day, 8), _at(day, 10)
        elif day_part is not None:
            h0, h1 = _PARTS[day_part]
            # "later today": from the next full hour.
            start, end = _at(day, h0 if h0 is not None else min(local.hour + 1, h1)), _at(day, h1)
        elif phrase.after:           # "after the 15th": the week that follows it
            start, end = _at(day + timedelta(days=1), 9), _at(day + timedelta(days=7), 17)
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


# A clause telling of the sender's own absence ("I'm at a trade fair until Wednesday", "I'm out of the office Friday,
# so ...", "Out today but ..."): its time is when they are away, not when they asked us for something.
_ABSENCE = re.compile(
    r"\b(?:out\s+of\s+(?:the\s+)?office|ooo|on\s+(?:annual\s+|medical\s+|parental\s+|maternity\s+|paternity\s+)?(?:leave|vacation|holiday|pto|the\s+road)|"
    r"away|(?:i'?m|i\s+am|i'?ll\s+be|i\s+will\s+be|we'?re|we\s+are|we'?ll\s+be|i\s+was)\s+(?:\w+\s+)?(?:out|off|traveling|travelling)|"
    r"^\W*(?:out|off)\b|at\s+(?:a|the|an)\s+(?:[\w-]+\s+){0,2}?(?:conference|convention|trade\s+(?:fair|show)|fair|training|seminar|summit|retreat|expo|"
    r"closing|showing|open\s+house|appointment|meeting|funeral|wedding)|"
    r"fuera\s+de\s+la\s+oficina|de\s+(?:vacaciones|viaje|licencia)|fora\s+do\s+escrit[óo]rio|de\s+f[ée]rias|em\s+viagem|"
    # rules 35: the sender busy is away too ("I'm in meetings all morning, can you call me at 2?")
    r"(?:i'?m|i\s+am|i'?ll\s+be|i\s+will\s+be|we'?re|we\s+are|we'?ll\s+be|i\s+was)\s+(?:\w+\s+)?(?:in\s+(?:meetings|a\s+meeting|closings|court|class|surgery)|"
    r"tied\s+up|slammed|swamped|busy|booked(?:\s+solid)?|unavailable|unreachable|offline|driving|on\s+(?:a\s+)?(?:job\s+)?site|on\s+the\s+phone|"
    r"in\s+the\s+(?:car|field)))\b", _I)
_CLAUSE_BREAK = re.compile(r"[,;:!?.—–]|\s-\s|\b(?:so|but|and|then|pero|así\s+que|ent[ãa]o|mas)\b", _I)


def _in_absence(sentence: str, begin: int) -> bool:
    """The words before a time, back to the clause's start, tell of the sender being away."""
    head = sentence[:begin]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(head)), default=0)
    return bool(_ABSENCE.search(head[cut:]))


# rules 52: a day the sender rules out ("Wednesday or Friday? Thursday the seller's not home", "Tuesday I'm not around",
# "Wednesday is no good") is not a time they asked for: the words right after it say nobody is there or it will not do.
_RULED_OUT_AFTER = re.compile(
    r"^\W*(?:(?:the|my|our|his|her|their)\s+\w+|i|we|he|she|they|it|that|this|everyone|nobody|no\s*one)?"
    r"(?:'s|’s|'re|’re|'m|’m|\s+is|\s+are|\s+am|\s+will\s+be|'ll\s+be|’ll\s+be)?\s*"
    r"(?:not\b|n't\b|no\s+good\b|out\b|unavailable\b|away\b|busy\b|booked\b|closed\b|gone\b|at\s+work\b|off\b|"
    r"won'?t\s+work\b|doesn'?t\s+work\b|can'?t\b|cannot\b)", _I)
_RULED_OUT_BEFORE = re.compile(r"\b(?:not|except|but\s+not|anything\s+but|can'?t\s+do|cannot\s+do|no)\s+(?:on\s+)?$", _I)


def _ruled_out(sentence: str, phrase: _Phrase) -> bool:
    """The sender says the day named will not do (only a day alone: "Thursday the seller's not home")."""
    if {k for k, _ in phrase.tokens} - {"day"} or phrase.deadline:
        return False
    end = phrase.start + len(phrase.text)
    return bool(_RULED_OUT_AFTER.match(sentence[end:]) or _RULED_OUT_BEFORE.search(sentence[:phrase.start]))


def _request_phrases(request_texts: list[str]) -> list[_Phrase]:
    """The time phrases of the request's sentences, without the sender's absences and the days they rule out; a day and
    a clock said apart ("Before 10 works for me on Wednesday", "Ring me tomorrow? Any time after 3 works") make one
    phrase when each is the only one of its kind there."""
    phrases = [p for text in request_texts for p in find_phrases(text) if not _in_absence(text, p.start)
               and not _ruled_out(text, p)]
    day_only = [p for p in phrases if {k for k, _ in p.tokens} <= {"today", "tomorrow", "day", "date"}
                and not p.deadline and not re.search(r"tonight|noche|noite", p.text, _I)]
    clock_only = [p for p in phrases if {k for k, _ in p.tokens} <= {"clock", "clockalt", "zone"}]
    if len(day_only) == 1 and len(clock_only) == 1 and len(phrases) == 2:
        day, hour = day_only[0], clock_only[0]
        return [_Phrase(f"{day.text} ... {hour.text}" if day is phrases[0] else f"{hour.text} ... {day.text}", day.start,
                        day.tokens + hour.tokens, hour.deadline, hour.firm)]
    return phrases


def resolve_requested_time(request_texts: list[str], other_texts: list[str], received_at_ms: int,
                           tz_name: str | None, stakes_texts: list[str] = ()) -> TimeWindow | None:
    """The window named in the request's sentences (the earliest), with the earliest deadline named
    in them or, said firmly ("by", "before", "expires", "closing is"), in the sentence that sets the
    request up (other_texts), or as a time that ends something the request is for ("the rate lock
    runs out Friday", "we close tomorrow at 11") anywhere else in the sender's new text
    (stakes_texts: a plain "by Monday" there is usually some other matter's); None when no time is
    named. A time in a clause about the sender's own absence is not one they asked for."""
    local = local_time(received_at_ms, tz_name)
    found = [w for p in _request_phrases(request_texts) if (w := _resolve(p, local))]
    deadlines = [w for w in found if w.deadline]
    times = [w for w in found if not w.deadline]
    # Another sentence's deadline that passes before the window opens is some other matter's.
    opens = min((w.start for w in times), default=None)
    others = [(p, w) for text in other_texts for p in find_phrases(text)
              if p.firm and not _in_absence(text, p.start) and (w := _resolve(p, local)) and w.deadline and (opens is None or w.deadline > opens)]
    deadlines += [w for _, w in others]
    if times:       # stakes set only a window's deadline: a request naming no time keeps none (see below)
        deadlines += [w for text in stakes_texts for p in find_phrases(text)
                      if p.firm and not p.by and not _in_absence(text, p.start) and (w := _resolve(p, local))
                      and w.deadline and w.deadline > opens]
    deadline = min(deadlines, key=lambda w: w.deadline) if deadlines else None
    if times:
        # "Call today? ... at 4:30 today": a window holding another one named is the vaguer way of saying it.
        times = [w for w in times if not any(o.start >= w.start and o.end <= w.end and (o.start, o.end) != (w.start, w.end)
                                             for o in times)]
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
    if deadline is not None and deadline in found:
        return deadline
    # "The lender needs it by 2pm today. Can you upload it?": a deadline said with "by" just before a
    # request that names no time is its time ("The sale closes on the 29th." is the sale's).
    said_by = [w for p, w in others if p.by]
    return min(said_by, key=lambda w: w.deadline) if said_by else None


def offset_of(window: TimeWindow) -> str:
    return window.start.strftime("%z")


__all__ = ["TimeWindow", "find_phrases", "local_time", "resolve_requested_time"]
