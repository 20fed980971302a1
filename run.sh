#!/usr/bin/env bash
# Runs critcare-cds on embedded H2 (./data) with the knowledge of cql/ and fhir-resources/ loaded.
# The first run builds the server and a class-data-sharing archive of it (a one-off training
# start, about a minute); later runs start from that archive. Extra arguments go to the server,
# e.g. ./run.sh --server.port=9090. JAVA_OPTS replaces the JVM settings below; an OutOfMemoryError
# always ends the process (so Docker or systemd restarts it) instead of leaving it half alive.
# ./run.sh --prepare builds the server and its archive and stops there. jdk.nio.maxCachedBufferSize keeps
# the JDK from caching, per thread, a native copy buffer as large as the largest file write that thread
# made (H2 writes whole chunks): without it native memory grew by 117 MB in 10 minutes of the soak.
set -euo pipefail
cd "$(dirname "$0")"

APP=target/app
JAR="$APP/critcare-cds.jar"
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseParallelGC -XX:ParallelGCThreads=2 -Xms64m -Xmx1g -Xss512k -XX:ReservedCodeCacheSize=96m -XX:MaxMetaspaceSize=256m -Djdk.nio.maxCachedBufferSize=262144"}

# Two malloc arenas instead of glibc's default of eight per core: with the default, resident memory kept
# rising between full collections under load while the memory the JVM tracks stayed flat (PERFORMANCE.md, the soak).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

if [ -f pom.xml ] && { [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -path src/main/app/node_modules -prune -o -newer "$JAR" -print -quit)" ]; }; then
  ./mvnw -q -B -DskipTests package
  rm -rf "$APP"
  java -Djarmode=tools -jar target/critcare-cds-*-SNAPSHOT.jar extract --destination "$APP" --force > /dev/null
  mv "$APP"/critcare-cds-*.jar "$JAR"
fi

if [ ! -f "$APP/app.jsa" ]; then
  echo "Preparing the class-data-sharing archive (once)..."
  training=$(mktemp -d)
  # shellcheck disable=SC2086
  java $JAVA_OPTS -XX:DumpLoadedClassList="$APP/classes.lst" -jar "$JAR" --server.port=0 \
    --cds.data-dir="$training" --logging.level.root=WARN > "$training/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    grep -q "Warm-up:" "$training/out.log" && break
    kill -0 "$pid" 2> /dev/null || { cat "$training/out.log"; exit 1; }
    sleep 1
  done
  kill "$pid"; wait "$pid" || true
  # lambda proxies cannot be archived statically on JDK 17 (stack-notes.md)
  grep -v "@" "$APP/classes.lst" > "$APP/classes.txt"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -Xshare:dump -XX:SharedClassListFile="$APP/classes.txt" -XX:SharedArchiveFile="$APP/app.jsa" \
    -jar "$JAR" > "$training/dump.log" 2>&1 || echo "(class-data sharing unavailable; starting without it)"
  rm -rf "$training"
fi

[ "${1:-}" = "--prepare" ] && exit 0

SHARE=""
[ -f "$APP/app.jsa" ] && SHARE="-XX:SharedArchiveFile=$APP/app.jsa -Xshare:auto"
# shellcheck disable=SC2086
exec java $JAVA_OPTS -XX:+ExitOnOutOfMemoryError $SHARE -jar "$JAR" "$@"
