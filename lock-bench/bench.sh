#!/usr/bin/env bash
# Starts the lock server (Payara Micro + the WAR, default H2 file in a temp directory) on
# loopback, drives it with HttpBench, prints the figures, stops the server.
#   bash lock-bench/bench.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18580}
DATA=$(mktemp -d /tmp/lockstep-bench.XXXXXX)

mvn -q -B -DskipTests -pl lock-web -am install
mvn -q -B -f lock-bench/pom.xml package

java -Xmx1g -Dlockstep.data.dir="$DATA" -jar lock-web/target/payara-micro.jar \
  --deploy lock-web/target/ROOT.war --port "$PORT" --nocluster > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT

for _ in $(seq 1 180); do
  if curl -sf "http://localhost:$PORT/health/ready" >/dev/null; then break; fi
  sleep 1
done
curl -sf "http://localhost:$PORT/health/ready" >/dev/null || { tail -50 "$DATA/server.log"; exit 1; }

java -cp lock-bench/target/classes dev.lockstep.bench.HttpBench "http://localhost:$PORT" "$@"
