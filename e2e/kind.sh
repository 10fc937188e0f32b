#!/usr/bin/env bash
# The e2e suite's steps against a real cluster: kind, the image built from this checkout, the Helm chart.
#
# Needs docker (a running daemon), kind, kubectl and helm; Maven and Java are not needed (the image's build stage
# builds the jar). Nothing here runs in this repository's own test runs, which have no Docker engine: there the
# same steps run in PackagedOperatorIT against the embedded API server.
#
#   e2e/kind.sh            # creates the cluster "walguard-e2e", runs the steps, deletes the cluster
#   KEEP=1 e2e/kind.sh     # leaves the cluster (and walguard in it) running for a look around
#
# It talks only to the context kind-walguard-e2e, never to your current kubectl context. The Grafana image is
# pulled from Docker Hub by the cluster's nodes.
set -euo pipefail
cd "$(dirname "$0")/.."

cluster=walguard-e2e
context="kind-$cluster"
image=walguard/walguard:e2e
work=$(mktemp -d)

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo; echo "== $*"; }
k() { kubectl --context "$context" "$@"; }

# until TIMEOUT_SECONDS WHAT COMMAND...: runs COMMAND every 3 seconds until it succeeds, or fails naming WHAT.
until_ok() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what (waited ${timeout}s)"
    sleep 3
  done
}

cleanup() {
  local rc=$?
  if ((rc != 0)) && kind get clusters 2>/dev/null | grep -qx "$cluster"; then
    echo; echo "== what the cluster looked like when the run failed"
    k get pods -A -o wide || true
    k get sqlitedb -A -o yaml || true
    k -n walguard-system logs deployment/walguard --tail=100 || true
  fi
  if [ -z "${KEEP:-}" ]; then
    kind delete cluster --name "$cluster" || true
  else
    echo "KEEP is set: the cluster stays; kubectl --context $context ...; kind delete cluster --name $cluster"
  fi
  rm -rf "$work"
}

for tool in docker kind kubectl helm; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
docker info >/dev/null 2>&1 || fail "docker cannot reach a Docker daemon"
if kind get clusters 2>/dev/null | grep -qx "$cluster"; then
  fail "a kind cluster named $cluster exists already (a KEEP=1 run?): kind delete cluster --name $cluster"
fi

step "the image, built from this checkout (the Dockerfile's first stage runs the Maven build)"
docker build -t "$image" .

step "a cluster with three worker nodes, so that pods can land on different kernels"
cat >"$work/kind.yaml" <<'KIND'
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes: [{role: control-plane}, {role: worker}, {role: worker}, {role: worker}]
KIND
trap cleanup EXIT
kind create cluster --name "$cluster" --config "$work/kind.yaml" --wait 120s
# The operator and the checkpoint, journal and probe Jobs it starts all use this image, on any node.
kind load docker-image "$image" --name "$cluster"

step "the Grafana story's namespace, and a StorageClass that kind can serve, annotated as network storage"
# kind has no EFS or NFS: its local-path provisioner makes node-local volumes. The annotation makes walguard treat
# the class as a network filesystem, which is all the pin needs. Both exist before walguard starts, so the
# webhook's caches hold them from its first list.
k create namespace monitoring
k apply -f - <<'SC'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: efs-sc, annotations: {walguard.io/storage: network}}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
SC

step "install walguard with Helm, using the image just loaded"
helm --kube-context "$context" install walguard ./helm/walguard --namespace walguard-system --create-namespace \
  --set image.repository=walguard/walguard --set image.tag=e2e --wait --timeout 5m
k -n walguard-system rollout status deployment/walguard --timeout=180s

step "apply the Grafana story: kubectl shows the webhook's warning"
# local-path provisions ReadWriteOnce volumes only; on EFS the claim would be ReadWriteMany. To walguard an access
# mode is no placement rule on network storage, so the verdict is the same.
sed 's/ReadWriteMany/ReadWriteOnce/' examples/grafana-efs/grafana.yaml >"$work/grafana.yaml"
# The claim and the Deployment first, then the SqliteDatabase, whose admission judges them. The webhook sees the
# cluster through walguard's informer caches and answers once walguard has written its CA into the webhook
# configuration and the Service has an endpoint: a server-side dry run (admission, nothing stored) shows when the
# webhook knows the claim.
awk -v dir="$work" 'BEGIN { n = 1 } /^---/ { n++; next } { print > (dir "/doc-" n ".yaml") }' "$work/grafana.yaml"
database=$(grep -l '^kind: SqliteDatabase' "$work"/doc-*.yaml)
for doc in "$work"/doc-*.yaml; do
  [ "$doc" = "$database" ] || k apply -f "$doc"
done
until_ok 120 "the admission webhook never judged a dry run of the SqliteDatabase with its claim on efs-sc" \
  bash -c "kubectl --context '$context' apply --dry-run=server -f '$database' 2>&1 | grep -q 'Warning: .*efs-sc'"
out=$(k apply -f "$database" 2>&1) || fail "apply: $out"
echo "$out"
grep -q "Warning: .*efs-sc" <<<"$out" || fail "no admission warning naming efs-sc"

step "walguard pins Grafana and the pods converge"
placement() {
  [ "$(k -n monitoring get sqlitedb grafana \
    -o jsonpath='{.status.conditions[?(@.type=="Placement")].status}')" = True ]
}
until_ok 600 "Placement did not turn True (is the Grafana image pulling?)" placement
node=$(k -n monitoring get sqlitedb grafana -o jsonpath='{.status.pinnedNode}')
[ -n "$node" ] || fail "status.pinnedNode is empty"
[ "$(k -n monitoring get deploy grafana -o jsonpath='{.metadata.annotations.walguard\.io/pinned-node}')" = "$node" ] \
  || fail "Deployment not annotated with the pinned node $node"
k -n monitoring rollout status deployment/grafana --timeout=300s
k get sqlitedb -A

step "a run of the checkpoint CronJob next to Grafana reaches status.lastCheckpoint"
until_ok 120 "no checkpoint CronJob" k -n monitoring get cronjob grafana-checkpoint
[ "$(k -n monitoring get cronjob grafana-checkpoint \
  -o jsonpath='{.spec.jobTemplate.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}')" = "$node" ] \
  || fail "the checkpoint CronJob is not pinned to $node"
k -n monitoring create job --from=cronjob/grafana-checkpoint grafana-checkpoint-e2e
checkpointed() {
  k -n monitoring get sqlitedb grafana -o jsonpath='{.status.lastCheckpoint.pod}' | grep -q '^grafana-checkpoint-e2e-'
}
until_ok 300 "the manual checkpoint run did not reach status.lastCheckpoint" checkpointed
k -n monitoring get sqlitedb grafana -o jsonpath='{.status.lastCheckpoint}'; echo
[ -z "$(k -n monitoring get sqlitedb grafana -o jsonpath='{.status.lastCheckpoint.error}')" ] \
  || fail "the checkpoint reported an error"

step "operator restart: a workload changed while walguard is down is pinned again"
# Two replicas without the pin could run on two nodes. (With one replica, the maxSurge 0 walguard set keeps Grafana
# on one node without the term, and walguard rightly leaves it at that.)
k -n walguard-system scale deployment walguard --replicas=0
operator_gone() { [ -z "$(k -n walguard-system get pods -l app.kubernetes.io/name=walguard -o name)" ]; }
until_ok 120 "the walguard pod did not stop" operator_gone
k -n monitoring scale deploy grafana --replicas=2
k -n monitoring patch deploy grafana --type=json -p='[{"op":"remove","path":"/spec/template/spec/affinity"}]'
k -n walguard-system scale deployment walguard --replicas=1
k -n walguard-system rollout status deployment/walguard --timeout=180s
repinned() {
  k -n monitoring get deploy grafana -o jsonpath='{.spec.template.spec.affinity}' | grep -q "$node" && placement
}
until_ok 300 "the pin was not restored" repinned
[ "$(k -n monitoring get sqlitedb grafana -o jsonpath='{.status.pinnedNode}')" = "$node" ] \
  || fail "walguard pinned Grafana to another node than before"

step "uninstall, in order: the SqliteDatabases first, while the operator runs, then walguard"
k -n monitoring annotate deploy grafana example.com/owner=e2e
# The delete waits until walguard has undone its changes and removed its finalizer.
k delete sqlitedb --all -A --timeout=180s
! k -n monitoring get cronjob grafana-checkpoint >/dev/null 2>&1 || fail "the checkpoint CronJob is still there"
[ -z "$(k -n monitoring get jobs -l walguard.io/database=grafana -o name)" ] || fail "walguard's Jobs are still there"
no_job_pods() { [ -z "$(k -n monitoring get pods -l walguard.io/database=grafana -o name)" ]; }
until_ok 120 "the pods of walguard's Jobs are still there (the garbage collector removes them with their Jobs)" \
  no_job_pods
annotations=$(k -n monitoring get deploy grafana -o jsonpath='{.metadata.annotations}')
! grep -q 'walguard\.io/' <<<"$annotations" || fail "walguard's annotations left behind: $annotations"
grep -q 'example.com/owner' <<<"$annotations" || fail "an annotation walguard did not add was removed"
[ -z "$(k -n monitoring get deploy grafana -o jsonpath='{.spec.template.spec.affinity}')" ] \
  || fail "the node affinity walguard added is still there"
[ "$(k -n monitoring get deploy grafana -o jsonpath='{.spec.strategy.rollingUpdate.maxSurge}')" = 25% ] \
  || fail "the maxSurge walguard set to 0 was not given back"
helm --kube-context "$context" uninstall walguard --namespace walguard-system --wait --timeout 3m
k get crd sqlitedatabases.walguard.io >/dev/null || fail "the CRD was deleted by the uninstall (crds.keep)"
k delete crd sqlitedatabases.walguard.io --timeout=60s
echo; echo "e2e on kind: all steps passed"
