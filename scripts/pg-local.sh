#!/usr/bin/env bash
# Local throwaway PostgreSQL for dev and CI.
#
#   scripts/pg-local.sh up|down [--wipe]|clean|status|env
#
# If DATABASE_URL is set we use that server (and create the roles if its user
# may). Otherwise a private cluster lives in .cache/pg (data, run = unix socket,
# log) and listens on 127.0.0.1:${PGPORT_LOCAL:-54329}; on any other port it lives
# in .cache/pg-<port> (or PG_LOCAL_DIR).
#
# Roles (all NOSUPERUSER, NOBYPASSRLS):
#   revloop_owner / revloop_owner  owns database "revloop" and schema public; runs migrations; the
#                                  worker writes as it (the only role that writes).
#   revloop_app   / revloop_app    the reader group: SELECT only, and row-level security shows a
#                                  session the rows of the tenant its login role maps to (none for
#                                  revloop_app itself). Tenants' login roles are members of it.
#   revloop_admin / revloop_admin  CREATEROLE: creates the tenants' login roles
#                                  (revloop.projections.pg_tenants, `revloop tenants grant-reader`).
#
# `eval "$(scripts/pg-local.sh env)"` exports DATABASE_URL, DATABASE_URL_APP and DATABASE_URL_ADMIN.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST=127.0.0.1
PORT="${PGPORT_LOCAL:-54329}"
# One cluster directory per port (PG_LOCAL_DIR overrides): a second server on
# another port never shares the first one's data directory.
if [[ "$PORT" == 54329 ]]; then PGDIR="${PG_LOCAL_DIR:-$ROOT/.cache/pg}"
else PGDIR="${PG_LOCAL_DIR:-$ROOT/.cache/pg-$PORT}"; fi
DATA="$PGDIR/data"
RUN="$PGDIR/run"
LOGFILE="$PGDIR/log/postgres.log"
DB=revloop
OWNER=revloop_owner
APP=revloop_app
ADMIN=revloop_admin

log() { echo "[pg-local] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Server binaries: PATH first (initdb/pg_ctl/postgres), else Debian's layout.
find_bindir() {
  local d
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/pg_ctl" ]] && { echo "$d"; return; }
  done
  die "PostgreSQL server binaries (initdb, pg_ctl) not found"
}

# Postgres refuses to run as root: use the `postgres` OS user (created if missing).
RUNAS=""
setup_user() {
  [[ "$(id -u)" != 0 ]] && return 0
  RUNAS=postgres
  if ! id "$RUNAS" >/dev/null 2>&1; then
    log "creating system user $RUNAS"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUNAS"
  fi
}

# Client tools from the same version as the server when present.
pgbin() { if [[ -x "$BIN/$1" ]]; then echo "$BIN/$1"; else command -v "$1"; fi; }

as_pg() {
  if [[ -n "$RUNAS" ]]; then runuser -u "$RUNAS" -- "$@"; else "$@"; fi
}

# The superuser connects over the private unix socket (trust), never over TCP.
psql_super() {
  as_pg "$(pgbin psql)" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -U postgres "$@"
}

running() { [[ -f "$DATA/PG_VERSION" ]] && as_pg "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

# Roles/database/grants; safe to run every time (re-asserts attributes too).
ROLES_SQL="
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$OWNER') THEN
    CREATE ROLE $OWNER LOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP') THEN
    CREATE ROLE $APP LOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ADMIN') THEN
    CREATE ROLE $ADMIN LOGIN;
  END IF;
END
\$\$;
ALTER ROLE $OWNER WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD '$OWNER';
ALTER ROLE $APP   WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD '$APP';
ALTER ROLE $ADMIN WITH LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE NOCREATEDB PASSWORD '$ADMIN';
"

ensure_roles_local() {
  psql_super -d postgres -c "$ROLES_SQL"
  # CREATE DATABASE cannot run inside DO/transaction: \gexec only when missing.
  psql_super -d postgres <<SQL
SELECT 'CREATE DATABASE $DB OWNER $OWNER ENCODING ''UTF8'' TEMPLATE template0'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB') \gexec
ALTER DATABASE $DB OWNER TO $OWNER;
REVOKE ALL ON DATABASE $DB FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $DB TO $APP;
GRANT CONNECT ON DATABASE $DB TO $ADMIN;
SQL
  # The owner owns schema public (creates tables); the app may only use it.
  psql_super -d "$DB" <<SQL
ALTER SCHEMA public OWNER TO $OWNER;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $APP;
SQL
}

app_url()   { echo "postgresql://$APP:$APP@$HOST:$PORT/$DB"; }
admin_url() { echo "postgresql://$ADMIN:$ADMIN@$HOST:$PORT/$DB"; }
owner_url() { echo "postgresql://$OWNER:$OWNER@$HOST:$PORT/$DB"; }

# ------------------------------------------------------------ DATABASE_URL ---
external_up() {
  command -v psql >/dev/null || die "psql not found"
  pg_isready -q -d "$DATABASE_URL" -t 10 || die "DATABASE_URL server does not answer"
  local can
  can="$(psql -X -At -d "$DATABASE_URL" -c \
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")" \
    || die "cannot connect with DATABASE_URL"
  if [[ "$can" == t ]]; then
    # Roles are cluster-wide; the database is whatever DATABASE_URL names.
    if psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c "$ROLES_SQL" \
         -c "DO \$\$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO $APP', current_database()); END \$\$;"; then
      log "using DATABASE_URL; roles $OWNER/$APP ensured"
    else
      log "using DATABASE_URL; could not create/alter roles, continuing"
    fi
  else
    log "using DATABASE_URL as is (its user may not create roles)"
  fi
}

# ------------------------------------------------------------------- local ---
init_cluster() {
  mkdir -p "$PGDIR/log" "$RUN"
  # The repo (and .cache) may be root-owned; the server user must own its dirs.
  [[ -n "$RUNAS" ]] && chown -R "$RUNAS": "$PGDIR"
  as_pg test -w "$PGDIR" \
    || die "user $RUNAS cannot write $PGDIR (a parent directory is not traversable, e.g. /root?)"
  [[ -f "$DATA/PG_VERSION" ]] && return 0
  log "initdb $DATA"
  # Socket trust for the bootstrap superuser; passwords (scram) on TCP like a real server.
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --encoding=UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$PGDIR/log/initdb.log" 2>&1 \
    || { tail -20 "$PGDIR/log/initdb.log" >&2; die "initdb failed"; }
  cat >>"$DATA/postgresql.conf" <<'CONF'

# --- scripts/pg-local.sh: throwaway test cluster, speed over durability ---
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
log_min_messages = warning
log_min_error_statement = error
CONF
}

local_up() {
  local start=$SECONDS
  if running; then
    log "already running (127.0.0.1:$PORT, data $DATA)"
    return 0
  fi
  if "$(pgbin pg_isready)" -q -h "$HOST" -p "$PORT" -t 2; then
    die "something else already listens on $HOST:$PORT (set PGPORT_LOCAL or DATABASE_URL)"
  fi
  init_cluster
  # Port/socket given at start so PGPORT_LOCAL can change without re-initdb.
  # The port lies in the kernel's ephemeral range (32768-60999): a busy machine's outgoing
  # connection can hold it for a moment, and the bind then fails. Ask again a few times.
  local attempt
  for attempt in 1 2 3 4 5; do
    as_pg "$BIN/pg_ctl" start -D "$DATA" -l "$LOGFILE" -w -t 60 \
          -o "-c listen_addresses=$HOST -c port=$PORT -c unix_socket_directories=$RUN" >/dev/null && break
    if (( attempt < 5 )) && tail -5 "$LOGFILE" | grep -q "Address already in use"; then
      log "port $PORT briefly in use (attempt $attempt); retrying"
      sleep 2
      continue
    fi
    tail -30 "$LOGFILE" >&2; die "pg_ctl start failed"
  done
  "$(pgbin pg_isready)" -q -h "$HOST" -p "$PORT" -t 30 || { tail -30 "$LOGFILE" >&2; die "not ready"; }
  log "PostgreSQL up on $HOST:$PORT in $((SECONDS - start))s"
}

local_down() {
  local wipe=$1
  if running; then
    as_pg "$BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >/dev/null
    log "stopped"
  else
    log "not running"
  fi
  if [[ "$wipe" == 1 ]]; then rm -rf "$PGDIR"; log "data wiped ($PGDIR)"; fi
}

local_status() {
  if running; then
    echo "postgres: running pid=$(head -1 "$DATA/postmaster.pid") $HOST:$PORT data=$DATA"
    "$(pgbin pg_isready)" -h "$HOST" -p "$PORT"
  else
    echo "postgres: not running ($HOST:$PORT)"
    return 3
  fi
}

print_env() {
  if [[ -n "${DATABASE_URL:-}" ]]; then
    echo "export DATABASE_URL=$DATABASE_URL"
    # Same server, app role swapped into the user:password part.
    echo "export DATABASE_URL_APP=${DATABASE_URL_APP:-$(sed -E "s#^(postgres(ql)?://)[^@/]*@#\1$APP:$APP@#" <<<"$DATABASE_URL")}"
    echo "export DATABASE_URL_ADMIN=${DATABASE_URL_ADMIN:-$DATABASE_URL}"
  else
    echo "export DATABASE_URL=$(owner_url)"
    echo "export DATABASE_URL_APP=$(app_url)"
    echo "export DATABASE_URL_ADMIN=$(admin_url)"
  fi
}

# -------------------------------------------------------------------- main ---
cmd="${1:-}"; shift || true
if [[ "$cmd" == env ]]; then print_env; exit 0; fi

# A DATABASE_URL that is our own local server (e.g. exported by a Makefile from
# `env`) means "the local cluster", so up/down still manage it.
if [[ -n "${DATABASE_URL:-}" && "$DATABASE_URL" == "$(owner_url)" ]]; then
  unset DATABASE_URL
fi

if [[ -n "${DATABASE_URL:-}" ]]; then
  case "$cmd" in
    up)                external_up ;;
    status)            pg_isready -d "$DATABASE_URL" ;;
    down|clean)        log "DATABASE_URL set: nothing to stop" ;;
    *)                 echo "usage: $0 up | down [--wipe] | clean | status | env" >&2; exit 2 ;;
  esac
  exit 0
fi

BIN="$(find_bindir)"
setup_user
case "$cmd" in
  up)     local_up; ensure_roles_local ;;
  down)   local_down "$([[ "${1:-}" == --wipe ]] && echo 1 || echo 0)" ;;
  clean)  local_down 1 ;;
  status) local_status ;;
  *)      echo "usage: $0 up | down [--wipe] | clean | status | env" >&2; exit 2 ;;
esac
