#!/usr/bin/env bash
# The e2e suite's steps against a real cluster: kind, the image built from this checkout, the Helm chart.
# Needs docker, kind, kubectl, helm and a built jar (mvn -DskipTests package). Not run in CI here: these machines
# have no Docker engine; the same steps run in PackagedOperatorIT against the embedded API server.
#
#   e2e/kind.sh            # creates the cluster "walguard-e2e", runs the steps, deletes the cluster
#   KEEP=1 e2e/kind.sh     # leaves the cluster running
set -euo pipefail
cd "$(dirname "$0")/.."

cluster=walguard-e2e
image=walguard/walguard:e2e
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo; echo "== $*"; }
for tool in docker kind kubectl helm; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
[ -f operator/target/walguard.jar ] || mvn -B -q -DskipTests package

step "cluster with three nodes, so that pods can land on different kernels"
cat > /tmp/walguard-kind.yaml <<'KIND'
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes: [{role: control-plane}, {role: worker}, {role: worker}, {role: worker}]
KIND
kind create cluster --name "$cluster" --config /tmp/walguard-kind.yaml
[ -n "${KEEP:-}" ] || trap 'kind delete cluster --name "$cluster"' EXIT

step "image and install (Helm)"
docker build -t "$image" .
kind load docker-image "$image" --name "$cluster"
helm install walguard ./helm/walguard --namespace walguard-system --create-namespace \
  --set image.repository=walguard/walguard --set image.tag=e2e --wait
kubectl -n walguard-system rollout status deployment/walguard --timeout=180s

step "a StorageClass that kind's local-path provisioner serves, annotated as network storage"
# kind has no NFS; the annotation makes walguard treat the class as shared, which is all the pin needs.
kubectl apply -f - <<'SC'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: efs-sc, annotations: {walguard.io/storage: network}}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
SC

step "apply the Grafana story: kubectl shows the webhook's warning"
out=$(kubectl apply -f examples/grafana-efs/grafana.yaml 2>&1) || fail "apply: $out"
echo "$out"
grep -q "Warning:" <<<"$out" || fail "no admission warning"

step "walguard pins Grafana and the pods converge"
for _ in $(seq 1 60); do
  placement=$(kubectl -n monitoring get sqlitedb grafana -o jsonpath='{.status.conditions[?(@.type=="Placement")].status}' || true)
  [ "$placement" = True ] && break
  sleep 5
done
[ "$placement" = True ] || fail "Placement did not turn True"
node=$(kubectl -n monitoring get sqlitedb grafana -o jsonpath='{.status.pinnedNode}')
kubectl -n monitoring get deploy grafana -o jsonpath='{.metadata.annotations.walguard\.io/pinned-node}' | grep -qx "$node" \
  || fail "Deployment not annotated with the pinned node"
kubectl get sqlitedb -A

step "operator restart: a removed term comes back"
kubectl -n walguard-system delete pod -l app.kubernetes.io/name=walguard --wait=false
kubectl -n monitoring patch deploy grafana --type=json -p='[{"op":"remove","path":"/spec/template/spec/affinity"}]'
kubectl -n walguard-system rollout status deployment/walguard --timeout=180s
for _ in $(seq 1 60); do
  kubectl -n monitoring get deploy grafana -o jsonpath='{.spec.template.spec.affinity}' | grep -q "$node" && break
  sleep 5
done
kubectl -n monitoring get deploy grafana -o jsonpath='{.spec.template.spec.affinity}' | grep -q "$node" \
  || fail "the pin was not restored"

step "checkpoint CronJob next to the openers"
kubectl -n monitoring get cronjob grafana-checkpoint || fail "no checkpoint CronJob"

step "uninstall: deleting the SqliteDatabase restores the Deployment; the CRD is kept"
kubectl -n monitoring delete sqlitedb grafana
kubectl -n monitoring get deploy grafana -o jsonpath='{.metadata.annotations}' | grep -q pinned-node \
  && fail "pinned-node annotation left behind"
helm uninstall walguard --namespace walguard-system
kubectl get crd sqlitedatabases.walguard.io >/dev/null || fail "the CRD was deleted by the uninstall"
echo; echo "e2e on kind: all steps passed"
