#!/usr/bin/env bash
# Runs the benchmarks (benchmarks/ module) against the local PostgreSQL and writes the results.
#   scripts/bench.sh            full run, < 10 minutes; writes benchmarks/RESULTS.md
#   scripts/bench.sh --quick    < 2 minutes; proves the harness works; writes benchmarks/target/RESULTS-quick.md
# Extra arguments go to the harness: --only 1,2,3 (scenarios), --out FILE, --note TEXT.
# Needs: PostgreSQL on 127.0.0.1:5432 (db test, user postgres), root to start the two replicas
# (scripts/replica.sh, ports 5433 and 5434) unless they already run, and a JDK >= 21 for scenario 6
# (Temurin 25 by default; override with BENCH_JAVA_HOME).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=()
args=()
out=benchmarks/RESULTS.md
for arg in "$@"; do
  if [ "$arg" = --quick ]; then quick=(--quick); out=benchmarks/target/RESULTS-quick.md; else args+=("$arg"); fi
done

java_home=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$java_home/bin/java" ]; then
  source scripts/provision.sh
  provision_java21
  java_home=$GDBPOOL_JAVA21_HOME
fi

echo "== building (mvn -q -DskipTests install)"
mvn -q -B -ntp -DskipTests install -pl benchmarks -am

for port in 5433 5434; do
  if ! scripts/replica.sh status "$port"; then
    echo "== starting replica on $port"
    scripts/replica.sh start "$port"
  fi
done

# Our own modules from this checkout's target/ directories, not from ~/.m2, where another
# checkout's `mvn install` may have put a different build of the same snapshot.
deps=$(tr ':' '\n' < benchmarks/target/classpath.txt | grep -v '/io/gdbpool/' | paste -sd: -)
classpath="benchmarks/target/classes:gdbpool-spring-boot-autoconfigure/target/classes:$deps"

echo "== running the harness on $java_home"
exec "$java_home/bin/java" -Xms512m -Xmx512m -XX:+UseG1GC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dbench.commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+dirty')" \
  -cp "$classpath" \
  io.gdbpool.bench.BenchMain "${quick[@]}" --out "$out" "${args[@]}"
