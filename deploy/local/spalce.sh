#!/usr/bin/env bash
# Spalce local runtime: builds and runs the whole suite on loopback with no container engine.
# Entry point: ./spalce (at the repository root). Run ./spalce help for the commands.
#
# Everything it starts writes its log under $SPALCE_STATE_DIR/logs and its pid under $SPALCE_STATE_DIR/run;
# `./spalce down` stops exactly those processes. Infrastructure comes from Maven Central (Kafka, the OIDC
# server, S3Proxy: see deploy/local/infra/pom.xml) and Debian (PostgreSQL, only when none answers).
set -euo pipefail
# Replacement text in ${var//pattern/text} is literal (bash 5.2 would otherwise expand & in it).
shopt -u patsub_replacement 2>/dev/null || true

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL="$ROOT/deploy/local"

# ---------------------------------------------------------------------------------------------------------
# Settings: every one can be overridden from the environment.
# ---------------------------------------------------------------------------------------------------------
: "${SPALCE_STATE_DIR:=$ROOT/.spalce}"
: "${SPALCE_DB_HOST:=127.0.0.1}"
: "${SPALCE_DB_PORT:=5432}"
: "${SPALCE_DB_ADMIN_USER:=postgres}"
: "${SPALCE_DB_NAME:=spalce}"
: "${SPALCE_TEST_DATABASE:=spalce_test}"
# true: a PostgreSQL cluster of this runtime's own (initdb'd under the state folder, on SPALCE_DB_PORT, which must not
# be 5432), which `infra restart postgres` restarts for real; the fault suite uses it (docs/faults.md).
: "${SPALCE_DB_PRIVATE:=false}"
: "${SPALCE_KAFKA_PORT:=19092}"
: "${SPALCE_KAFKA_CONTROLLER_PORT:=19093}"
: "${SPALCE_OIDC_PORT:=18080}"
: "${SPALCE_S3_PORT:=19090}"
: "${SPALCE_S3_ACCESS_KEY:=spalce-local}"
: "${SPALCE_S3_SECRET_KEY:=spalce-local-secret}"
: "${SPALCE_S3_BUCKET:=spalce-evidence}"
# The audit checkpoints' anchor (write-once in production; see docs/audit-log.md for what S3Proxy does not enforce).
: "${SPALCE_AUDIT_ANCHOR_BUCKET:=spalce-audit-anchor}"
: "${SPALCE_GATEWAY_PORT:=8080}"
: "${SPALCE_EVIDENCE_PORT:=8081}"
: "${SPALCE_CRYPTO_PORT:=8082}"
: "${SPALCE_REWRAP_PORT:=8083}"
: "${SPALCE_AUDIT_PORT:=8084}"
: "${SPALCE_SERVICE_HEAP:=256m}"
# C1 only starts five JVMs fast on a small machine; benchmarks set SPALCE_SERVICE_JVM_OPTS="" for full JIT.
: "${SPALCE_SERVICE_JVM_OPTS=-XX:TieredStopAtLevel=1}"
# Health and metrics answer on each service's management port (as in production: the jars are built so).
: "${SPALCE_MANAGEMENT_PORT_BASE:=9180}"

# What the services and tests read (see libs/service-kit/.../microprofile-config.properties).
export SPALCE_DB_HOST SPALCE_DB_PORT SPALCE_DB_ADMIN_USER SPALCE_DB_NAME SPALCE_TEST_DATABASE
export SPALCE_KAFKA_BOOTSTRAP="127.0.0.1:$SPALCE_KAFKA_PORT"
export SPALCE_OIDC_ISSUER="http://127.0.0.1:$SPALCE_OIDC_PORT/spalce"
export SPALCE_S3_ENDPOINT="http://127.0.0.1:$SPALCE_S3_PORT"
export SPALCE_S3_ACCESS_KEY SPALCE_S3_SECRET_KEY SPALCE_S3_BUCKET SPALCE_AUDIT_ANCHOR_BUCKET
# The internal services answer mutual TLS only (certificates from the internal CA below).
export SPALCE_SERVICES_EVIDENCE_URL="https://127.0.0.1:$SPALCE_EVIDENCE_PORT"
export SPALCE_SERVICES_CRYPTO_URL="https://127.0.0.1:$SPALCE_CRYPTO_PORT"
export SPALCE_SERVICES_REWRAP_URL="https://127.0.0.1:$SPALCE_REWRAP_PORT"
export SPALCE_SERVICES_AUDIT_URL="https://127.0.0.1:$SPALCE_AUDIT_PORT"
# Where the internal services fetch the key of the gateway's internal tokens (local runtime; production configures it).
export SPALCE_INTERNAL_TOKEN_GATEWAY_URL="http://127.0.0.1:$SPALCE_GATEWAY_PORT"
export SPALCE_STATE_DIR
export SPALCE_TLS_CERTIFICATE="$SPALCE_STATE_DIR/tls/gateway-cert.pem"
export SPALCE_TLS_KEY="$SPALCE_STATE_DIR/tls/gateway-key.pem"
: "${SPALCE_GATEWAY_TLS_PORT:=8443}"

# The internal CA and one key pair per identity (the five services and the admin tooling), owner-only.
PKI="$SPALCE_STATE_DIR/pki"
export SPALCE_INTERNAL_TLS_CA="$PKI/ca.crt"
INTERNAL_IDENTITIES=(auth-gateway evidence-service crypto-service rewrap-worker audit-log-service spalce-admin kafka-broker)

LOGS="$SPALCE_STATE_DIR/logs"
RUN="$SPALCE_STATE_DIR/run"
LIB="$SPALCE_STATE_DIR/lib"
DATA="$SPALCE_STATE_DIR/data"

INFRA=(kafka oidc s3)
# Start order: the gateway last, since it calls every other service.
SERVICES=(crypto-service audit-log-service evidence-service rewrap-worker auth-gateway)

say() { printf '%s\n' "$*"; }
step() { printf '\n==> %s\n' "$*"; }
die() { printf 'spalce: error: %s\n' "$*" >&2; exit 1; }

# gateway 9180, evidence 9181, crypto 9182, rewrap 9183, audit 9184 by default.
management_port() {
  case "$1" in
    auth-gateway) echo $((SPALCE_MANAGEMENT_PORT_BASE + 0)) ;;
    evidence-service) echo $((SPALCE_MANAGEMENT_PORT_BASE + 1)) ;;
    crypto-service) echo $((SPALCE_MANAGEMENT_PORT_BASE + 2)) ;;
    rewrap-worker) echo $((SPALCE_MANAGEMENT_PORT_BASE + 3)) ;;
    audit-log-service) echo $((SPALCE_MANAGEMENT_PORT_BASE + 4)) ;;
  esac
}

service_port() {
  case "$1" in
    auth-gateway) echo "$SPALCE_GATEWAY_PORT" ;;
    evidence-service) echo "$SPALCE_EVIDENCE_PORT" ;;
    crypto-service) echo "$SPALCE_CRYPTO_PORT" ;;
    rewrap-worker) echo "$SPALCE_REWRAP_PORT" ;;
    audit-log-service) echo "$SPALCE_AUDIT_PORT" ;;
    kafka) echo "$SPALCE_KAFKA_PORT" ;;
    oidc) echo "$SPALCE_OIDC_PORT" ;;
    s3) echo "$SPALCE_S3_PORT" ;;
    *) die "unknown component '$1'" ;;
  esac
}

port_variable() {
  case "$1" in
    auth-gateway) echo SPALCE_GATEWAY_PORT ;; evidence-service) echo SPALCE_EVIDENCE_PORT ;;
    crypto-service) echo SPALCE_CRYPTO_PORT ;; rewrap-worker) echo SPALCE_REWRAP_PORT ;;
    audit-log-service) echo SPALCE_AUDIT_PORT ;; kafka) echo SPALCE_KAFKA_PORT ;;
    oidc) echo SPALCE_OIDC_PORT ;; s3) echo SPALCE_S3_PORT ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------------------------

# The newest JDK (17 or later) wins: it is markedly faster at AES-GCM. JAVA_HOME, when set, is respected.
select_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    :
  else
    local best="" best_version=0 candidate version
    for candidate in /usr/lib/jvm/*/bin/java /usr/local/lib/jvm/*/bin/java; do
      [[ -x "$candidate" ]] || continue
      version=$(java_major "$candidate")
      if (( version >= 17 && version > best_version )); then best=$candidate; best_version=$version; fi
    done
    if [[ -n "$best" ]]; then
      JAVA_HOME=$(dirname "$(dirname "$best")")
    elif command -v java >/dev/null 2>&1; then
      JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    else
      die "no Java found: install a JDK 17 or later (e.g. apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
    fi
  fi
  export JAVA_HOME
  JAVA="$JAVA_HOME/bin/java"
  (( $(java_major "$JAVA") >= 17 )) || die "Java 17 or later is required; $JAVA is older (set JAVA_HOME)"
}

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

require_tools() {
  local missing=()
  for tool in curl awk; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if ((${#missing[@]})); then
    install_debian_packages "${missing[@]}" || die "missing tools: ${missing[*]}"
  fi
}

install_debian_packages() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  say "    installing Debian packages: $*"
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# ---------------------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------------------

pid_of() { [[ -f "$RUN/$1.pid" ]] && cat "$RUN/$1.pid" || true; }

is_running() {
  local pid
  pid=$(pid_of "$1")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# launch NAME COMMAND...: runs COMMAND in its own session (so that stop can signal the whole group).
launch() {
  local name=$1; shift
  local port
  port=$(service_port "$name")
  if port_open "$port"; then
    die "$name: port $port is already in use by a process this runtime did not start; stop it or set $(port_variable "$name")"
  fi
  mkdir -p "$LOGS" "$RUN"
  : >"$LOGS/$name.log"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

# wait_ready NAME TIMEOUT_SECONDS CHECK...: polls CHECK until it succeeds; fails with the log's tail.
wait_ready() {
  local name=$1 timeout=$2; shift 2
  local started=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 40 "$LOGS/$name.log" >&2 || true
      die "$name exited during start-up; full log: $LOGS/$name.log"
    fi
    if (( SECONDS - started > timeout )); then
      tail -n 40 "$LOGS/$name.log" >&2 || true
      die "$name was not ready after ${timeout}s; full log: $LOGS/$name.log"
    fi
    sleep 0.5
  done
  say "    $name ready on 127.0.0.1:$(service_port "$name") (pid $(pid_of "$name"), $((SECONDS - started))s)"
}

stop_component() {
  local name=$1 pid
  pid=$(pid_of "$name")
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && (( waited < 60 )); do sleep 0.5; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      say "    $name did not stop in 30s: killed"
    else
      say "    $name stopped"
    fi
  fi
  rm -f "$RUN/$name.pid"
}

# ---------------------------------------------------------------------------------------------------------
# Infrastructure
# ---------------------------------------------------------------------------------------------------------

# Copies one infrastructure component's jars from Maven into $LIB/<profile>, once per version set.
fetch_jars() {
  local profile=$1
  local versions
  versions=$(grep -E '<(kafka\.broker|slf4j|mock-oauth2-server|s3proxy)\.version>' "$ROOT/pom.xml" | cksum | cut -d' ' -f1)
  local stamp="$LIB/$profile/.fetched-$versions-$(cksum <"$LOCAL/infra/pom.xml" | cut -d' ' -f1)"
  [[ -f "$stamp" ]] && return 0
  say "    fetching $profile from Maven Central"
  rm -rf "$LIB/$profile"
  mkdir -p "$LIB/$profile"
  "$ROOT/mvnw" -q -B -f "$LOCAL/infra/pom.xml" -P "$profile" dependency:copy-dependencies \
    -DoutputDirectory="$LIB/$profile" -DincludeScope=runtime >"$LOGS/fetch-$profile.log" 2>&1 \
    || { tail -n 30 "$LOGS/fetch-$profile.log" >&2; die "could not fetch $profile from Maven"; }
  touch "$stamp"
}

render() { # render TEMPLATE OUTPUT KEY=VALUE...
  local template=$1 output=$2; shift 2
  local content
  content=$(<"$template")
  for pair in "$@"; do content=${content//"@@${pair%%=*}@@"/${pair#*=}}; done
  printf '%s\n' "$content" >"$output"
}

psql_admin() {
  psql -h "$SPALCE_DB_HOST" -p "$SPALCE_DB_PORT" -U "$SPALCE_DB_ADMIN_USER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

postgres_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$SPALCE_DB_HOST" -p "$SPALCE_DB_PORT"
  else
    (exec 3<>"/dev/tcp/$SPALCE_DB_HOST/$SPALCE_DB_PORT") 2>/dev/null
  fi
}

ensure_postgres() {
  if ! postgres_answers; then
    [[ "$SPALCE_DB_HOST" == 127.0.0.1 || "$SPALCE_DB_HOST" == localhost ]] \
      || die "PostgreSQL at $SPALCE_DB_HOST:$SPALCE_DB_PORT does not answer"
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      say "    PostgreSQL is not installed: installing it from Debian"
      install_debian_packages postgresql || die "could not install PostgreSQL; point SPALCE_DB_HOST/SPALCE_DB_PORT at one"
      trust_loopback_connections
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    local waited=0
    until postgres_answers; do
      (( waited++ < 30 )) || die "PostgreSQL did not start on $SPALCE_DB_HOST:$SPALCE_DB_PORT"
      sleep 1
    done
  fi
  command -v psql >/dev/null 2>&1 || install_debian_packages postgresql-client || die "psql is missing"
  local database
  for database in "$SPALCE_DB_NAME" "$SPALCE_TEST_DATABASE"; do
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'") ]]; then
      psql_admin -c "CREATE DATABASE $database" >/dev/null
      say "    created database $database"
    fi
  done
  say "    postgresql ready on $SPALCE_DB_HOST:$SPALCE_DB_PORT (databases $SPALCE_DB_NAME, $SPALCE_TEST_DATABASE)"
}

# A PostgreSQL this script installed accepts the local runtime's loopback connections without a password;
# one that was already there is left exactly as it was.
trust_loopback_connections() {
  local hba
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)
  sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
}

# The private cluster (SPALCE_DB_PRIVATE=true): Debian's PostgreSQL binaries, run as the postgres OS user when this
# runs as root (PostgreSQL refuses root), data under $DATA/postgres, listening on loopback only, trust on loopback.
private_postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$bin" ]]; then
    install_debian_packages postgresql >/dev/null || die "could not install PostgreSQL for the private cluster"
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$bin"
}

as_postgres_user() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

private_postgres() { # private_postgres start|stop|restart
  local bin dir="$DATA/postgres" log="$LOGS/postgres.log"
  [[ "$SPALCE_DB_PORT" != 5432 ]] || die "the private PostgreSQL cluster needs a port of its own: set SPALCE_DB_PORT"
  bin=$(private_postgres_bin)
  if [[ "$1" == stop ]]; then
    [[ -f "$dir/postmaster.pid" ]] || return 0
    as_postgres_user "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null && say "    postgresql (private) stopped"
    return 0
  fi
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    mkdir -p "$dir"
    [[ $(id -u) -ne 0 ]] || chown postgres: "$dir"
    chmod 700 "$dir"
    as_postgres_user "$bin/initdb" -D "$dir" -U "$SPALCE_DB_ADMIN_USER" --auth=trust -E UTF8 >"$LOGS/postgres-initdb.log" 2>&1 \
      || { cat "$LOGS/postgres-initdb.log" >&2; die "initdb of the private PostgreSQL cluster failed"; }
  fi
  touch "$log"
  [[ $(id -u) -ne 0 ]] || chown postgres: "$log"
  local options="-p $SPALCE_DB_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
  if [[ "$1" == restart ]]; then
    as_postgres_user "$bin/pg_ctl" -D "$dir" -l "$log" -o "$options" -m fast -w -t 120 restart >/dev/null \
      || die "the private PostgreSQL cluster did not restart; see $log"
    say "    postgresql (private) restarted on 127.0.0.1:$SPALCE_DB_PORT"
    return 0
  fi
  if as_postgres_user "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then return 0; fi
  port_open "$SPALCE_DB_PORT" && die "port $SPALCE_DB_PORT is in use: set SPALCE_DB_PORT for the private PostgreSQL cluster"
  as_postgres_user "$bin/pg_ctl" -D "$dir" -l "$log" -o "$options" -w -t 120 start >/dev/null \
    || die "the private PostgreSQL cluster did not start; see $log"
}

start_kafka() {
  if is_running kafka; then say "    kafka already running (pid $(pid_of kafka))"; return 0; fi
  fetch_jars kafka
  mkdir -p "$DATA/kafka" "$SPALCE_STATE_DIR/config"
  render "$LOCAL/config/kafka.properties" "$SPALCE_STATE_DIR/config/kafka.properties" \
    PORT="$SPALCE_KAFKA_PORT" CONTROLLER_PORT="$SPALCE_KAFKA_CONTROLLER_PORT" DATA_DIR="$DATA/kafka" PKI="$PKI"
  if [[ ! -f "$DATA/kafka/meta.properties" ]]; then
    local cluster_id
    cluster_id=$("$JAVA" -cp "$LIB/kafka/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    "$JAVA" -cp "$LIB/kafka/*" kafka.tools.StorageTool format --standalone -t "$cluster_id" \
      -c "$SPALCE_STATE_DIR/config/kafka.properties" >"$LOGS/kafka-format.log" 2>&1 \
      || { cat "$LOGS/kafka-format.log" >&2; die "could not format Kafka storage"; }
  fi
  if port_open "$SPALCE_KAFKA_CONTROLLER_PORT"; then
    die "kafka: controller port $SPALCE_KAFKA_CONTROLLER_PORT is in use; set SPALCE_KAFKA_CONTROLLER_PORT"
  fi
  launch kafka "$JAVA" -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -cp "$LIB/kafka/*" kafka.Kafka "$SPALCE_STATE_DIR/config/kafka.properties"
  wait_ready kafka 180 grep -q "Kafka Server started" "$LOGS/kafka.log"
}

# The local OIDC server signs with a key kept in the state folder (generated once), so that the services'
# cached JWKS stay valid across its restarts: the server names every key of an issuer with the same kid, so a
# new key at each start would not be noticed as a rotation.
oidc_signing_key() {
  local key="$SPALCE_STATE_DIR/config/oidc-signing-jwk.json"
  if [[ ! -s "$key" ]]; then
    mkdir -p "$SPALCE_STATE_DIR/config"
    ( umask 077 && "$JAVA" "$LOCAL/tools/GenerateSigningJwk.java" >"$key.tmp" ) || die "could not generate the OIDC signing key"
    mv "$key.tmp" "$key"
  fi
  cat "$key"
}

start_oidc() {
  if is_running oidc; then say "    oidc already running (pid $(pid_of oidc))"; return 0; fi
  fetch_jars oidc
  mkdir -p "$SPALCE_STATE_DIR/config"
  local config="$SPALCE_STATE_DIR/config/oidc.json"
  ( umask 077 && render "$LOCAL/config/oidc.json" "$config" SIGNING_JWK="$(oidc_signing_key)" )
  SERVER_PORT="$SPALCE_OIDC_PORT" SERVER_HOSTNAME=127.0.0.1 JSON_CONFIG_PATH="$config" \
    launch oidc "$JAVA" -Xms32m -Xmx128m -cp "$LIB/oidc/*" no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt
  wait_ready oidc 60 curl -fsS "$SPALCE_OIDC_ISSUER/.well-known/openid-configuration"
}

start_s3() {
  # A bucket of the local store is a folder: the services only use buckets, as in production, where the
  # deployment creates them.
  mkdir -p "$DATA/s3/$SPALCE_S3_BUCKET" "$DATA/s3/$SPALCE_AUDIT_ANCHOR_BUCKET" "$SPALCE_STATE_DIR/config"
  if is_running s3; then say "    s3 already running (pid $(pid_of s3))"; return 0; fi
  fetch_jars s3
  render "$LOCAL/config/s3proxy.properties" "$SPALCE_STATE_DIR/config/s3proxy.properties" \
    PORT="$SPALCE_S3_PORT" ACCESS_KEY="$SPALCE_S3_ACCESS_KEY" SECRET_KEY="$SPALCE_S3_SECRET_KEY" DATA_DIR="$DATA/s3"
  launch s3 "$JAVA" -Xms32m -Xmx256m -jar "$(ls "$LIB"/s3/s3proxy-*.jar)" \
    --properties "$SPALCE_STATE_DIR/config/s3proxy.properties"
  # Any HTTP answer (403 for an unsigned request) means it is serving.
  wait_ready s3 60 curl -s -o /dev/null "$SPALCE_S3_ENDPOINT/"
}

# The gateway's TLS certificate for the local runtime and the tests: self-signed, EC P-256, for 127.0.0.1 and
# localhost, renewed when it has less than a week left. Production mounts a real one (SPALCE_TLS_*).
ensure_local_certificate() {
  local dir="$SPALCE_STATE_DIR/tls"
  if [[ -s "$dir/gateway-cert.pem" ]] && openssl x509 -checkend 604800 -noout -in "$dir/gateway-cert.pem" >/dev/null 2>&1; then
    return 0
  fi
  command -v openssl >/dev/null 2>&1 || install_debian_packages openssl || die "openssl is missing"
  mkdir -p "$dir"
  ( umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 \
      -subj "/CN=localhost/O=Spalce local runtime" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$dir/gateway-key.pem" -out "$dir/gateway-cert.pem" >/dev/null 2>&1 ) \
    || die "could not create the local TLS certificate"
  say "    created the gateway's local TLS certificate ($dir/gateway-cert.pem)"
}

# The audit checkpoint signing key (Ed25519, PKCS#8 PEM) for the local runtime, in the state folder and readable by
# its owner only: the stand-in for the secret store production mounts it from (SPALCE_AUDIT_SIGNING_KEY_FILE).
# A key given by the caller's environment is used as it is.
ensure_audit_signing_key() {
  if [[ -n "${SPALCE_AUDIT_SIGNING_KEY_FILE:-}" ]]; then return 0; fi
  local file="$SPALCE_STATE_DIR/keys/audit-signing-key.pem"
  if [[ ! -s "$file" ]]; then
    command -v openssl >/dev/null 2>&1 || install_debian_packages openssl || die "openssl is missing"
    mkdir -p "$(dirname "$file")"
    ( umask 077 && openssl genpkey -algorithm ed25519 -out "$file" >/dev/null 2>&1 ) \
      || die "could not create the audit signing key"
    say "    created the audit checkpoint signing key ($file)"
  fi
  export SPALCE_AUDIT_SIGNING_KEY_FILE="$file"
}

# The internal CA (EC P-256, 90 days, renewed with every certificate it issued when under 30 days are left)
# and one certificate per identity, naming it: CN=<identity>, URI SAN spiffe://spalce/<identity>, DNS SAN
# <identity>, localhost and 127.0.0.1; 30 days, renewed when under 10 days are left. Services reload renewed
# files by themselves (quarkus.tls.internal.reload-period): no restart. Production issues these from its own
# internal CA instead (cert-manager on Kubernetes, AWS Private CA on ECS; deploy/README.md).
ensure_internal_pki() {
  command -v openssl >/dev/null 2>&1 || install_debian_packages openssl || die "openssl is missing"
  ( umask 077 && mkdir -p "$PKI" ) && chmod 700 "$PKI"
  if [[ ! -s "$PKI/ca.crt" ]] || ! openssl x509 -checkend $((30 * 86400)) -noout -in "$PKI/ca.crt" >/dev/null 2>&1; then
    ( umask 077 && cd "$PKI" && rm -f ./*.crt ./*.key \
      && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key \
      && openssl req -x509 -new -key ca.key -sha256 -days 90 -subj "/CN=Spalce internal CA/O=Spalce local runtime" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out ca.crt ) >"$LOGS/pki.log" 2>&1 || { cat "$LOGS/pki.log" >&2; die "could not create the internal CA"; }
    say "    created the internal CA ($PKI/ca.crt)"
  fi
  local identity
  for identity in "${INTERNAL_IDENTITIES[@]}"; do
    if [[ -s "$PKI/$identity.crt" && -s "$PKI/$identity.key" ]] \
      && openssl x509 -checkend $((10 * 86400)) -noout -in "$PKI/$identity.crt" >/dev/null 2>&1 \
      && openssl verify -CAfile "$PKI/ca.crt" "$PKI/$identity.crt" >/dev/null 2>&1; then
      continue
    fi
    issue_internal_certificate "$identity" "$PKI"
    say "    issued the internal certificate of $identity"
  done
}

# issue_internal_certificate IDENTITY DIR: a new key pair and certificate for IDENTITY in DIR/IDENTITY.{key,crt}
# (PKCS#8 PEM key), each file replaced in one rename so that a reloading service never reads half a file.
issue_internal_certificate() {
  local identity=$1 dir=$2 work
  work=$(mktemp -d "$dir/.issue-XXXXXX")
  ( umask 077 && cd "$work" \
    && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem \
    && openssl req -new -key key.pem -subj "/CN=$identity/O=Spalce" -out request.csr \
    && printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth,clientAuth" \
        "subjectAltName=URI:spiffe://spalce/$identity,DNS:$identity,DNS:localhost,IP:127.0.0.1" >extensions.cnf \
    && openssl x509 -req -in request.csr -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -sha256 -days 30 \
        -extfile extensions.cnf -out cert.pem \
    && cat key.pem cert.pem >bundle.pem \
    && mv key.pem "$dir/$identity.key" && mv cert.pem "$dir/$identity.crt" \
    && if [[ "$identity" == kafka-broker ]]; then mv bundle.pem "$dir/$identity.pem"; fi ) >>"$LOGS/pki.log" 2>&1 \
    || { rm -rf "$work"; cat "$LOGS/pki.log" >&2; die "could not issue the internal certificate of $identity"; }
  rm -rf "$work"
}

infra_up() {
  step "Infrastructure (logs in $LOGS)"
  mkdir -p "$LOGS" "$RUN"
  ensure_local_certificate
  ensure_internal_pki
  [[ "$SPALCE_DB_PRIVATE" != true ]] || private_postgres start
  ensure_postgres
  start_kafka
  start_oidc
  start_s3
}

infra_down() {
  local component
  for component in "${INFRA[@]}"; do stop_component "$component"; done
  [[ "$SPALCE_DB_PRIVATE" != true ]] || private_postgres stop
}

# Topics and ACLs, as the admin identity (a super user of the broker).
provision_topics() {
  SPALCE_INTERNAL_TLS_CERT="$PKI/spalce-admin.crt" SPALCE_INTERNAL_TLS_KEY="$PKI/spalce-admin.key" \
    "$JAVA" -cp "$ROOT/libs/contracts/target/classes:$LIB/kafka/*" dev.spalce.contracts.TopicProvisioner \
    "$SPALCE_KAFKA_BOOTSTRAP" 2>>"$LOGS/topics.log" || die "could not create the Kafka topics (see $LOGS/topics.log)"
}

# ---------------------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------------------

build() {
  step "Build (./mvnw package, tests skipped; ./spalce test runs them)"
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" package -DskipTests >"$LOGS/build.log" 2>&1 \
    || { tail -n 60 "$LOGS/build.log" >&2; die "build failed; full log: $LOGS/build.log"; }
  say "    built (log: $LOGS/build.log)"
}

# service_ready MANAGEMENT_PORT PORT...: health says ready on the management port, and the service's own ports accept
# connections (the management interface opens first, so its answer alone does not mean the API is reachable).
service_ready() {
  local management=$1 port; shift
  # TLS with the service's internal certificate, verified as a platform's probe would (no client certificate).
  curl -fsS --cacert "$PKI/ca.crt" "https://127.0.0.1:$management/q/health/ready" >/dev/null || return 1
  for port in "$@"; do port_open "$port" || return 1; done
}

start_service() {
  local name=$1 port jar
  port=$(service_port "$name")
  jar="$ROOT/$name/target/quarkus-app/quarkus-run.jar"
  if is_running "$name"; then say "    $name already running (pid $(pid_of "$name"))"; return 0; fi
  [[ -f "$jar" ]] || die "$name is not built ($jar is missing): run ./spalce up without --no-build"
  local listen=() management ports=("$port")
  management=$(management_port "$name")
  port_open "$management" && die "$name: management port $management is in use; set SPALCE_MANAGEMENT_PORT_BASE"
  [[ "$name" == audit-log-service ]] && ensure_audit_signing_key
  if [[ "$name" == auth-gateway ]]; then
    listen=(-Dquarkus.http.port="$port" -Dquarkus.http.ssl-port="$SPALCE_GATEWAY_TLS_PORT")
    ports+=("$SPALCE_GATEWAY_TLS_PORT")
  else
    # An internal service listens with mutual TLS only, on its service port.
    listen=(-Dquarkus.http.ssl-port="$port")
  fi
  # The running service gets no admin credential: only `migrate` does.
  # shellcheck disable=SC2086 # the options are words on purpose
  SPALCE_INTERNAL_TLS_CERT="$PKI/$name.crt" SPALCE_INTERNAL_TLS_KEY="$PKI/$name.key" \
    launch "$name" env -u SPALCE_DB_ADMIN_USER -u SPALCE_DB_ADMIN_PASSWORD "$JAVA" -Xms64m "-Xmx$SPALCE_SERVICE_HEAP" \
    -XX:+UseSerialGC $SPALCE_SERVICE_JVM_OPTS -Dquarkus.profile=dev "${listen[@]}" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.management.port="$management" -Dquarkus.management.host=127.0.0.1 -jar "$jar"
  wait_ready "$name" 120 service_ready "$management" "${ports[@]}"
}

# migrate_service NAME: the service's migrations as a step of their own, as the Kubernetes Job and the ECS one-off task
# run them: the same jar with QUARKUS_INIT_AND_EXIT=true and the admin role, which runs Flyway and exits.
migrate_service() {
  local name=$1 jar
  jar="$ROOT/$name/target/quarkus-app/quarkus-run.jar"
  [[ -f "$jar" ]] || die "$name is not built ($jar is missing): run ./spalce up without --no-build"
  mkdir -p "$LOGS"
  # Start-up reads the service's TLS material even when it only migrates and exits.
  QUARKUS_INIT_AND_EXIT=true SPALCE_INTERNAL_TLS_CERT="$PKI/$name.crt" SPALCE_INTERNAL_TLS_KEY="$PKI/$name.key" \
    "$JAVA" -Xms64m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dquarkus.profile=dev -Dquarkus.http.port=0 -Dquarkus.management.port=0 -jar "$jar" \
    >"$LOGS/$name-migrate.log" 2>&1 </dev/null \
    || { tail -n 40 "$LOGS/$name-migrate.log" >&2; die "$name: migrations failed; full log: $LOGS/$name-migrate.log"; }
  say "    $name migrated (log: $LOGS/$name-migrate.log)"
}

cmd_migrate() {
  select_java
  step "Database migrations (each service's jar with QUARKUS_INIT_AND_EXIT=true, as $SPALCE_DB_ADMIN_USER)"
  local name
  for name in "${SERVICES[@]}"; do migrate_service "$name"; done
}

services_up() {
  step "Services"
  local name
  for name in "${SERVICES[@]}"; do start_service "$name"; done
}

services_down() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_component "${SERVICES[$i]}"; done
}

# ---------------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------------

cmd_up() {
  local build_first=true
  [[ "${1:-}" == "--no-build" ]] && build_first=false
  select_java
  require_tools
  mkdir -p "$LOGS" "$RUN"
  say "Spalce local runtime ($("$JAVA" -version 2>&1 | head -n 1); state in $SPALCE_STATE_DIR)"
  infra_up
  $build_first && build
  step "Kafka topics and ACLs (dev.spalce.contracts.Topic, TopicAccess)"
  provision_topics
  cmd_migrate
  services_up
  step "Demo"
  "$LOCAL/demo.sh"
  cmd_status
  say ""
  say "Dashboard: https://127.0.0.1:$SPALCE_GATEWAY_TLS_PORT/ (the local certificate $SPALCE_STATE_DIR/tls/gateway-cert.pem"
  say "  is self-signed: trust it or accept the browser's warning once)"
  say "  Sign in as alice: the local OIDC server's form takes any user name; add the claims"
  say "  {\"email\": \"alice@example.com\", \"email_verified\": true, \"name\": \"Alice\"} to have an email address (auditor invitations need one)."
  say ""
  say "Stop everything with: ./spalce down"
}

cmd_down() {
  step "Stopping the local runtime"
  services_down
  infra_down
  local leftover
  leftover=$(pgrep -f -- "$SPALCE_STATE_DIR/|$ROOT/[a-z-]+/target/quarkus-app/quarkus-run.jar" || true)
  [[ -z "$leftover" ]] || die "processes of this runtime are still running: $leftover"
  say "    nothing left running"
}

cmd_status() {
  step "Status"
  local name pid rss total
  printf '    %-18s %-7s %-8s %-9s %s\n' COMPONENT PORT PID RSS_MB STATE
  total=0
  for name in "${INFRA[@]}" "${SERVICES[@]}"; do
    pid=$(pid_of "$name")
    if is_running "$name"; then
      rss=$(($(ps -o rss= -p "$pid" | tr -d ' ') / 1024))
      total=$((total + rss))
      printf '    %-18s %-7s %-8s %-9s %s\n' "$name" "$(service_port "$name")" "$pid" "$rss" running
    else
      printf '    %-18s %-7s %-8s %-9s %s\n' "$name" "$(service_port "$name")" - - stopped
    fi
  done
  say "    resident memory of the running components: ${total} MB (PostgreSQL not included)"
  say "    gateway: https://127.0.0.1:$SPALCE_GATEWAY_TLS_PORT (certificate $SPALCE_TLS_CERTIFICATE)"
}

# Runs every test. Starts the infrastructure the tests share (one Kafka broker, one OIDC server, one object
# store for all modules) unless it is already running, and stops afterwards only what it started.
cmd_test() {
  select_java
  require_tools
  mkdir -p "$LOGS" "$RUN"
  say "Spalce tests ($("$JAVA" -version 2>&1 | head -n 1))"
  local started=()
  local component
  for component in "${INFRA[@]}"; do is_running "$component" || started+=("$component"); done
  local private_started=false
  [[ "$SPALCE_DB_PRIVATE" != true ]] || postgres_answers || private_started=true
  infra_up
  # Every run starts from an empty test database: the migrations run from scratch, as on a new installation.
  psql_admin -c "DROP DATABASE IF EXISTS $SPALCE_TEST_DATABASE WITH (FORCE)" >/dev/null
  psql_admin -c "CREATE DATABASE $SPALCE_TEST_DATABASE" >/dev/null
  say "    test database $SPALCE_TEST_DATABASE recreated empty"
  local status=0
  # The images (deploy/images) are part of every test: built from the packaged services, then checked and
  # started. jlink needs JDK 21 or later and the Debian packages need apt-get; without them they are left out.
  local images=()
  if (( $(java_major "$JAVA") >= 21 )) && command -v apt-get >/dev/null 2>&1; then
    images=(-Pimages)
  else
    say "    images left out: they need JDK 21 or later and apt-get (deploy/README.md, \"Images\")"
  fi
  step "./mvnw verify ${images[*]} $*"
  "$ROOT/mvnw" -B -f "$ROOT/pom.xml" verify "${images[@]}" "$@" || status=$?
  if ((${#started[@]})); then
    step "Stopping the infrastructure this test run started"
    for component in "${started[@]}"; do stop_component "$component"; done
  fi
  if $private_started; then private_postgres stop; fi
  return "$status"
}

cmd_infra() {
  select_java
  require_tools
  case "${1:-}" in
    up) infra_up ;;
    down) infra_down ;;
    restart)
      # Used by tests that prove nothing is lost while a component is down; only what this runtime started.
      local component=${2:-}
      if [[ "$component" == postgres ]]; then
        [[ "$SPALCE_DB_PRIVATE" == true ]] || die "only a private cluster (SPALCE_DB_PRIVATE=true) is restarted"
        private_postgres restart
        return 0
      fi
      [[ " ${INFRA[*]} " == *" $component "* ]] || die "usage: ./spalce infra restart kafka|oidc|s3"
      is_running "$component" || die "$component was not started by this runtime; cannot restart it"
      stop_component "$component"
      "start_$component"
      ;;
    stop | start)
      # An outage of one component, for the fault-injection suite (e2e-tests, profile faults): stop it, later start it.
      local component=${2:-}
      [[ " ${INFRA[*]} " == *" $component "* ]] || die "usage: ./spalce infra $1 kafka|oidc|s3"
      if [[ "$1" == stop ]]; then stop_component "$component"; else "start_$component"; fi
      ;;
    *) die "usage: ./spalce infra up|down|restart|stop|start COMPONENT" ;;
  esac
}

# Restarts one service of a running suite, with the environment of this call: Quarkus reads its settings from
# environment variables too, e.g. SPALCE_REWRAP_RUNNER_REQUESTS_PER_SECOND_LOCAL=500 ./spalce restart rewrap-worker.
cmd_restart() {
  local name=${1:-}
  [[ " ${SERVICES[*]} " == *" $name "* ]] || die "usage: ./spalce restart ${SERVICES[*]// /|}"
  is_running "$name" || die "$name is not running: ./spalce up first"
  select_java
  stop_component "$name"
  start_service "$name"
}

# The internal PKI: 'renew [IDENTITY...]' issues new certificates now (running services pick them up by
# themselves); 'issue IDENTITY DIR' issues one into another folder (tests of a renewal use it).
cmd_pki() {
  mkdir -p "$LOGS"
  ensure_internal_pki
  case "${1:-}" in
    renew)
      shift
      local identity
      for identity in "${@:-${INTERNAL_IDENTITIES[@]}}"; do
        [[ " ${INTERNAL_IDENTITIES[*]} " == *" $identity "* ]] || die "unknown identity '$identity'"
        issue_internal_certificate "$identity" "$PKI"
        say "    issued the internal certificate of $identity"
      done
      ;;
    issue)
      [[ $# -eq 3 && -d "$3" ]] || die "usage: ./spalce pki issue IDENTITY DIR"
      issue_internal_certificate "$2" "$3"
      ;;
    "") ;;
    *) die "usage: ./spalce pki [renew [IDENTITY...] | issue IDENTITY DIR]" ;;
  esac
}

cmd_logs() {
  if [[ -n "${1:-}" ]]; then
    tail -n 100 -f "$LOGS/$1.log"
  else
    ls -1 "$LOGS"
  fi
}

cmd_help() {
  cat <<EOF
Usage: ./spalce <command>

  up [--no-build]  build, start PostgreSQL, Kafka, the OIDC server, the object store and the five
                   services on 127.0.0.1, then run a demo against the gateway
  down             stop everything 'up' started
  migrate          run every service's database migrations as the admin role, then exit (up does it first)
  status           what is running, on which port, with how much memory
  demo             run the demo against a running suite
  test [ARGS]      run every test (./mvnw verify ARGS) on the shared infrastructure
  infra up|down    only the infrastructure (PostgreSQL, Kafka, OIDC, object store)
  infra restart C  stop and start one infrastructure component (kafka, oidc, s3)
  infra stop|start C  stop one of them (an outage), or start it again
  infra restart postgres  restart the private PostgreSQL cluster (SPALCE_DB_PRIVATE=true, own SPALCE_DB_PORT)
  restart SERVICE  stop and start one service, with the settings of this shell's environment
  pki [renew [ID]] create the internal CA and certificates when missing or near expiry; renew forces it
  logs [NAME]      list the logs, or follow one

State, logs and data live in \$SPALCE_STATE_DIR (default: .spalce). Ports: SPALCE_*_PORT (see README).
EOF
}

main() {
  local command=${1:-help}
  shift || true
  case "$command" in
    up) cmd_up "$@" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    demo) select_java; "$LOCAL/demo.sh" ;;
    migrate) cmd_migrate ;;
    test) cmd_test "$@" ;;
    infra) cmd_infra "$@" ;;
    restart) cmd_restart "$@" ;;
    pki) cmd_pki "$@" ;;
    logs) cmd_logs "$@" ;;
    help | -h | --help) cmd_help ;;
    *) cmd_help >&2; exit 2 ;;
  esac
}

main "$@"
