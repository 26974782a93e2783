#!/usr/bin/env bash
# `make run` N times (default 30), each on a freshly formatted broker: the broker's data
# is wiped before every run (the downloaded jars stay), so every run is a first start.
# One line per run, then "N of N passed"; exit 0 only when every run passed.
#
#   scripts/fresh-start-loop.sh [N]          logs: .cache/fresh-start/run-<i>.log
#   DEMO_ARGS="--hours 6 --contacts 200" scripts/fresh-start-loop.sh 30   a shorter demo each time:
#   the first start (readiness, topics, group offsets, the lag probe) is what fails, not the week.
#
# Uses the local broker on KAFKA_PORT / KAFKA_CONTROLLER_PORT (an existing cluster in
# KAFKA_BOOTSTRAP_SERVERS is not what this proves, so it is ignored).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-30}"
LOGDIR="$ROOT/.cache/fresh-start"
mkdir -p "$LOGDIR"
unset KAFKA_BOOTSTRAP_SERVERS

passed=0
started=$SECONDS
for ((i = 1; i <= N; i++)); do
  bash "$ROOT/scripts/kafka-local.sh" down --wipe >/dev/null 2>&1
  t0=$SECONDS
  make -C "$ROOT" --no-print-directory run DEMO_ARGS="${DEMO_ARGS:-}" >"$LOGDIR/run-$i.log" 2>&1
  rc=$?
  ready="$(grep -o 'ready: .*' "$LOGDIR/run-$i.log" | head -1)"
  if [[ $rc == 0 ]] && grep -q "DuckDB file:" "$LOGDIR/run-$i.log"; then
    passed=$((passed + 1)); verdict=PASS
  else
    verdict="FAIL (exit $rc): $(grep -m1 -E 'Error|Exception|ERROR' "$LOGDIR/run-$i.log" | cut -c1-160)"
  fi
  printf 'run %2d/%d  %-4s %4ds  broker %s\n' "$i" "$N" "${verdict%% *}" $((SECONDS - t0)) "${ready:-readiness line missing}"
  [[ $verdict == PASS ]] || echo "          ${verdict#FAIL }  (log: $LOGDIR/run-$i.log)"
done
echo "$passed of $N passed ($(( (SECONDS - started) / 60 )) min)"
[[ $passed == "$N" ]]
