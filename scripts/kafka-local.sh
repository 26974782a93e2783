#!/usr/bin/env bash
# Local single-node Kafka (KRaft) for dev and CI.
#
#   scripts/kafka-local.sh up|down [--wipe]|clean|status|logs [N]|check|env
#
# Where the broker comes from, in order:
#   1. KAFKA_BOOTSTRAP_SERVERS set  -> an existing cluster; we only check it answers.
#   2. a Docker engine answers      -> docker-compose.kafka.yml (apache/kafka image).
#   3. otherwise                    -> broker jars from Maven Central (infra/kafka/pom.xml),
#                                      run as a plain JVM. Everything lives in .cache/kafka.
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP_OPTS (-Xmx512m -Xms256m),
#      KAFKA_START_TIMEOUT (180 s), KAFKA_SKIP_TXN_CHECK=1 (skip the transactional step
#      of the readiness probe),
#      KAFKA_SASL_SSL_PORT (unset: no secured listener), KAFKA_AUTHORIZER=1 (StandardAuthorizer),
#      KAFKA_STATE_DIR (data, logs, pid file, config; default .cache/kafka on port 9092,
#      .cache/kafka/port-<KAFKA_PORT> on any other port, so a second broker never
#      shares the first one's data or pid file). The jars are shared.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
KDIR="$CACHE/kafka"
LIBS="$KDIR/libs"
if [[ "${KAFKA_PORT:-9092}" == 9092 ]]; then STATE="${KAFKA_STATE_DIR:-$KDIR}"
else STATE="${KAFKA_STATE_DIR:-$KDIR/port-$KAFKA_PORT}"; fi
DATA="$STATE/data"
LOGS="$STATE/logs"
PIDFILE="$STATE/broker.pid"
CONF="$STATE/server.properties"
TLS="$STATE/tls"
POM="$ROOT/infra/kafka/pom.xml"
TEMPLATE="$ROOT/infra/kafka/server.properties.template"
LOG4J="$ROOT/infra/kafka/log4j2.yaml"
COMPOSE_FILE="$ROOT/docker-compose.kafka.yml"
M2="$CACHE/m2"

HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
export KAFKA_PORT KAFKA_CONTROLLER_PORT  # compose file interpolates them

log() { echo "[kafka-local] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# TCP connect via bash's /dev/tcp (no nc on the CI image).
port_open() { timeout 2 bash -c ": >/dev/tcp/$1/$2" 2>/dev/null; }

pid_alive() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid; pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid (e.g. stale pid file after a reboot).
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

docker_ok() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

compose() {
  # Compose v2 plugin first, then the old standalone binary.
  if docker compose version >/dev/null 2>&1; then
    docker compose -f "$COMPOSE_FILE" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose -f "$COMPOSE_FILE" "$@"
  else
    die "Docker engine answers but neither 'docker compose' nor 'docker-compose' is installed"
  fi
}

# Which mode are we in? Same decision for every command so up/down/status agree.
# KAFKA_BOOTSTRAP_SERVERS equal to our own local address (e.g. exported by a
# Makefile) still means "the local broker", so up/down keep managing it.
is_own_address() {
  [[ "${KAFKA_BOOTSTRAP_SERVERS#PLAINTEXT://}" =~ ^(127\.0\.0\.1|localhost):${KAFKA_PORT}$ ]]
}

mode() {
  if [[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]] && ! is_own_address; then echo external
  elif docker_ok; then echo docker
  else echo jvm
  fi
}

# ---------------------------------------------------------------- external ---
external_up() {
  local hp h p
  # Accept "host:port,host:port" with optional "PLAINTEXT://" prefixes; one answering is enough.
  IFS=',' read -ra servers <<<"$KAFKA_BOOTSTRAP_SERVERS"
  for hp in "${servers[@]}"; do
    hp="${hp##*://}"; hp="${hp// /}"
    h="${hp%:*}"; p="${hp##*:}"
    if port_open "$h" "$p"; then
      log "using KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS ($h:$p answers)"
      return 0
    fi
  done
  die "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS: nothing answers"
}

# ------------------------------------------------------------------ docker ---
docker_up() {
  local start=$SECONDS cid status
  log "Docker engine found: docker-compose.kafka.yml"
  compose up -d
  cid="$(compose ps -q kafka)"
  while :; do
    status="$(docker inspect -f '{{.State.Health.Status}}' "$cid" 2>/dev/null || echo unknown)"
    [[ "$status" == healthy ]] && break
    if (( SECONDS - start > TIMEOUT )); then
      compose logs --tail 80 kafka || true
      die "container not healthy after ${TIMEOUT}s (status: $status)"
    fi
    sleep 2
  done
  log "Kafka (docker) healthy on $HOST:$KAFKA_PORT after $((SECONDS - start))s"
}

# --------------------------------------------------------------------- jvm ---
# Jars are reused as long as the POM did not change (stamp = its checksum).
ensure_libs() {
  local stamp want lock
  # Two brokers started at once on a fresh cache (a test's private broker beside the shared one)
  # would both copy into $LIBS and break each other's copy: the first assembles, the other waits.
  mkdir -p "$(dirname "$LIBS")"
  exec {lock}>"$(dirname "$LIBS")/.libs.lock"
  flock "$lock"
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  stamp="$LIBS/.pom.sha256"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    exec {lock}>&-        # not inherited by the broker: it would hold the lock while it runs
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed to download the broker jars)"
  log "downloading broker jars from Maven Central into $LIBS (first run only) ..."
  rm -rf "$LIBS"; mkdir -p "$LIBS" "$M2" "$LOGS"
  # Own local repo under .cache so a fresh machine / empty ~/.m2 behaves the same.
  # Output goes to a file (mvn 3.8 prints colour codes even with -q -B).
  local t0=$SECONDS
  mvn -q -B -Dstyle.color=never -f "$POM" -Dmaven.repo.local="$M2" \
      -DoutputDirectory="$LIBS" \
      dependency:copy-dependencies -DincludeScope=runtime >"$LOGS/mvn.log" 2>&1 \
    || { tail -40 "$LOGS/mvn.log" >&2; die "mvn dependency:copy-dependencies failed (see $LOGS/mvn.log)"; }
  ls "$LIBS"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar in $LIBS after mvn"
  echo "$want" >"$stamp"
  log "$(ls "$LIBS"/*.jar | wc -l) jars, $(du -sh "$LIBS" | cut -f1), downloaded in $((SECONDS - t0))s"
  exec {lock}>&-
}

render_config() {
  mkdir -p "$DATA" "$LOGS"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@KAFKA_DATA_DIR@|$DATA|g" \
      "$TEMPLATE" >"$CONF"
}

# ------------------------------------------------------ secured listener ---
# KAFKA_SASL_SSL_PORT set: a second listener, SASL_SSL with SCRAM-SHA-256/512, whose
# certificate is signed by a CA made here with openssl on first use ($STATE/tls: ca.crt
# is what clients trust). SCRAM users are added through the admin API
# (tests/support/secured_kafka.py does). KAFKA_AUTHORIZER=1: the StandardAuthorizer, with
# the plaintext and controller listeners' principal (User:ANONYMOUS) and User:admin as
# super users; a resource without ACLs stays open, so ACLs restrict only what they name.
ensure_tls() {
  [[ -s "$TLS/broker.p12" && -s "$TLS/ca.crt" && -s "$TLS/keystore.password" ]] && return 0
  command -v openssl >/dev/null || die "openssl not found (needed for the SASL_SSL listener's certificates)"
  rm -rf "$TLS"; mkdir -p "$TLS"; chmod 700 "$TLS"
  local pw; pw="$(openssl rand -hex 16)"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=revloop local test CA" \
      -keyout "$TLS/ca.key" -out "$TLS/ca.crt"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS/broker.key" -out "$TLS/broker.csr"
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$TLS/san.ext"
    openssl x509 -req -in "$TLS/broker.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial \
      -days 30 -extfile "$TLS/san.ext" -out "$TLS/broker.crt"
    openssl pkcs12 -export -in "$TLS/broker.crt" -inkey "$TLS/broker.key" -certfile "$TLS/ca.crt" \
      -name broker -passout "pass:$pw" -out "$TLS/broker.p12"
  } >>"$LOGS/tls.log" 2>&1 || { tail -20 "$LOGS/tls.log" >&2; die "openssl could not make the test CA"; }
  printf '%s' "$pw" >"$TLS/keystore.password"
  log "made a test CA and the broker's certificate in $TLS"
}

secure_config() {
  [[ -n "${KAFKA_SASL_SSL_PORT:-}" ]] || return 0
  port_open "$HOST" "$KAFKA_SASL_SSL_PORT" \
    && die "SASL_SSL port $HOST:$KAFKA_SASL_SSL_PORT already in use (set KAFKA_SASL_SSL_PORT)"
  ensure_tls
  local pw; pw="$(cat "$TLS/keystore.password")"
  sed -i -e '/^listeners=/d' -e '/^advertised.listeners=/d' -e '/^listener.security.protocol.map=/d' "$CONF"
  cat >>"$CONF" <<PROPS

# Second listener: SASL_SSL (SCRAM), added by kafka-local.sh (KAFKA_SASL_SSL_PORT).
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT,SASL_SSL://$HOST:$KAFKA_SASL_SSL_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT,SASL_SSL://$HOST:$KAFKA_SASL_SSL_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$TLS/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=$pw
listener.name.sasl_ssl.ssl.key.password=$pw
PROPS
  if [[ "${KAFKA_AUTHORIZER:-0}" == 1 ]]; then
    cat >>"$CONF" <<'PROPS'
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS;User:admin
allow.everyone.if.no.acl.found=true
PROPS
  fi
}

java_cmd() {
  # Mirrors bin/kafka-run-class.sh: G1, headless, log4j2 config + log dir.
  # shellcheck disable=SC2086  # KAFKA_HEAP_OPTS is intentionally word-split
  exec java $KAFKA_HEAP_OPTS \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J" -Dkafka.logs.dir="$LOGS" \
    -Duser.timezone=UTC \
    -cp "$LIBS/*" "$@"
}

# StorageTool must run in its own JVM: its main() calls System.exit.
ensure_formatted() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cid
  cid="$( (java_cmd kafka.tools.StorageTool random-uuid) 2>>"$LOGS/storage-tool.log" | tail -1)"
  [[ -n "$cid" ]] || die "StorageTool random-uuid failed (see $LOGS/storage-tool.log)"
  log "formatting $DATA (cluster id $cid)"
  # Static controller.quorum.voters -> no --standalone (Kafka refuses the combination).
  (java_cmd kafka.tools.StorageTool format -t "$cid" -c "$CONF") \
      >>"$LOGS/storage-tool.log" 2>&1 \
    || { tail -20 "$LOGS/storage-tool.log" >&2; die "StorageTool format failed"; }
}

show_log_tail() {
  log "---- tail $LOGS/server.log ----"
  tail -n 40 "$LOGS/server.log" >&2 2>/dev/null || true
  log "---- tail $LOGS/broker.out ----"
  tail -n 20 "$LOGS/broker.out" >&2 2>/dev/null || true
}

# The broker writes "Kafka Server started" once it serves requests. Only a line stamped at
# or after this launch counts (an old one from a previous run does not), in server.log or in
# a file it has rolled to (server.log.1-3, the newest not always .1): server.log rolls over at
# 20 MB, often right at start-up after a long test run, so a byte offset into it does not hold.
# The broker logs in UTC (-Duser.timezone=UTC) and the launch is stamped in UTC: one clock,
# whatever TZ says.
started_since() {
  local since=$1 f
  for f in "$LOGS"/server.log "$LOGS"/server.log.[0-9]*; do
    [[ -f "$f" ]] || continue
    grep -h "Kafka Server started" "$f" 2>/dev/null \
      | awk -v s="[$since" '$0 >= s { found = 1 } END { exit !found }' && return 0
  done
  return 1
}

wait_started() {
  local start=$1 pid=$2 since=$3
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail; rm -f "$PIDFILE"; die "broker exited during start-up"
    fi
    if port_open "$HOST" "$KAFKA_PORT" && started_since "$since"; then
      return 0
    fi
    if (( SECONDS - start >= TIMEOUT )); then
      show_log_tail; die "broker not ready after ${TIMEOUT}s (pid $pid still running; 'down' to stop it)"
    fi
    sleep 0.5
  done
}

# Ready means ready for revloop, not just "Kafka Server started": a topic can be
# created and written, a consumer group can commit an offset and read it back (the
# group coordinator has loaded), and a transactional producer can commit (the
# transaction coordinator has too). revloop.streams.readiness does each step, retrying
# the coordinator / leader errors a settling broker returns, within KAFKA_START_TIMEOUT.
txn_check() {
  local py="$ROOT/.venv/bin/python" args=()
  if [[ ! -x "$py" ]] || ! "$py" -c 'import revloop.streams.readiness' 2>/dev/null; then
    log "WARNING: readiness not proven (no .venv with revloop installed: 'make venv')"
    return 0
  fi
  [[ "${KAFKA_SKIP_TXN_CHECK:-0}" == 1 ]] && args+=(--no-transactions)
  KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-$HOST:$KAFKA_PORT}" \
    "$py" -m revloop.streams.readiness --timeout "$TIMEOUT" "${args[@]}" \
    || die "broker answers but is not ready for consumer groups / transactions"
}

jvm_up() {
  local start=$SECONDS bstart pid launched i
  if pid_alive && port_open "$HOST" "$KAFKA_PORT"; then
    log "already running (pid $(cat "$PIDFILE"), $HOST:$KAFKA_PORT)"
    return 0
  fi
  if pid_alive; then
    # Started by us but not answering yet (e.g. a concurrent 'up'): just wait.
    pid="$(cat "$PIDFILE")"
    log "pid $pid alive but port $KAFKA_PORT not answering yet; waiting"
    wait_started "$start" "$pid" ""
    log "Kafka up on $HOST:$KAFKA_PORT (pid $pid)"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$HOST" "$KAFKA_PORT" && [[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
    log "a broker not started by this script answers on $HOST:$KAFKA_PORT; using it"
    return 0
  fi
  port_open "$HOST" "$KAFKA_PORT" \
    && die "$HOST:$KAFKA_PORT already in use by another process (set KAFKA_BOOTSTRAP_SERVERS to use it, or KAFKA_PORT)"
  port_open "$HOST" "$KAFKA_CONTROLLER_PORT" \
    && die "controller port $HOST:$KAFKA_CONTROLLER_PORT already in use (set KAFKA_CONTROLLER_PORT)"

  command -v java >/dev/null || die "java not found (Java 17+ required)"
  ensure_libs
  render_config
  secure_config
  ensure_formatted

  bstart=$SECONDS
  launched="$(date -u '+%Y-%m-%d %H:%M:%S')"   # as the broker's log stamps (UTC)
  # nohup + setsid: own session, so it survives the calling shell / CI step and
  # Ctrl-C in the terminal. The inner shell writes its own pid and then execs
  # java, so the pid file holds the JVM's pid (setsid may fork, hiding $!).
  nohup setsid bash -c "$(declare -f java_cmd); $(declare -p KAFKA_HEAP_OPTS LOG4J LOGS LIBS)
      echo \$\$ >'$PIDFILE'; java_cmd -Xlog:gc:file='$LOGS/gc.log':time,uptime:filecount=2,filesize=5m \
        kafka.Kafka '$CONF'" \
    >>"$LOGS/broker.out" 2>&1 </dev/null &
  # (gc.log: the broker's GC pauses, which the bench's latency run reports.)
  for ((i = 0; i < 50; i++)); do [[ -s "$PIDFILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PIDFILE" 2>/dev/null)" || { show_log_tail; die "broker did not start"; }
  log "broker starting (pid $pid), waiting for $HOST:$KAFKA_PORT ..."
  wait_started "$bstart" "$pid" "$launched"
  log "Kafka up on $HOST:$KAFKA_PORT (pid $pid) - broker start-up took $((SECONDS - bstart))s, $((SECONDS - start))s in total"
}

jvm_down() {
  local wipe=$1 pid i
  if pid_alive; then
    pid="$(cat "$PIDFILE")"
    log "stopping broker pid $pid (TERM, up to 30 s) ..."
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "still alive after 30 s: KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped"
  else
    log "not running"
  fi
  rm -f "$PIDFILE"
  if [[ "$wipe" == 1 ]]; then
    rm -rf "$DATA" "$CONF" "$TLS"
    log "data wiped ($DATA)"
  fi
}

jvm_status() {
  if pid_alive; then
    local up=no
    port_open "$HOST" "$KAFKA_PORT" && up=yes
    echo "kafka: running (jvm) pid=$(cat "$PIDFILE") bootstrap=$HOST:$KAFKA_PORT port_open=$up"
  else
    echo "kafka: not running (jvm) port=$KAFKA_PORT"
    return 3
  fi
}

# -------------------------------------------------------------------- main ---
# For tests: where the running local broker's SASL_SSL listener is, and the CA to trust.
print_env() {
  local listener
  listener="$(grep -o "SASL_SSL://[^,]*" "$CONF" 2>/dev/null | head -1)"
  if [[ -n "$listener" ]] && pid_alive; then
    echo "export REVLOOP_TEST_KAFKA_SASL_SSL=${listener#SASL_SSL://} REVLOOP_TEST_KAFKA_CA=$TLS/ca.crt"
    grep -q "^authorizer.class.name=" "$CONF" && echo "export REVLOOP_TEST_KAFKA_AUTHORIZER=1"
  fi
  return 0
}

usage() {
  echo "usage: $0 up | down [--wipe] | clean | status | logs [N] | check | env" >&2
  exit 2
}

cmd="${1:-}"; shift || true
m="$(mode)"
case "$cmd:$m" in
  up:external)     external_up; txn_check ;;
  up:docker)       docker_up; txn_check ;;
  up:jvm)          jvm_up; txn_check ;;
  down:external)   log "KAFKA_BOOTSTRAP_SERVERS set: nothing to stop" ;;
  down:docker)     if [[ "${1:-}" == --wipe ]]; then compose down -v; else compose down; fi ;;
  down:jvm)        jvm_down "$([[ "${1:-}" == --wipe ]] && echo 1 || echo 0)" ;;
  clean:external)  log "KAFKA_BOOTSTRAP_SERVERS set: nothing to clean" ;;
  clean:docker)    compose down -v ;;
  clean:jvm)       jvm_down 1 ;;
  status:external) if (external_up) 2>/dev/null; then echo "kafka: external $KAFKA_BOOTSTRAP_SERVERS reachable"
                   else echo "kafka: external $KAFKA_BOOTSTRAP_SERVERS NOT reachable"; exit 3; fi ;;
  status:docker)   compose ps ;;
  status:jvm)      jvm_status ;;
  logs:docker)     compose logs --tail "${1:-100}" kafka ;;
  logs:jvm)        tail -n "${1:-100}" "$LOGS/server.log" ;;
  logs:external)   log "KAFKA_BOOTSTRAP_SERVERS set: logs live with that cluster" ;;
  check:*)         txn_check ;;
  env:jvm)         print_env ;;
  env:*)           : ;;
  *)               usage ;;
esac
