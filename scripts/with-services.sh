#!/usr/bin/env bash
# Run a command with the local Kafka broker and Postgres up, then stop only
# what this script started (a developer's already-running services stay up).
#
#   scripts/with-services.sh CMD [ARGS...]
#
# WITH_SERVICES="kafka" starts the broker only (`make run` needs no Postgres);
# the default is "kafka pg".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

started=()
stop_started() {
  for svc in "${started[@]}"; do
    bash "$ROOT/scripts/$svc-local.sh" down >&2 || true
  done
}
trap stop_started EXIT

kafka_running() { bash "$ROOT/scripts/kafka-local.sh" status 2>/dev/null | grep -q "port_open=yes"; }
pg_running() { bash "$ROOT/scripts/pg-local.sh" status 2>/dev/null | grep -q "accepting connections"; }

if [[ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]] && ! kafka_running; then
  started+=(kafka)
fi
t0=$(date +%s)
bash "$ROOT/scripts/kafka-local.sh" up >&2
echo "[with-services] kafka ready after $(( $(date +%s) - t0 ))s" >&2
eval "$(bash "$ROOT/scripts/kafka-local.sh" env)"   # the SASL_SSL listener, when it runs

if [[ " ${WITH_SERVICES:-kafka pg} " == *" pg "* ]]; then
  if [[ -z "${DATABASE_URL:-}" ]] && ! pg_running; then
    started+=(pg)
  fi
  bash "$ROOT/scripts/pg-local.sh" up >&2
  eval "$(bash "$ROOT/scripts/pg-local.sh" env)"
fi
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:${KAFKA_PORT:-9092}}"

"$@"
