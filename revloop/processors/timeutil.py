"""Millisecond time arithmetic. Time only ever comes from events and ticks."""
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


def days_between(earlier_ms: int, later_ms: int) -> int:
    """Whole days from earlier to later (negative if later is earlier)."""
    return (later_ms - earlier_ms) // DAY_MS


def hour_floor(ms: int) -> int:
    return ms - ms % HOUR_MS
