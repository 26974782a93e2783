"""The whole sending loop on the real broker, driven tick by tick on simulated time: the worker process,
the real sender (EmailSink) in a thread with an injected clock, and a local Resend-shaped server."""
from __future__ import annotations

import threading

from revloop.connectors.resend_local import LocalResend
from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.email_sink import EmailSink, SenderConfig
from revloop.streams.kafka_io import read_topic
from revloop.streams.offsets import end_offsets
from revloop.streams.tick_producer import tick_event
from tests.support.broker import wait_for
from tests.support.projections import produce_events
from tests.support.worker_proc import WorkerProcess

SENDER_LAG_MS = 10 * 60_000      # the sender works through an hour's email minutes after the tick


class SendingLoop:
    def __init__(self, settings: Settings, tmp_path, tenant: str, mailboxes: frozenset = frozenset()):
        self.settings, self.tenant, self.runs = settings, tenant, 0
        self.now = 0
        self.worker = WorkerProcess(settings, f"duckdb:{tmp_path / 'live.duckdb'}", tmp_path / "worker.log")
        self.resend = LocalResend()
        self.sink = EmailSink(settings, SenderConfig(api_key="re_test_key", sent_log_path=str(tmp_path / "sent.db"),
                                                     from_address="team@ourfirm.example", api_url=None,
                                                     mailboxes={tenant: set(mailboxes)}),
                              clock=lambda: self.now)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.sink.run, kwargs={"stop": self._stop}, daemon=True)

    def __enter__(self) -> "SendingLoop":
        self.resend.start()
        self.sink.config.api_url = self.resend.url
        self.worker.start()
        self.worker.wait_caught_up(timeout=180)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(60)
        self.resend.stop()
        self.worker.stop()

    def _ends(self, topic: str) -> dict[int, int]:
        c = kafka_clients.consumer(self.settings, "revloop-test-probe")
        try:
            return {pid: end for (_, pid), end in end_offsets(c, self.settings, [topic], timeout=10).items()}
        finally:
            c.close()

    def tick(self, as_of: int, timeout: float = 120) -> None:
        """One hour: the tick runs, then the sender settles what it approved (and anything due by then)."""
        self.now = as_of
        produce_events(self.settings, [("tick", tick_event(self.tenant, as_of))])
        self.runs += 1
        # Run records, not end offsets: runs is written in transactions (each ends in a commit marker).
        wait_for(lambda: len(self.read("runs")) >= self.runs, timeout=timeout, interval=0.3,
                 what=f"the tick at {as_of} to run")
        self.settle(as_of + SENDER_LAG_MS, timeout)

    def settle(self, now: int, timeout: float = 120) -> None:
        self.now = now
        ends = self._ends("actions")
        wait_for(lambda: self.sink.settled_through(ends) or not self._thread.is_alive(), timeout=timeout,
                 interval=0.3, what="the sender to settle")
        assert self._thread.is_alive(), "the sender stopped: see the log"

    def read(self, topic: str) -> list[dict]:
        codec = kafka_clients.codec(self.settings)
        return [codec.decode(m.value())[1] for m in read_topic(self.settings, self.settings.topic(topic))]

    def emails_to(self, address: str) -> list[dict]:
        return [e for e in self.resend.emails if address in e.get("to", [])]
