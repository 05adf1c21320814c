#!/usr/bin/env bash
# A loopback PostgreSQL primary and one streaming replica, as two separate clusters under a
# temporary folder, for the replica tests (tests/replicas*.test.ts) and CI (.ci/run).
#
#   scripts/pg-cluster.sh up     creates and starts both; prints the export line for the tests
#   scripts/pg-cluster.sh down   stops both and removes the folder
#   scripts/pg-cluster.sh env    prints the export line again
#   scripts/pg-cluster.sh stop-replica | start-replica   (the fail-over test stops it mid-test)
#
# PG_CLUSTER_DIR (default /tmp/nps-pg-cluster), PG_PRIMARY_PORT (55432), PG_REPLICA_PORT (55433),
# PG_BIN (/usr/lib/postgresql/15/bin). initdb refuses to run as root: as root the binaries run as
# the `postgres` OS user (runuser), in a folder it owns. Trust authentication, 127.0.0.1 only.
# The replica cancels a query that holds up replay for more than 1 s (max_standby_streaming_delay),
# so the tests can provoke a standby cancellation ("conflict with recovery") quickly.
set -euo pipefail
DIR="${PG_CLUSTER_DIR:-/tmp/nps-pg-cluster}"
PRIMARY_PORT="${PG_PRIMARY_PORT:-55432}"
REPLICA_PORT="${PG_REPLICA_PORT:-55433}"
BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

env_line() {
  echo "export TEST_REPLICA_CLUSTER=postgres://postgres@127.0.0.1:${PRIMARY_PORT}/postgres,postgres://postgres@127.0.0.1:${REPLICA_PORT}/postgres PG_CLUSTER_DIR=$DIR"
}

up() {
  if [ -f "$DIR/primary/postmaster.pid" ] || [ -f "$DIR/replica/postmaster.pid" ]; then
    echo "pg-cluster: already up in $DIR (run down first)" >&2
    env_line
    return 0
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DIR"; fi
  as_pg "$BIN/initdb" -D "$DIR/primary" --auth=trust -U postgres --no-sync >"$DIR/initdb.log"
  as_pg tee -a "$DIR/primary/postgresql.conf" >/dev/null <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 4
fsync = off
synchronous_commit = on
CONF
  echo "host replication all 127.0.0.1/32 trust" | as_pg tee -a "$DIR/primary/pg_hba.conf" >/dev/null
  as_pg "$BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start >/dev/null
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" -R -X stream
  as_pg tee -a "$DIR/replica/postgresql.conf" >/dev/null <<CONF
port = $REPLICA_PORT
hot_standby = on
max_standby_streaming_delay = 1s
hot_standby_feedback = off
CONF
  as_pg "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
  # Wait until the replica streams.
  for _ in $(seq 1 50); do
    state=$(as_pg psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "SELECT state FROM pg_stat_replication LIMIT 1" 2>/dev/null || true)
    [ "$state" = streaming ] && break
    sleep 0.2
  done
  if [ "${state:-}" != streaming ]; then echo "pg-cluster: replica is not streaming (see $DIR/replica.log)" >&2; exit 1; fi
  echo "pg-cluster: primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT (streaming), in $DIR" >&2
  env_line
}

down() {
  for c in replica primary; do
    if [ -f "$DIR/$c/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$DIR/$c" -m fast -w stop >/dev/null || true; fi
  done
  rm -rf "$DIR"
  echo "pg-cluster: down" >&2
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) env_line ;;
  stop-replica) as_pg "$BIN/pg_ctl" -D "$DIR/replica" -m immediate -w stop >/dev/null ;;
  start-replica) as_pg "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null ;;
  *) echo "usage: $0 up|down|env|stop-replica|start-replica" >&2; exit 2 ;;
esac
