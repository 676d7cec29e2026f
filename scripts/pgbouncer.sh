#!/usr/bin/env bash
# Starts or stops PgBouncer in transaction pooling mode on a loopback port, in front of the local
# PostgreSQL (127.0.0.1:5432), as tests and users meet it in production.
#   scripts/pgbouncer.sh start PORT   (idempotent; installs Debian's pgbouncer when missing)
#   scripts/pgbouncer.sh stop PORT
set -euo pipefail

action=${1:?usage: pgbouncer.sh start|stop PORT}
port=${2:?usage: pgbouncer.sh start|stop PORT}
dir=/var/lib/postgresql/gdbpool-pgbouncer/$port

answers() { psql -h 127.0.0.1 -p "$port" -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; }

start() {
  if answers; then echo "pgbouncer on $port already running"; return 0; fi
  if ! command -v pgbouncer >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  fi
  install -d -o postgres -g postgres -m 700 "$dir"
  cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 10
max_client_conn = 500
ignore_startup_parameters = extra_float_digits,options
pidfile = $dir/pgbouncer.pid
logfile = $dir/pgbouncer.log
INI
  echo '"postgres" ""' > "$dir/userlist.txt"
  chown postgres:postgres "$dir/pgbouncer.ini" "$dir/userlist.txt"
  runuser -u postgres -- pgbouncer -d -q "$dir/pgbouncer.ini"
  for _ in $(seq 1 50); do answers && { echo "pgbouncer (transaction mode) on $port started"; return 0; }; sleep 0.2; done
  echo "pgbouncer on $port did not come up; see $dir/pgbouncer.log" >&2
  return 1
}

stop() {
  if [ -f "$dir/pgbouncer.pid" ]; then
    kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    sleep 0.5
  fi
  rm -rf "$dir"
  echo "pgbouncer on $port stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: pgbouncer.sh start|stop PORT" >&2; exit 2 ;;
esac
