"""A sender run in a thread with a clock the test can hold, against a local Resend server.

The sender reads its clock once a round: while the clock is held the sender waits between two
rounds, so a test can set up what the next round will see (a backlog, an action fetched, the
broker gone) before it goes on."""
from __future__ import annotations

import threading
import time

from revloop.streams.email_sink import EmailSink, SenderConfig


def local_sink(settings, tmp_path, api_url: str, clock) -> EmailSink:
    """The real sender, sending to a local Resend-shaped server, with its sent log in tmp_path."""
    return EmailSink(settings, SenderConfig(api_key="re_test_key", sent_log_path=str(tmp_path / "sent.sqlite"),
                                            api_url=api_url), clock=clock)


class HeldClock:
    def __init__(self, now: int):
        self.now = now
        self.hold, self.held = threading.Event(), threading.Event()

    def __call__(self) -> int:
        while self.hold.is_set():
            self.held.set()
            time.sleep(0.05)
        return self.now


class SenderThread:
    """sink.run(stop=...) in a daemon thread; what it raised is kept in `failed`."""

    def __init__(self, sink):
        self.stop, self.failed = threading.Event(), []
        self.thread = threading.Thread(target=self._run, args=(sink,), daemon=True)
        self.thread.start()

    def _run(self, sink) -> None:
        try:
            sink.run(stop=self.stop)
        except BaseException as exc:          # noqa: BLE001 - the test reports it
            self.failed.append(exc)

    def alive(self) -> bool:
        return self.thread.is_alive()

    def close(self, timeout: float = 60) -> None:
        self.stop.set()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"the sender did not stop within {timeout}s of being asked"
