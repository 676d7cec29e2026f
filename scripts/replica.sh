#!/usr/bin/env bash
# Starts or stops a real streaming replica of the local PostgreSQL (127.0.0.1:5432).
#   scripts/replica.sh start PORT   base backup + hot standby on 127.0.0.1:PORT (idempotent)
#   scripts/replica.sh stop PORT    stops it and removes its data directory
#   scripts/replica.sh status PORT  exit 0 when it answers as a standby
#   scripts/replica.sh kill PORT    kill -9 of the server and its processes, as a crashed machine
#                                   (its data directory stays; start makes a fresh replica)
#   scripts/replica.sh freeze PORT  SIGSTOP of the server and its processes: sockets stay open, nothing answers
#   scripts/replica.sh thaw PORT    SIGCONT after freeze
# Needs root (it runs the server as the postgres user, which PostgreSQL requires).
set -euo pipefail

action=${1:?usage: replica.sh start|stop|status|kill|freeze|thaw PORT}
port=${2:?usage: replica.sh start|stop|status PORT}
primary_host=${GDBPOOL_PRIMARY_HOST:-127.0.0.1}
primary_port=${GDBPOOL_PRIMARY_PORT:-5432}
base=/var/lib/postgresql/gdbpool-replicas
dir=$base/$port
sock=$base/sock
bindir=$(pg_config --bindir)
as_pg() { runuser -u postgres -- "$@"; }

is_standby() {
  [ "$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'select pg_is_in_recovery()' 2>/dev/null)" = t ]
}

allow_replication_on_primary() {
  # The primary must accept replication connections from loopback (Debian's default pg_hba.conf does not).
  local hba
  hba=$(psql -h "$primary_host" -p "$primary_port" -U postgres -d postgres -Atc 'show hba_file')
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >> "$hba"
    psql -h "$primary_host" -p "$primary_port" -U postgres -d postgres -qAtc 'select pg_reload_conf()' >/dev/null
  fi
  # Without a slot the primary keeps no WAL for a replica that falls behind: under the benchmarks'
  # write bursts a replica lost the segment it needed ("requested WAL segment ... has already been
  # removed") and never caught up again. Keeping 2 GB of WAL covers any lag of a test run, and
  # unlike a slot it cannot grow without bound when a scratch replica is killed and never started.
  if [ "$(psql -h "$primary_host" -p "$primary_port" -U postgres -d postgres -Atc "select setting::bigint < 2048 from pg_settings where name = 'wal_keep_size'")" = t ]; then
    psql -h "$primary_host" -p "$primary_port" -U postgres -d postgres -qAtc "alter system set wal_keep_size = '2GB'" >/dev/null
    psql -h "$primary_host" -p "$primary_port" -U postgres -d postgres -qAtc 'select pg_reload_conf()' >/dev/null
  fi
}

start() {
  allow_replication_on_primary
  if is_standby; then echo "replica on $port already running"; return 0; fi
  stop_quietly
  mkdir -p "$base" "$sock"
  chown postgres:postgres "$base" "$sock"
  install -d -o postgres -g postgres -m 700 "$dir"
  as_pg pg_basebackup -h "$primary_host" -p "$primary_port" -U postgres -D "$dir" -R -X stream -c fast
  # Debian keeps configuration outside the data directory, so a base backup has none: write our own.
  as_pg bash -c "printf '' > '$dir/postgresql.conf'"
  as_pg bash -c "printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n' > '$dir/pg_hba.conf'"
  as_pg "$bindir/pg_ctl" -D "$dir" -l "$base/$port.log" -w -t 60 \
    -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200 -c hot_standby_feedback=on" start >/dev/null
  for _ in $(seq 1 60); do is_standby && { echo "replica on $port started"; return 0; }; sleep 0.5; done
  echo "replica on $port did not come up; see $base/$port.log" >&2
  return 1
}

stop_quietly() {
  if [ -f "$dir/postmaster.pid" ]; then
    as_pg "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
  fi
  # after a kill -9 the pid file names a dead server: its socket lock must go too
  rm -f "$sock/.s.PGSQL.$port" "$sock/.s.PGSQL.$port.lock"
  rm -rf "$dir"
}

server_pids() {
  # the postmaster (first line of postmaster.pid) and every process it started
  local postmaster
  postmaster=$(head -1 "$dir/postmaster.pid" 2>/dev/null) || return 0
  [ -n "$postmaster" ] || return 0
  echo "$postmaster" $(pgrep -P "$postmaster" || true)
}

signal_server() {
  local pids
  pids=$(server_pids)
  if [ -z "$pids" ]; then echo "no replica running on $port" >&2; return 1; fi
  # shellcheck disable=SC2086
  kill "-$1" $pids
}

case "$action" in
  start) start ;;
  # a killed server leaves its pid file and socket lock behind, as a crash would; start clears them
  kill) signal_server KILL; echo "replica on $port killed" ;;
  freeze) signal_server STOP; echo "replica on $port frozen" ;;
  thaw) signal_server CONT; echo "replica on $port thawed" ;;
  stop) stop_quietly; echo "replica on $port stopped" ;;
  status) is_standby ;;
  *) echo "usage: replica.sh start|stop|status|kill|freeze|thaw PORT" >&2; exit 2 ;;
esac
