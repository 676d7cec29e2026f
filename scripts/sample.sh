#!/usr/bin/env bash
# Runs the sample app the way it is meant to be seen: the local PostgreSQL (127.0.0.1:5432) as the
# write pool `primary` and a real streaming replica of it on 127.0.0.1:5433 as the read pool
# `replica` (the `replica` profile). The seat map is read on the replica, holds and bookings go to
# the primary, and http://localhost:8080/pools shows the split.
#   scripts/sample.sh                   provisions PostgreSQL and the replica (root), builds, runs java -jar
#   scripts/sample.sh --primary-only    no replica: every read falls back to the primary
#   scripts/sample.sh --server.port=9090 ...   further arguments go to the app
# Stop it with Ctrl-C; the replica keeps running (scripts/replica.sh stop 5433 removes it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/provision.sh

replica=true
args=()
for arg in "$@"; do
  if [ "$arg" = --primary-only ]; then replica=false; else args+=("$arg"); fi
done

provision_postgres
if $replica; then
  provision_replicas 5433
  args=(--spring.profiles.active=replica "${args[@]}")
fi

echo "== building the starter and the sample (no tests)"
mvn -B -q -ntp -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl sample-app -am package
jar=$(ls sample-app/target/sample-app-*.jar | grep -v -e '-sources' -e '-javadoc' | head -1)
echo "== starting $jar; it logs 'Seat map: <address>' when ready (http://localhost:8080/ unless --server.port says otherwise)"
exec java -jar "$jar" "${args[@]}"
