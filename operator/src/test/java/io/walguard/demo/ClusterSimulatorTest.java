package io.walguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterSimulatorTest {

  EmbeddedApiServer server;
  KubernetesClient client;
  List<String> narration = new ArrayList<>();
  ClusterSimulator simulator;

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start();
    client = server.client();
    for (String node : List.of("node-a", "node-b", "node-c")) {
      client.nodes().resource(ClusterSimulator.node(node)).create();
    }
    simulator = new ClusterSimulator(client, narration::add);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  void settle() {
    for (int i = 0; i < 20 && simulator.step(); i++) {
      // each step is one controller action, as in a real rollout
    }
  }

  List<String> nodesOf(String prefix) {
    return client.pods().inNamespace("default").list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith(prefix)).map(p -> p.getSpec().getNodeName()).sorted()
        .toList();
  }

  static Deployment deployment(int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName("grafana").withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "grafana").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "grafana").endMetadata()
        .withNewSpec().addNewContainer().withName("grafana").withImage("grafana/grafana").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  @Test
  void replicasSpreadOverNodesAsASchedulerSpreadsThem() {
    client.resource(deployment(2)).create();
    settle();
    assertThat(nodesOf("grafana")).hasSize(2).doesNotHaveDuplicates();
    assertThat(client.pods().inNamespace("default").list().getItems()).allMatch(p ->
        "Running".equals(p.getStatus().getPhase()) && p.getStatus().getStartTime() != null);
  }

  @Test
  void aRequiredNodeAffinityMovesEveryPodToThatNode() {
    client.resource(deployment(2)).create();
    settle();
    client.apps().deployments().inNamespace("default").withName("grafana").edit(d -> new DeploymentBuilder(d)
        .editSpec().editTemplate().editSpec().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey("kubernetes.io/hostname").withOperator("In").withValues("node-c").endMatchExpression()
        .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
        .endSpec().endTemplate().endSpec().build());
    settle();
    assertThat(nodesOf("grafana")).containsExactly("node-c", "node-c");
    assertThat(narration).anyMatch(line -> line.contains("replaced by the rollout"));
  }

  @Test
  void aDaemonSetRunsOnePodOnEveryNode() {
    client.resource(new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("default").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "agent").endMetadata()
        .withNewSpec().addNewContainer().withName("agent").withImage("agent").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    settle();
    assertThat(nodesOf("agent")).containsExactly("node-a", "node-b", "node-c");
    Pod any = client.pods().inNamespace("default").list().getItems().get(0);
    assertThat(any.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("DaemonSet");
  }

  @Test
  void aRefusedPodCreateIsReportedAsFailedCreateAndTheStepGoesOn() {
    // a Pod of the same name that the StatefulSet does not own: the create answers 409, as admission refusals do 4xx
    client.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
        .withName("db-0").withNamespace("default").endMetadata().withNewSpec().addNewContainer().withName("x")
        .withImage("x").endContainer().endSpec().build()).create();
    client.resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder().withNewMetadata().withName("db")
        .withNamespace("default").endMetadata().withNewSpec().withReplicas(1).withNewSelector()
        .addToMatchLabels("app", "db").endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "db")
        .endMetadata().withNewSpec().addNewContainer().withName("db").withImage("db").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    client.resource(deployment(1)).create();

    settle();

    assertThat(narration).anyMatch(line -> line.contains("StatefulSet/db: FailedCreate of a pod"));
    assertThat(nodesOf("grafana")).hasSize(1);
  }
}
