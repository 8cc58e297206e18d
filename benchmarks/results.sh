# Sourced by the shell benchmarks (ROOT set to the repository): their headline figures go into
# benchmarks/results.json through the writer every benchmark shares, dev.spalce.benchmarks.ResultsJson in the
# benchmark jar, which merges only the keys given and keeps the rest of the file.

RESULTS_JSON="$ROOT/benchmarks/results.json"
RESULTS_JAR="$ROOT/benchmarks/target/benchmarks.jar"

# suite_running: the local suite answers ready on the gateway's management port, which serves TLS with the gateway's
# internal certificate (verified against the local internal CA; no client certificate is asked there).
suite_running() {
  curl -fsS --cacert "${SPALCE_STATE_DIR:-$ROOT/.spalce}/pki/ca.crt" \
    "https://127.0.0.1:${SPALCE_MANAGEMENT_PORT_BASE:-9180}/q/health/ready" >/dev/null
}

# The one-minute load average now.
load_average() { cut -d' ' -f1 /proc/loadavg; }

# service_jdk NAME: the JDK the running service NAME runs on, as `java -version` names it.
service_jdk() {
  local pid_file="${SPALCE_STATE_DIR:-$ROOT/.spalce}/run/$1.pid"
  "$(readlink -f "/proc/$(cat "$pid_file")/exe")" -version 2>&1 | head -n 1
}

# write_results SOURCE JDK LOAD_START LOAD_END key=value key@name=value ...: key=value is a figure,
# key@name=value a figure of the same run it was computed from. Without the jar it says so and writes nothing.
write_results() {
  local source=$1 jdk=$2 load_start=$3 load_end=$4
  shift 4
  if [[ ! -f "$RESULTS_JAR" ]]; then
    echo "benchmarks/results.json not updated: $RESULTS_JAR is missing (./mvnw -pl benchmarks -am -Pjmh -DskipTests package)" >&2
    return 0
  fi
  "${JAVA_HOME:-/usr}/bin/java" -cp "$RESULTS_JAR" dev.spalce.benchmarks.ResultsJson "$RESULTS_JSON" \
    --source "$source" --jdk "$jdk" --load-start "$load_start" --load-end "$load_end" "$@"
}

# restart_without_token_reuse NAME...: restarts the running services NAME... in this order with bearer-token
# verification reuse turned off (spalce.verified-tokens.max-entries=0: every request's token verified in full);
# restart_with_token_reuse NAME... restores the default. A benchmark measures its paths both ways in one run. The
# gateway goes first: a restarted gateway signs internal tokens with a new start-up key, which a service restarted
# after it fetches on first use. Restarted with full JIT unless SPALCE_SERVICE_JVM_OPTS says otherwise, as benchmarks
# start the suite.
restart_without_token_reuse() {
  local name
  for name in "$@"; do
    SPALCE_SERVICE_JVM_OPTS=${SPALCE_SERVICE_JVM_OPTS-} SPALCE_VERIFIED_TOKENS_MAX_ENTRIES=0 \
      "$ROOT/spalce" restart "$name" >/dev/null
  done
}
restart_with_token_reuse() {
  local name
  for name in "$@"; do
    SPALCE_SERVICE_JVM_OPTS=${SPALCE_SERVICE_JVM_OPTS-} env -u SPALCE_VERIFIED_TOKENS_MAX_ENTRIES \
      "$ROOT/spalce" restart "$name" >/dev/null
  done
}
