package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.walguard.api.SqliteDatabase;
import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import io.walguard.placement.RunningPod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeChoiceTest {

  static Opener deployment(String name, String pinnedNode, boolean byWalguard) {
    Deployment d = Fixtures.deployment("shop", name, "data", 2);
    if (byWalguard) {
      d = new DeploymentBuilder(d).editMetadata().addToAnnotations(PinAnnotations.PINNED_NODE, pinnedNode)
          .endMetadata().build();
    }
    return new Opener("Deployment", name, d, true, pinnedNode, byWalguard, pinnedNode == null, List.of());
  }

  static Placement placement(List<Opener> openers, List<RunningPod> running) {
    return new Placement(openers, true, List.of(), running,
        running.stream().map(RunningPod::node).distinct().sorted().toList(), Optional.empty(), true, false, false);
  }

  static final List<RunningPod> PODS = List.of(
      new RunningPod("app-2", "node-b", "2025-01-01T10:05:00Z", "Deployment/app"),
      new RunningPod("app-1", "node-a", "2025-01-01T10:00:00Z", "Deployment/app"),
      new RunningPod("app-3", "node-c", null, "Deployment/app"));

  static SqliteDatabase db(String node) {
    SqliteDatabase db = Fixtures.database("shop", "app", "data");
    db.getSpec().setNode(node);
    return db;
  }

  static Optional<PersistentVolumeClaim> claim(String selectedNode) {
    var b = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").withNamespace("shop").endMetadata();
    if (selectedNode != null) {
      b.editMetadata().withAnnotations(Map.of(NodeChoice.SELECTED_NODE, selectedNode)).endMetadata();
    }
    return Optional.of(b.build());
  }

  @Test
  void specNodeComesFirst() {
    var choice = NodeChoice.choose(db("node-z"), placement(List.of(deployment("app", "node-b", true)), PODS),
        claim("node-s"));
    assertThat(choice.node()).contains("node-z");
    assertThat(choice.source()).isEqualTo("spec.node");
  }

  @Test
  void anExistingWalguardPinStaysWhereItIsWhileARolloutMovesPods() {
    var choice = NodeChoice.choose(db(null), placement(List.of(deployment("app", "node-b", true)), PODS), claim(null));
    assertThat(choice.node()).contains("node-b");
  }

  @Test
  void aNodeAnOpenerIsAlreadyHeldToBeatsTheRunningPods() {
    var choice = NodeChoice.choose(db(null),
        placement(List.of(deployment("app", null, false), deployment("worker", "node-w", false)), PODS), claim(null));
    assertThat(choice.node()).contains("node-w");
    assertThat(choice.source()).contains("Deployment/worker");
  }

  @Test
  void theOpenerThatHasRunLongestHoldsTheWriter() {
    var choice = NodeChoice.choose(db(null), placement(List.of(deployment("app", null, false)), PODS), claim(null));
    assertThat(choice.node()).contains("node-a");
    assertThat(choice.source()).contains("app-1");
  }

  @Test
  void withNothingRunningTheClaimsSelectedNodeIsUsed() {
    var choice = NodeChoice.choose(db(null), placement(List.of(deployment("app", null, false)), List.of()),
        claim("node-s"));
    assertThat(choice.node()).contains("node-s");
  }

  @Test
  void withNothingToGoOnNoNodeIsChosenAndTheReasonSaysWhatToDo() {
    var choice = NodeChoice.choose(db(null), placement(List.of(deployment("app", null, false)), List.of()), claim(null));
    assertThat(choice.node()).isEmpty();
    assertThat(choice.source()).contains("set spec.node");
  }
}
