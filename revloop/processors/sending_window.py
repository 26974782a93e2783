"""Business hours, the recipient's: when an email may go out, and when it may if not now.

A tenant's sending window (days of the week and a start and end time, in the
recipient's local time; by default Monday to Friday, 8:00 to 17:00) and holiday
calendar (the `holidays` package's; US federal holidays by default) are control
settings. `opens_at(zone, at, window, calendar)` is None when `at` is inside the window
in that zone, else the first moment inside it: the start of the next working day that
is neither outside the window's days nor a holiday there. The start is inclusive and
the end exclusive (8:00 is inside, 17:00 is not), and the local clock is the zone's own
(zoneinfo), so a daylight-saving change moves the window with the recipient.

Holidays are the recipient-local date's: a Monday holiday is a holiday in Hawaii and in
Maine on their own Mondays. Calendars are named as the `holidays` package names them:
a country ("US"), a country and a subdivision ("US-CA"), or "none".
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from revloop.processors.local_time import valid_zone, zone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WINDOW = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "17:00"}
DEFAULT_CALENDAR = "US"
NO_HOLIDAYS = "none"
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)\Z")
SEARCH_DAYS = 400     # a window that never opens (every day a holiday) is refused at import


@dataclass(frozen=True)
class Window:
    days: frozenset[int]       # weekday numbers, Monday 0
    start: time
    end: time

    def describe(self) -> str:
        days = sorted(self.days)
        names = [DAYS[d].capitalize() for d in days]
        consecutive = len(days) > 2 and days == list(range(days[0], days[-1] + 1))
        span = f"{names[0]}-{names[-1]}" if consecutive else ",".join(names)
        return f"{span} {self.start:%H:%M}-{self.end:%H:%M}"


def window_problem(spec) -> str | None:
    """None for a usable window setting, else what is wrong with it (one line)."""
    if not isinstance(spec, dict):
        return "sending_window must be an object with days, start and end"
    days = spec.get("days")
    if not isinstance(days, (list, tuple)) or not days:
        return "sending_window.days must list at least one of " + ", ".join(DAYS)
    unknown = [d for d in days if not isinstance(d, str) or d.lower() not in DAYS]
    if unknown:
        return f"sending_window.days: {str(unknown[0])[:20]!r} is not one of {', '.join(DAYS)}"
    for name in ("start", "end"):
        if not isinstance(spec.get(name), str) or not _HHMM.match(spec[name]):
            return f"sending_window.{name} must be a 24-hour time HH:MM, not {str(spec.get(name))[:20]!r}"
    if spec["start"] >= spec["end"]:
        return f"sending_window.start {spec['start']} must be before its end {spec['end']} (same day)"
    return None


def parse_window(text: str) -> dict:
    """"mon-fri 08:00-17:00" or "mon,wed,fri 09:30-16:00" -> the setting; ValueError if it is not one."""
    days_part, _, hours = (text or "").strip().lower().partition(" ")
    start, _, end = hours.strip().partition("-")
    days: list[str] = []
    for item in days_part.split(","):
        first, dash, last = item.partition("-")
        if dash and first in DAYS and last in DAYS and DAYS.index(first) <= DAYS.index(last):
            days += DAYS[DAYS.index(first):DAYS.index(last) + 1]
        else:
            days.append(item)
    spec = {"days": days, "start": start.strip(), "end": end.strip()}
    problem = window_problem(spec)
    if problem:
        raise ValueError(f"{problem} (e.g. 'mon-fri 08:00-17:00')")
    return spec


@functools.lru_cache(maxsize=64)
def _window(days: tuple, start: str, end: str) -> Window:
    h0, m0 = map(int, start.split(":"))
    h1, m1 = map(int, end.split(":"))
    return Window(frozenset(DAYS.index(d.lower()) for d in days), time(h0, m0), time(h1, m1))


def window_of(spec: dict | None) -> Window:
    """The Window a (validated) setting describes; the default for none, or for one that is
    not usable (the import refuses those; an old log could still hold one)."""
    if spec is None or window_problem(spec) is not None:
        spec = DEFAULT_WINDOW
    return _window(tuple(spec["days"]), spec["start"], spec["end"])


def calendar_problem(name) -> str | None:
    if not isinstance(name, str) or not name:
        return "holidays must name a calendar: a country (US), a country and subdivision (US-CA), or none"
    if name == NO_HOLIDAYS:
        return None
    import holidays

    country, _, subdiv = name.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        return f"holidays: {name[:20]!r} is not a calendar the holidays package knows (e.g. US, US-CA, none)"
    if subdiv and subdiv not in supported[country]:
        return f"holidays: {subdiv[:20]!r} is not a subdivision of {country} in the holidays package"
    return None


@functools.lru_cache(maxsize=256)
def holiday_dates(calendar: str, year: int) -> frozenset[date]:
    if calendar == NO_HOLIDAYS or calendar_problem(calendar) is not None:
        return frozenset()
    import holidays

    country, _, subdiv = calendar.partition("-")
    return frozenset(holidays.country_holidays(country, subdiv=subdiv or None, years=year))


def is_holiday(calendar: str, day: date) -> bool:
    return day in holiday_dates(calendar, day.year)


def _working_day(window: Window, calendar: str, day: date) -> bool:
    return day.weekday() in window.days and not is_holiday(calendar, day)


def opens_at(zone_name: str, at_ms: int, window: Window, calendar: str = DEFAULT_CALENDAR) -> int | None:
    """None when at_ms is inside the window in zone_name, else the epoch ms it next opens."""
    tz = zone(zone_name if valid_zone(zone_name) else "UTC")
    local = datetime.fromtimestamp(at_ms / 1000, tz)
    today = local.date()
    if _working_day(window, calendar, today):
        now = local.timetz().replace(tzinfo=None)
        if window.start <= now < window.end:
            return None
        if now < window.start:
            return _at(today, window.start, tz)
    for ahead in range(1, SEARCH_DAYS):
        day = today + timedelta(days=ahead)
        if _working_day(window, calendar, day):
            return _at(day, window.start, tz)
    raise ValueError(f"the sending window {window.describe()} never opens under the {calendar} calendar")


def _at(day: date, clock: time, tz) -> int:
    # A wall time in a daylight-saving gap does not exist; zoneinfo reads it with the offset before
    # the change (fold=0), i.e. an hour later on the clock: still the first moment the window is open.
    return int(datetime.combine(day, clock, tz).timestamp() * 1000)


def local_date(zone_name: str, at_ms: int) -> date:
    tz = zone(zone_name if valid_zone(zone_name) else "UTC")
    return datetime.fromtimestamp(at_ms / 1000, tz).date()


def describe_local(zone_name: str, at_ms: int) -> str:
    tz = zone(zone_name if valid_zone(zone_name) else "UTC")
    return datetime.fromtimestamp(at_ms / 1000, tz).strftime("%a %Y-%m-%d %H:%M")
