"""Millisecond time arithmetic. Time only ever comes from events and ticks."""
from __future__ import annotations

from datetime import datetime

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


def days_between(earlier_ms: int, later_ms: int) -> int:
    """Whole days from earlier to later (negative if later is earlier)."""
    return (later_ms - earlier_ms) // DAY_MS


def hour_floor(ms: int) -> int:
    return ms - ms % HOUR_MS


def instant(iso) -> datetime | None:
    """An ISO 8601 text an event carries (a requested window's "2026-09-24T14:00-04:00") as a datetime;
    None when it is none or not one."""
    try:
        return datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
