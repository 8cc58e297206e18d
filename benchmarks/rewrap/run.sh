#!/usr/bin/env bash
# rewrap-worker at a million records, against the running local suite, in one run. Build the benchmark jar first,
# then start the suite with full JIT:
#   ./mvnw -pl benchmarks -am -Pjmh -DskipTests package && SPALCE_SERVICE_JVM_OPTS="" ./spalce up --no-build
# Steps:
#   1. RECORDS check results seeded through the gateway (scan runs of 500, the batch API);
#   2. the ceiling: the same rows read by keyset, BATCH at a time, and written back with the statement
#      evidence-service's compare-and-set runs (one UPDATE per batch), straight to PostgreSQL; then a rotation and its rewrap job, with the budget
#      out of the way (rewrap-worker restarted with 1,000,000 requests/s and batches of BATCH);
#   3. the budget: rewrap-worker restarted with BUDGET requests/s and batches of 200; live reads and writes through
#      the gateway for PHASE_SECONDS without a rewrap, then as long again while a new rotation's job runs, the rate
#      crypto-service sees sampled from its metrics; the job is then cancelled.
# Run it with the SPALCE_SERVICE_JVM_OPTS the suite was started with: rewrap-worker is restarted with them.
# rewrap-worker is restarted with its usual settings at the end. The report goes to docs/benchmarks.md
# (## rewrap-worker), the headline figures (rewrap.ceilingRatio, rewrap.budgetRatio) to benchmarks/results.json;
# the raw figures to target/rewrap-benchmark.txt. Takes 20 to 40 minutes on two cores.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${RECORDS:=1000000}"
: "${BATCH:=500}"
: "${BUDGET:=1000}"
: "${PHASE_SECONDS:=30}"
REPORT="$ROOT/docs/benchmarks.md"
OUT="$ROOT/benchmarks/target/rewrap-benchmark.txt"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
JAVA="${JAVA_HOME:-/usr}/bin/java"
# shellcheck source=../results.sh
source "$ROOT/benchmarks/results.sh"

suite_running || { echo "the suite is not running: ./spalce up first" >&2; exit 1; }
# Built before the suite starts: building it rebuilds the services it depends on, under the running ones.
[[ -f "$JAR" ]] || { echo "$JAR is missing: ./mvnw -pl benchmarks -am -Pjmh -DskipTests package, then ./spalce up" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
: >"$OUT"

step() { # step ARGS...: one step of the harness; its key=value lines are kept
  "$JAVA" -cp "$JAR" dev.spalce.benchmarks.rewrap.RewrapBenchmark "$@" | tee -a "$OUT"
}
figure() { sed -n "s/^$1=//p" "$OUT" | tail -n 1; }
restart_worker() { # restart_worker RPS BATCH: the budget of the local provider, which the suite's keys use
  SPALCE_REWRAP_RUNNER_REQUESTS_PER_SECOND_LOCAL=$1 SPALCE_REWRAP_RUNNER_BATCH_SIZE=$2 \
    "$ROOT/spalce" restart rewrap-worker
}
trap '"$ROOT/spalce" restart rewrap-worker >/dev/null || true' EXIT

echo "==> Seeding $RECORDS records"
restart_worker 1000000 "$BATCH"
step seed "$RECORDS"
workspace=$(figure workspace)
echo "==> Ceiling, then the rewrap with no budget to wait for"
load_start=$(load_average)
step throughput "$workspace" "$BATCH"
echo "==> Budget $BUDGET requests/s, live traffic with and without a rewrap"
restart_worker "$BUDGET" 200
step budget "$workspace" "$BUDGET" "$PHASE_SECONDS"
load_end=$(load_average)

# The JDK the services run on (the local runtime picks the newest it finds).
java_version=$(service_jdk evidence-service)
section=$(cat <<MD
## rewrap-worker

Measured by \`benchmarks/rewrap/run.sh\` against the running local suite (\`./spalce up\`, services with
\`SPALCE_SERVICE_JVM_OPTS="${SPALCE_SERVICE_JVM_OPTS-}"\`, \`SPALCE_SERVICE_HEAP=${SPALCE_SERVICE_HEAP:-256m}\`), $(date -u +%Y-%m-%d), $java_version, $(nproc) cores; PostgreSQL,
Kafka, the OIDC server, the object store, the five services and the load generator all on the same machine.

**Throughput**: $(figure seeded) check results of one workspace (seeded through the gateway in $(figure seed_seconds) s,
$(figure seed_per_second) records/s), rewrap-worker with batches of $BATCH and no budget to wait for. One-minute load
average: $load_start as the ceiling step began, $load_end as the budget step ended.

| what | records | seconds | records/s |
|---|---:|---:|---:|
| PostgreSQL ceiling: keyset page of $BATCH + evidence-service's compare-and-set UPDATE, one transaction each | $(figure ceiling_rows) | $(figure ceiling_seconds) | $(figure ceiling_per_second) |
| rewrap job: count, page, rewrap at crypto-service, compare-and-set at evidence-service, checkpoint | $(figure rewrap_records) | $(figure rewrap_seconds) | $(figure rewrap_per_second) |

The job reached $(figure rewrap_vs_ceiling) of the ceiling, in $(figure rewrap_passes) pass, $(figure rewrap_skipped) records skipped as changed
meanwhile. What bounds it on two cores: \`docs/rewrap.md\`, "Speed".

**Budget**: rewrap-worker restarted with $BUDGET KMS requests/s and batches of 200; crypto-service's count of keys
rewrapped (\`spalce.datakeys.items\`) sampled every second for $PHASE_SECONDS s while the job ran: **$(figure achieved_per_second)
requests/s, $(figure achieved_vs_budget) of the budget**.

**Live traffic** through the gateway (TLS, user token), $PHASE_SECONDS s each: two readers fetching a scan run's page of
100 results (each decrypted, one batched unwrap), one writer recording a result every 100 ms. The two phases run one
after the other, not interleaved, so background work (PostgreSQL vacuuming the rows the throughput step rewrote,
the services' JIT) can favour either.

| | reads | read p50 | read p99 | writes | write p50 | write p99 |
|---|---:|---:|---:|---:|---:|---:|
| no rewrap running | $(figure without_rewrap_read_count) | $(figure without_rewrap_read_p50_ms) ms | $(figure without_rewrap_read_p99_ms) ms | $(figure without_rewrap_write_count) | $(figure without_rewrap_write_p50_ms) ms | $(figure without_rewrap_write_p99_ms) ms |
| rewrap running at the budget | $(figure with_rewrap_read_count) | $(figure with_rewrap_read_p50_ms) ms | $(figure with_rewrap_read_p99_ms) ms | $(figure with_rewrap_write_count) | $(figure with_rewrap_write_p50_ms) ms | $(figure with_rewrap_write_p99_ms) ms |
MD
)

# Replace the section if it is there, else append it.
python3 - "$REPORT" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
text = open(path).read()
pattern = re.compile(r"^## rewrap-worker\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
echo "==> Report written to docs/benchmarks.md (## rewrap-worker)"
write_results benchmarks/rewrap/run.sh "$java_version" "$load_start" "$load_end" \
  "rewrap.ceilingRatio=$(figure rewrap_vs_ceiling)" \
  "rewrap.ceilingRatio@records=$(figure rewrap_records)" \
  "rewrap.ceilingRatio@rewrapRecordsPerSecond=$(figure rewrap_per_second)" \
  "rewrap.ceilingRatio@ceilingRowsPerSecond=$(figure ceiling_per_second)" \
  "rewrap.budgetRatio=$(figure achieved_vs_budget)" \
  "rewrap.budgetRatio@budgetRequestsPerSecond=$BUDGET" \
  "rewrap.budgetRatio@achievedRequestsPerSecond=$(figure achieved_per_second)"
