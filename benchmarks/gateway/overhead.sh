#!/usr/bin/env bash
# Gateway overhead: latency (p50, p99) and throughput of one read through the gateway — token verification,
# workspace role check, a fresh internal token, streaming proxy, over TLS — against the same read sent straight
# to the internal service, in the same run. The internal services take mutual TLS only, so the direct path presents
# a client certificate from the local internal CA (a key pair issued for this run with `./spalce pki issue`, never
# the running gateway's own) and a service token for audit-log-service's audience; it is measured twice: over
# kept-alive connections (as the services call each other: pooled connections, no handshake on the hot path) and
# with a full mutual-TLS handshake for every request (what mTLS costs when nothing reuses a connection). Plain HTTP is
# not served any more, so there is no path without TLS to compare with.
# The kept-alive direct path and the gateway path are measured again with bearer-token verification reuse turned off in
# the gateway and audit-log-service (both restarted for it, then restored), so that its effect is in the same run.
# wrk cannot present a client certificate: every path is driven by the same closed-loop generator
# (dev.spalce.benchmarks.gateway.TlsLoad in the benchmark jar). Needs the suite running (./spalce up) and the jar,
# built before the suite started (./mvnw -pl benchmarks -am -Pjmh -DskipTests package). Appends its report to
# docs/benchmarks.md (## auth-gateway) and its headline figures (gateway.throughputRatio, gateway.addedP50Ms,
# gateway.mtlsHandshakeP50Ms) to benchmarks/results.json.
# Start the suite with full JIT for meaningful figures: SPALCE_SERVICE_JVM_OPTS="" ./spalce up
# DURATION and WARMUP are in seconds; CONNECTIONS is the number of concurrent connections (one thread each).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${SPALCE_GATEWAY_TLS_PORT:=8443}"
: "${SPALCE_AUDIT_PORT:=8084}"
: "${SPALCE_OIDC_ISSUER:=http://127.0.0.1:18080/spalce}"
: "${SPALCE_STATE_DIR:=$ROOT/.spalce}"
: "${DURATION:=20}"
: "${WARMUP:=20}"
# A restarted service starts with a cold JIT: the paths measured after a restart get a longer warm-up.
: "${WARMUP_AFTER_RESTART:=20}"
: "${CONNECTIONS:=16}"
GATEWAY="https://127.0.0.1:$SPALCE_GATEWAY_TLS_PORT"
AUDIT="https://127.0.0.1:$SPALCE_AUDIT_PORT"
REPORT="$ROOT/docs/benchmarks.md"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
JAVA="${JAVA_HOME:-/usr}/bin/java"
# shellcheck source=../results.sh
source "$ROOT/benchmarks/results.sh"

suite_running || { echo "the suite is not running: ./spalce up first" >&2; exit 1; }
[[ -f "$JAR" ]] || { echo "$JAR is missing: ./mvnw -pl benchmarks -am -Pjmh -DskipTests package, then ./spalce up" >&2; exit 1; }

# The direct path's client identity: a fresh key pair of the gateway's identity from the local internal CA, in a
# folder of this run only (owner-only, removed at the end).
CLIENT_PKI=$(mktemp -d "$SPALCE_STATE_DIR/bench-pki-XXXXXX")
trap 'rm -rf "$CLIENT_PKI"' EXIT
"$ROOT/spalce" pki issue auth-gateway "$CLIENT_PKI" >/dev/null
CA="$SPALCE_STATE_DIR/pki/ca.crt"

token_for() { curl -fsS "$SPALCE_OIDC_ISSUER/token" "$@" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'; }
# Tokens live 300 s locally, less than the whole run: fresh ones for each group of measurements.
fresh_tokens() {
  user_token=$(token_for -d grant_type=password -d username=bench-owner -d password=x -d client_id=spalce-bench \
    -d scope=openid)
  # A token is bound to one service (its audience): this one is for audit-log-service only.
  service_token=$(token_for -d grant_type=client_credentials -d client_id=spalce-auth-gateway \
    -d client_secret=local-service-secret -d audience=spalce-audit)
}
fresh_tokens
workspace=$(curl -fsS --cacert "$SPALCE_STATE_DIR/tls/gateway-cert.pem" -H "Authorization: Bearer $user_token" \
  -H 'Content-Type: application/json' -d '{"name":"Benchmark"}' "$GATEWAY/api/v1/workspaces" \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
sleep 3   # let workspace.created reach the audit log, so both paths read one entry

measure() { # url token ca reuse|handshake [client-cert client-key]: "requests/s p50 p99 non-2xx" (p50 as 1.234ms)
  "$JAVA" -Xmx256m -cp "$JAR" dev.spalce.benchmarks.gateway.TlsLoad "$1" "$2" "$3" "$4" "$CONNECTIONS" \
    "$DURATION" "$WARMUP" "${@:5}"
}
row() { # name "requests/s p50 p99 non-2xx"
  local rps p50 p99 errors
  read -r rps p50 p99 errors <<<"$2"
  printf '| %s | %s | %s | %s | %s |' "$1" "$rps" "$p50" "$p99" "$errors"
}
ms() { # a latency in milliseconds, from wrk's or TlsLoad's form (850.00us, 13.95ms, 1.02s)
  awk -v t="$1" 'BEGIN {
    if (t ~ /us$/) printf "%.3f", t / 1000; else if (t ~ /ms$/) printf "%.3f", t + 0; else printf "%.3f", t * 1000 }'
}

path="/workspaces/$workspace/audit-events?limit=1"
client=("$CLIENT_PKI/auth-gateway.crt" "$CLIENT_PKI/auth-gateway.key")
load_start=$(load_average)
direct_figures=$(measure "$AUDIT/internal/v1$path" "$service_token" "$CA" reuse "${client[@]}")
handshake_figures=$(measure "$AUDIT/internal/v1$path" "$service_token" "$CA" handshake "${client[@]}")
fresh_tokens
routed_figures=$(measure "$GATEWAY/api/v1$path" "$user_token" "$SPALCE_STATE_DIR/tls/gateway-cert.pem" reuse)
# The same two kept-alive paths with every token verified in full (spalce.verified-tokens.max-entries=0 in the
# gateway and audit-log-service), then the default restored: what reusing a token's verification saves.
# Both ways after a restart and the same warm-up, so that neither has the warmer JIT.
restart_with_token_reuse auth-gateway audit-log-service
fresh_tokens
direct_reuse_figures=$(WARMUP=$WARMUP_AFTER_RESTART measure "$AUDIT/internal/v1$path" "$service_token" "$CA" reuse "${client[@]}")
routed_reuse_figures=$(WARMUP=$WARMUP_AFTER_RESTART measure "$GATEWAY/api/v1$path" "$user_token" \
  "$SPALCE_STATE_DIR/tls/gateway-cert.pem" reuse)
restart_without_token_reuse auth-gateway audit-log-service
fresh_tokens
direct_full_figures=$(WARMUP=$WARMUP_AFTER_RESTART measure "$AUDIT/internal/v1$path" "$service_token" "$CA" reuse "${client[@]}")
routed_full_figures=$(WARMUP=$WARMUP_AFTER_RESTART measure "$GATEWAY/api/v1$path" "$user_token" \
  "$SPALCE_STATE_DIR/tls/gateway-cert.pem" reuse)
restart_with_token_reuse auth-gateway audit-log-service
load_end=$(load_average)
direct=$(row "audit-log-service directly (service token, mutual TLS, kept-alive connections)" "$direct_figures")
handshake=$(row "audit-log-service directly, a full mutual-TLS handshake per request" "$handshake_figures")
routed=$(row "through the gateway (user token, TLS, role check, internal token; mutual TLS to the service)" "$routed_figures")
read -r direct_rps direct_p50 direct_p99 direct_errors <<<"$direct_figures"
read -r handshake_rps handshake_p50 handshake_p99 handshake_errors <<<"$handshake_figures"
read -r routed_rps routed_p50 routed_p99 routed_errors <<<"$routed_figures"
direct_reuse=$(row "after a restart: audit-log-service directly, verification reused per token (the default)" "$direct_reuse_figures")
routed_reuse=$(row "after a restart: through the gateway, verification reused per token (the default)" "$routed_reuse_figures")
direct_full=$(row "after a restart: audit-log-service directly, every token verified in full" "$direct_full_figures")
routed_full=$(row "after a restart: through the gateway, every token verified in full (gateway and service)" "$routed_full_figures")
read -r direct_reuse_rps _ _ _ <<<"$direct_reuse_figures"
read -r routed_reuse_rps _ _ _ <<<"$routed_reuse_figures"
read -r direct_full_rps direct_full_p50 _ _ <<<"$direct_full_figures"
read -r routed_full_rps routed_full_p50 _ _ <<<"$routed_full_figures"

section=$(cat <<MD
## auth-gateway

Gateway overhead, measured by \`benchmarks/gateway/overhead.sh\` against the running local suite (\`./spalce up\`):
the same read — one page of a workspace's audit log — sent straight to audit-log-service and sent through the
gateway, with one closed-loop generator for every path (\`TlsLoad\`: $CONNECTIONS connections, one thread each,
${WARMUP} s unrecorded warm-up, then ${DURATION} s), in the same run. audit-log-service takes mutual TLS only, so the
direct path presents a client certificate of the local internal CA; it is measured over kept-alive connections and
with a full mutual-TLS handshake for every request. There is no plain-HTTP path to compare with any more.

- Run on $(date -u +%Y-%m-%d) with $(service_jdk auth-gateway), $(nproc) cores; every process of the suite on the same machine as the generator. One-minute load average: $load_start as the run began, $load_end as it ended.

| path | requests/s | p50 | p99 | non-2xx |
|---|---:|---:|---:|---:|
$direct
$handshake
$routed
$direct_reuse
$routed_reuse
$direct_full
$routed_full

The last four rows compare bearer-token verification reused per token (the default: a service verifies a token once
and reuses that for the same token until its expiry, 60 s at most) with every request's token verified in full
(RS256 signature, claims; \`spalce.verified-tokens.max-entries=0\`): the gateway and audit-log-service restarted
each way, then each path warmed up for ${WARMUP_AFTER_RESTART} s before it is measured (docs/threat-model.md).
Through the gateway a request also pays TLS, verification of the user's RS256 token (once per token), the member's role
(looked up in PostgreSQL, remembered for 2 seconds), the internal token (an RS256 signature, reused while it has more than half its 60 s left),
its verification by audit-log-service, and the gateway's own call over mutual TLS on a pooled connection (no
handshake per request). The handshake row is what mutual TLS would cost every call if nothing reused connections.
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
  "gateway.mtlsHandshakeP50Ms=$(awk -v a="$(ms "$handshake_p50")" -v b="$(ms "$direct_p50")" 'BEGIN {printf "%.3f", a - b}')" \
  "gateway.throughputRatio@directRequestsPerSecond=$direct_rps" "gateway.throughputRatio@gatewayRequestsPerSecond=$routed_rps" \
  "gateway.throughputRatio@directNon2xx=$direct_errors" "gateway.throughputRatio@gatewayNon2xx=$routed_errors" \
  "gateway.throughputRatio@connections=$CONNECTIONS" "gateway.throughputRatio@seconds=$DURATION" \
  "gateway.addedP50Ms@directP50Ms=$(ms "$direct_p50")" "gateway.addedP50Ms@gatewayP50Ms=$(ms "$routed_p50")" \
  "gateway.addedP50Ms@directP99Ms=$(ms "$direct_p99")" "gateway.addedP50Ms@gatewayP99Ms=$(ms "$routed_p99")" \
  "gateway.mtlsHandshakeP50Ms@reusedRequestsPerSecond=$direct_rps" \
  "gateway.mtlsHandshakeP50Ms@handshakeRequestsPerSecond=$handshake_rps" \
  "gateway.mtlsHandshakeP50Ms@handshakeP99Ms=$(ms "$handshake_p99")" \
  "gateway.mtlsHandshakeP50Ms@handshakeNon2xx=$handshake_errors" \
  "gateway.throughputRatio@gatewayRequestsPerSecondReuseAfterRestart=$routed_reuse_rps" \
  "gateway.throughputRatio@directRequestsPerSecondReuseAfterRestart=$direct_reuse_rps" \
  "gateway.throughputRatio@withoutTokenReuse=$(awk -v a="$routed_full_rps" -v b="$direct_full_rps" 'BEGIN {printf "%.3f", a / b}')" \
  "gateway.throughputRatio@gatewayRequestsPerSecondWithoutTokenReuse=$routed_full_rps" \
  "gateway.throughputRatio@directRequestsPerSecondWithoutTokenReuse=$direct_full_rps" \
  "gateway.addedP50Ms@withoutTokenReuse=$(awk -v a="$(ms "$routed_full_p50")" -v b="$(ms "$direct_full_p50")" 'BEGIN {printf "%.3f", a - b}')"
