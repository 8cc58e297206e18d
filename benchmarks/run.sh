#!/usr/bin/env bash
# Builds Spalce's JMH benchmarks and runs them on the newest JDK found (JAVA_HOME if set, else the highest version
# under /usr/lib/jvm, the Debian convention), then writes the results table into docs/benchmarks.md under
# "## crypto-service" and the envelope's ratios (envelope.vsJcaEnvelope, envelope.vsEsdk) into
# benchmarks/results.json, then measures the envelope against its bound again in paired rounds
# (EnvelopePairedRun). Modest iterations: about six minutes on two cores; on a busy machine lengthen them
# (JMH_WARMUP_ITERATIONS, JMH_MEASUREMENT_ITERATIONS, JMH_ITERATION_SECONDS) or run only some benchmarks
# (JMH_INCLUDE; see RunAndReport). Extra arguments are passed to Maven.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPORT="$ROOT/docs/benchmarks.md"

die() { printf 'benchmarks: %s\n' "$*" >&2; exit 1; }

# The feature release of a JDK (8 for 1.8, 17, 25, ...).
feature_version() {
  local version
  version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  version=${version#1.}
  echo "${version%%.*}"
}

pick_jdk() {
  if [[ -n "${JAVA_HOME:-}" ]]; then
    [[ -x "$JAVA_HOME/bin/java" ]] || die "JAVA_HOME ($JAVA_HOME) has no bin/java"
    echo "$JAVA_HOME"
    return
  fi
  local best="" best_version=0 dir version
  for dir in /usr/lib/jvm/*; do
    [[ -x "$dir/bin/java" && -x "$dir/bin/javac" && ! -L "$dir" ]] || continue
    version=$(feature_version "$dir")
    [[ "$version" =~ ^[0-9]+$ ]] || continue
    if (( version > best_version )); then
      best_version=$version
      best=$dir
    fi
  done
  [[ -n "$best" ]] || die "no JDK found: set JAVA_HOME"
  echo "$best"
}

JDK=$(pick_jdk)
(( $(feature_version "$JDK") >= 17 )) || die "$JDK is older than Java 17"
export JAVA_HOME="$JDK"
echo "==> JDK: $("$JDK/bin/java" -version 2>&1 | head -n 1) ($JDK)"

echo "==> Building the benchmark jar (tests skipped)"
"$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl benchmarks -am -Pjmh -DskipTests package "$@"

echo "==> Running (14 benchmarks of about 20 s each, about 5 minutes)"
cd "$ROOT"
"$JDK/bin/java" -jar "$ROOT/benchmarks/target/benchmarks.jar" "$REPORT" "$ROOT/benchmarks/results.json"

# The envelope against its bound once more, in paired rounds (about a minute): on a shared machine whose speed
# drifts, JMH's runs of the two, minutes apart, can each carry more than 10 % error, while a round's two halves share
# the drift. Its figures replace the JMH ratios in benchmarks/results.json when they are results.
echo "==> Envelope against the hand-rolled JCA envelope, paired rounds"
"$JDK/bin/java" -Xms1g -Xmx1g -cp "$ROOT/benchmarks/target/benchmarks.jar" dev.spalce.benchmarks.EnvelopePairedRun \
  "$ROOT/benchmarks/results.json" 60
