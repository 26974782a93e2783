"""Sign-in attempts limited per login and per client address (a sliding window in memory).

Five failures in five minutes for the same login, or twenty from the same address, and
further attempts are refused (429) until the window passes; a success clears the login's
count. In memory: one console process; a restart forgets, which only helps an attacker as
much as a restart costs them.
"""
from __future__ import annotations

import collections
import threading


class LoginLimiter:
    def __init__(self, *, per_login: int = 5, per_address: int = 20, window_s: float = 300.0):
        self.per_login, self.per_address, self.window_s = per_login, per_address, window_s
        self._fails: dict[str, collections.deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> collections.deque:
        q = self._fails.setdefault(key, collections.deque())
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def blocked(self, login: str, address: str, now: float) -> bool:
        with self._lock:
            return (len(self._recent("u:" + login.lower(), now)) >= self.per_login
                    or len(self._recent("a:" + address, now)) >= self.per_address)

    def failed(self, login: str, address: str, now: float) -> None:
        with self._lock:
            self._recent("u:" + login.lower(), now).append(now)
            self._recent("a:" + address, now).append(now)

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._fails.pop("u:" + login.lower(), None)
