#!/usr/bin/env bash
# Mint: data keys from crypto-service's API as evidence-service asks for them (its client certificate, its service
# token for crypto-service), one per request against a batch of 100 per request, in the same run, over kept-alive
# mutual-TLS connections, for a workspace whose key is in the local keystore. The batch shows what the per-request
# cost (TLS record, token check, JSON, a database read of the workspace's current key version) adds to one mint.
# Needs the suite running (./spalce up; SPALCE_SERVICE_JVM_OPTS="" for full JIT) and the benchmark jar
# (./mvnw -pl benchmarks -am -Pjmh -DskipTests package). One key per request is measured twice: as configured, and
# with crypto-service restarted to verify every token in full. Replaces "## crypto-service: mint" in docs/benchmarks.md and
# writes mint.single.perSecond, mint.single.p99Ms and mint.batch.perSecond into benchmarks/results.json.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${SPALCE_GATEWAY_TLS_PORT:=8443}"
: "${SPALCE_CRYPTO_PORT:=8082}"
: "${SPALCE_OIDC_ISSUER:=http://127.0.0.1:18080/spalce}"
: "${SPALCE_STATE_DIR:=$ROOT/.spalce}"
: "${DURATION:=20}"
: "${WARMUP:=20}"
# A restarted service starts with a cold JIT: the path measured after a restart gets a longer warm-up.
: "${WARMUP_AFTER_RESTART:=20}"
: "${CONNECTIONS:=8}"
: "${BATCH:=100}"
GATEWAY="https://127.0.0.1:$SPALCE_GATEWAY_TLS_PORT"
CRYPTO="https://127.0.0.1:$SPALCE_CRYPTO_PORT"
REPORT="$ROOT/docs/benchmarks.md"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
JAVA="${JAVA_HOME:-/usr}/bin/java"
# shellcheck source=../results.sh
source "$ROOT/benchmarks/results.sh"

suite_running || { echo "the suite is not running: ./spalce up first" >&2; exit 1; }
[[ -f "$JAR" ]] || { echo "$JAR is missing: ./mvnw -pl benchmarks -am -Pjmh -DskipTests package, then ./spalce up" >&2; exit 1; }

# evidence-service's identity, as crypto-service's allow-list for minting names it: a fresh key pair of it from the
# local internal CA, in a folder of this run only (owner-only, removed at the end), and its token for crypto-service.
CLIENT_PKI=$(mktemp -d "$SPALCE_STATE_DIR/bench-pki-XXXXXX")
trap 'rm -rf "$CLIENT_PKI"' EXIT
"$ROOT/spalce" pki issue evidence-service "$CLIENT_PKI" >/dev/null
CA="$SPALCE_STATE_DIR/pki/ca.crt"
client=("$CLIENT_PKI/evidence-service.crt" "$CLIENT_PKI/evidence-service.key")

token_for() { curl -fsS "$SPALCE_OIDC_ISSUER/token" "$@" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'; }
user_token=$(token_for -d grant_type=password -d username=bench-owner -d password=x -d client_id=spalce-bench -d scope=openid)
# Tokens live 300 s locally, less than the whole run: a fresh one for each group of measurements.
fresh_service_token() {
  service_token=$(token_for -d grant_type=client_credentials -d client_id=spalce-evidence-service \
    -d client_secret=local-service-secret -d audience=spalce-crypto)
}
fresh_service_token
gateway_curl() { curl -fsS --cacert "$SPALCE_STATE_DIR/tls/gateway-cert.pem" -H "Authorization: Bearer $user_token" \
  -H 'Content-Type: application/json' "$@"; }
workspace=$(gateway_curl -d '{"name":"Mint benchmark"}' "$GATEWAY/api/v1/workspaces" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
gateway_curl -o /dev/null -d '{"provider":"local"}' "$GATEWAY/api/v1/workspaces/$workspace/keys"

measure() { # url json: "requests/s p50 p99 non-2xx"
  "$JAVA" -Xmx256m "-Dtlsload.json=$2" -cp "$JAR" dev.spalce.benchmarks.gateway.TlsLoad "$1" "$service_token" "$CA" \
    reuse "$CONNECTIONS" "$DURATION" "$WARMUP" "${client[@]}"
}
ms() { awk -v t="$1" 'BEGIN { if (t ~ /ms$/) printf "%.3f", t + 0; else printf "%.3f", t * 1000 }'; }

ids=$(for i in $(seq 1 "$BATCH"); do printf '"r-%d",' "$i"; done)
load_start=$(load_average)
single=$(measure "$CRYPTO/internal/v1/workspaces/$workspace/data-keys" '{"recordType":"personnel","recordId":"r-1"}')
batch=$(measure "$CRYPTO/internal/v1/workspaces/$workspace/data-keys/mint-batch" \
  "{\"recordType\":\"personnel\",\"recordIds\":[${ids%,}]}")
# One key per request again with crypto-service verifying every request's token in full
# (spalce.verified-tokens.max-entries=0), then the default restored: what reusing a token's verification saves.
# Both ways after a restart and the same warm-up, so that neither has the warmer JIT.
restart_with_token_reuse crypto-service
fresh_service_token
single_reuse=$(WARMUP=$WARMUP_AFTER_RESTART measure "$CRYPTO/internal/v1/workspaces/$workspace/data-keys" '{"recordType":"personnel","recordId":"r-1"}')
restart_without_token_reuse crypto-service
fresh_service_token
single_full=$(WARMUP=$WARMUP_AFTER_RESTART measure "$CRYPTO/internal/v1/workspaces/$workspace/data-keys" '{"recordType":"personnel","recordId":"r-1"}')
restart_with_token_reuse crypto-service
load_end=$(load_average)
read -r single_full_rps single_full_p50 single_full_p99 single_full_errors <<<"$single_full"
read -r single_reuse_rps single_reuse_p50 single_reuse_p99 single_reuse_errors <<<"$single_reuse"
read -r single_rps single_p50 single_p99 single_errors <<<"$single"
read -r batch_rps batch_p50 batch_p99 batch_errors <<<"$batch"
batch_keys=$(awk -v r="$batch_rps" -v n="$BATCH" 'BEGIN {printf "%.0f", r * n}')
[[ "$single_errors" == 0 && "$batch_errors" == 0 && "$single_full_errors" == 0 && "$single_reuse_errors" == 0 ]] \
  || { echo "mint benchmark: $single_errors single and $batch_errors batch requests were not 2xx" >&2; exit 1; }

section=$(cat <<MD
## crypto-service: mint

Data keys minted through crypto-service's API as evidence-service asks for them (its client certificate, its token
for crypto-service, a workspace whose key is in the local keystore), measured by \`benchmarks/mint/run.sh\` with the
closed-loop generator \`TlsLoad\` ($CONNECTIONS kept-alive mutual-TLS connections, ${WARMUP} s unrecorded warm-up, then
${DURATION} s each), one key per request against $BATCH per request, in the same run.

- Run on $(date -u +%Y-%m-%d) with $(service_jdk crypto-service), $(nproc) cores; the generator on the same cores as the suite. One-minute load average: $load_start as the run began, $load_end as it ended.

| request | requests/s | keys/s | p50 | p99 |
|---|---:|---:|---:|---:|
| one key (\`POST …/data-keys\`) | $single_rps | $single_rps | $single_p50 | $single_p99 |
| $BATCH keys (\`POST …/data-keys/mint-batch\`) | $batch_rps | $batch_keys | $batch_p50 | $batch_p99 |
| after a restart: one key, verification reused per token (the default) | $single_reuse_rps | $single_reuse_rps | $single_reuse_p50 | $single_reuse_p99 |
| after a restart: one key, every token verified in full | $single_full_rps | $single_full_rps | $single_full_p50 | $single_full_p99 |

The last two rows compare bearer-token verification reused per token (the default: the service verifies a token once
and reuses that for the same token until its expiry, 60 s at most) with every request's token verified in full
(RS256 signature, claims; \`spalce.verified-tokens.max-entries=0\`): crypto-service restarted each way, then
warmed up for ${WARMUP_AFTER_RESTART} s before it is measured.
MD
)
python3 - "$REPORT" "$section" <<'PY'
import os, re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
pattern = re.compile(r"\n## crypto-service: mint\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub("", text).rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "$section"
write_results benchmarks/mint/run.sh "$(service_jdk crypto-service)" "$load_start" "$load_end" \
  "mint.single.perSecond=$single_rps" "mint.single.p99Ms=$(ms "$single_p99")" "mint.batch.perSecond=$batch_keys" \
  "mint.single.perSecond@p50Ms=$(ms "$single_p50")" "mint.single.perSecond@connections=$CONNECTIONS" \
  "mint.batch.perSecond@batch=$BATCH" "mint.batch.perSecond@requestsPerSecond=$batch_rps" \
  "mint.batch.perSecond@p99Ms=$(ms "$batch_p99")" \
  "mint.single.perSecond@withoutTokenReuse=$single_full_rps" \
  "mint.single.perSecond@withTokenReuseAfterRestart=$single_reuse_rps" "mint.single.p99Ms@withoutTokenReuse=$(ms "$single_full_p99")"
