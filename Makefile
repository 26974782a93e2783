# revloop: `make run` (the demo on the embedded default) and `make test` (the whole suite).
# Both set up what they need: a virtual environment, the Kafka broker, Postgres.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: help venv embeddings test test-unit run bench kafka-up kafka-down pg-up pg-down topics clean

help:
	@echo "make run | test | test-unit | bench | kafka-up | kafka-down | pg-up | pg-down | clean"

# Reuse an existing virtual environment; reinstall only when pyproject.toml changed.
venv: $(STAMP)
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

# Optional and large (torch): the embedding fallback of the mail classifier.
embeddings: venv
	$(PY) -m pip install -q -e '.[embeddings]'

test: venv
	scripts/with-services.sh $(PY) -m pytest $(PYTEST_ARGS)

test-unit: venv
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

run: venv
	scripts/with-services.sh $(PY) -m revloop.streams.cli demo

bench: venv
	scripts/with-services.sh $(PY) bench/run_bench.py

kafka-up:
	bash scripts/kafka-local.sh up
kafka-down:
	bash scripts/kafka-local.sh down
pg-up:
	bash scripts/pg-local.sh up
pg-down:
	bash scripts/pg-local.sh down

topics: venv
	$(PY) -m revloop.streams.cli topics create

clean:
	bash scripts/kafka-local.sh down --wipe || true
	bash scripts/pg-local.sh down --wipe || true
	rm -rf out *.duckdb
