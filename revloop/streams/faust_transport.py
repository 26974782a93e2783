"""The worker's Faust app: Faust's aiokafka transport, its consumer reading committed records only.

Faust sets read_committed only when it runs transactions itself (processing_guarantee
"exactly_once"), and the worker's don't go through Faust. But the sender writes its
outcomes to an input topic in transactions (streams.email_sink), and an outcome of an
aborted transaction must never be applied: so the consumer Faust builds is switched to
read_committed before it starts.

Its table manager starts without Faust's one-second pause: the pause gives tables declared
late a chance to register, and the worker declares none (its state is in the store), so it
only delayed the group join, and every start-up, by a second.
"""
from __future__ import annotations

import faust
from faust.tables.manager import TableManager
from faust.transport.drivers import aiokafka as faust_aiokafka

READ_COMMITTED = "read_committed"


class _ReadCommittedConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport):
        consumer = super()._create_worker_consumer(transport)
        consumer._isolation_level = READ_COMMITTED      # read by its fetcher when it starts
        return consumer


class _ReadCommittedConsumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self):
        return _ReadCommittedConsumerThread(self, loop=self.loop, beacon=self.beacon)


class ReadCommittedTransport(faust_aiokafka.Transport):
    Consumer = _ReadCommittedConsumer


class NoTablesManager(TableManager):
    """TableManager.on_start without its sleep(1.0): no table is ever declared here."""

    async def on_start(self) -> None:
        if len(self):
            raise RuntimeError("the worker's Faust app declares no tables (its state is in the store)")
        await self._update_channels()
        await self.recovery.start()


class App(faust.App):
    """faust.App whose consumer reads committed records only (and that has no tables)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, TableManager=NoTablesManager, **kwargs)

    def _new_transport(self):
        return ReadCommittedTransport(self.conf.broker_consumer, self)

    def isolation_level(self) -> str:
        """What the running consumer really uses (for tests and the start-up log)."""
        return self.consumer._thread._ensure_consumer()._isolation_level
