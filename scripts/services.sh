#!/usr/bin/env bash
# Starts/stops, without Docker, the real servers that the service test suites need.
#
#   bash scripts/services.sh up     start everything (idempotent), then print the environment
#   bash scripts/services.sh down   stop everything (succeeds quietly if nothing is running)
#   bash scripts/services.sh env    print the environment only
#
# stdout of `up` and `env` is ONLY `export NAME=value` lines, so that
#   eval "$(bash scripts/services.sh up)"
# works; every progress or log message goes to stderr.
#
# Each service provides <name>_up, <name>_down and <name>_env; add it to SERVICES below.
# Currently: PostgreSQL (pg). A Kafka broker will come later.
#
# Settings (environment):
#   CHIMERA_SERVICES_DIR   where the servers keep their data (default: <repo root>/.services)
#   CHIMERA_PG_PORT        PostgreSQL TCP port on 127.0.0.1 (default: 55432)
set -euo pipefail

# Keep the real stdout on fd 3 for the `export` lines and send everything else to stderr.
# Long-running daemons must never inherit fd 3 nor the lock on fd 9 (start them with
# `3>&- 9>&-`, see pg_up): with fd 3 the command substitution in `eval "$(...)"` would wait
# for them forever, with fd 9 the next `up`/`down` would block on the lock.
exec 3>&1 1>&2

SERVICES=(pg)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
SERVICES_DIR="${CHIMERA_SERVICES_DIR:-$REPO_ROOT/.services}"

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }
emit() { printf 'export %s=%q\n' "$1" "$2" >&3; }
is_root() { [[ "$(id -u)" -eq 0 ]]; }
# Creates a directory that other users (e.g. `postgres`) may traverse. Only the last component
# gets mode 0755 (-m with -p); that is the one we create, its parents are the user's business.
# shellcheck disable=SC2174
mkdir_shared() { mkdir -p -m 0755 "$1"; }

# ---------------------------------------------------------------------------------------
# PostgreSQL
#
# Our own cluster (not the Debian default one managed by pg_ctlcluster):
#   $PG_DIR/data         data directory (initdb)
#   $PG_DIR/run          unix socket directory
#   $PG_DIR/server.log   server log (pg_ctl -l)
# with PG_DIR=$SERVICES_DIR/postgres (or the /tmp fallback, see pg_resolve_dir).
# ---------------------------------------------------------------------------------------
PG_PORT="${CHIMERA_PG_PORT:-55432}"
PG_DB=chimera
PG_OS_USER=postgres # system user that runs the server when we are root (postgres refuses root)

# Runs a command as the user that owns the cluster: `postgres` when we are root, else ourselves.
# `cd /` avoids "could not change directory" warnings when the postgres user cannot read $PWD.
pg_as_owner() {
  if is_root; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    "$@"
  fi
}

# Newest installed server version, e.g. /usr/lib/postgresql/16/bin; empty if none.
pg_newest_bin() {
  local bins
  bins="$(compgen -G '/usr/lib/postgresql/*/bin/postgres' || true)"
  [[ -n "$bins" ]] || return 0
  dirname "$(sort -V <<<"$bins" | tail -n 1)"
}

pg_install() {
  if ! is_root; then
    die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres) and we are not root: install it with 'sudo apt-get install -y postgresql' and re-run."
  fi
  log "postgres: server not installed, installing it with apt-get (this takes a minute)..."
  # The Debian package may also create (and, where policy-rc.d allows it, start) its own
  # default cluster on port 5432; we do not use it and do not touch it.
  DEBIAN_FRONTEND=noninteractive apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
}

pg_ensure_os_user() {
  is_root || return 0
  if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    log "postgres: creating system user '$PG_OS_USER'"
    useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
      --shell /bin/bash "$PG_OS_USER"
  fi
}

# Sets PG_DIR, PG_DATA, PG_RUN, PG_LOG.
# When root, the server runs as `postgres`, which must be able to traverse every parent of
# the cluster directory. If it cannot (e.g. the repo lives under a 0700 home directory such
# as /root), we fall back to /tmp/chimera-services-<hash of the repo path>/postgres. The
# fallback is deterministic, so `up`, `down` and later runs all find the same cluster.
# We also fall back when the socket path would exceed the unix socket limit (107 bytes).
pg_resolve_dir() {
  local dir="$SERVICES_DIR/postgres" reason=""
  mkdir_shared "$SERVICES_DIR"
  if is_root && ! runuser -u "$PG_OS_USER" -- test -x "$SERVICES_DIR" 2>/dev/null; then
    reason="user '$PG_OS_USER' cannot traverse $SERVICES_DIR"
  elif (($(printf '%s' "$dir/run/.s.PGSQL.$PG_PORT" | wc -c) > 107)); then
    reason="unix socket path under $SERVICES_DIR would be too long"
  fi
  if [[ -n "$reason" ]]; then
    local fallback
    fallback="/tmp/chimera-services-$(printf '%s' "$SERVICES_DIR" | md5sum | cut -c1-10)"
    mkdir_shared "$fallback"
    dir="$fallback/postgres"
    log "postgres: $reason; using $dir instead"
  fi
  PG_DIR="$dir"
  PG_DATA="$dir/data"
  PG_RUN="$dir/run"
  PG_LOG="$dir/server.log"
}

# Picks the binaries: those matching an existing cluster's version if installed, otherwise
# the newest installed version. Sets PG_BIN.
pg_resolve_bin() {
  PG_BIN="$(pg_newest_bin)"
  if [[ -f "$PG_DATA/PG_VERSION" ]]; then
    local v
    v="$(cat "$PG_DATA/PG_VERSION")"
    if [[ -x "/usr/lib/postgresql/$v/bin/postgres" ]]; then
      PG_BIN="/usr/lib/postgresql/$v/bin"
    else
      die "the cluster in $PG_DATA was created by PostgreSQL $v, which is not installed (newest installed: ${PG_BIN:-none}). Install postgresql-$v, or remove $PG_DIR to start from scratch."
    fi
  fi
}

# PID of our running postmaster, or empty. Unlike `pg_ctl status`, this does not trust a
# postmaster.pid left behind by a crash whose PID now belongs to an unrelated process.
pg_running_pid() {
  local pidfile="$PG_DATA/postmaster.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  [[ -d "/proc/$pid" ]] || return 0
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == postgres ]] || return 0
  # A killed postmaster can linger as a zombie when PID 1 is slow to reap it (seen here).
  local stat state
  stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
  state="${stat##*) }"
  [[ -n "$stat" && "${state%% *}" != Z && "${state%% *}" != X ]] || return 0
  local cwd
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
  if [[ -n "$cwd" && "$cwd" != "$(cd "$PG_DATA" && pwd -P)" ]]; then
    return 0
  fi
  echo "$pid"
}

# Removes the lock files of a server that is no longer running (after a crash or kill -9).
pg_clean_stale() {
  if [[ -f "$PG_DATA/postmaster.pid" ]]; then
    log "postgres: removing stale $PG_DATA/postmaster.pid (server not running)"
    rm -f "$PG_DATA/postmaster.pid"
  fi
  rm -f "$PG_RUN"/.s.PGSQL.* 2>/dev/null || true
}

# Prints the end of the server log, from byte offset $1 (the log size before our start).
pg_log_tail() {
  if [[ -f "$PG_LOG" ]]; then
    printf '[services] ---- end of %s ----\n' "$PG_LOG" >&2
    tail -c +"$((${1:-0} + 1))" "$PG_LOG" | tail -n 40 >&2 || true
    printf '[services] ----\n' >&2
  fi
}

pg_psql() {
  PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

pg_write_config() {
  local sockdir="${PG_RUN//\'/\'\'}"
  cat >"$PG_DATA/chimera.conf" <<EOF
# Written by scripts/services.sh on every start; edit the script, not this file.
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
max_connections = 200
# fsync stays on: we benchmark against a durable server.
fsync = on
EOF
  if ! grep -q "^include_if_exists = 'chimera.conf'" "$PG_DATA/postgresql.conf"; then
    printf "\ninclude_if_exists = 'chimera.conf'\n" >>"$PG_DATA/postgresql.conf"
  fi
  if is_root; then chown "$PG_OS_USER:" "$PG_DATA/chimera.conf"; fi
}

pg_up() {
  if [[ -z "$(pg_newest_bin)" ]]; then
    pg_install
    [[ -n "$(pg_newest_bin)" ]] || die "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/postgres exists"
  fi
  pg_ensure_os_user
  pg_resolve_dir
  pg_resolve_bin

  mkdir -p "$PG_DIR"
  if is_root && [[ "$(stat -c %U "$PG_DIR")" != "$PG_OS_USER" ]]; then
    chown -R "$PG_OS_USER:" "$PG_DIR"
  fi
  chmod 0700 "$PG_DIR"

  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    log "postgres: creating cluster in $PG_DATA with $PG_BIN/initdb"
    rm -rf "$PG_DATA" # a half-created directory from an interrupted initdb
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C >&2
  fi
  pg_as_owner mkdir -p "$PG_RUN"

  local pid log_offset=0
  pid="$(pg_running_pid)"
  if [[ -n "$pid" ]]; then
    local running_port
    running_port="$(sed -n 4p "$PG_DATA/postmaster.pid")"
    if [[ "$running_port" != "$PG_PORT" ]]; then
      die "postgres is already running from $PG_DATA on port $running_port, not $PG_PORT: run 'bash scripts/services.sh down' first"
    fi
    log "postgres: already running (pid $pid, port $PG_PORT)"
  else
    pg_clean_stale
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 2 || [[ $? -eq 1 ]]; then
      die "another server already listens on 127.0.0.1:$PG_PORT; stop it or set CHIMERA_PG_PORT"
    fi
    pg_write_config
    log_offset="$(stat -c %s "$PG_LOG" 2>/dev/null || echo 0)"
    log "postgres: starting $PG_BIN/postgres on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
    # -W: do not wait here, we poll pg_isready below. The server must not inherit fds 3 and 9.
    pg_as_owner "$PG_BIN/pg_ctl" start -W -D "$PG_DATA" -l "$PG_LOG" 3>&- 9>&- >&2 </dev/null
  fi

  # Wait up to 30 s (wall clock: one pg_isready attempt can itself take 2 s).
  local started=$SECONDS
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -t 2; do
    if ((SECONDS - started >= 3)) && [[ -z "$(pg_running_pid)" ]]; then
      pg_log_tail "$log_offset"
      die "postgres exited during startup (see the log above)"
    fi
    if ((SECONDS - started >= 30)); then
      pg_log_tail "$log_offset"
      die "postgres did not accept connections on 127.0.0.1:$PG_PORT within 30 s"
    fi
    sleep 0.5
  done

  if [[ "$(pg_psql -d postgres -tAc "select 1 from pg_database where datname = '$PG_DB'")" != 1 ]]; then
    log "postgres: creating database $PG_DB"
    pg_psql -d postgres -qc "create database $PG_DB" >&2
  fi
  log "postgres: ready on 127.0.0.1:$PG_PORT"
}

pg_down() {
  [[ -n "$(pg_newest_bin)" ]] || return 0 # nothing installed, so nothing running
  pg_ensure_os_user
  pg_resolve_dir
  [[ -f "$PG_DATA/PG_VERSION" ]] || return 0
  pg_resolve_bin
  if [[ -z "$(pg_running_pid)" ]]; then
    pg_clean_stale
    log "postgres: not running"
    return 0
  fi
  log "postgres: stopping"
  pg_as_owner "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w >&2
}

pg_env() {
  emit TEST_DATABASE_URL "postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
}

# ---------------------------------------------------------------------------------------
# Dispatcher
# ---------------------------------------------------------------------------------------
with_lock() {
  # Serialize concurrent up/down calls on the same services directory.
  mkdir_shared "$SERVICES_DIR"
  exec 9>"$SERVICES_DIR/.lock"
  flock 9
}

all_env() {
  local s
  for s in "${SERVICES[@]}"; do "${s}_env"; done
}

main() {
  local cmd="${1:-}" s i
  case "$cmd" in
    up)
      with_lock
      for s in "${SERVICES[@]}"; do "${s}_up"; done
      all_env
      ;;
    down)
      with_lock
      for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do "${SERVICES[i]}_down"; done
      ;;
    env)
      all_env
      ;;
    *)
      die "usage: $0 up|down|env"
      ;;
  esac
}

main "$@"
