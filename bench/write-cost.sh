#!/usr/bin/env bash
# What durable commits cost (issue 8 §2): FHIR writes per second on the embedded H2 store with the shipped setting
# (WRITE_DELAY=0: each commit written to the file before the 2xx) and with H2's default delayed flush (500 ms, which
# lost acknowledged writes on a SIGKILL). Each run: a fresh database, 200 warm-up writes, then 1,000 PUTs by 4 clients.
# Usage: bench/write-cost.sh   (servers on $PORT, default 8086)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8086}
./mvnw -q -B -DskipTests package
JAR=$(ls target/critcare-cds-*-SNAPSHOT.jar)

run() { # $1 label, $2 extra server argument
  local data; data=$(mktemp -d)
  java -XX:+UseParallelGC -Xmx1g -jar "$JAR" --server.port="$PORT" --cds.data-dir="$data" --cds.hooks.warmup-calls=0 \
    ${2:+"$2"} > "$data/server.log" 2>&1 &
  local server=$!
  until curl -sf "http://localhost:$PORT/actuator/health/readiness" > /dev/null; do sleep 0.5; done
  put() { # $1 first id, $2 count
    for i in $(seq "$1" $(($1 + $2 - 1))); do
      curl -sf -o /dev/null -X PUT -H 'Content-Type: application/fhir+json' "http://localhost:$PORT/fhir/Patient/w-$i" \
        -d '{"resourceType":"Patient","id":"w-'"$i"'","name":[{"family":"Write","given":["'"$i"'"]}]}'
    done
  }
  put 100000 200
  local started; started=$(date +%s.%N)
  for c in 0 1 2 3; do put $((c * 250)) 250 & done
  wait $(jobs -p | grep -v "^$server$") 2> /dev/null || true
  local seconds; seconds=$(echo "$(date +%s.%N) - $started" | bc)
  printf '| %s | %.0f writes/s |\n' "$1" "$(echo "1000 / $seconds" | bc -l)"
  kill "$server"; wait "$server" 2> /dev/null || true
  rm -rf "$data"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
echo
echo "| H2 commit setting | 1,000 PUTs by 4 clients |"
echo "|---|---|"
run "WRITE_DELAY=0 (shipped)" ""
run "H2 default (500 ms delayed flush)" '--spring.datasource.url=jdbc:h2:file:${cds.data-dir}/h2/critcare;DB_CLOSE_ON_EXIT=FALSE'
