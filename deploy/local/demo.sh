#!/usr/bin/env bash
# Shows the running suite at work, through the gateway only, with a real token from the OIDC server:
#   1. a request without a token is refused (401, problem+json);
#   2. alice signs in (password grant at the local OIDC server) and the gateway verifies her JWT;
#   3. the gateway reaches every internal service with its own service token;
#   4. her sign-in, audited by the gateway through its outbox, crossed Kafka and is stored by audit-log-service;
#   5. she creates a workspace, whose audit log is read and verified;
#   6. the main job: she registers the workspace's key (local provider), uploads an evidence file and a
#      personnel record, the stored row and object are shown to hold only ciphertext, she rotates the key, the
#      rewrap is followed to 100 % and the audit chain verifies.
set -euo pipefail

: "${SPALCE_GATEWAY_TLS_PORT:=8443}"
: "${SPALCE_OIDC_ISSUER:=http://127.0.0.1:18080/spalce}"
: "${SPALCE_TLS_CERTIFICATE:=.spalce/tls/gateway-cert.pem}"
: "${SPALCE_STATE_DIR:=.spalce}"
: "${SPALCE_S3_BUCKET:=spalce-evidence}"
: "${SPALCE_DB_HOST:=127.0.0.1}" "${SPALCE_DB_PORT:=5432}" "${SPALCE_DB_ADMIN_USER:=postgres}"
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
    break
  fi
  sleep 0.5
done
[[ -n "${verification:-}" ]] || fail "the workspace's audit log never showed workspace.created"

# 6: the main job.
api() { # api METHOD PATH [curl arguments...]: a call to the workspace's API as alice
  local method=$1 path=$2; shift 2
  curl -fsS -X "$method" -H "Authorization: Bearer $token" "$@" "$GATEWAY/api/v1/workspaces/$workspace$path"
}
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
db() { psql -h "$SPALCE_DB_HOST" -p "$SPALCE_DB_PORT" -U "$SPALCE_DB_ADMIN_USER" -d "${SPALCE_DB_NAME:-spalce}" -qtA -c "$1"; }

key=$(api POST /keys -H 'Content-Type: application/json' -d '{"provider":"local"}') || fail "could not register a key"
show "POST .../keys {provider: local} -> current key $(field currentKmsKeyId <<<"$key")"

secret="Spalce demo: the quarterly access review found 3 dormant admin accounts ($(date +%s))"
evidence=$(printf '%s\n' "$secret" | api POST "/evidence?name=access-review.txt&control=CC6.2" \
  -H 'Content-Type: text/plain' --data-binary @-) || fail "could not upload evidence"
evidence_id=$(field id <<<"$evidence")
show "POST .../evidence (access-review.txt) -> $evidence_id, sha256 $(field sha256 <<<"$evidence"), key $(field kmsKeyId <<<"$evidence")"
person=$(api POST /personnel -H 'Content-Type: application/json' \
  -d '{"fullName":"Grace Hopper","email":"grace.hopper@example.com","phone":"+1 202 555 0100","governmentId":"123-45-6789"}') \
  || fail "could not add a personnel record"
person_id=$(field id <<<"$person")
show "POST .../personnel (Grace Hopper) -> $person_id"

row=$(db "SELECT 'full_name_ct=' || encode(substring(full_name_ct from 1 for 24), 'hex') || '..., email_ct=' || encode(substring(email_ct from 1 for 24), 'hex') || '..., kms_key_id=' || kms_key_id FROM evidence.personnel WHERE id = '$person_id'") \
  || fail "could not read the stored personnel row"
dump=$(db "SELECT full_name_ct::text || email_ct::text || coalesce(phone_ct::text, '') || coalesce(government_id_ct::text, '') FROM evidence.personnel WHERE id = '$person_id'")
for plain in "Grace Hopper" "grace.hopper@example.com" "123-45-6789"; do
  hex=$(printf '%s' "$plain" | od -An -tx1 | tr -d ' \n')
  [[ "$dump" != *"$hex"* ]] || fail "the stored personnel row holds '$plain' in clear"
done
show "stored row (psql, evidence.personnel): $row"
show "  none of the name, email or government id appears in it"
object_key=$(db "SELECT object_key FROM evidence.evidence_file WHERE id = '$evidence_id'")
object=$(find "$SPALCE_STATE_DIR/data/s3/$SPALCE_S3_BUCKET" -type f -path "*$object_key*" 2>/dev/null | head -n 1)
[[ -n "$object" ]] || fail "the evidence object $object_key is not in the object store"
grep -qF "quarterly access review" "$object" && fail "the stored object holds the file in clear"
show "stored object (object store, $object_key): $(wc -c <"$object") bytes, starts $(head -c 24 "$object" | od -An -tx1 | tr -d '\n' | tr -s ' ')"
show "  the file's text does not appear in it"

rotated=$(api POST /keys/rotations) || fail "could not rotate the key"
target=$(field currentKmsKeyId <<<"$rotated")
show "POST .../keys/rotations -> current key $target; rewrap-worker starts moving every record to it"
done_rewrap=false
last=""
for _ in $(seq 1 240); do
  jobs=$(api GET /rewrap-jobs || true)
  state=$(field state <<<"$jobs"); done_count=$(field done <<<"$jobs"); total=$(field total <<<"$jobs")
  if [[ -n "$state" && "$state/$done_count/$total" != "$last" ]]; then
    percent=0; (( ${total:-0} > 0 )) && percent=$(( 100 * done_count / total ))
    [[ "$state" == completed ]] && percent=100
    bar=$(printf '%*s' $(( percent / 5 )) '' | tr ' ' '#')
    show "rewrap [$(printf '%-20s' "$bar")] $percent % ($done_count of $total records, $state)"
    last="$state/$done_count/$total"
  fi
  if [[ "$state" == completed ]]; then done_rewrap=true; break; fi
  [[ "$state" == failed || "$state" == cancelled ]] && fail "the rewrap ended $state"
  sleep 0.5
done
$done_rewrap || fail "the rewrap did not complete"
for table in personnel evidence_file; do
  on_old=$(db "SELECT count(*) FROM evidence.$table WHERE workspace_id = '$workspace' AND kms_key_id <> '$target'")
  [[ "$on_old" == 0 ]] || fail "$on_old $table rows are still on an older key version"
done
show "every record of the workspace is now wrapped by $target"
[[ "$(api GET "/personnel/$person_id" | field fullName)" == "Grace Hopper" ]] || fail "the record did not decrypt after the rewrap"
show "GET .../personnel/$person_id still decrypts: Grace Hopper"
for _ in $(seq 1 40); do
  events=$(api GET /audit-events || true)
  [[ "$events" == *'"action":"rewrap.completed"'* ]] && break
  sleep 0.5
done
verification=$(api GET /audit-events/verification)
[[ "$verification" == *'"intact":true'* ]] || fail "the audit chain did not verify: $verification"
show "GET .../audit-events/verification -> $verification"
