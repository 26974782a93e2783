"""Noticing a librdkafka reader that has stopped delivering.

librdkafka can drop every broker it knows for good: a Metadata answer listing no brokers, as a
broker in controlled shutdown sometimes gives, decommissions them all, and the client never
asks again, whatever its re-bootstrap settings (librdkafka#5301; seen in CI, where the worker's
tick consumer read nothing for minutes after the broker was back). Nothing in the client says
so; what shows it is records on the log, past the reader's position, that do not come. The
readers renew their consumer then: a new one bootstraps afresh.
"""
from __future__ import annotations

STALL_S = 10.0       # records on the log that have not come for this long: the reader is stuck


class StallWatch:
    def __init__(self, stall_s: float = STALL_S):
        self.stall_s = stall_s
        self.seen: dict = {}         # key -> (position, end, behind since; None: already reported)

    def stalled(self, key, at: int, end: int | None, now: float) -> float | None:
        """How long the reader of `key` (at `at`, the log ending at `end`) has been behind without
        moving, once that is stall_s or more; else None. Reported once per (position, end): were
        a commit marker all that lies past the position (a topic written in transactions), it
        would not be reported again and again."""
        if end is None or end <= at:
            self.seen.pop(key, None)
            return None
        seen = self.seen.get(key)
        if seen is None or seen[:2] != (at, end):      # behind from now on, or moving: not stuck
            self.seen[key] = (at, end, now)
            return None
        if seen[2] is None or now - seen[2] < self.stall_s:
            return None
        self.seen[key] = (at, end, None)
        return now - seen[2]

    def since(self, key, now: float) -> float:
        seen = self.seen.get(key)
        return now - seen[2] if seen and seen[2] is not None else 0.0

    def forget(self, key) -> None:
        self.seen.pop(key, None)
