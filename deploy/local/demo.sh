#!/usr/bin/env bash
# Shows the running suite at work, through the gateway only, with a real token from the OIDC server:
#   1. a request without a token is refused (401, problem+json);
#   2. alice signs in (password grant at the local OIDC server) and the gateway verifies her JWT;
#   3. the gateway reaches every internal service with its own service token;
#   4. her sign-in, audited by the gateway through its outbox, crossed Kafka and is stored by audit-log-service.
set -euo pipefail

: "${SPALCE_GATEWAY_TLS_PORT:=8443}"
: "${SPALCE_OIDC_ISSUER:=http://127.0.0.1:18080/spalce}"
: "${SPALCE_TLS_CERTIFICATE:=.spalce/tls/gateway-cert.pem}"
# The gateway over TLS, its certificate pinned to the local one: what a client of the real service does.
GATEWAY="https://127.0.0.1:$SPALCE_GATEWAY_TLS_PORT"
curl() { command curl --cacert "$SPALCE_TLS_CERTIFICATE" "$@"; }
USER_NAME=${1:-alice}

fail() { printf 'demo: FAILED: %s\n' "$*" >&2; exit 1; }
show() { printf '    %s\n' "$*"; }

# 1
status=$(curl -s -o /tmp/spalce-demo.$$ -w '%{http_code}' "$GATEWAY/api/v1/me")
[[ "$status" == 401 ]] || fail "expected 401 without a token, got $status"
show "GET $GATEWAY/api/v1/me without a token -> $status $(head -c 200 /tmp/spalce-demo.$$)"
rm -f /tmp/spalce-demo.$$

# 2
token=$(command curl -fsS "$SPALCE_OIDC_ISSUER/token" -d grant_type=password -d "username=$USER_NAME" \
  -d password=demo -d client_id=spalce-dashboard -d scope=openid \
  | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
[[ -n "$token" ]] || fail "the OIDC server issued no token"
show "token for $USER_NAME from $SPALCE_OIDC_ISSUER (RS256 JWT, ${#token} characters)"
me=$(curl -fsS -H "Authorization: Bearer $token" "$GATEWAY/api/v1/me") || fail "GET /api/v1/me was refused"
show "GET /api/v1/me -> $me"

# 3
system=$(curl -fsS -H "Authorization: Bearer $token" "$GATEWAY/api/v1/system/status") \
  || fail "GET /api/v1/system/status failed"
show "GET /api/v1/system/status -> $system"
for service in evidence-service crypto-service rewrap-worker audit-log-service; do
  [[ "$system" == *"\"$service\":{\"status\":\"UP\""* ]] || fail "$service was not reached through the gateway"
done

# 4
signed_in=false
for _ in $(seq 1 40); do
  sign_ins=$(curl -fsS -H "Authorization: Bearer $token" "$GATEWAY/api/v1/me/sign-ins" || true)
  if [[ "$sign_ins" == *'"action":"user.login"'* ]]; then
    show "GET /api/v1/me/sign-ins -> ${sign_ins:0:300}..."
    show "the sign-in event went gateway -> outbox -> Kafka (spalce.audit.v1) -> audit-log-service"
    signed_in=true
    break
  fi
  sleep 0.5
done
$signed_in || fail "the sign-in never reached audit-log-service through Kafka"

# 5: a workspace of her own; its audit log is read through the gateway, which calls audit-log-service with a
# 60-second token naming alice, the workspace and her role, and the chain verifies.
workspace=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"Demo workspace"}' "$GATEWAY/api/v1/workspaces" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[[ -n "$workspace" ]] || fail "could not create a workspace"
show "POST /api/v1/workspaces -> workspace $workspace (alice is its Owner)"
for _ in $(seq 1 40); do
  events=$(curl -fsS -H "Authorization: Bearer $token" "$GATEWAY/api/v1/workspaces/$workspace/audit-events" || true)
  if [[ "$events" == *'"action":"workspace.created"'* ]]; then
    show "GET /api/v1/workspaces/$workspace/audit-events -> ${events:0:300}..."
    verification=$(curl -fsS -H "Authorization: Bearer $token" \
      "$GATEWAY/api/v1/workspaces/$workspace/audit-events/verification")
    [[ "$verification" == *'"intact":true'* ]] || fail "the workspace's audit chain did not verify: $verification"
    show "GET .../audit-events/verification -> $verification"
    exit 0
  fi
  sleep 0.5
done
fail "the workspace's audit log never showed workspace.created"
