package io.walguard.placement;

import static io.walguard.placement.Manifests.analyze;
import static io.walguard.placement.Manifests.cronJob;
import static io.walguard.placement.Manifests.job;
import static io.walguard.placement.Manifests.replicaSet;
import static io.walguard.placement.Manifests.statefulSet;
import static io.walguard.placement.Manifests.deployment;
import static io.walguard.placement.Manifests.labels;
import static io.walguard.placement.Manifests.ownedBy;
import static io.walguard.placement.Manifests.pod;
import static io.walguard.placement.Manifests.runningPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.core.InMemoryFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the openers are now: scheduled pods that mount the claim and have not finished. */
class RunningPodsTest {

  @Test
  void runningPodsNameTheirNodeStartTimeAndOpener() {
    Placement p = analyze(
        deployment("web", "strategy: {type: Recreate}", ""),
        runningPod("web-1", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "node-b"),
        pod("web-2", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "nodeName: node-a",
            "phase: Pending, startTime: '2025-02-01T00:00:00Z'"),
        runningPod("shell", "", "node-a"));

    assertThat(p.running()).containsExactly(
        new RunningPod("shell", "node-a", "2025-01-01T00:00:00Z", "Pod/shell"),
        new RunningPod("web-2", "node-a", "2025-02-01T00:00:00Z", "Deployment/web"),
        new RunningPod("web-1", "node-b", "2025-01-01T00:00:00Z", "Deployment/web"));
    assertThat(p.nodes()).containsExactly("node-a", "node-b");
    assertThat(p.severalNodes()).isTrue();
  }

  @Test
  void runningPodsBelongToTheOutermostWorkloadThroughOwnerReferences() {
    Placement p = analyze(
        deployment("web", "strategy: {type: Recreate}", ""),
        replicaSet("web-5d8f", ownedBy("Deployment", "web"), "replicas: 1", ""),
        runningPod("web-5d8f-x1", labels("web") + ", " + ownedBy("ReplicaSet", "web-5d8f"), "node-a"),
        cronJob("backup", "concurrencyPolicy: Forbid", ""),
        job("backup-28000000", "ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: backup,"
            + " controller: true}]", ""),
        runningPod("backup-28000000-abcde", labels("backup") + ", ownerReferences: [{apiVersion: batch/v1, kind: Job,"
            + " name: backup-28000000, controller: true}]", "node-a"),
        statefulSet("gitea", "replicas: 1", ""),
        runningPod("gitea-0", labels("gitea") + ", " + ownedBy("StatefulSet", "gitea"), "node-a"));

    assertThat(p.running()).extracting(RunningPod::owner)
        .containsExactly("CronJob/backup", "StatefulSet/gitea", "Deployment/web");
    assertThat(p.openerRefs()).containsExactlyInAnyOrder("Deployment/web", "CronJob/backup", "StatefulSet/gitea");
  }

  @Test
  void unscheduledAndFinishedPodsAreNotRunning() {
    Placement p = analyze(
        deployment("web", "strategy: {type: Recreate}", ""),
        pod("web-pending", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "", "phase: Pending"),
        pod("web-done", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "nodeName: node-a",
            "phase: Succeeded"),
        pod("web-failed", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "nodeName: node-b",
            "phase: Failed"));

    assertThat(p.running()).isEmpty();
    assertThat(p.nodes()).isEmpty();
    assertThat(p.severalNodes()).isFalse();
  }

  @Test
  void podsWithoutANodeWaitWithWhatTheSchedulerSaid() {
    Placement p = analyze(
        deployment("web", "strategy: {type: Recreate}", requiredHostsOnA()),
        pod("web-3", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "", "phase: Pending, conditions:"
            + " [{type: PodScheduled, status: 'False', reason: Unschedulable, message: '0/2 nodes are available'}]"),
        pod("web-4", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "", "phase: Pending"),
        runningPod("web-1", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "node-a"));

    assertThat(p.waiting()).containsExactly(
        new WaitingPod("web-3", "Deployment/web", "False", "Unschedulable", "0/2 nodes are available"),
        new WaitingPod("web-4", "Deployment/web", null, null, null));
    assertThat(p.unschedulable()).extracting(WaitingPod::name).containsExactly("web-3");
    assertThat(p.running()).extracting(RunningPod::name).containsExactly("web-1");
    assertThat(p.severalNodes()).isFalse();
  }

  private static String requiredHostsOnA() {
    return Manifests.requiredHosts("node-a");
  }

  @Test
  void podsOfOtherClaimsAreNotRunningOpeners() {
    Placement p = analyze(
        deployment("web", "strategy: {type: Recreate}", ""),
        runningPod("web-1", labels("web") + ", " + ownedBy("ReplicaSet", "web-1a"), "node-a"),
        "{apiVersion: v1, kind: Pod, metadata: {name: other}, spec: {nodeName: node-b, containers: [{name: a,"
            + " image: x}], volumes: [{name: v, persistentVolumeClaim: {claimName: other-data}}]},"
            + " status: {phase: Running}}");

    assertThat(p.running()).extracting(RunningPod::name).containsExactly("web-1");
    assertThat(p.openerRefs()).containsExactly("Deployment/web");
  }

  @Test
  void onlyTheDatabasesNamespaceCounts() {
    InMemoryFacts facts = Manifests.facts(deployment("web", "strategy: {type: Recreate}", ""));
    facts.add(Manifests.parse(deployment("elsewhere", "", "").replace("metadata: {name: elsewhere}",
        "metadata: {name: elsewhere, namespace: other}")));

    Placement p = new PlacementAnalyzer().analyze(facts, Manifests.database(Manifests.CLAIM, null));

    assertThat(p.openerRefs()).containsExactly("Deployment/web");
    assertThat(p.severalNodes()).isFalse();
  }

  @Test
  void aDatabaseWithoutClaimNameSaysWhichFieldToSet() {
    var db = Manifests.database(null, null);

    Placement p = new PlacementAnalyzer().analyze(Manifests.facts(deployment("web", "", "")), db);

    assertThat(p.openers()).isEmpty();
    assertThat(p.reasons()).containsExactly("SqliteDatabase apps/db has no spec.claimName: set it to the"
        + " PersistentVolumeClaim that holds the database");
  }

  @Test
  void aDatabaseWithoutNamespaceIsInTheFactsDefaultNamespace() {
    var db = Manifests.database(Manifests.CLAIM, null);
    db.getMetadata().setNamespace(null);

    Placement p = new PlacementAnalyzer().analyze(Manifests.facts(deployment("web", "", "")), db);

    assertThat(p.openerRefs()).isEqualTo(List.of("Deployment/web"));
  }
}
