#!/usr/bin/env bash
# A day of load, compressed (issue 14): starts the server on a fresh database, sends mixed traffic
# (sepsis-perfusion hook calls with and without prefetch, FHIR searches and writes, feedback) at a fixed
# rate, and samples the server's resident memory every 30 s. Prints per-minute latency and errors, then
# the memory series. Usage: bench/soak.sh [requests-per-second] [seconds]   (default 70 600; $PORT 8089;
# $WARM, default 300: the end of warm-up, in seconds; $SERVER_ARGS: more server arguments)
# Memory is sampled three ways every 30 s: resident (ps), the heap the JVM has committed and uses, and
# its old generation (jstat). At $WARM s and at the end the live heap is measured after a full GC
# (jmap -histo:live: one pause of a few hundred ms in those minutes) and native memory is tracked from
# $WARM s on (-XX:NativeMemoryTracking=summary), so growth can be told apart: heap sizing, live objects
# (the histogram diff names their classes), or native memory (the NMT diff names its area). The size
# of the H2 database files is sampled with them.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8089}
RATE=${1:-70}
WARM=${WARM:-300}
DURATION=${2:-600}
DATA=$(mktemp -d)
# set +e: under set -e a failed kill (a process already gone) would end the trap before the clean-up
trap 'set +e; [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2> /dev/null; [ -n "${SERVER:-}" ] && kill "$SERVER" 2> /dev/null && wait "$SERVER" 2> /dev/null; rm -rf "$DATA"' EXIT

./mvnw -q -B -DskipTests -Dapp.skip=true test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CLIENT="java -XX:+UseSerialGC -Xmx512m -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
./run.sh --prepare

# run.sh's JVM settings with the heap committed and touched whole from the start (-Xms1g, AlwaysPreTouch):
# resident memory then no longer follows the garbage collector's sizing of the heap, and any growth is
# native memory or the code cache. SOAK_HEAP="-Xms64m" measures with run.sh's own setting instead.
JAVA_OPTS="-XX:+UseParallelGC -XX:ParallelGCThreads=2 -Xmx1g ${SOAK_HEAP:--Xms1g -XX:+AlwaysPreTouch} -Xss512k \
  -XX:ReservedCodeCacheSize=96m -XX:MaxMetaspaceSize=256m -Djdk.nio.maxCachedBufferSize=262144"
export JAVA_OPTS
# shellcheck disable=SC2086
JAVA_TOOL_OPTIONS="-XX:NativeMemoryTracking=summary" ./run.sh --server.port="$PORT" --cds.data-dir="$DATA" \
  ${SERVER_ARGS:-} > target/soak-server.log 2>&1 &
SERVER=$!
until curl -sf "http://localhost:$PORT/actuator/health/readiness" > /dev/null; do
  kill -0 "$SERVER" 2> /dev/null || { echo "server did not start; see target/soak-server.log"; exit 1; }
  sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
echo "server ready; resident memory $(( $(ps -o rss= -p "$SERVER") / 1024 )) MB"
: > target/soak-rss.txt
# heap committed / used and old generation used, MB, from jstat -gc (capacities and usage in KB)
heap() { jstat -gc "$1" | awk 'NR==2 {printf "%d | %d | %d", ($1+$2+$5+$7)/1024, ($3+$4+$6+$8)/1024, $8/1024}'; }
live() { jmap -histo:live "$1" > "$2"; awk '/^Total/ {printf "%d", $3/1048576}' "$2"; }
( elapsed=0; while kill -0 "$SERVER" 2> /dev/null; do
    echo "| $elapsed | $(( $(ps -o rss= -p "$SERVER") / 1024 )) | $(heap "$SERVER") | $(du -m "$DATA/h2" | cut -f1) |" \
      >> target/soak-rss.txt
    if [ "$elapsed" = "$WARM" ]; then
      echo "live heap after a full GC at $WARM s: $(live "$SERVER" target/soak-histo-warm.txt) MB" > target/soak-live.txt
      jcmd "$SERVER" VM.native_memory baseline > /dev/null
    fi
    sleep 30; elapsed=$((elapsed + 30)); done ) &
SAMPLER=$!
$CLIENT org.critcare.cds.benchmark.SoakBenchmark "http://localhost:$PORT" "$RATE" "$DURATION"
kill "$SAMPLER" 2> /dev/null || true
echo "live heap after a full GC at the end: $(live "$SERVER" target/soak-histo-end.txt) MB" >> target/soak-live.txt
jcmd "$SERVER" VM.native_memory summary.diff > target/soak-nmt-diff.txt
echo
echo "| s | resident memory MB | heap committed MB | heap used MB | old generation used MB | H2 files MB |"
echo "|---|---|---|---|---|---|"
cat target/soak-rss.txt
cat target/soak-live.txt
echo "classes whose live instances grew most from $WARM s to the end (bytes):"
awk 'FNR==NR && $1 ~ /:$/ {b[$4]=$3; next} $1 ~ /:$/ {d=$3-b[$4]; if (d>0) print d, $4}' \
  target/soak-histo-warm.txt target/soak-histo-end.txt | sort -rn | head -12
echo "native memory from $WARM s to the end (NMT; full diff in target/soak-nmt-diff.txt):"
grep -E "^(Total|-)" target/soak-nmt-diff.txt | sed -n '1,40p' | grep -E "committed=[0-9]+KB [+-]" || true
grep -c " ERROR " target/soak-server.log | xargs echo "server log ERROR lines:"
