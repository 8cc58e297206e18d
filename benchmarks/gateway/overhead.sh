#!/usr/bin/env bash
# Gateway overhead: latency (p50, p99) and throughput of one read through the gateway — token verification,
# workspace role check, a fresh internal token, streaming proxy, over TLS — against the same read sent straight
# to the internal service with a service token, in the same run. Needs the suite running (./spalce up) and wrk
# (Debian package wrk; installed if missing). Appends its report to docs/benchmarks.md (## auth-gateway).
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

measure() { # name url token
  local out
  out=$(wrk --latency -t2 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $3" "$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
}

path="/workspaces/$workspace/audit-events?limit=1"
direct=$(measure "audit-log-service directly (service token, HTTP)" "$AUDIT/internal/v1$path" "$service_token")
routed=$(measure "through the gateway (user token, TLS, role check, internal token)" "$GATEWAY/api/v1$path" "$user_token")
# A fresh token would be needed after 300 s; the runs above take well under that.

section=$(cat <<MD
## auth-gateway

Gateway overhead, measured by \`benchmarks/gateway/overhead.sh\` against the running local suite (\`./spalce up\`):
the same read — one page of a workspace's audit log — sent straight to audit-log-service and sent through the
gateway, with wrk (2 threads, $CONNECTIONS connections, $DURATION each), in the same run.

- Run on $(date -u +%Y-%m-%d) with $("${JAVA_HOME:-/usr}/bin/java" -version 2>&1 | head -n 1), $(nproc) cores; every process of the suite on the same machine as wrk.

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
