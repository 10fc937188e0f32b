package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.Annotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against an API server that misbehaves ({@link ApiFaults}): four in ten of walguard's writes fail with
 * 409 or 500 (some after landing) and its watches are dropped every few hundred milliseconds. It must still pin,
 * write a truthful status, keep one CronJob, undo everything on deletion, and never lose a user's edit.
 */
class FaultToleranceTest extends OperatorTestSupport {

  static final Duration UNDER_FAULTS = Duration.ofSeconds(120);
  static final long SEED = Long.getLong("walguard.faults.seed", 20261125L);

  ApiFaults faults;

  @AfterEach
  void stopFaults() {
    if (faults != null) {
      System.out.println("faults injected (seed " + SEED + "): " + faults);
      faults.close();
    }
  }

  static void eventuallyUnderFaults(org.awaitility.core.ThrowingRunnable assertion) {
    await().atMost(UNDER_FAULTS).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(assertion);
  }

  /** Two replicas on EFS on node-a and node-b; walguard started on a faulty connection; the database created. */
  void pinUnderFaults() {
    fx.efsDeploymentOnTwoNodes(NS, PinRemedyTest.T0);
    faults = ApiFaults.install(cluster, SEED, 2, 1, 1, 250);
    startOperator(cluster.newClient(ApiFaults.AGENT), OperatorSettings.defaults());
    fx.create(Fixtures.database(NS, "app", "data"));
  }

  /** What the scheduler does once the pin is there: the old pods go, new ones run on the pinned node. */
  void rescheduleOnto(String node) {
    eventuallyUnderFaults(() -> assertThat(PinRemedyTest.hostnameExpressions(deployment("app"), node)).isEqualTo(1));
    user.pods().inNamespace(NS).withName("app-1").delete();
    user.pods().inNamespace(NS).withName("app-2").delete();
    fx.runPod(deployment("app"), "app-3", node, PinRemedyTest.T0.plusSeconds(600));
  }

  void assertConvergedOn(String node) {
    eventuallyUnderFaults(() -> {
      SqliteDatabase db = db("app");
      Deployment live = deployment("app");
      assertThat(db.getStatus().getVerdict()).as("reasons %s, conditions %s, pods %s, affinity %s, annotations %s",
          db.getStatus().getReasons(), db.getStatus().getConditions().stream()
              .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).toList(),
          user.pods().inNamespace(NS).list().getItems().stream()
              .map(p -> p.getMetadata().getName() + "@" + p.getSpec().getNodeName()).toList(),
          live.getSpec().getTemplate().getSpec().getAffinity(), live.getMetadata().getAnnotations())
          .isEqualTo("safe");
      assertThat(db.getStatus().getAction()).isEqualTo("pin");
      assertThat(db.getStatus().getNodes()).containsExactly(node);
      assertThat(db.getStatus().getPinnedNode()).isEqualTo(node);
      assertThat(condition("app", StatusComposer.PLACEMENT).orElseThrow().getReason()).isEqualTo("Pinned");
      assertThat(condition("app", StatusComposer.READY).orElseThrow().getStatus()).isEqualTo("True");
      assertThat(db.getStatus().getConditions())
          .allMatch(c -> db.getMetadata().getGeneration().equals(c.getObservedGeneration()));
      assertThat(checkpointCronJobs()).extracting(c -> c.getMetadata().getName()).containsExactly("app-checkpoint");
    });
    Deployment d = deployment("app");
    assertThat(PinRemedyTest.hostnameExpressions(d, node)).isEqualTo(1);
    assertThat(d.getMetadata().getAnnotations()).containsEntry(Annotations.PINNED_NODE, node);
  }

  List<CronJob> checkpointCronJobs() {
    return user.batch().v1().cronjobs().inNamespace(NS).withLabel("walguard.io/database", "app").list().getItems();
  }

  void assertFaultsWereInjected() {
    assertThat(faults.conflicts()).as(faults.toString()).isPositive();
    assertThat(faults.errors()).as(faults.toString()).isPositive();
    assertThat(faults.lostResponses()).as(faults.toString()).isPositive();
    assertThat(faults.droppedWatches()).as(faults.toString()).isPositive();
  }

  @Test
  void aPinConvergesWhileWritesFailAndWatchesDrop() {
    pinUnderFaults();

    rescheduleOnto("node-a");

    assertConvergedOn("node-a");
    assertFaultsWereInjected();
  }

  @Test
  void deletingTheDatabaseUnderFaultsLeavesNoAffinityTermNoAnnotationAndNoCronJob() {
    pinUnderFaults();
    rescheduleOnto("node-a");
    assertConvergedOn("node-a");

    user.resources(SqliteDatabase.class).inNamespace(NS).withName("app").delete();

    eventuallyUnderFaults(() -> {
      assertThat(db("app")).isNull();
      Deployment d = deployment("app");
      assertThat(PinRemedyTest.terms(d)).isEmpty();
      assertThat(d.getMetadata().getAnnotations()).doesNotContainKey(Annotations.PINNED_NODE);
      assertThat(checkpointCronJobs()).isEmpty();
      assertThat(user.batch().v1().jobs().inNamespace(NS).withLabel("walguard.io/database", "app").list()
          .getItems()).isEmpty();
    });
    assertFaultsWereInjected();
  }

  /**
   * A user keeps editing the Deployment (env, annotations, image, a toleration) while walguard pins it through
   * conflicts, errors and dropped watches. Every edit must survive, and so must the pin.
   */
  @Test
  void aUserEditingTheWorkloadThroughoutNeverLosesAnEdit() throws Exception {
    pinUnderFaults();
    int edits = 12;
    CompletableFuture<Void> userEdits = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= edits; i++) {
        int n = i;
        editAsUser(d -> new DeploymentBuilder(d)
            .editMetadata().addToAnnotations("team.example.com/edit-" + n, "done").endMetadata()
            .editSpec().editTemplate().editSpec().editFirstContainer()
              .addToEnv(new EnvVar("EDIT_" + n, String.valueOf(n), null))
              .withImage("grafana/grafana:11." + n)
            .endContainer().endSpec().endTemplate().endSpec().build());
        if (n == edits / 2) {
          editAsUser(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().addNewToleration()
              .withKey("dedicated").withOperator("Equal").withValue("sqlite").withEffect("NoSchedule")
              .endToleration().endSpec().endTemplate().endSpec().build());
        }
        pause(150);
      }
    });
    rescheduleOnto("node-a");
    userEdits.get();

    assertConvergedOn("node-a");
    Deployment d = deployment("app");
    var pod = d.getSpec().getTemplate().getSpec();
    List<String> env = pod.getContainers().get(0).getEnv().stream().map(EnvVar::getName).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= edits; i++) {
      expected.add("EDIT_" + i);
      assertThat(d.getMetadata().getAnnotations()).containsEntry("team.example.com/edit-" + i, "done");
    }
    assertThat(env).containsAll(expected);
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("grafana/grafana:11." + edits);
    assertThat(pod.getTolerations()).anyMatch(t -> "dedicated".equals(t.getKey()) && "sqlite".equals(t.getValue()));
    assertFaultsWereInjected();
  }

  /** kubectl edit as a person does it: read, change, write with the read resourceVersion, again on 409. */
  void editAsUser(java.util.function.UnaryOperator<Deployment> change) {
    for (int attempt = 0; ; attempt++) {
      Deployment live = deployment("app");
      try {
        user.resource(change.apply(live)).lockResourceVersion(live.getMetadata().getResourceVersion()).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 50) {
          throw e;
        }
      }
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
