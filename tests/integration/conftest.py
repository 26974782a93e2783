"""Fixtures for tests on the real broker and the real Postgres started by `make test`."""
from tests.integration.broker import cli, kafka, kafka2  # noqa: F401  (fixtures)
