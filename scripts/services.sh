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
# Currently: PostgreSQL (pg) and a single-node Apache Kafka broker in KRaft mode (kafka), the
# latter run from Apache Kafka's own jars on Maven Central (resolved with Maven on first use).
#
# Settings (environment):
#   CHIMERA_SERVICES_DIR   where the servers keep their data (default: <repo root>/.services)
#   CHIMERA_PG_PORT        PostgreSQL TCP port on 127.0.0.1 (default: 55432)
#   CHIMERA_KAFKA_PORT     Kafka client (PLAINTEXT) port on 127.0.0.1 (default: 59092)
#   CHIMERA_KAFKA_CONTROLLER_PORT  Kafka KRaft controller port on 127.0.0.1 (default: 59093)
#   CHIMERA_MAVEN_REPO     Maven local repository used to fetch Kafka (default: ~/.m2/repository)
#   XDG_CACHE_HOME         the Kafka jars are kept in $XDG_CACHE_HOME/chimera/kafka-<version>/libs
#                          (default: ~/.cache/chimera/...), shared by every clone on the machine
set -euo pipefail

# Keep the real stdout on fd 3 for the `export` lines and send everything else to stderr.
# Long-running daemons must never inherit fd 3 nor the lock on fd 9 (start them with
# `3>&- 9>&-`, see pg_up): with fd 3 the command substitution in `eval "$(...)"` would wait
# for them forever, with fd 9 the next `up`/`down` would block on the lock.
exec 3>&1 1>&2

SERVICES=(pg kafka)

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
# Kafka
#
# One Apache Kafka node in KRaft mode (broker and controller at once), run straight from
# Apache Kafka's own jars on Maven Central, no Docker and no tarball:
#   $KAFKA_LIBS                   kafka_2.13 and all its runtime jars (+ the SLF4J binding),
#                                 resolved with Maven from scripts/kafka/pom.xml on first use,
#                                 once per machine and version (see kafka_resolve_libs)
#   $KAFKA_DIR/data               log.dirs: topics and the KRaft metadata log, formatted once
#   $KAFKA_DIR/server.properties  written on every start
#   $KAFKA_DIR/server.log         the broker's log (log4j2, scripts/kafka/log4j2.xml)
#   $KAFKA_DIR/console.log        the JVM's stdout/stderr (errors from before logging starts)
#   $KAFKA_DIR/kafka.pid          PID of the broker's JVM
# with KAFKA_DIR=$SERVICES_DIR/kafka.
# ---------------------------------------------------------------------------------------
KAFKA_VERSION=4.1.1
KAFKA_LOG4J2_VERSION=2.24.3 # the log4j-api/log4j-core version that kafka-server $KAFKA_VERSION uses
KAFKA_PORT="${CHIMERA_KAFKA_PORT:-59092}"
KAFKA_CONTROLLER_PORT="${CHIMERA_KAFKA_CONTROLLER_PORT:-59093}"
KAFKA_DIR="$SERVICES_DIR/kafka"
KAFKA_POM="$REPO_ROOT/scripts/kafka/pom.xml"
KAFKA_LOG4J2="$REPO_ROOT/scripts/kafka/log4j2.xml"
KAFKA_USER_HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d : -f 6)}"
KAFKA_CACHE="${XDG_CACHE_HOME:-$KAFKA_USER_HOME/.cache}/chimera/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_CACHE/libs"
KAFKA_MAVEN_REPO="${CHIMERA_MAVEN_REPO:-$KAFKA_USER_HOME/.m2/repository}"
# Light on purpose (2-core machines): a small heap and the serial collector.
KAFKA_HEAP_OPTS=(-Xms256m -Xmx768m)
KAFKA_JVM_OPTS=(-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true)
KAFKA_START_TIMEOUT=120 # seconds
KAFKA_STOP_TIMEOUT=30   # seconds of clean shutdown after SIGTERM before SIGKILL

# Sets KAFKA_DIR (absolute: the JVM runs with its own working directory) and the paths under it.
kafka_resolve_dir() {
  mkdir_shared "$SERVICES_DIR"
  mkdir -p "$KAFKA_DIR"
  KAFKA_DIR="$(cd "$KAFKA_DIR" && pwd -P)"
  KAFKA_DATA="$KAFKA_DIR/data"
  KAFKA_CONFIG="$KAFKA_DIR/server.properties"
  KAFKA_LOG="$KAFKA_DIR/server.log"
  KAFKA_CONSOLE="$KAFKA_DIR/console.log"
  KAFKA_PIDFILE="$KAFKA_DIR/kafka.pid"
  KAFKA_FORMATTED="$KAFKA_DIR/formatted"
}

# Installs with apt-get (when root) whatever of Java and Maven is missing.
kafka_apt_install() {
  is_root || die "$1 is not installed and we are not root: install it (e.g. 'sudo apt-get install -y ${*:2}') and re-run."
  log "kafka: $1 not installed, installing ${*:2} with apt-get..."
  DEBIAN_FRONTEND=noninteractive apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${@:2}" >&2
}

kafka_ensure_java() {
  if ! command -v java >/dev/null 2>&1; then
    kafka_apt_install java openjdk-17-jre-headless
  fi
  local major
  major="$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)"
  if [[ ! "$major" =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "Kafka $KAFKA_VERSION needs Java 17 or newer; 'java' here is: $(java -version 2>&1 | head -n 1)"
  fi
}

# What the jar folder was resolved from; a change (version, pom) makes us resolve again.
kafka_libs_stamp() {
  printf 'kafka %s log4j2 %s pom %s\n' "$KAFKA_VERSION" "$KAFKA_LOG4J2_VERSION" \
    "$(md5sum <"$KAFKA_POM" | cut -d ' ' -f 1)"
}

kafka_libs_ready() {
  [[ -f "$KAFKA_CACHE/libs.complete" && -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] &&
    [[ "$(cat "$KAFKA_CACHE/libs.complete")" == "$(kafka_libs_stamp)" ]]
}

# Fills $KAFKA_LIBS with kafka_2.13 and all its runtime dependencies, copied by Maven from the
# local repository $KAFKA_MAVEN_REPO (downloading from Maven Central what is not there yet).
# Skipped when the folder is complete. The folder is built aside and renamed into place, so an
# interrupted run leaves no half-filled folder behind; a lock keeps two clones on the same
# machine from resolving at the same time.
kafka_resolve_libs() {
  kafka_libs_ready && return 0
  mkdir -p "$KAFKA_CACHE"
  (
    # Subshell: fd 8 (the cache lock) is closed again before the broker starts.
    exec 8>"$KAFKA_CACHE/.lock"
    flock 8
    kafka_libs_ready && exit 0
    if ! command -v mvn >/dev/null 2>&1; then
      kafka_apt_install mvn maven
    fi
    local tmp="$KAFKA_CACHE/libs.tmp" started=$SECONDS n
    rm -rf "$tmp"
    mkdir -p "$tmp"
    cp "$KAFKA_POM" "$KAFKA_CACHE/pom.xml"
    log "kafka: resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies with Maven (local repository $KAFKA_MAVEN_REPO); first run only..."
    # Run from the cache directory, so that Maven writes nothing into the work tree. Debian's
    # Maven 3.8 prints stray ANSI resets even with -B -q: strip them (pipefail keeps mvn's status).
    if ! (cd "$KAFKA_CACHE" && mvn -B -q -Dstyle.color=never -f pom.xml -Dmaven.repo.local="$KAFKA_MAVEN_REPO" \
      -Dkafka.version="$KAFKA_VERSION" -Dlog4j2.version="$KAFKA_LOG4J2_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
      </dev/null 3>&- 9>&- 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2); then
      die "Maven could not resolve Kafka $KAFKA_VERSION (see above)"
    fi
    local jar
    for jar in "kafka_2.13-$KAFKA_VERSION" kafka-server-"$KAFKA_VERSION" log4j-core-"$KAFKA_LOG4J2_VERSION" \
      log4j-slf4j-impl-"$KAFKA_LOG4J2_VERSION"; do
      [[ -f "$tmp/$jar.jar" ]] || die "Maven finished but $jar.jar is missing from $tmp"
    done
    n="$(compgen -G "$tmp/*.jar" | wc -l)"
    rm -rf "$KAFKA_LIBS"
    mv "$tmp" "$KAFKA_LIBS"
    kafka_libs_stamp >"$KAFKA_CACHE/libs.complete"
    log "kafka: $n jars in $KAFKA_LIBS ($((SECONDS - started)) s)"
  )
}

# Runs a Kafka main class with our jars and logging; never inherits fds 3 and 9.
kafka_java() {
  java "${KAFKA_JVM_OPTS[@]}" -Dlog4j2.configurationFile="$KAFKA_LOG4J2" \
    -Dkafka.logs.dir="$KAFKA_DIR" -cp "$KAFKA_LIBS/*" "$@" 3>&- 9>&-
}

kafka_config_text() {
  cat <<EOC
# Written by scripts/services.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
log.dirs=$KAFKA_DATA
num.partitions=8
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOC
}

# A Kafka cluster id: 16 random bytes in URL-safe base64 without padding, never starting with
# '-' (what `kafka.tools.StorageTool random-uuid` prints, without starting a JVM for it).
kafka_random_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* ]] || break
  done
  printf '%s\n' "$id"
}

# Formats $KAFKA_DATA once (a standalone KRaft quorum of this one node). The quorum records the
# controller's address, so a different controller port means a fresh data directory.
kafka_format() {
  local want="controller 127.0.0.1:$KAFKA_CONTROLLER_PORT"
  if [[ -f "$KAFKA_DATA/meta.properties" && -f "$KAFKA_FORMATTED" ]]; then
    [[ "$(head -n 1 "$KAFKA_FORMATTED")" == "$want" ]] && return 0
    log "kafka: $KAFKA_DATA was formatted for another controller port; formatting it again (its topics are lost)"
  fi
  rm -rf "$KAFKA_DATA" "$KAFKA_FORMATTED"
  local cluster_id
  cluster_id="$(kafka_random_cluster_id)"
  log "kafka: formatting $KAFKA_DATA (cluster id $cluster_id)"
  kafka_java -Xmx256m kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONFIG" --standalone \
    </dev/null >&2
  printf '%s\ncluster %s\n' "$want" "$cluster_id" >"$KAFKA_FORMATTED"
}

# PID of our running broker, or empty: the PID in the pid file, if that process is alive (not a
# zombie: PID 1 reaps slowly here) and is a JVM running kafka.Kafka with our server.properties.
kafka_running_pid() {
  local pid stat state
  [[ -f "$KAFKA_PIDFILE" ]] || return 0
  pid="$(head -n 1 "$KAFKA_PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ && -d "/proc/$pid" ]] || return 0
  stat="$(cat "/proc/$pid/stat" 2>/dev/null || true)"
  state="${stat##*) }"
  [[ -n "$stat" && "${state%% *}" != Z && "${state%% *}" != X ]] || return 0
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$KAFKA_CONFIG" || return 0
  echo "$pid"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
tcp_open() { (exec 5<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints the end of the broker log from byte offset $1 and the JVM's console output (which
# holds only the current run: it is emptied at each start).
kafka_log_tail() {
  local text
  text="$(tail -c +"$((${1:-0} + 1))" "$KAFKA_LOG" 2>/dev/null | tail -n 40 || true)"
  if [[ -n "$text" ]]; then
    printf '[services] ---- end of %s ----\n%s\n[services] ----\n' "$KAFKA_LOG" "$text" >&2
  fi
  text="$(tail -n 20 "$KAFKA_CONSOLE" 2>/dev/null || true)"
  if [[ -n "$text" ]]; then
    printf '[services] ---- end of %s ----\n%s\n[services] ----\n' "$KAFKA_CONSOLE" "$text" >&2
  fi
}

kafka_up() {
  kafka_ensure_java
  kafka_resolve_dir
  kafka_resolve_libs

  local pid log_offset=0 started=$SECONDS
  pid="$(kafka_running_pid)"
  if [[ -n "$pid" ]]; then
    if [[ "$(cat "$KAFKA_CONFIG")" != "$(kafka_config_text)" ]]; then
      die "kafka is already running (pid $pid) with another configuration (ports?): run 'bash scripts/services.sh down' first"
    fi
    log "kafka: already running (pid $pid, port $KAFKA_PORT)"
  else
    rm -f "$KAFKA_PIDFILE"
    local port
    for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
      if tcp_open "$port"; then
        die "another server already listens on 127.0.0.1:$port; stop it or set CHIMERA_KAFKA_PORT / CHIMERA_KAFKA_CONTROLLER_PORT"
      fi
    done
    kafka_config_text >"$KAFKA_CONFIG"
    kafka_format
    touch "$KAFKA_LOG"
    log_offset="$(stat -c %s "$KAFKA_LOG")"
    log "kafka: starting Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT (log: $KAFKA_LOG)"
    # In the background, in a session of its own (setsid, nohup: no terminal signals), from its
    # own directory (JVM crash files). Not a leader of its process group, so setsid does not
    # fork and $! is the JVM itself. The JVM must not inherit fds 3 and 9 (see the top).
    (cd "$KAFKA_DIR" && exec nohup setsid java "${KAFKA_HEAP_OPTS[@]}" "${KAFKA_JVM_OPTS[@]}" \
      -Dlog4j2.configurationFile="$KAFKA_LOG4J2" -Dkafka.logs.dir="$KAFKA_DIR" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG") \
      </dev/null >"$KAFKA_CONSOLE" 2>&1 3>&- 9>&- &
    echo "$!" >"$KAFKA_PIDFILE"
  fi

  # Ready = the client port accepts connections and (when we started it) the log says so.
  local timeout=$KAFKA_START_TIMEOUT
  until tcp_open "$KAFKA_PORT" &&
    { [[ -n "$pid" ]] || tail -c +"$((log_offset + 1))" "$KAFKA_LOG" | grep -q 'Kafka Server started'; }; do
    if [[ -z "$(kafka_running_pid)" ]]; then
      kafka_log_tail "$log_offset"
      die "kafka exited during startup (see the log above)"
    fi
    if ((SECONDS - started >= timeout)); then
      kafka_log_tail "$log_offset"
      die "kafka did not start on 127.0.0.1:$KAFKA_PORT within $timeout s"
    fi
    sleep 0.5
  done
  log "kafka: ready on 127.0.0.1:$KAFKA_PORT ($((SECONDS - started)) s)"
}

kafka_down() {
  [[ -d "$KAFKA_DIR" ]] || return 0 # never started here
  kafka_resolve_dir
  local pid
  pid="$(kafka_running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$KAFKA_PIDFILE"
    log "kafka: not running"
    return 0
  fi
  log "kafka: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local started=$SECONDS
  while [[ -n "$(kafka_running_pid)" ]]; do
    if ((SECONDS - started >= KAFKA_STOP_TIMEOUT)); then
      log "kafka: still running after $KAFKA_STOP_TIMEOUT s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      started=$SECONDS
      while [[ -n "$(kafka_running_pid)" ]] && ((SECONDS - started < 10)); do sleep 0.2; done
      break
    fi
    sleep 0.2
  done
  [[ -z "$(kafka_running_pid)" ]] || die "kafka (pid $pid) is still running after SIGKILL"
  rm -f "$KAFKA_PIDFILE"
  log "kafka: stopped"
}

kafka_env() {
  emit TEST_KAFKA_BROKERS "127.0.0.1:$KAFKA_PORT"
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
