#!/usr/bin/env bash
# Measures critcare-cds as PERFORMANCE.md reports it: start-up to ready and memory after start-up
# (fresh database, then a restart), the first calls after start-up, and sepsis-perfusion hook
# latency and throughput (small and large patient with prefetch, and without prefetch), and
# cre-stewardship order-sign for a CRE patient with prefetch (sequential and 8 connections).
# Usage: bench/benchmark.sh [seconds-per-throughput-run] [all|cre|own]   (the server runs on $PORT, default 8089)
#   cre: start-up and the CRE order-sign case only
#   own: start-up and the small patient without prefetch (own store), sequential and at 8 connections
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8089}
SECONDS_PER_RUN=${1:-15}
CASES=${2:-all}
DATA=$(mktemp -d)
trap 'set +e; [ -n "${SERVER:-}" ] && kill "$SERVER" 2> /dev/null && wait "$SERVER" 2> /dev/null; rm -rf "$DATA"' EXIT

./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CLIENT="java -XX:+UseSerialGC -Xmx256m -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
./run.sh --prepare  # builds the server and its class-data-sharing archive when needed

start_server() {
  local started
  started=$(date +%s.%N)
  ./run.sh --server.port="$PORT" --cds.data-dir="$DATA" >> target/bench-server.log 2>&1 &
  SERVER=$!
  until curl -sf "http://localhost:$PORT/actuator/health/readiness" > /dev/null; do
    kill -0 "$SERVER" 2> /dev/null || { echo "server did not start; see target/bench-server.log"; exit 1; }
    sleep 0.1
  done
  echo "| $1 | $(echo "$(date +%s.%N) - $started" | bc | xargs printf '%.1f') s | $(( $(ps -o rss= -p "$SERVER") / 1024 )) MB |"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
echo
echo "| start | to ready | resident memory after start-up |"
echo "|---|---|---|"
: > target/bench-server.log
start_server "fresh database (content stored)"
kill "$SERVER"; wait "$SERVER" 2> /dev/null || true
start_server "restart (content unchanged)"
echo
if [ "$CASES" = cre ] || [ "$CASES" = own ]; then
  $CLIENT org.critcare.cds.benchmark.HookBenchmark "http://localhost:$PORT" "$CASES" "$SECONDS_PER_RUN"
  exit 0
fi
$CLIENT org.critcare.cds.benchmark.HookBenchmark "http://localhost:$PORT" first
echo
$CLIENT org.critcare.cds.benchmark.HookBenchmark "http://localhost:$PORT" all "$SECONDS_PER_RUN"
