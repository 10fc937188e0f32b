package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.InMemoryFacts;
import io.walguard.core.Policy;
import io.walguard.placement.Placement;
import io.walguard.placement.PlacementAnalyzer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After a pin to node-a, which pods away from it no rollout moves by itself, and what the status tells a person to do
 * about them instead of promising that a rollout will.
 */
class ManualRolloutTest {

  static final String PINNED = "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution:"
      + " {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-a]}]}]}}}";

  static String workload(String kind, String name, String spec) {
    String apiVersion = kind.equals("CronJob") ? "batch/v1" : "apps/v1";
    String template = "template: {metadata: {labels: {app: " + name + "}}, spec: {" + PINNED + ", containers:"
        + " [{name: app, image: example/app}], volumes: [{name: db, persistentVolumeClaim: {claimName: data}}]}}";
    String body = kind.equals("CronJob")
        ? "schedule: '0 * * * *', jobTemplate: {spec: {" + template + "}}"
        : "selector: {matchLabels: {app: " + name + "}}, " + template;
    return "{apiVersion: " + apiVersion + ", kind: " + kind + ", metadata: {name: " + name + ", annotations:"
        + " {walguard.io/pinned-node: node-a}}, spec: {" + (spec.isEmpty() ? "" : spec + ", ") + body + "}}";
  }

  static String pod(String name, String ownerKind, String owner, String node) {
    return "{apiVersion: v1, kind: Pod, metadata: {name: " + name + ", ownerReferences: [{apiVersion: v1, kind: "
        + ownerKind + ", name: " + owner + ", controller: true}]}, spec: {nodeName: " + node + ", containers:"
        + " [{name: app, image: example/app}], volumes: [{name: db, persistentVolumeClaim: {claimName: data}}]},"
        + " status: {phase: Running}}";
  }

  static InMemoryFacts facts(String... yamls) {
    List<HasMetadata> objects = new java.util.ArrayList<>(Arrays.stream(yamls)
        .map(y -> (HasMetadata) Serialization.unmarshal("---\n" + y)).toList());
    objects.add(Serialization.unmarshal("---\n{apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: efs},"
        + " provisioner: efs.csi.aws.com}"));
    objects.add(Serialization.unmarshal("---\n{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data},"
        + " spec: {storageClassName: efs, accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}}"));
    return InMemoryFacts.of("shop", objects);
  }

  static SqliteDatabase database() {
    SqliteDatabase db = Fixtures.database("shop", "app", "data");
    db.getMetadata().setGeneration(1L);
    return db;
  }

  static Stream<Arguments> rollouts() {
    return Stream.of(
        Arguments.of("a StatefulSet with updateStrategy OnDelete", List.of(
            workload("StatefulSet", "kv", "replicas: 2, serviceName: kv, updateStrategy: {type: OnDelete}"),
            pod("kv-0", "StatefulSet", "kv", "node-a"), pod("kv-1", "StatefulSet", "kv", "node-b")),
            List.of("StatefulSet/kv has updateStrategy OnDelete", "delete pod kv-1 (on node-b)", "back on node-a")),
        Arguments.of("pods of a StatefulSet below its partition", List.of(
            workload("StatefulSet", "kv", "replicas: 3, serviceName: kv,"
                + " updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}"),
            pod("kv-0", "StatefulSet", "kv", "node-b"), pod("kv-1", "StatefulSet", "kv", "node-a"),
            pod("kv-2", "StatefulSet", "kv", "node-c")),
            List.of("StatefulSet/kv updates only the pods from ordinal 2 up", "lower"
                + " spec.updateStrategy.rollingUpdate.partition (to 0) so that pod kv-0 (on node-b) is replaced on"
                + " node-a")),
        Arguments.of("a paused Deployment", List.of(
            workload("Deployment", "app", "replicas: 2, paused: true"),
            pod("app-1", "Deployment", "app", "node-b"), pod("app-2", "Deployment", "app", "node-a")),
            List.of("Deployment/app is paused", "pod app-1 (on node-b)", "kubectl rollout resume deployment/app")),
        Arguments.of("a ReplicaSet of its own", List.of(
            workload("ReplicaSet", "rs", "replicas: 2"),
            pod("rs-x", "ReplicaSet", "rs", "node-b"), pod("rs-y", "ReplicaSet", "rs", "node-c")),
            List.of("ReplicaSet/rs does not replace its pods", "delete pods rs-x (on node-b), rs-y (on node-c)")),
        Arguments.of("a CronJob run under way", List.of(
            workload("CronJob", "report", "concurrencyPolicy: Forbid"),
            "{apiVersion: batch/v1, kind: Job, metadata: {name: report-1, ownerReferences: [{apiVersion: batch/v1,"
                + " kind: CronJob, name: report, controller: true}]}, spec: {template: {spec: {containers: [{name: a,"
                + " image: x}], volumes: [{name: db, persistentVolumeClaim: {claimName: data}}]}}}}",
            pod("report-1-x", "Job", "report-1", "node-b")),
            List.of("the run of CronJob/report under way keeps pod report-1-x (on node-b)", "next runs start on node-a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rollouts")
  void podsNoRolloutMovesAreNamedWithWhatToDo(String name, List<String> manifests, List<String> expected) {
    InMemoryFacts facts = facts(manifests.toArray(String[]::new));
    Placement placement = new PlacementAnalyzer().analyze(facts, database());

    assertThat(ManualRollout.advice(placement, "node-a")).singleElement()
        .satisfies(advice -> assertThat(advice).contains(expected));

    var verdict = Policy.standard().decide(facts, database());
    Assessment a = new Assessment(database(), Optional.of(verdict), null, true,
        Optional.of(new Pinner.Report(new NodeChoice(Optional.of("node-a"), "spec.node"), List.of(), List.of(),
            List.of(), List.of())), false);
    var status = StatusComposer.compose(a, null, Instant.parse("2025-01-01T10:00:00Z"));
    var placementCondition = status.getConditions().stream()
        .filter(c -> c.getType().equals(StatusComposer.PLACEMENT)).findFirst().orElseThrow();
    assertThat(placementCondition.getStatus()).isEqualTo("False");
    assertThat(placementCondition.getMessage()).contains(expected)
        .doesNotContain("this clears when the rollout has moved the others");
  }

  static Stream<Arguments> rolledByKubernetes() {
    return Stream.of(
        Arguments.of("a Deployment that is not paused", List.of(
            workload("Deployment", "app", "replicas: 2"),
            pod("app-1", "Deployment", "app", "node-b"), pod("app-2", "Deployment", "app", "node-a"))),
        Arguments.of("a StatefulSet pod at or above its partition", List.of(
            workload("StatefulSet", "kv", "replicas: 3, serviceName: kv,"
                + " updateStrategy: {rollingUpdate: {partition: 1}}"),
            pod("kv-0", "StatefulSet", "kv", "node-a"), pod("kv-2", "StatefulSet", "kv", "node-b"))),
        Arguments.of("a StatefulSet with the default RollingUpdate", List.of(
            workload("StatefulSet", "kv", "replicas: 2, serviceName: kv"),
            pod("kv-0", "StatefulSet", "kv", "node-a"), pod("kv-1", "StatefulSet", "kv", "node-b"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rolledByKubernetes")
  void podsARolloutMovesNeedNoAdvice(String name, List<String> manifests) {
    Placement placement = new PlacementAnalyzer().analyze(facts(manifests.toArray(String[]::new)), database());

    assertThat(placement.nodes()).hasSize(2);
    assertThat(ManualRollout.advice(placement, "node-a")).isEmpty();
  }
}
