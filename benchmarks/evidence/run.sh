#!/usr/bin/env bash
# Evidence benchmark: throughput of evidence files (64 MiB and 1 GiB) up and down through the gateway, and for
# 64 MiB straight to evidence-service, against a plain unencrypted PUT and GET of the same bytes to the same object
# store in the same run; then the latency of a personnel page of 100 decrypted records (and of one record).
# Replaces the "### Encryption overhead ..." part of docs/benchmarks.md's "## evidence-service" section, and writes
# its headline figures (evidence.*, personnel.page100.*) into benchmarks/results.json.
#
#   benchmarks/evidence/run.sh up [--no-build]   build (with the benchmark jar) and start the suite for it:
#                                                 ./spalce up with full JIT and a key pair for internal tokens
#   benchmarks/evidence/run.sh [ARGS]            run against the running suite (ARGS go to EvidenceBenchmark)
#   ./spalce down                                 afterwards, as always
#
# Calling evidence-service directly needs mutual TLS and the token the gateway signs for a user's request. The
# client certificate is a key pair of the gateway's identity from the local internal CA (`./spalce pki issue`, never
# the running gateway's own), issued for each run into a folder of that run only and removed when it ends. The local gateway
# otherwise signs those with a key it generates at start-up, so `up` makes an RSA key pair for this one suite
# (private key readable by this user only, under $SPALCE_STATE_DIR/bench) and starts the suite with it, as
# production gives the gateway its key pair. The local runtime hands its environment to every process it starts, so
# the other services see that private key too: acceptable for a loopback suite's throwaway key, which is why `up`
# makes a fresh one each time and only that one suite trusts it. Against a suite started by plain `./spalce up` only
# the gateway path is measured. The harness reads the SPALCE_* settings of deploy/local/spalce.sh, with its defaults.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${SPALCE_STATE_DIR:=$ROOT/.spalce}"
: "${SPALCE_MANAGEMENT_PORT_BASE:=9180}"
: "${SPALCE_GATEWAY_PORT:=8080}"
export SPALCE_STATE_DIR
KEY_DIR="$SPALCE_STATE_DIR/bench"
PRIVATE_KEY="$KEY_DIR/internal-token-key.pem"
JAR="$ROOT/benchmarks/target/benchmarks.jar"

# shellcheck source=../results.sh
source "$ROOT/benchmarks/results.sh"

die() { printf 'evidence benchmark: %s\n' "$*" >&2; exit 1; }

# A PEM's base64 body on one line, as the key settings are read: PKCS#8 for the private key, X.509 for the public.
pem_body() { sed '/^-----/d' | tr -d '\n'; }

up() {
  local build=true
  [[ "${1:-}" == "--no-build" ]] && build=false
  if $build; then
    echo "==> Building the suite and the benchmark jar (tests skipped)"
    "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -Pjmh package -DskipTests
  fi
  [[ -f "$JAR" ]] || die "$JAR is missing: run without --no-build"
  mkdir -p "$KEY_DIR"
  ( umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PRIVATE_KEY" 2>/dev/null ) \
    || die "could not generate the internal-token key pair"
  # Full JIT unless the caller chose otherwise: the local runtime's C1-only default measures start-up, not speed.
  SPALCE_SERVICE_JVM_OPTS=${SPALCE_SERVICE_JVM_OPTS-} \
  SPALCE_GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY=$(pem_body <"$PRIVATE_KEY") \
  SPALCE_INTERNAL_TOKEN_PUBLIC_KEY=$(openssl pkey -in "$PRIVATE_KEY" -pubout 2>/dev/null | pem_body) \
    "$ROOT/spalce" up --no-build
}

run() {
  [[ -f "$JAR" ]] || die "$JAR is missing: benchmarks/evidence/run.sh up builds it (before the suite starts, since a build rewrites the running services' jars)"
  suite_running || die "the suite is not running: benchmarks/evidence/run.sh up (or ./spalce up) first"
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java" options pid key=()
  # What the services really run with, from the evidence-service process itself (JVM options only).
  pid=$(cat "$SPALCE_STATE_DIR/run/evidence-service.pid")
  options=$(ps -o args= -p "$pid" | awk '{for (i = 2; i <= NF && $i != "-jar"; i++) if ($i !~ /^-D/) printf "%s ", $i}')
  # The direct path only when the running gateway publishes this very key (a key left by an earlier suite is not).
  if [[ -s "$PRIVATE_KEY" ]]; then
    local kid
    kid=$(openssl pkey -in "$PRIVATE_KEY" -pubout -outform DER 2>/dev/null | sha256sum | cut -c1-16)
    if curl -fsS "http://127.0.0.1:$SPALCE_GATEWAY_PORT/internal/v1/token-keys" | grep -q "\"kid\":\"$kid\""; then
      # The client identity of this run: owner-only folder, removed on exit.
      CLIENT_PKI=$(mktemp -d "$SPALCE_STATE_DIR/bench-pki-XXXXXX")
      trap 'rm -rf "$CLIENT_PKI"' EXIT
      "$ROOT/spalce" pki issue auth-gateway "$CLIENT_PKI" >/dev/null || die "could not issue a client certificate"
      key=(--internal-token-key "$PRIVATE_KEY" --client-certificate "$CLIENT_PKI/auth-gateway.crt"
        --client-key "$CLIENT_PKI/auth-gateway.key" --internal-ca "$SPALCE_STATE_DIR/pki/ca.crt")
    else
      echo "the gateway was not started with the benchmark's key pair: measuring through the gateway only" >&2
    fi
  fi
  # The services run on the newest JDK (deploy/local/spalce.sh); so does the benchmark.
  [[ -n "${JAVA_HOME:-}" ]] || java=$(readlink -f "/proc/$pid/exe")
  # Not exec'd: the trap above removes the client key pair when the harness ends.
  "$java" -Xmx256m -cp "$JAR" dev.spalce.benchmarks.evidence.EvidenceBenchmark "${key[@]}" \
    --service-options "${options% }" --report "$ROOT/docs/benchmarks.md" --results "$ROOT/benchmarks/results.json" "$@"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  *) run "$@" ;;
esac
