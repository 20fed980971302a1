#!/usr/bin/env bash
# Data at scale on PostgreSQL (issue 14): starts a throwaway PostgreSQL cluster the way .ci/postgres-it does (its own
# temporary directory, a free loopback port, trust authentication on loopback only; fsync and full_page_writes off: a
# benchmark database, not a durable one) and the server on it (postgres profile, security off, port $PORT), then loads
# synthetic ICU patients (ScaleLoader: 100 Observations each over two days, every fourth patient in septic shock on
# norepinephrine) in cumulative steps of 10,000, 100,000 and 1,000,000 Observations. After each step: ANALYZE, then
# ScaleBenchmark (sepsis-perfusion hook calls without prefetch and three FHIR searches, for random loaded patients),
# the database size, the server's resident memory and the load average. The cluster is removed at the end.
# With DB=h2 the same steps run against the embedded H2 database of the README's server instead (no cluster; no
# ANALYZE step: H2 analyses its tables itself every 2,000 changed rows; the database size is that of its files).
# Usage: bench/scale.sh [final-observation-count]   (default 1000000; steps up to it, the last one that count)
#   $PORT server port (8190), $CONNECTIONS loader connections (3), $STOP_LOADING_AT a UTC time (e.g. 10:50) after
#   which no more Observations are sent: the step is measured with what was loaded and the run ends there;
#   $DB postgresql (default) or h2
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${DB:-postgresql}
case "$DB" in postgresql | h2) ;; *) echo "DB is postgresql or h2"; exit 1 ;; esac
PORT=${PORT:-8190}
FINAL=${1:-1000000}
CONNECTIONS=${CONNECTIONS:-3}
STOP=9999999999
[ -n "${STOP_LOADING_AT:-}" ] && STOP=$(date -u -d "$STOP_LOADING_AT" +%s)
PER_PATIENT=100
steps=()
for step in 10000 100000 1000000; do
  [ "$step" -lt "$FINAL" ] && steps+=("$step")
done
steps+=("$FINAL")

dir=$(mktemp -d /tmp/critcare-scale.XXXXXX)
as_owner=()
if [ "$DB" = postgresql ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)
  [ -n "$bin" ] || { echo "PostgreSQL not found: install Debian's postgresql (.ci/postgres-it does)"; exit 1; }
fi
if [ "$DB" = postgresql ] && [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root
  id postgres > /dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
pgport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  if [ -n "${SERVER:-}" ]; then kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; fi
  if [ "$DB" = postgresql ]; then "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -w -s -m fast stop 2> /dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
if [ "$DB" = postgresql ]; then
  "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U critcare -A trust -E UTF8 --no-locale > "$dir/initdb.log"
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
    -o "-p $pgport -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start
  sql() { "$bin/psql" -h 127.0.0.1 -p "$pgport" -U critcare -d postgres -Atqc "$1"; }
fi

./mvnw -q -B -DskipTests -Dapp.skip=true test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CLIENT="java -XX:+UseSerialGC -Xmx512m -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
./run.sh --prepare

profile=()
if [ "$DB" = postgresql ]; then
  export CDS_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/postgres" CDS_DB_USERNAME=critcare CDS_DB_PASSWORD=""
  profile=(--spring.profiles.active=postgres)
fi
export CDS_SECURITY_ENABLED=false
started=$(date +%s)
./run.sh "${profile[@]}" --server.port="$PORT" --cds.data-dir="$dir/h2" > target/scale-server.log 2>&1 &
SERVER=$!
until curl -sf "http://localhost:$PORT/actuator/health/readiness" > /dev/null; do
  kill -0 "$SERVER" 2> /dev/null || { echo "server did not start; see target/scale-server.log"; exit 1; }
  sleep 1
done
rss() { echo "$(( $(ps -o rss= -p "$SERVER") / 1024 )) MB"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u '+%Y-%m-%d %H:%M UTC')"
if [ "$DB" = postgresql ]; then
  echo "database: $("$bin/postgres" --version), fsync off, full_page_writes off, shared_buffers $(sql 'SHOW shared_buffers')"
else
  echo "database: embedded H2 (run.sh's settings: every commit on disk before it is acknowledged)"
fi
echo "server ready after $(( $(date +%s) - started )) s, resident memory $(rss)"

loaded=0
summary=()
for step in "${steps[@]}"; do
  patients=$((step / PER_PATIENT))
  echo
  echo "## $step Observations, $patients patients ($(date -u +%H:%M:%S) UTC, load average $(loadavg))"
  $CLIENT -Dstop="$STOP" org.critcare.cds.benchmark.ScaleLoader "http://localhost:$PORT" "$loaded" \
    $((patients - loaded)) "$CONNECTIONS" | tee target/scale-load.txt
  added=$(sed -n 's/^loaded: patients [0-9]*, with Observations \([0-9]*\),.*/\1/p' target/scale-load.txt)
  rate=$(sed -n 's/^Observations (POST): .* \([0-9]*\) resources\/s.*/\1/p' target/scale-load.txt)
  complete=$([ "$added" -eq $((patients - loaded)) ] && echo yes || echo no)
  loaded=$((loaded + added))
  if [ "$DB" = postgresql ]; then
    analyzed=$(date +%s)
    sql "ANALYZE"
    echo "ANALYZE: $(( $(date +%s) - analyzed )) s"
    size=$(sql "SELECT pg_size_pretty(pg_database_size('postgres'))")
    observations=$(sql "SELECT count(*) FROM hfj_resource WHERE res_type = 'Observation'")
  else
    size=$(du -sh "$dir/h2" | cut -f1)
    observations=$(curl -sf "http://localhost:$PORT/fhir/Observation?_summary=count" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
  fi
  echo "stored: $observations Observations of $loaded patients; database size $size; server resident memory $(rss)"
  before=$(loadavg)
  $CLIENT org.critcare.cds.benchmark.ScaleBenchmark "http://localhost:$PORT" "$loaded"
  echo "load average during measurement: $before (start), $(loadavg) (end); server resident memory $(rss)"
  summary+=("| $observations | $loaded | $rate | $size | $(rss) | $before / $(loadavg) |")
  if [ "$complete" = no ]; then
    echo "loading stopped at $STOP_LOADING_AT UTC: $loaded of $patients patients have their Observations"
    break
  fi
done
echo
echo "| Observations | patients | Observations loaded/s | database size | resident memory | load average (start / end of measurement) |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${summary[@]}"
echo
if [ "$DB" = postgresql ]; then
  echo "largest relations:"
  sql "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class WHERE relkind = 'r'
       ORDER BY pg_total_relation_size(oid) DESC LIMIT 8" | sed 's/^/  /'
fi
echo "server log ERROR lines: $(grep -c ' ERROR ' target/scale-server.log || true)"
