#!/usr/bin/env bash
# Installs or upgrades an overlay in the order its pieces depend on each other, waiting for each step before the
# next (deploy/README.md, "Install order"). Safe for the first install and for every release after it.
#   1. the operators are there: the CRDs of cert-manager, the External Secrets Operator and KEDA are established and
#      their controllers and webhooks available (they validate and act on what step 2 applies);
#   2. the prerequisites (objects labelled spalce.dev/install-step=prerequisites): the namespace, the
#      ClusterSecretStore, the ACME ClusterIssuer, the internal CA's Issuers and every service's Certificate, and the
#      ExternalSecrets; waited for until each is Ready, i.e. until every Secret a Job or a pod reads exists;
#      the ConfigMap spalce-db-ca (created by the operator) must exist too;
#   3. the database migrations (run-migrations.sh: one Job per service, waited for until complete);
#   4. the app (every object of the overlay), each Deployment waited for until rolled out.
# Nothing of step 4 runs before the migrations have completed, and no pod starts before its Secrets exist.
# Usage: install.sh dev|prod
set -euo pipefail
overlay=${1:?usage: install.sh dev|prod}
cd "$(dirname "$0")"
[[ -d "overlays/$overlay" ]] || { echo "no overlay '$overlay'" >&2; exit 1; }
namespace=spalce
prerequisites=spalce.dev/install-step=prerequisites
timeout=${SPALCE_INSTALL_TIMEOUT:-300s}
step() { printf '\n==> %s\n' "$*"; }
die() { printf 'install: %s\n' "$*" >&2; exit 1; }

step "1. Operators: CRDs established, controllers and webhooks available"
crds=(certificates.cert-manager.io issuers.cert-manager.io clusterissuers.cert-manager.io
  externalsecrets.external-secrets.io clustersecretstores.external-secrets.io scaledobjects.keda.sh)
for crd in "${crds[@]}"; do
  kubectl get crd "$crd" >/dev/null 2>&1 \
    || die "the CRD $crd is missing: install cert-manager, the External Secrets Operator and KEDA first (deploy/README.md, Prerequisites)"
done
kubectl wait --for=condition=Established "${crds[@]/#/crd/}" --timeout="$timeout"
for operator in cert-manager external-secrets keda; do
  kubectl -n "$operator" wait --for=condition=Available deployment --all --timeout="$timeout"
done

step "2. Prerequisites: namespace, secret store, issuers, certificates, ExternalSecrets"
kubectl apply -k "overlays/$overlay" -l "$prerequisites"
kubectl wait --for=condition=Ready clustersecretstore -l "$prerequisites" --timeout="$timeout"
kubectl wait --for=condition=Ready clusterissuer -l "$prerequisites" --timeout="$timeout"
# The root Issuer first, then the CA's Certificate, then the CA Issuer, then the services' Certificates: waiting for
# all of them until Ready covers that chain.
kubectl -n "$namespace" wait --for=condition=Ready issuer -l "$prerequisites" --timeout="$timeout"
kubectl -n "$namespace" wait --for=condition=Ready certificate -l "$prerequisites" --timeout="$timeout"
kubectl -n "$namespace" wait --for=condition=Ready externalsecret -l "$prerequisites" --timeout="$timeout"
kubectl -n "$namespace" get configmap spalce-db-ca >/dev/null 2>&1 \
  || die "the ConfigMap spalce-db-ca is missing: create it from AWS's RDS CA bundle (deploy/README.md, The RDS CA bundle), then run this again"

step "3. Database migrations"
./run-migrations.sh "$overlay"

step "4. The app"
kubectl apply -k "overlays/$overlay"
for deployment in auth-gateway evidence-service crypto-service rewrap-worker audit-log-service; do
  kubectl -n "$namespace" rollout status "deployment/$deployment" --timeout=600s
done
echo "installed overlay $overlay"
