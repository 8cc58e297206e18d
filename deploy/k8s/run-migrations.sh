#!/usr/bin/env bash
# Runs the database migrations of an overlay (overlays/ENV/migrations: one Job per service) and waits for them:
# the app overlay is applied only once every migration has completed. Usage: run-migrations.sh dev|prod
set -euo pipefail
overlay=${1:?usage: run-migrations.sh dev|prod}
cd "$(dirname "$0")"
selector=app.kubernetes.io/component=migration
# A Job's pod template is immutable: the previous release's Jobs go first.
kubectl -n spalce delete job -l "$selector" --ignore-not-found --wait
kubectl apply -k "overlays/$overlay/migrations"
# The migration role's credential (the migrations' own ExternalSecret) before the Jobs' pods can start.
kubectl -n spalce wait --for=condition=Ready externalsecret/spalce-db-admin --timeout=300s
# Longer than the Jobs' activeDeadlineSeconds (600): a Job that fails is reported by the timeout at the latest.
if ! kubectl -n spalce wait --for=condition=complete job -l "$selector" --timeout=660s; then
  kubectl -n spalce get job -l "$selector" >&2
  kubectl -n spalce logs -l "$selector" --all-containers --tail=100 --prefix >&2 || true
  echo "the migrations of $overlay did not complete" >&2
  exit 1
fi
