#!/usr/bin/env bash
# Runs every documented operation of the server repeatedly and reports the old generation of the heap
# after each (issue 8 §3): the working set the heap must hold. A full GC is forced before each reading,
# so the figure is live data, not garbage waiting for collection.
# Usage: bench/operations.sh [rounds]   (the server runs on $PORT, default 8087, with run.sh's settings)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8087}
ROUNDS=${1:-5}
BASE="http://localhost:$PORT"
DATA=$(mktemp -d)
trap 'set +e; [ -n "${SERVER:-}" ] && kill "$SERVER" 2> /dev/null && wait "$SERVER" 2> /dev/null; rm -rf "$DATA"' EXIT

./run.sh --prepare
./run.sh --server.port="$PORT" --cds.data-dir="$DATA" > target/operations-server.log 2>&1 &
SERVER=$!
until curl -sf "$BASE/actuator/health/readiness" > /dev/null; do
  kill -0 "$SERVER" 2> /dev/null || { echo "server did not start; see target/operations-server.log"; exit 1; }
  sleep 0.5
done
JVM=$(pgrep -P "$SERVER" java || echo "$SERVER")

old_gen() { # live old generation in MB, after a full GC
  jcmd "$JVM" GC.run > /dev/null
  jstat -gc "$JVM" | awk 'NR == 2 { printf "%.0f MB of %.0f MB", $8 / 1024, $7 / 1024 }'
}
ids() { # the ids of every stored resource of a type
  curl -sf "$BASE/fhir/$1?_count=500&_elements=id" | python3 -c 'import json,sys; [print(e["resource"]["id"]) for e in json.load(sys.stdin).get("entry", [])]'
}
now() { date -u +%FT%TZ; }

curl -sf -X POST -H 'Content-Type: application/fhir+json' "$BASE/fhir" -d '{"resourceType":"Bundle","type":"transaction","entry":[
 {"resource":{"resourceType":"Patient","id":"ops-1"},"request":{"method":"PUT","url":"Patient/ops-1"}},
 {"resource":{"resourceType":"Condition","id":"ops-1-shock","subject":{"reference":"Patient/ops-1"},
   "code":{"coding":[{"system":"http://snomed.info/sct","code":"76571007"}]}},"request":{"method":"PUT","url":"Condition/ops-1-shock"}},
 {"resource":{"resourceType":"Observation","id":"ops-1-map","status":"final","subject":{"reference":"Patient/ops-1"},
   "code":{"coding":[{"system":"http://loinc.org","code":"8478-0"}]},"effectiveDateTime":"'"$(now)"'",
   "valueQuantity":{"value":58,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
  "request":{"method":"PUT","url":"Observation/ops-1-map"}}]}' > /dev/null
HOOK='{"hook":"patient-view","hookInstance":"d6f3c1f4-8f6a-4a4e-9b8e-0c2f3a1b5e77","context":{"patientId":"ops-1","userId":"Practitioner/p1"}}'

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
echo "JVM settings: run.sh defaults; old generation live after a full GC"
echo
echo "| round | after | old generation (live) |"
echo "|---|---|---|"
report() { echo "| $1 | $2 | $(old_gen) |"; }
report 0 "start-up"
for round in $(seq 1 "$ROUNDS"); do
  for _ in $(seq 1 200); do
    curl -sf -m 60 -o /dev/null -X POST -H 'Content-Type: application/json' -H "Accept-Language: $([ $((RANDOM % 2)) = 0 ] && echo ja || echo en)" \
      "$BASE/cds-services/sepsis-perfusion" -d "$HOOK"
  done
  report "$round" "200 hook calls"
  for _ in $(seq 1 50); do
    curl -sf -m 60 -o /dev/null -X POST -H 'Content-Type: application/json' "$BASE/cds-services/sepsis-perfusion/feedback" \
      -d '{"feedback":[{"card":"'"$(cat /proc/sys/kernel/random/uuid)"'","outcome":"overridden","outcomeTimestamp":"'"$(now)"'"}]}'
  done
  report "$round" "50 feedback requests"
  for _ in $(seq 1 10); do
    curl -s -m 60 -o /dev/null "$BASE/fhir/PlanDefinition/sepsis-perfusion/\$apply?subject=Patient/ops-1"
    curl -s -m 60 -o /dev/null "$BASE/fhir/Library/SepsisPerfusion/\$evaluate?subject=Patient/ops-1"
  done
  report "$round" "10 \$apply + 10 \$evaluate"
  for type in Evidence PlanDefinition; do
    for id in $(ids "$type"); do
      curl -s -m 60 -o /dev/null "$BASE/fhir/$type/$id/\$validate"
    done
  done
  report "$round" "\$validate of every Evidence and PlanDefinition"
  for id in $(ids ValueSet); do
    curl -s -m 60 -o /dev/null "$BASE/fhir/ValueSet/$id/\$expand"
  done
  report "$round" "\$expand of every ValueSet"
  for _ in $(seq 1 50); do
    curl -s -m 60 -o /dev/null "$BASE/fhir/Observation?patient=ops-1&code=http://loinc.org%7C8478-0"
    curl -s -m 60 -o /dev/null "$BASE/fhir/Evidence?title:contains=TARTARE"
    curl -s -m 60 -o /dev/null "$BASE/fhir/AuditEvent?_count=100"
    curl -s -m 60 -o /dev/null "$BASE/fhir/Patient?_count=500"
  done
  report "$round" "200 searches"
done
echo
echo "resident memory at the end: $(( $(ps -o rss= -p "$JVM") / 1024 )) MB; heap limit: $(jcmd "$JVM" VM.flags | tr ' ' '\n' | awk -F= '/MaxHeapSize/ {printf "%.0f MB", $2 / 1048576; exit}')"
