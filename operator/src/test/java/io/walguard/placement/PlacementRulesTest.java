package io.walguard.placement;

import static io.walguard.placement.Manifests.CLAIM;
import static io.walguard.placement.Manifests.claim;
import static io.walguard.placement.Manifests.cronJob;
import static io.walguard.placement.Manifests.daemonSet;
import static io.walguard.placement.Manifests.deployment;
import static io.walguard.placement.Manifests.hostIn;
import static io.walguard.placement.Manifests.hpa;
import static io.walguard.placement.Manifests.job;
import static io.walguard.placement.Manifests.labels;
import static io.walguard.placement.Manifests.onHost;
import static io.walguard.placement.Manifests.ownedBy;
import static io.walguard.placement.Manifests.pod;
import static io.walguard.placement.Manifests.podAffinity;
import static io.walguard.placement.Manifests.replicaSet;
import static io.walguard.placement.Manifests.requiredHosts;
import static io.walguard.placement.Manifests.requiredTerms;
import static io.walguard.placement.Manifests.runningPod;
import static io.walguard.placement.Manifests.statefulSet;
import static io.walguard.placement.Manifests.statefulSetWithClaimTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every placement rule of DESIGN.md section 6, one row each: which openers a set of manifests has, whether they can be
 * on more than one node at the same time (now or during a rollout), and the reason that says why, naming the object.
 */
class PlacementRulesTest {

  /** One row: the manifests, the claim and selector of the database, and what placement must conclude. */
  record Case(String name, String claim, String selector, List<String> manifests, boolean severalNodes,
      List<String> openers, String reason) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static Case row(String name, boolean several, List<String> openers, String reason, String... manifests) {
    return new Case(name, CLAIM, null, List.of(manifests), several, openers, reason);
  }

  private static Case rowForClaim(String name, String claim, boolean several, List<String> openers, String reason,
      String... manifests) {
    return new Case(name, claim, null, List.of(manifests), several, openers, reason);
  }

  private static Case rowWithSelector(String name, String selector, boolean several, List<String> openers,
      String reason, String... manifests) {
    return new Case(name, CLAIM, selector, List.of(manifests), several, openers, reason);
  }

  private static final List<String> GRAFANA = List.of("Deployment/grafana");
  private static final String RECREATE = "strategy: {type: Recreate}";

  static Stream<Case> nobody() {
    return Stream.of(
        row("a claim no workload mounts has no openers", false, List.of(), "no workload mounts claim data yet",
            deployment("other", "", "", "other-data")));
  }

  static Stream<Case> deployments() {
    return Stream.of(
        row("a Deployment with Kubernetes' defaults surges 25% of one replica, rounded up to one pod", true, GRAFANA,
            "Deployment/grafana: RollingUpdate with the default maxSurge 25% (rounded up to 1 pod) can run two pods"
                + " on two nodes during a rollout",
            deployment("grafana", "", "")),
        row("maxSurge 1 runs a new pod next to the old one during a rollout", true, GRAFANA,
            "Deployment/grafana: RollingUpdate with maxSurge 1 can run two pods on two nodes during a rollout",
            deployment("grafana", "replicas: 1, strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}", "")),
        row("maxSurge 25% of one replica rounds up to one pod", true, GRAFANA,
            "maxSurge 25% (rounded up to 1 pod)",
            deployment("grafana", "strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}", "")),
        row("maxSurge 1% of one replica still rounds up to one pod", true, GRAFANA, "maxSurge 1% (rounded up to 1 pod)",
            deployment("grafana", "strategy: {rollingUpdate: {maxSurge: 1%}}", "")),
        row("maxSurge 0 stops the old pod first", false, GRAFANA,
            "Deployment/grafana: one replica, and RollingUpdate with maxSurge 0 (maxUnavailable 1) stops the old pod"
                + " before it starts the new one, so it never runs on two nodes at once",
            deployment("grafana", "strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}", "")),
        row("maxSurge 0% with maxUnavailable 25% rounding down to 0: Kubernetes still takes one pod down first", false,
            GRAFANA, "maxSurge 0% (rounded up to 0 pods) (maxUnavailable 1)",
            deployment("grafana", "strategy: {rollingUpdate: {maxSurge: 0%}}", "")),
        row("maxSurge 2 runs three pods during a rollout", true, GRAFANA,
            "RollingUpdate with maxSurge 2 can run 3 pods on 3 nodes during a rollout",
            deployment("grafana", "strategy: {rollingUpdate: {maxSurge: 2}}", "")),
        row("a maxSurge that is neither a number nor a percentage is taken to surge", true, GRAFANA,
            "maxSurge 'lots', which is neither a number nor a percentage",
            deployment("grafana", "strategy: {rollingUpdate: {maxSurge: lots}}", "")),
        row("Recreate with one replica never overlaps itself", false, GRAFANA,
            "Deployment/grafana: one replica, and Recreate stops the old pod before it starts the new one",
            deployment("grafana", RECREATE, "")),
        row("Recreate with two replicas runs two pods", true, GRAFANA,
            "Deployment/grafana: 2 replicas can run on 2 nodes at once",
            deployment("grafana", "replicas: 2, " + RECREATE, "")),
        row("three replicas can be on three nodes", true, GRAFANA, "Deployment/grafana: 3 replicas can run on 3 nodes",
            deployment("grafana", "replicas: 3", "")),
        row("a HorizontalPodAutoscaler's maxReplicas counts, not today's one replica", true, GRAFANA,
            "Deployment/grafana: up to 3 replicas (HorizontalPodAutoscaler/grafana-hpa maxReplicas 3) can run on 3"
                + " nodes at once",
            deployment("grafana", "replicas: 1, " + RECREATE, ""), hpa("grafana-hpa", "Deployment", "grafana", 3)),
        row("a HorizontalPodAutoscaler's maxReplicas 1 counts, not today's three replicas", false, GRAFANA,
            "Deployment/grafana: one replica (HorizontalPodAutoscaler/grafana-hpa maxReplicas 1), and Recreate",
            deployment("grafana", "replicas: 3, " + RECREATE, ""), hpa("grafana-hpa", "Deployment", "grafana", 1)),
        row("an autoscaler of another Deployment does not count", false, GRAFANA, "Deployment/grafana: one replica,",
            deployment("grafana", RECREATE, ""), hpa("web-hpa", "Deployment", "web", 5)),
        row("an autoscaler of a StatefulSet of the same name does not count for the Deployment", false, GRAFANA,
            "Deployment/grafana: one replica,",
            deployment("grafana", RECREATE, ""), hpa("grafana-hpa", "StatefulSet", "grafana", 5)),
        row("a Deployment scaled to zero is judged as the one replica it runs when scaled back up", true, GRAFANA,
            "Deployment/grafana: RollingUpdate with the default maxSurge 25%",
            deployment("grafana", "replicas: 0", "")),
        row("a Recreate Deployment scaled to zero is one pod when scaled back up", false, GRAFANA,
            "Deployment/grafana: 0 replicas now (judged as one, as when scaled back up), and Recreate",
            deployment("grafana", "replicas: 0, " + RECREATE, "")));
  }

  static Stream<Case> nodeConstraints() {
    return Stream.of(
        row("a hostname nodeSelector keeps three replicas on one node", false, GRAFANA,
            "Deployment/grafana: 3 replicas, but nodeSelector kubernetes.io/hostname=node-a keeps every pod on node-a,"
                + " even during a rollout",
            deployment("grafana", "replicas: 3", onHost("node-a"))),
        row("a hostname nodeSelector keeps a surging rollout on one node", false, GRAFANA,
            "Deployment/grafana: RollingUpdate with the default maxSurge 25% (rounded up to 1 pod), but nodeSelector"
                + " kubernetes.io/hostname=node-a keeps every pod on node-a",
            deployment("grafana", "", onHost("node-a"))),
        row("spec.nodeName in the pod template keeps every pod on that node", false, GRAFANA,
            "spec.nodeName node-a keeps every pod on node-a", deployment("grafana", "replicas: 2", "nodeName: node-a")),
        row("a nodeSelector on another label does not confine to one node", true, GRAFANA,
            "Deployment/grafana: 2 replicas can run on 2 nodes",
            deployment("grafana", "replicas: 2", "nodeSelector: {disktype: ssd}")),
        row("a required node affinity to one hostname confines", false, GRAFANA,
            "a required node affinity to node-a keeps every pod on node-a",
            deployment("grafana", "replicas: 2", requiredHosts("node-a"))),
        row("two ORed terms that both allow only node-a confine", false, GRAFANA,
            "a required node affinity to node-a keeps every pod on node-a",
            deployment("grafana", "replicas: 2", requiredHosts("node-a", "node-a"))),
        row("two ORed terms for node-a and node-b do not confine", true, GRAFANA, "Deployment/grafana: 2 replicas",
            deployment("grafana", "replicas: 2", requiredHosts("node-a", "node-b"))),
        row("one term allowing two hostnames does not confine", true, GRAFANA, "Deployment/grafana: 2 replicas",
            deployment("grafana", "replicas: 2", requiredHosts("node-a, node-b"))),
        row("ANDed requirements in one term: a hostname and a zone confine to the hostname", false, GRAFANA,
            "a required node affinity to node-a",
            deployment("grafana", "replicas: 2", requiredTerms("{matchExpressions: [" + hostIn("node-a")
                + ", {key: topology.kubernetes.io/zone, operator: In, values: [z1, z2]}]}"))),
        row("ANDed hostname requirements in one term intersect to one node", false, GRAFANA,
            "a required node affinity to node-b",
            deployment("grafana", "replicas: 2", requiredTerms("{matchExpressions: [" + hostIn("node-a, node-b")
                + ", " + hostIn("node-b, node-c") + "]}"))),
        row("a matchFields metadata.name requirement names the node as the DaemonSet controller writes it", false,
            GRAFANA, "a required node affinity to node-a",
            deployment("grafana", "replicas: 2", requiredTerms(
                "{matchFields: [{key: metadata.name, operator: In, values: [node-a]}]}"))),
        row("a preferred node affinity does not confine", true, GRAFANA, "Deployment/grafana: 2 replicas",
            deployment("grafana", "replicas: 2", "affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuring"
                + "Execution: [{weight: 100, preference: {matchExpressions: [" + hostIn("node-a") + "]}}]}}")),
        row("a required pod affinity to its own pods on the hostname topology keeps them together", false, GRAFANA,
            "a required pod affinity to its own pods on topology kubernetes.io/hostname keeps every pod on one node",
            deployment("grafana", "replicas: 3", podAffinity("grafana", "kubernetes.io/hostname"))),
        row("a required pod affinity on the zone topology does not confine to one node", true, GRAFANA,
            "Deployment/grafana: 3 replicas",
            deployment("grafana", "replicas: 3", podAffinity("grafana", "topology.kubernetes.io/zone"))),
        row("a required pod affinity to other pods does not confine", true, GRAFANA, "Deployment/grafana: 3 replicas",
            deployment("grafana", "replicas: 3", podAffinity("redis", "kubernetes.io/hostname"))),
        row("a pod anti-affinity spreads rather than confines", true, GRAFANA, "Deployment/grafana: 3 replicas",
            deployment("grafana", "replicas: 3", "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuring"
                + "Execution: [{labelSelector: {matchLabels: {app: grafana}}, topologyKey: kubernetes.io/hostname}]}}")));
  }

  static Stream<Case> statefulSets() {
    List<String> gitea = List.of("StatefulSet/gitea");
    return Stream.of(
        rowForClaim("a claim from volumeClaimTemplates is opened by exactly one pod", "data-gitea-0", false, gitea,
            "StatefulSet/gitea: one pod per claim (gitea-0 mounts data-gitea-0), never two at once",
            statefulSetWithClaimTemplate("gitea", "replicas: 3")),
        rowForClaim("the last ordinal's claim has its one pod", "data-gitea-2", false, gitea,
            "gitea-2 mounts data-gitea-2", statefulSetWithClaimTemplate("gitea", "replicas: 3")),
        rowForClaim("a template claim beyond the replicas is left over from a scale-down: no pod opens it",
            "data-gitea-3", false, List.of(), "no workload mounts claim data-gitea-3 yet",
            statefulSetWithClaimTemplate("gitea", "replicas: 3")),
        rowForClaim("ordinals start where spec.ordinals.start says", "data-gitea-6", false, gitea,
            "gitea-6 mounts data-gitea-6", statefulSetWithClaimTemplate("gitea", "replicas: 2, ordinals: {start: 5}")),
        rowForClaim("ordinals below spec.ordinals.start do not exist", "data-gitea-0", false, List.of(),
            "no workload mounts claim data-gitea-0 yet",
            statefulSetWithClaimTemplate("gitea", "replicas: 2, ordinals: {start: 5}")),
        rowForClaim("an autoscaler's maxReplicas brings more ordinals", "data-gitea-3", false, gitea,
            "gitea-3 mounts data-gitea-3",
            statefulSetWithClaimTemplate("gitea", "replicas: 1"), hpa("gitea", "StatefulSet", "gitea", 4)),
        rowForClaim("a name that only looks like an ordinal is not one", "data-gitea-01", false, List.of(),
            "no workload mounts claim data-gitea-01 yet", statefulSetWithClaimTemplate("gitea", "replicas: 3")),
        rowForClaim("another StatefulSet's template claims are not this one's", "data-gitea-0", false, List.of(),
            "no workload mounts claim data-gitea-0 yet", statefulSetWithClaimTemplate("forgejo", "replicas: 3")),
        row("one StatefulSet replica sharing a claim through the pod template never overlaps itself", false, gitea,
            "StatefulSet/gitea: one replica, and a StatefulSet never runs two pods of one ordinal at once",
            statefulSet("gitea", "replicas: 1", "")),
        row("several StatefulSet replicas sharing one claim are several openers", true, gitea,
            "StatefulSet/gitea: 2 replicas share the claim through the pod template and can run on 2 nodes at once",
            statefulSet("gitea", "replicas: 2", "")));
  }

  static Stream<Case> daemonSetsReplicaSetsJobs() {
    return Stream.of(
        row("a DaemonSet runs on every node", true, List.of("DaemonSet/agent"),
            "DaemonSet/agent: a DaemonSet runs one pod on every node it can, so on several nodes at once",
            daemonSet("agent", "", "")),
        row("a DaemonSet confined to one hostname runs one pod", false, List.of("DaemonSet/agent"),
            "DaemonSet/agent: a DaemonSet, one pod per node, but nodeSelector kubernetes.io/hostname=node-a keeps"
                + " every pod on node-a",
            daemonSet("agent", "", onHost("node-a"))),
        row("a ReplicaSet of its own with two replicas", true, List.of("ReplicaSet/web"),
            "ReplicaSet/web: 2 replicas can run on 2 nodes at once", replicaSet("web", "", "replicas: 2", "")),
        row("a ReplicaSet of its own with one replica has no rollout", false, List.of("ReplicaSet/web"),
            "ReplicaSet/web: one replica: a ReplicaSet has no rollout of its own",
            replicaSet("web", "", "replicas: 1", "")),
        row("a ReplicaSet owned by a Deployment in the facts is not an opener: the Deployment is", false, List.of(
            "Deployment/web"), "Deployment/web: one replica, and Recreate",
            deployment("web", RECREATE, ""), replicaSet("web-5d8f", ownedBy("Deployment", "web"), "replicas: 1", "")),
        row("a ReplicaSet whose Deployment is not in the facts is the opener", true, List.of("ReplicaSet/web-5d8f"),
            "ReplicaSet/web-5d8f: 2 replicas",
            replicaSet("web-5d8f", ownedBy("Deployment", "web"), "replicas: 2", "")),
        row("a Job with the default parallelism runs one pod at a time", false, List.of("Job/migrate"),
            "Job/migrate: parallelism 1 (the default): one pod at a time", job("migrate", "", "")),
        row("a Job with parallelism 3 can run three pods on three nodes", true, List.of("Job/migrate"),
            "Job/migrate: parallelism 3 can run 3 pods on 3 nodes at once", job("migrate", "", "parallelism: 3")),
        row("a Job that completed starts no pod again, so it opens nothing", false, List.of(),
            "Job/migrate: finished (Complete), so it starts no pod that opens the database",
            job("migrate", "", "", "succeeded: 1, conditions: [{type: Complete, status: 'True'}]")),
        row("a Job that failed starts no pod again, so it opens nothing", false, List.of(),
            "Job/migrate: finished (Failed)",
            job("migrate", "", "parallelism: 3", "failed: 4, conditions: [{type: Failed, status: 'True'}]")),
        row("a Job whose pods all succeeded opens nothing, before its Complete condition too", false, List.of(),
            "Job/migrate: finished (2 of 2 pods succeeded)",
            job("migrate", "", "completions: 2", "succeeded: 2")),
        row("a Job with pods still to succeed is an opener", true, List.of("Job/migrate"),
            "Job/migrate: parallelism 2 can run 2 pods on 2 nodes at once",
            job("migrate", "", "completions: 3, parallelism: 2", "succeeded: 1, active: 2")),
        row("a Job whose pods succeeded while one still runs is an opener", false, List.of("Job/migrate"),
            "Job/migrate: parallelism 1 (the default): one pod at a time",
            job("migrate", "", "", "succeeded: 1, active: 1")),
        row("a condition that is not True does not finish a Job", false, List.of("Job/migrate"),
            "Job/migrate: parallelism 1 (the default)",
            job("migrate", "", "", "conditions: [{type: Complete, status: 'False'}]")),
        row("a finished Job next to a one-replica Recreate Deployment leaves the Deployment the only opener", false,
            GRAFANA, "Deployment/grafana: one replica, and Recreate",
            deployment("grafana", RECREATE, ""),
            job("migrate", "", "", "succeeded: 1, conditions: [{type: Complete, status: 'True'}]")),
        row("a Job with parallelism 2 but completions 1 runs one pod at a time", false, List.of("Job/migrate"),
            "Job/migrate: parallelism 2, but completions 1: one pod at a time",
            job("migrate", "", "parallelism: 2, completions: 1")),
        row("a Job runs at most as many pods at once as completions", true, List.of("Job/migrate"),
            "Job/migrate: parallelism 5 with completions 3 can run 3 pods on 3 nodes at once",
            job("migrate", "", "parallelism: 5, completions: 3")),
        row("a Job with more completions than parallelism runs parallelism pods at once", true,
            List.of("Job/migrate"), "Job/migrate: parallelism 2 can run 2 pods on 2 nodes at once",
            job("migrate", "", "parallelism: 2, completions: 10")),
        row("a CronJob that forbids overlap and runs one completion at a time is on one node", false,
            List.of("CronJob/backup"), "CronJob/backup: concurrencyPolicy Forbid: one run at a time, parallelism 3,"
                + " but completions 1: one pod at a time",
            cronJob("backup", "concurrencyPolicy: Forbid", "parallelism: 3, completions: 1")),
        row("a CronJob's default concurrencyPolicy Allow lets runs overlap", true, List.of("CronJob/backup"),
            "CronJob/backup: concurrencyPolicy Allow (the default) lets a run start while the previous one still runs,"
                + " on another node",
            cronJob("backup", "", "")),
        row("a CronJob with concurrencyPolicy Allow lets runs overlap", true, List.of("CronJob/backup"),
            "CronJob/backup: concurrencyPolicy Allow lets a run start", cronJob("backup", "concurrencyPolicy: Allow", "")),
        row("a CronJob with concurrencyPolicy Forbid runs one at a time", false, List.of("CronJob/backup"),
            "CronJob/backup: concurrencyPolicy Forbid: one run at a time, parallelism 1 (the default)",
            cronJob("backup", "concurrencyPolicy: Forbid", "")),
        row("a CronJob with concurrencyPolicy Replace runs one at a time", false, List.of("CronJob/backup"),
            "CronJob/backup: concurrencyPolicy Replace: one run at a time (a new run replaces the one still running)",
            cronJob("backup", "concurrencyPolicy: Replace", "")),
        row("a CronJob that forbids overlap but runs parallel pods is on several nodes", true, List.of("CronJob/backup"),
            "CronJob/backup: concurrencyPolicy Forbid: one run at a time, but each run's parallelism 2 can run 2 pods",
            cronJob("backup", "concurrencyPolicy: Forbid", "parallelism: 2")),
        row("a Job owned by a CronJob in the facts is not an opener: the CronJob is", false, List.of("CronJob/backup"),
            "CronJob/backup: concurrencyPolicy Forbid",
            cronJob("backup", "concurrencyPolicy: Forbid", ""),
            job("backup-28000000", "ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: backup,"
                + " controller: true}]", "")));
  }

  static Stream<Case> severalWorkloads() {
    List<String> both = List.of("Deployment/grafana", "Deployment/renderer");
    return Stream.of(
        row("two workloads pinned to the same node share one kernel", false, both,
            "Deployment/grafana, Deployment/renderer all stay on node-a, so they share one kernel",
            deployment("grafana", RECREATE, onHost("node-a")),
            deployment("renderer", "replicas: 2", requiredHosts("node-a"))),
        row("two workloads pinned to different nodes", true, both,
            "Deployment/grafana, Deployment/renderer share claim data and are not all confined to one node",
            deployment("grafana", RECREATE, onHost("node-a")), deployment("renderer", RECREATE, onHost("node-b"))),
        row("two workloads, one pinned and one not", true, both, "are not all confined to one node",
            deployment("grafana", RECREATE, onHost("node-a")), deployment("renderer", RECREATE, "")),
        row("two single-replica Recreate workloads that are not pinned can land on two nodes", true, both,
            "are not all confined to one node", deployment("grafana", RECREATE, ""), deployment("renderer", RECREATE, "")),
        row("a pod affinity to their own pods keeps each workload together, not the two with each other", true, both,
            "are not all confined to one node",
            deployment("grafana", RECREATE, podAffinity("grafana", "kubernetes.io/hostname")),
            deployment("renderer", RECREATE, podAffinity("renderer", "kubernetes.io/hostname"))),
        row("a bare Pod on node-a next to a Deployment pinned to node-a", false, List.of("Deployment/grafana",
            "Pod/sqlite-shell"), "all stay on node-a",
            deployment("grafana", RECREATE, onHost("node-a")), runningPod("sqlite-shell", "", "node-a")));
  }

  static Stream<Case> barePods() {
    return Stream.of(
        row("a bare Pod on a node stays there", false, List.of("Pod/sqlite-shell"),
            "Pod/sqlite-shell: a bare Pod on node node-a; it stays there", runningPod("sqlite-shell", "", "node-a")),
        row("a bare Pod not scheduled yet is still one pod on one node", false, List.of("Pod/sqlite-shell"),
            "Pod/sqlite-shell: a bare Pod runs on one node, but it is not scheduled yet",
            pod("sqlite-shell", "", "", "phase: Pending")),
        row("a bare Pod held by a hostname nodeSelector", false, List.of("Pod/sqlite-shell"),
            "Pod/sqlite-shell: a bare Pod, kept on node-a by nodeSelector kubernetes.io/hostname=node-a",
            pod("sqlite-shell", "", onHost("node-a"), null)),
        row("two bare Pods on the same node", false, List.of("Pod/a", "Pod/b"), "Pod/a, Pod/b all stay on node-a",
            runningPod("a", "", "node-a"), runningPod("b", "", "node-a")),
        row("two bare Pods on two nodes", true, List.of("Pod/a", "Pod/b"), "claim data is open on 2 nodes right now",
            runningPod("a", "", "node-a"), runningPod("b", "", "node-b")),
        row("a finished bare Pod opens nothing", false, List.of(), "no workload mounts claim data yet",
            pod("done", "", "nodeName: node-a", "phase: Succeeded"), pod("failed", "", "nodeName: node-b",
                "phase: Failed")),
        row("a Pod owned by something the facts do not hold (a static pod's Node) is a bare Pod", false,
            List.of("Pod/etcd-node-a"), "Pod/etcd-node-a: a bare Pod on node node-a",
            runningPod("etcd-node-a", "ownerReferences: [{apiVersion: v1, kind: Node, name: node-a, controller: true}]",
                "node-a")));
  }

  static Stream<Case> ownerReferences() {
    return Stream.of(
        row("a Pod of a ReplicaSet of a Deployment belongs to the Deployment", false, List.of("Deployment/web"),
            "Deployment/web: one replica",
            deployment("web", RECREATE, ""), replicaSet("web-5d8f", ownedBy("Deployment", "web"), "", ""),
            runningPod("web-5d8f-x1", labels("web") + ", " + ownedBy("ReplicaSet", "web-5d8f"), "node-a")),
        row("a Pod whose ReplicaSet is not in the facts belongs to the Deployment whose selector matches it", false,
            List.of("Deployment/web"), "Deployment/web: one replica",
            deployment("web", RECREATE, ""),
            runningPod("web-5d8f-x1", labels("web") + ", " + ownedBy("ReplicaSet", "web-5d8f"), "node-a")),
        row("a Pod whose ReplicaSet is not in the facts and whose labels no Deployment selects is a bare Pod", false,
            List.of("Pod/web-5d8f-x1"), "Pod/web-5d8f-x1: a bare Pod on node node-a",
            deployment("other", RECREATE, "", "other-data"),
            runningPod("web-5d8f-x1", labels("web") + ", " + ownedBy("ReplicaSet", "web-5d8f"), "node-a")),
        row("a Pod of a Job of a CronJob belongs to the CronJob", true, List.of("CronJob/backup"),
            "CronJob/backup: concurrencyPolicy Allow",
            cronJob("backup", "", ""),
            job("backup-28000000", "ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: backup,"
                + " controller: true}]", ""),
            runningPod("backup-28000000-abcde", labels("backup") + ", ownerReferences: [{apiVersion: batch/v1,"
                + " kind: Job, name: backup-28000000, controller: true}]", "node-a")),
        row("a Pod of a StatefulSet belongs to the StatefulSet", false, List.of("StatefulSet/gitea"),
            "StatefulSet/gitea: one replica",
            statefulSet("gitea", "replicas: 1", ""),
            runningPod("gitea-0", labels("gitea") + ", " + ownedBy("StatefulSet", "gitea"), "node-a")),
        row("an owner reference with another uid is another object: the Pod is bare", true, List.of(
            "Deployment/web", "Pod/web-5d8f-x1"), "are not all confined to one node",
            "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, uid: u-new}, spec: {strategy: {type:"
                + " Recreate}, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},"
                + " spec: {containers: [{name: app, image: example/app}], volumes: [{name: db,"
                + " persistentVolumeClaim: {claimName: data}}]}}}}",
            runningPod("web-5d8f-x1", labels("other") + ", " + ownedBy("Deployment", "web"), "node-a")));
  }

  static Stream<Case> workloadSelector() {
    String grafanaOnly = "{matchLabels: {app: grafana}}";
    return Stream.of(
        rowWithSelector("only workloads whose pod template labels match count", grafanaOnly, false, GRAFANA,
            "Deployment/grafana: one replica, and Recreate",
            deployment("grafana", RECREATE, ""), deployment("backup", RECREATE, ""), daemonSet("agent", "", "")),
        rowWithSelector("a selector that matches none of the openers", "{matchLabels: {app: nothing}}", false,
            List.of(), "no workload mounts claim data yet among those spec.workloadSelector selects",
            deployment("grafana", RECREATE, "")),
        rowWithSelector("only bare Pods whose labels match count", grafanaOnly, false, List.of("Pod/a"),
            "Pod/a: a bare Pod on node node-a",
            runningPod("a", labels("grafana"), "node-a"), runningPod("b", labels("shell"), "node-b")),
        rowWithSelector("matchExpressions NotIn leaves out the named workloads", "{matchExpressions: [{key: app,"
                + " operator: NotIn, values: [agent, backup]}]}", false, GRAFANA, "Deployment/grafana",
            deployment("grafana", RECREATE, ""), deployment("backup", RECREATE, ""), daemonSet("agent", "", "")),
        rowWithSelector("an empty selector selects every opener", "{}", true, List.of("Deployment/grafana",
            "DaemonSet/agent"), "DaemonSet/agent: a DaemonSet runs one pod on every node",
            deployment("grafana", RECREATE, ""), daemonSet("agent", "", "")),
        rowWithSelector("an operator Kubernetes does not know matches nothing, and says so",
            "{matchExpressions: [{key: app, operator: Equals, values: [grafana]}]}", false, List.of(),
            "spec.workloadSelector: operator 'Equals' on key app is not one of In, NotIn, Exists, DoesNotExist",
            deployment("grafana", RECREATE, "")));
  }

  static Stream<Case> runningNow() {
    return Stream.of(
        row("pods of one workload running on two nodes now", true, List.of("Deployment/web"),
            "claim data is open on 2 nodes right now: node-a (Pod/web-1 of Deployment/web), node-b (Pod/web-2 of"
                + " Deployment/web)",
            deployment("web", RECREATE, ""), runningPod("web-1", labels("web") + ", "
                + ownedBy("ReplicaSet", "web-1a"), "node-a"),
            runningPod("web-2", labels("web") + ", " + ownedBy("ReplicaSet", "web-2b"), "node-b")),
        row("a pinned workload whose pod still runs on another node is in the pin's window", true,
            List.of("Deployment/web"), "Pod/web-1 of Deployment/web still runs on node-b, not on node-a where"
                + " Deployment/web is now confined",
            deployment("web", RECREATE, requiredHosts("node-a")),
            runningPod("web-1", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "node-b")),
        row("a pinned workload whose pod runs on its node", false, List.of("Deployment/web"),
            "a required node affinity to node-a keeps it on node-a",
            deployment("web", RECREATE, requiredHosts("node-a")),
            runningPod("web-1", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "node-a")));
  }

  static Stream<Case> cases() {
    return Stream.of(nobody(), deployments(), nodeConstraints(), statefulSets(), daemonSetsReplicaSetsJobs(),
        severalWorkloads(), barePods(), ownerReferences(), workloadSelector(), runningNow()).flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void placementRule(Case c) {
    Placement p = Manifests.analyzeClaim(c.claim(), c.selector(), c.manifests().toArray(String[]::new));

    assertThat(p.openerRefs()).as("openers").containsExactlyInAnyOrderElementsOf(c.openers());
    assertThat(p.severalNodes()).as("several nodes, with reasons %s", p.reasons()).isEqualTo(c.severalNodes());
    assertThat(p.reasons()).as("reasons").anySatisfy(r -> assertThat(r).contains(c.reason()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyOpenerReasonNamesItsOpener(Case c) {
    Placement p = Manifests.analyzeClaim(c.claim(), c.selector(), c.manifests().toArray(String[]::new));

    assertThat(p.reasons()).isNotEmpty();
    assertThat(p.openers()).allSatisfy(o ->
        assertThat(o.reasons()).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith(o.ref() + ": ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("claims")
  void readWriteOncePodIsSinglePodAccess(String name, List<String> manifests, String claim, boolean single) {
    Placement p = Manifests.analyzeClaim(claim, null, manifests.toArray(String[]::new));
    assertThat(p.singlePodAccess()).isEqualTo(single);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> claims() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("ReadWriteOncePod alone",
            List.of(claim(CLAIM, "ReadWriteOncePod")), CLAIM, true),
        org.junit.jupiter.params.provider.Arguments.of("ReadWriteOnce",
            List.of(claim(CLAIM, "ReadWriteOnce")), CLAIM, false),
        org.junit.jupiter.params.provider.Arguments.of("ReadWriteOncePod next to another mode",
            List.of(claim(CLAIM, "ReadWriteOncePod", "ReadWriteOnce")), CLAIM, false),
        org.junit.jupiter.params.provider.Arguments.of("no claim object", List.of(), CLAIM, false),
        org.junit.jupiter.params.provider.Arguments.of("a StatefulSet template claim that is ReadWriteOncePod",
            List.of(statefulSetWithClaimTemplate("gitea", "replicas: 1").replace("ReadWriteOnce", "ReadWriteOncePod")),
            "data-gitea-0", true));
  }
}
