#!/usr/bin/env bash
# Writes the fault report: injects real faults (stop, kill -9, SIGSTOP, pg_terminate_backend,
# replay pause) into scratch PostgreSQL servers under a Spring Boot application with the starter,
# and records what callers saw against the issue's targets.
#   scripts/faults.sh            full run, about 3-6 minutes plus the build; writes benchmarks/FAULTS.md
#   scripts/faults.sh --quick    under 2 minutes, shorter outages; writes benchmarks/target/FAULTS-quick.md
# Extra arguments go to the harness: --only 1,4 (scenarios), --out FILE, --note TEXT.
# Needs: PostgreSQL on 127.0.0.1:5432 (db test, user postgres; only read, as the source of base
# backups), root (scripts/replica.sh runs the scratch servers as postgres), free ports 5441-5442
# (-Dfaults.primaryPort / -Dfaults.replicaPort via FAULTS_JAVA_OPTS to move them), and Temurin 25
# (FAULTS_JAVA_HOME or BENCH_JAVA_HOME overrides it). The shared replicas on 5433/5434 are not used.
set -euo pipefail
cd "$(dirname "$0")/.."

out=benchmarks/FAULTS.md
args=()
for arg in "$@"; do
  if [ "$arg" = --quick ]; then out=benchmarks/target/FAULTS-quick.md; fi
  args+=("$arg")
done

java_home=${FAULTS_JAVA_HOME:-${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}
if [ ! -x "$java_home/bin/java" ]; then
  source scripts/provision.sh
  provision_java21
  java_home=$GDBPOOL_JAVA21_HOME
fi

if [ "$(id -u)" != 0 ]; then
  echo "scripts/faults.sh needs root: scripts/replica.sh starts the scratch servers as the postgres user" >&2
  exit 2
fi

echo "== building (mvn -q -DskipTests install)"
mvn -q -B -ntp -DskipTests install -pl benchmarks -am

# Our own modules from this checkout's target/ directories, not from ~/.m2, where another
# checkout's `mvn install` may have put a different build of the same snapshot.
deps=$(tr ':' '\n' < benchmarks/target/classpath.txt | grep -v '/io/gdbpool/' | paste -sd: -)

classpath="benchmarks/target/classes:gdbpool-spring-boot-autoconfigure/target/classes:$deps"

# the library's own warnings (lost connections and the like, with stack traces) go to a file, so
# the progress lines stay readable; they are evidence when a figure looks wrong
log=benchmarks/target/faults.log
mkdir -p benchmarks/target
echo "== running the fault harness on $java_home (library log: $log)"
# shellcheck disable=SC2086
exec "$java_home/bin/java" -Xms256m -Xmx512m -XX:+UseG1GC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.logFile="$log" -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
  -Dbench.commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo '+dirty')" \
  -Dfaults.replicaScript=scripts/replica.sh \
  ${FAULTS_JAVA_OPTS:-} \
  -cp "$classpath" \
  io.gdbpool.bench.faults.FaultMain --out "$out" "${args[@]}"
