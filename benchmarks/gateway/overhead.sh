#!/usr/bin/env bash
# Gateway overhead: latency (p50, p99) and throughput of one read through the gateway — token verification,
# workspace role check, a fresh internal token, streaming proxy, over TLS — against the same read sent straight
# to the internal service with a service token, in the same run. Needs the suite running (./spalce up) and wrk
# (Debian package wrk; installed if missing). Appends its report to docs/benchmarks.md (## auth-gateway) and its
# headline figures (gateway.throughputRatio, gateway.addedP50Ms) to benchmarks/results.json, for which the benchmark
# jar must have been built before the suite started (./mvnw -pl benchmarks -am -Pjmh -DskipTests package).
# Start the suite with full JIT for meaningful figures: SPALCE_SERVICE_JVM_OPTS="" ./spalce up
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${SPALCE_GATEWAY_TLS_PORT:=8443}"
: "${SPALCE_AUDIT_PORT:=8084}"
: "${SPALCE_OIDC_ISSUER:=http://127.0.0.1:18080/spalce}"
: "${SPALCE_STATE_DIR:=$ROOT/.spalce}"
: "${DURATION:=20s}"
: "${CONNECTIONS:=16}"
GATEWAY="https://127.0.0.1:$SPALCE_GATEWAY_TLS_PORT"
AUDIT="http://127.0.0.1:$SPALCE_AUDIT_PORT"
REPORT="$ROOT/docs/benchmarks.md"
# shellcheck source=../results.sh
source "$ROOT/benchmarks/results.sh"

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
curl -fsS "http://127.0.0.1:${SPALCE_MANAGEMENT_PORT_BASE:-9180}/q/health/ready" >/dev/null \
  || { echo "the suite is not running: ./spalce up first" >&2; exit 1; }

token_for() { curl -fsS "$SPALCE_OIDC_ISSUER/token" "$@" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'; }
user_token=$(token_for -d grant_type=password -d username=bench-owner -d password=x -d client_id=spalce-bench -d scope=openid)
service_token=$(token_for -d grant_type=client_credentials -d client_id=spalce-auth-gateway -d client_secret=local-service-secret)
workspace=$(curl -fsS --cacert "$SPALCE_STATE_DIR/tls/gateway-cert.pem" -H "Authorization: Bearer $user_token" \
  -H 'Content-Type: application/json' -d '{"name":"Benchmark"}' "$GATEWAY/api/v1/workspaces" \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
sleep 3   # let workspace.created reach the audit log, so both paths read one entry

measure() { # url token: "requests/s p50 p99 non-2xx", latencies as wrk prints them (850.00us, 13.95ms, 1.02s)
  wrk --latency -t2 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $2" "$1" | awk '
    /Requests\/sec/ {rps = $2}
    $1 == "50%" {p50 = $2}
    $1 == "99%" {p99 = $2}
    /Non-2xx/ {errors = $5}
    END {print rps, p50, p99, errors + 0}'
}
row() { # name "requests/s p50 p99 non-2xx"
  local rps p50 p99 errors
  read -r rps p50 p99 errors <<<"$2"
  printf '| %s | %s | %s | %s | %s |' "$1" "$rps" "$p50" "$p99" "$errors"
}
ms() { # a wrk latency in milliseconds
  awk -v t="$1" 'BEGIN {
    if (t ~ /us$/) printf "%.3f", t / 1000; else if (t ~ /ms$/) printf "%.3f", t + 0; else printf "%.3f", t * 1000 }'
}

path="/workspaces/$workspace/audit-events?limit=1"
load_start=$(load_average)
direct_figures=$(measure "$AUDIT/internal/v1$path" "$service_token")
routed_figures=$(measure "$GATEWAY/api/v1$path" "$user_token")
load_end=$(load_average)
# A fresh token would be needed after 300 s; the runs above take well under that.
direct=$(row "audit-log-service directly (service token, HTTP)" "$direct_figures")
routed=$(row "through the gateway (user token, TLS, role check, internal token)" "$routed_figures")
read -r direct_rps direct_p50 direct_p99 direct_errors <<<"$direct_figures"
read -r routed_rps routed_p50 routed_p99 routed_errors <<<"$routed_figures"

section=$(cat <<MD
## auth-gateway

Gateway overhead, measured by \`benchmarks/gateway/overhead.sh\` against the running local suite (\`./spalce up\`):
the same read — one page of a workspace's audit log — sent straight to audit-log-service and sent through the
gateway, with wrk (2 threads, $CONNECTIONS connections, $DURATION each), in the same run.

- Run on $(date -u +%Y-%m-%d) with $(service_jdk auth-gateway), $(nproc) cores; every process of the suite on the same machine as wrk. One-minute load average: $load_start as the run began, $load_end as it ended.

| path | requests/s | p50 | p99 | non-2xx |
|---|---:|---:|---:|---:|
$direct
$routed

Through the gateway a request also pays TLS, verification of the user's RS256 token, the member's role
(looked up in PostgreSQL, remembered for 2 seconds), the internal token (an RS256 signature, reused while it has more than half its 60 s left) and its
verification by audit-log-service.
MD
)
python3 - "$REPORT" "$section" <<'PY' 2>/dev/null || { printf '\n%s\n' "$section" >>"$REPORT"; }
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read() if __import__('os').path.exists(path) else "# Benchmarks\n"
pattern = re.compile(r"\n## auth-gateway\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub("", text).rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "$section"
write_results benchmarks/gateway/overhead.sh "$(service_jdk auth-gateway)" "$load_start" "$load_end" \
  "gateway.throughputRatio=$(awk -v a="$routed_rps" -v b="$direct_rps" 'BEGIN {printf "%.3f", a / b}')" \
  "gateway.addedP50Ms=$(awk -v a="$(ms "$routed_p50")" -v b="$(ms "$direct_p50")" 'BEGIN {printf "%.3f", a - b}')" \
  "gateway.throughputRatio@directRequestsPerSecond=$direct_rps" "gateway.throughputRatio@gatewayRequestsPerSecond=$routed_rps" \
  "gateway.throughputRatio@directNon2xx=$direct_errors" "gateway.throughputRatio@gatewayNon2xx=$routed_errors" \
  "gateway.addedP50Ms@directP50Ms=$(ms "$direct_p50")" "gateway.addedP50Ms@gatewayP50Ms=$(ms "$routed_p50")" \
  "gateway.addedP50Ms@directP99Ms=$(ms "$direct_p99")" "gateway.addedP50Ms@gatewayP99Ms=$(ms "$routed_p99")"
