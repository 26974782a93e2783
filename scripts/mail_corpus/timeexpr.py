"""Requested times as people write them, each with its gold window in the sender's local time.

The gold is decided first (a day, a part of it, a clock time, a deadline) and then written out,
so it does not come from the parser it is used to test. Conventions (also in the labelling
guide): a day is 09:00-17:00; morning 09:00-12:00, afternoon 12:00-17:00, evening and tonight
17:00-21:00, "first thing" 08:00-10:00; a clock time is a one-hour window; "by X" is a deadline:
the window runs from the message to X (a day alone: 17:00 that day); a window never starts
before the message; "next <weekday>" is the first such day after the message, ambiguous when
that day is still in the message's own week.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
SHORT = {"Monday": "Mon", "Tuesday": "Tues", "Wednesday": "Wed", "Thursday": "Thurs", "Friday": "Fri"}
PARTS = {"morning": (9, 12), "afternoon": (12, 17), "evening": (17, 21), "tonight": (17, 21)}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class TimeGold:
    text: str
    start: datetime
    end: datetime
    deadline: datetime | None = None
    ambiguous: bool = False

    def as_json(self) -> dict:
        return {"text": self.text, "start": self.start.isoformat(timespec="minutes"),
                "end": self.end.isoformat(timespec="minutes"),
                "deadline": self.deadline.isoformat(timespec="minutes") if self.deadline else None,
                "ambiguous": self.ambiguous}


def _at(day: datetime, h: int, m: int = 0) -> datetime:
    return day.replace(hour=h, minute=m, second=0, microsecond=0)


def _window(msg: datetime, day: datetime, h0: int, h1: int, m0: int = 0) -> tuple[datetime, datetime]:
    start, end = _at(day, h0, m0), _at(day, h1, m0) if h1 != h0 + 1 else _at(day, h0, m0) + timedelta(hours=1)
    floor = msg.replace(second=0, microsecond=0)
    return max(start, floor), end


def _next_weekday(msg: datetime, wd: int) -> datetime:
    ahead = (wd - msg.weekday()) % 7 or 7
    return msg + timedelta(days=ahead)


def _clock_text(rng: random.Random, h: int, m: int) -> str:
    hh = h % 12 or 12
    suffix = "am" if h < 12 else "pm"
    if m:
        return rng.choice([f"{hh}:{m:02d}{suffix}", f"{hh}:{m:02d} {suffix}", f"{hh}:{m:02d}"])
    if h == 12:
        return rng.choice(["noon", "12pm", "12:00"])
    return rng.choice([f"{hh}{suffix}", f"{hh} {suffix}", f"{hh}:00", f"{hh}{suffix}", f"{hh}"])


def _weekday_name(rng: random.Random, name: str) -> str:
    r = rng.random()
    if r < 0.15 and name in SHORT:
        return SHORT[name]
    if r < 0.25:
        return name.lower()
    return name


def english(rng: random.Random, msg: datetime) -> TimeGold:
    """One requested time, relative to ``msg`` (aware, the sender's local time)."""
    kind = rng.choices(
        ["today_part", "tomorrow", "tomorrow_part", "tomorrow_clock", "weekday", "weekday_part", "weekday_clock",
         "next_weekday", "next_week", "early_next_week", "by_weekday", "by_eod", "before_noon_tomorrow",
         "two_days_part", "date", "first_thing", "this_week", "tonight_deadline"],
        weights=[6, 8, 7, 8, 9, 6, 5, 4, 6, 3, 5, 4, 3, 4, 4, 3, 3, 3])[0]
    today = msg
    tomorrow = msg + timedelta(days=1)
    if kind == "today_part" and msg.hour < 12:
        part = rng.choice(["afternoon", "this afternoon", "later today", "this evening", "tonight"])
        h0, h1 = {"afternoon": (12, 17), "this afternoon": (12, 17), "later today": (msg.hour + 1, 17),
                  "this evening": (17, 21), "tonight": (17, 21)}[part]
        start, end = _window(msg, today, h0, h1)
        return TimeGold(part if part != "afternoon" else "this afternoon", start, end)
    if kind in ("today_part", "tomorrow"):
        text = rng.choice(["tomorrow", "tomorrow", "tmrw", "tomorow", "tomorrow sometime"])
        start, end = _window(msg, tomorrow, 9, 17)
        return TimeGold(text, start, end)
    if kind == "tomorrow_part":
        part = rng.choice(["morning", "afternoon", "evening"])
        start, end = _window(msg, tomorrow, *PARTS[part])
        return TimeGold(rng.choice([f"tomorrow {part}", f"tomorrow {part}", f"tmrw {part}"]), start, end)
    if kind == "tomorrow_clock":
        h, m = rng.choice([(9, 0), (10, 0), (10, 30), (11, 0), (13, 0), (14, 0), (15, 0), (16, 0), (15, 30)])
        clock = _clock_text(rng, h, m)
        start = _at(tomorrow, h, m)
        text = rng.choice([f"tomorrow at {clock}", f"tomorrow at {clock}", f"tmrw {clock}", f"at {clock} tomorrow"])
        return TimeGold(text, start, start + timedelta(hours=1))
    wd = rng.choice([d for d in range(5) if d != msg.weekday()])
    name = DAYS[wd]
    day = _next_weekday(msg, wd)
    if kind == "weekday":
        text = rng.choice([name, f"on {name}", f"this {name}", _weekday_name(rng, name)])
        start, end = _window(msg, day, 9, 17)
        return TimeGold(text, start, end)
    if kind == "weekday_part":
        part = rng.choice(["morning", "afternoon"])
        start, end = _window(msg, day, *PARTS[part])
        return TimeGold(f"{_weekday_name(rng, name)} {part}", start, end)
    if kind == "weekday_clock":
        h, m = rng.choice([(9, 0), (10, 0), (11, 0), (11, 30), (13, 0), (14, 0), (14, 30), (16, 0)])
        start = _at(day, h, m)
        return TimeGold(f"{_weekday_name(rng, name)} at {_clock_text(rng, h, m)}", start, start + timedelta(hours=1))
    if kind == "next_weekday":
        start, end = _window(msg, day, 9, 17)
        same_week = day.isocalendar()[1] == msg.isocalendar()[1]
        return TimeGold(f"next {name}", start, end, ambiguous=same_week)
    monday = msg + timedelta(days=7 - msg.weekday())
    if kind == "next_week":
        return TimeGold(rng.choice(["next week", "sometime next week", "next wk"]), _at(monday, 9),
                        _at(monday + timedelta(days=4), 17))
    if kind == "early_next_week":
        return TimeGold("early next week", _at(monday, 9), _at(monday + timedelta(days=1), 17))
    if kind == "by_weekday":
        deadline = _at(day, 17)
        return TimeGold(rng.choice([f"by {name}", f"before {name}", f"by {name} EOD", f"no later than {name}"]),
                        msg.replace(second=0, microsecond=0), deadline, deadline)
    if kind == "by_eod" and msg.hour < 15:
        deadline = _at(today, 17)
        return TimeGold(rng.choice(["by end of day", "by EOD", "before end of day today", "by close of business"]),
                        msg.replace(second=0, microsecond=0), deadline, deadline)
    if kind in ("by_eod", "before_noon_tomorrow"):
        deadline = _at(tomorrow, 12)
        return TimeGold(rng.choice(["before noon tomorrow", "by noon tomorrow", "tomorrow before 12"]),
                        msg.replace(second=0, microsecond=0), deadline, deadline)
    if kind == "two_days_part":
        wd2 = wd + 1 if wd < 4 else wd
        if wd2 == wd or (wd2 == msg.weekday()):
            return TimeGold(name, *_window(msg, day, 9, 17))
        name2, part = DAYS[wd2], rng.choice(["afternoon", "morning"])
        day2 = _next_weekday(msg, wd2)
        if day2 < day:
            return TimeGold(f"{name} {part}", *_window(msg, day, *PARTS[part]))
        start, _ = _window(msg, day, *PARTS[part])
        _, end = _window(msg, day2, *PARTS[part])
        return TimeGold(f"{name} or {name2} {part}", start, end)
    if kind == "date":
        target = msg + timedelta(days=rng.randint(2, 20))
        while target.weekday() > 4:
            target += timedelta(days=1)
        if rng.random() < 0.5:
            text = f"{target.month}/{target.day}"
        else:
            text = rng.choice([f"{MONTHS[target.month - 1]} {target.day}", f"{MONTHS[target.month - 1][:3]} {target.day}",
                               f"{MONTHS[target.month - 1]} {target.day}th" if target.day in (4, 5, 6, 7, 8, 9, 14, 15, 16, 17, 18, 19, 20, 24, 25, 26, 27, 28) else f"{MONTHS[target.month - 1]} {target.day}"])
        text = rng.choice([text, f"on {text}"])
        if rng.random() < 0.35:
            start = _at(target, 10)
            return TimeGold(f"{text} at {_clock_text(rng, 10, 0)}", start, start + timedelta(hours=1))
        return TimeGold(text, *_window(msg, target, 9, 17))
    if kind == "first_thing":
        return TimeGold(f"first thing {name}", *_window(msg, day, 8, 10))
    if kind == "this_week" and msg.weekday() < 3:
        friday = msg + timedelta(days=4 - msg.weekday())
        return TimeGold(rng.choice(["this week", "sometime this week", "before the end of the week"]),
                        msg.replace(second=0, microsecond=0), _at(friday, 17))
    # "tonight ... before the rate lock expires tomorrow at noon": the earliest is kept.
    if msg.hour >= 17:
        return TimeGold("tomorrow", *_window(msg, tomorrow, 9, 17))
    start, end = _window(msg, today, 17, 21)
    return TimeGold("tonight", start, end, deadline=_at(tomorrow, 12))


def spanish(rng: random.Random, msg: datetime) -> TimeGold:
    tomorrow = msg + timedelta(days=1)
    kind = rng.choice(["manana", "manana_parte", "manana_hora", "dia", "proxima", "antes"])
    if kind == "manana":
        return TimeGold("mañana", *_window(msg, tomorrow, 9, 17))
    if kind == "manana_parte":
        part, (h0, h1) = rng.choice([("por la mañana", (9, 12)), ("por la tarde", (12, 17)), ("en la tarde", (12, 17))])
        return TimeGold(f"mañana {part}", *_window(msg, tomorrow, h0, h1))
    if kind == "manana_hora":
        h = rng.choice([10, 11, 15, 16])
        start = _at(tomorrow, h)
        return TimeGold(f"mañana a las {h % 12 or 12}", start, start + timedelta(hours=1))
    wd = rng.choice([d for d in range(5) if d != msg.weekday()])
    day = _next_weekday(msg, wd)
    if kind == "dia":
        return TimeGold(f"el {DAYS_ES[wd]}", *_window(msg, day, 9, 17))
    if kind == "proxima":
        monday = msg + timedelta(days=7 - msg.weekday())
        return TimeGold("la próxima semana", _at(monday, 9), _at(monday + timedelta(days=4), 17))
    deadline = _at(day, 17)
    return TimeGold(f"antes del {DAYS_ES[wd]}", msg.replace(second=0, microsecond=0), deadline, deadline)
