"""Drive the hourly cycle the way the worker does, without a broker."""
from __future__ import annotations

from revloop.schemas.codec import Codec
from revloop.streams.pipeline import Pipeline, RawRecord
from revloop.streams.topics import topic_for
from tests.support.events import event

HOUR = 3_600_000
# A tenant no control event enabled gets no tick and no approval (processors.controls.is_enabled);
# the harness enables each tenant it ticks with a control event dated before any test's business
# time, as an operator would, unless the test says otherwise (a later control event still wins).
ENABLE_AT = 978_307_200_000          # 2001-01-01


class Harness:
    def __init__(self, *, enable_all: bool = True):
        self.pipeline = Pipeline(Codec(), enrich=True, collect_ticks=True)
        self.codec = self.pipeline.codec
        self.offset = 0
        self.outputs: list[tuple[str, dict]] = []
        self.enable_all = enable_all
        self._enabled: set[str] = set()

    def feed(self, type_name: str, record: dict, *, classify: bool = True) -> list[tuple[str, dict]]:
        """Feed one event. A gmail_message is followed by its classification, as the Gmail poller
        records it (tests.support.mail: the real model); ``classify=False`` feeds the message alone."""
        tenant = record["tenant_id"]
        if type_name == "tick" and self.enable_all and tenant not in self._enabled:
            self._enabled.add(tenant)
            self.feed("control", event("control", tenant=tenant, at=ENABLE_AT, event_id=f"harness-enable-{tenant}",
                                       enabled=True))
        self.offset += 1
        rec = RawRecord(topic_for(type_name, record), 0, self.offset, record["tenant_id"].encode(),
                        self.codec.encode(type_name, record))
        out = self.pipeline.process([rec]).outputs
        # A tick is decided once its inputs are in: here at once (everything before it was fed).
        for tick, _, _ in self.pipeline.ticks_read:
            out += self.pipeline.decide(tick)
        self.pipeline.ticks_read = []
        self.outputs += out
        if type_name == "gmail_message" and classify:
            from tests.support.mail import classified

            out = out + self.feed("mail_classified", classified(record))
        return out

    def tick(self, at: int, tenant: str = "t1") -> list[tuple[str, dict]]:
        hour = at - at % HOUR
        return self.feed("tick", event("tick", tenant=tenant, at=hour, event_id=f"tick:{tenant}:{hour}",
                                       tick_id=f"{tenant}:{hour}", as_of=hour))

    def actions(self, out, decision=None, kind=None):
        return [e for t, e in out if t == "action_decided" and (decision is None or e["decision"] == decision)
                and (kind is None or e["kind"] == kind)]
