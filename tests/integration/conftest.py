"""Fixtures for tests on the real broker and the real Postgres started by `make test`."""
from tests.support.broker import cli, kafka, kafka2  # noqa: F401  (fixtures)
from tests.support.secured_kafka import secured_kafka  # noqa: F401,E402  (the SASL_SSL listener)
from tests.support.outage_services import own_broker, own_postgres  # noqa: F401,E402
