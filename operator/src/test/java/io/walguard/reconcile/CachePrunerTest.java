package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachePrunerTest {

  static Pod pod() {
    return new PodBuilder()
        .withNewMetadata().withName("app-1").withNamespace("shop").withLabels(Map.of("app", "shop"))
            .withAnnotations(Map.of(CachePruner.LAST_APPLIED, "{\"huge\":true}", "team", "shop"))
            .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
        .endMetadata()
        .withSpec(Fixtures.template("app", "data").getSpec())
        .editSpec().withNodeName("node-a").editFirstContainer().addNewEnv().withName("SECRET").withValue("x").endEnv()
            .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1")).endResources()
            .endContainer().endSpec()
        .withNewStatus().withPhase("Running").withStartTime("2025-01-01T10:00:00Z").withPodIP("10.0.0.1")
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .withContainerStatuses(
                new ContainerStatusBuilder().withName("app").withNewState().withNewRunning().endRunning().endState()
                    .build(),
                new ContainerStatusBuilder().withName("sidecar").withNewState().withNewTerminated()
                    .withExitCode(0).withMessage("{\"busy\":0}").endTerminated().endState().build())
        .endStatus()
        .build();
  }

  @Test
  void aPodKeepsWhatDecisionsReadAndLosesTheRest() {
    Pod pruned = CachePruner.prune(pod());

    assertThat(pruned.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(pruned.getMetadata().getAnnotations()).containsOnlyKeys("team");
    assertThat(pruned.getMetadata().getLabels()).containsEntry("app", "shop");
    assertThat(pruned.getSpec().getNodeName()).isEqualTo("node-a");
    assertThat(pruned.getSpec().getVolumes()).hasSize(1);
    assertThat(pruned.getSpec().getContainers().get(0).getImage()).isEqualTo("example/app:1");
    assertThat(pruned.getSpec().getContainers().get(0).getVolumeMounts()).hasSize(1);
    assertThat(pruned.getSpec().getContainers().get(0).getEnv()).isNullOrEmpty();
    assertThat(pruned.getSpec().getContainers().get(0).getResources()).isNull();
    assertThat(pruned.getStatus().getPhase()).isEqualTo("Running");
    assertThat(pruned.getStatus().getStartTime()).isEqualTo("2025-01-01T10:00:00Z");
    assertThat(pruned.getStatus().getConditions()).isNullOrEmpty();
    assertThat(pruned.getStatus().getPodIP()).isNull();
    assertThat(pruned.getStatus().getContainerStatuses()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo("sidecar");
      assertThat(s.getState().getTerminated().getMessage()).isEqualTo("{\"busy\":0}");
    });
  }

  @Test
  void aPodKeepsWhatAToolboxPodNextToItCopies() {
    Pod bare = new PodBuilder(pod())
        .editSpec().addNewToleration().withKey("dedicated").withOperator("Equal").withValue("db")
            .withEffect("NoSchedule").endToleration()
            .withNodeSelector(java.util.Map.of("disk", "ssd"))
            .withNewSecurityContext().withFsGroup(2000L).endSecurityContext()
            .editFirstContainer().withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(1000L)
            .endSecurityContext().endContainer()
        .endSpec()
        .build();

    Pod pruned = CachePruner.prune(bare);

    assertThat(pruned.getSpec().getTolerations()).singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pruned.getSpec().getNodeSelector()).containsEntry("disk", "ssd");
    assertThat(pruned.getSpec().getSecurityContext().getFsGroup()).isEqualTo(2000L);
    assertThat(pruned.getSpec().getContainers().get(0).getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    var context = OpenerContexts.of(List.of(new io.walguard.placement.Opener("Pod", "app-1", pruned, true, "node-a",
        false, false, List.of())), "node-a");
    assertThat(context.runAsUser()).isEqualTo(1000L);
    assertThat(context.runAsGroup()).isEqualTo(1000L);
    assertThat(context.fsGroup()).isEqualTo(2000L);
    assertThat(context.tolerations()).extracting(io.fabric8.kubernetes.api.model.Toleration::getKey)
        .containsExactly("dedicated");
  }

  @Test
  void aPodWithoutANodeKeepsWhatTheSchedulerSaidOfIt() {
    Pod pending = new PodBuilder(pod())
        .editSpec().withNodeName(null).endSpec()
        .editStatus().withPhase("Pending").withConditions(new PodConditionBuilder().withType("PodScheduled")
            .withStatus("False").withReason("Unschedulable").withMessage("0/2 nodes are available")
            .withLastTransitionTime("2025-01-01T10:00:00Z").build()).endStatus()
        .build();

    Pod pruned = CachePruner.prune(pending);

    assertThat(pruned.getStatus().getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("PodScheduled");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("Unschedulable");
      assertThat(c.getMessage()).isEqualTo("0/2 nodes are available");
      assertThat(c.getLastTransitionTime()).as("a timestamp would change the cache for nothing").isNull();
    });
  }

  @Test
  void aWorkloadKeepsItsWholePodTemplate() {
    Deployment d = new DeploymentBuilder(Fixtures.deployment("shop", "app", "data", 2))
        .editSpec().editTemplate().editSpec().editFirstContainer().addNewEnv().withName("GF_DATABASE_WAL")
            .withValue("true").endEnv().endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withReplicas(2)
            .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True").build())
        .endStatus()
        .build();
    var template = d.getSpec().getTemplate();

    Deployment pruned = CachePruner.prune(d);

    assertThat(pruned.getSpec().getTemplate()).isEqualTo(template);
    assertThat(pruned.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).hasSize(1);
    assertThat(pruned.getStatus().getConditions()).isNullOrEmpty();
    assertThat(pruned.getStatus().getReplicas()).isEqualTo(2);
  }
}
