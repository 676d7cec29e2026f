#!/usr/bin/env bash
# Runs every test of the project on a fresh machine of our kind (Debian, PostgreSQL 15 on
# 127.0.0.1:5432, root). Provisions what the tests need first:
#   - the local PostgreSQL running, accepting replication from loopback;
#   - two real streaming replicas on 127.0.0.1:5433 and :5434 (scripts/replica.sh);
#   - PgBouncer in transaction mode on 127.0.0.1:6433 (scripts/pgbouncer.sh);
#   - a JDK >= 21 for the virtual-thread tests (Temurin 25 ships with the machine);
#   - Debian's chromium and chromium-driver for the sample app's browser test;
# then runs `mvn verify` over all modules. Under CI=true nothing the tests need may be missing.
# The `aot` profile (sample-app only) also processes the sample ahead of time and runs its tests a
# second time on the generated code (spring.aot.enabled=true, reports TEST-*-aot.xml).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/provision.sh

provision_postgres
provision_replicas 5433 5434
provision_pgbouncer 6433
provision_java21
provision_chromium

export GDBPOOL_TEST_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/test"
export GDBPOOL_TEST_REPLICA_JDBC_URL="jdbc:postgresql://127.0.0.1:5433/test"
export GDBPOOL_TEST_REPLICA2_JDBC_URL="jdbc:postgresql://127.0.0.1:5434/test"
export GDBPOOL_TEST_PGBOUNCER_JDBC_URL="jdbc:postgresql://127.0.0.1:6433/test"

echo "== running all tests (JDK for virtual-thread tests: $GDBPOOL_JAVA21_HOME)"
mvn -B -ntp -Paot -Dgdbpool.java21.home="$GDBPOOL_JAVA21_HOME" "$@" verify
