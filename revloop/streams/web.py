"""The public HTTP application: `create_app(settings, producer, ...)` -> aiohttp web.Application.

Today it serves the unsubscribe and Resend webhook endpoints (revloop.connectors.
webhook_server: routes in one table, header and body deadlines, bounded concurrency);
the operator console adds its routes to the same application and is served by the same
server (`serve`). Events go to Kafka through `producer`, each flushed before the request
answers, so a 200 means the event is on the log.
"""
from __future__ import annotations

from aiohttp import web

from revloop.connectors.resend_common import epoch_ms
from revloop.connectors.webhook_server import Limits, WebhookApp, create_web_app, serve  # noqa: F401
from revloop.schemas.codec import Codec
from revloop.streams import kafka_clients
from revloop.streams.config import Settings
from revloop.streams.topics import topic_for


def create_app(settings: Settings, producer, *, unsubscribe_secret: bytes, webhook_secret: str | None,
               codec: Codec | None = None, clock=epoch_ms, limits: Limits = Limits()) -> web.Application:
    codec = codec or kafka_clients.codec(settings)

    def emit(type_name: str, record: dict) -> None:
        producer.produce(settings.topic(topic_for(type_name, record)), key=record["tenant_id"].encode(),
                         value=codec.encode(type_name, record))
        if producer.flush(10):
            raise RuntimeError("the event was not delivered to Kafka in time")   # 500: the provider retries

    hooks = WebhookApp(emit, unsubscribe_secret=unsubscribe_secret, webhook_secret=webhook_secret, clock=clock,
                       max_skew_ms=settings.max_clock_skew_ms)
    return create_web_app(hooks, limits)
