#!/usr/bin/env bash
# Functions that install and start what tests and the sample app need. Sourced, not run.

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "This step needs root (it starts PostgreSQL servers as the postgres user): $*" >&2
    exit 1
  fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    need_root "apt-get install ${missing[*]}"
    echo "== installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

provision_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    need_root "start PostgreSQL"
    echo "== starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432
  if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select count(*) from pg_database where datname = 'test'")" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE test'
  fi
}

provision_replicas() {
  need_root "start streaming replicas"
  for port in "$@"; do
    scripts/replica.sh start "$port"
  done
}

provision_java21() {
  local home
  for home in ${GDBPOOL_JAVA21_HOME:-} /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2*-jdk-amd64 /usr/lib/jvm/java-2*-openjdk-amd64; do
    if [ -x "$home/bin/java" ] && [ "$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1)" -ge 21 ]; then
      export GDBPOOL_JAVA21_HOME="$home"
      return 0
    fi
  done
  apt_install openjdk-21-jdk-headless 2>/dev/null || true
  if [ -x /usr/lib/jvm/java-21-openjdk-amd64/bin/java ]; then
    export GDBPOOL_JAVA21_HOME=/usr/lib/jvm/java-21-openjdk-amd64
    return 0
  fi
  echo "No JDK >= 21 found for the virtual-thread tests" >&2
  exit 1
}

provision_pgbouncer() {
  need_root "start PgBouncer"
  scripts/pgbouncer.sh start "$1"
}

# Debian's headless Chromium and its chromedriver, for the sample app's browser test
# (Selenium drives /usr/bin/chromium through /usr/bin/chromedriver; nothing is downloaded).
provision_chromium() {
  apt_install chromium chromium-driver
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "chromium or chromedriver missing after installing them" >&2
    exit 1
  fi
}
