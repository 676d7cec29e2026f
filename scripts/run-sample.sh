#!/usr/bin/env bash
# Builds the starter and runs the sample app against the local PostgreSQL (127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/provision.sh
provision_postgres
mvn -B -q -ntp -DskipTests install
echo "== starting the sample; the seat map will be at http://localhost:8080/ (the app logs 'Seat map: ...' when ready)"
exec mvn -B -q -ntp -pl sample-app spring-boot:run "$@"
