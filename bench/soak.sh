#!/usr/bin/env bash
# A day of load, compressed (issue 14): starts the server on a fresh database, sends mixed traffic
# (sepsis-perfusion hook calls with and without prefetch, FHIR searches and writes, feedback) at a fixed
# rate, and samples the server's resident memory every 30 s. Prints per-minute latency and errors, then
# the memory series. Usage: bench/soak.sh [requests-per-second] [seconds]   (default 70 600; $PORT 8089)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8089}
RATE=${1:-70}
DURATION=${2:-600}
DATA=$(mktemp -d)
trap '[ -n "${SERVER:-}" ] && kill "$SERVER" 2> /dev/null; [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2> /dev/null; rm -rf "$DATA"' EXIT

./mvnw -q -B -DskipTests -Dapp.skip=true test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CLIENT="java -XX:+UseSerialGC -Xmx512m -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
./run.sh --prepare

./run.sh --server.port="$PORT" --cds.data-dir="$DATA" > target/soak-server.log 2>&1 &
SERVER=$!
until curl -sf "http://localhost:$PORT/actuator/health/readiness" > /dev/null; do
  kill -0 "$SERVER" 2> /dev/null || { echo "server did not start; see target/soak-server.log"; exit 1; }
  sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
echo "server ready; resident memory $(( $(ps -o rss= -p "$SERVER") / 1024 )) MB"
: > target/soak-rss.txt
( elapsed=0; while kill -0 "$SERVER" 2> /dev/null; do
    echo "| $elapsed | $(( $(ps -o rss= -p "$SERVER") / 1024 )) |" >> target/soak-rss.txt
    sleep 30; elapsed=$((elapsed + 30)); done ) &
SAMPLER=$!
$CLIENT org.critcare.cds.benchmark.SoakBenchmark "http://localhost:$PORT" "$RATE" "$DURATION"
echo
echo "| s | resident memory MB |"
echo "|---|---|"
cat target/soak-rss.txt
grep -c " ERROR " target/soak-server.log | xargs echo "server log ERROR lines:"
