package io.walguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.walguard.api.SqliteDatabase;
import io.walguard.demo.CheckpointRun;
import io.walguard.demo.ClusterSimulator;
import io.walguard.demo.EmbeddedApiServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged walguard, black box: the shaded jar runs {@code walguard run} as its own process against an API
 * server started here (the embedded one: the fabric8 mock server in CRUD mode with discovery and validating
 * admission); manifests go in with the real kubectl; a cluster simulator plays scheduler and kubelet. The same
 * steps run against a real cluster with e2e/kind.sh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedOperatorIT {

  static final Path ROOT = Path.of(System.getProperty("walguard.root", ".."));
  /** The operator's own output, kept for a look after a failure. */
  static final Path LOGS = Path.of("target");
  @TempDir static Path dir;
  static EmbeddedApiServer server;
  static KubernetesClient client;
  static Kubectl kubectl;
  static WalguardProcess walguard;
  static Deployment grafanaAsWritten;
  static ScheduledExecutorService scheduler;
  static int webhookPort;
  /** The mock server logs each request through java.util.logging; held so the level sticks. */
  static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8");

  @BeforeAll
  static void cluster() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not installed: the e2e suite drives the cluster with kubectl");
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    server = EmbeddedApiServer.start();
    client = server.client();
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    kubectl = new Kubectl(kubeconfig);
    for (String node : List.of("node-a", "node-b", "node-c")) {
      client.nodes().resource(ClusterSimulator.node(node)).create();
    }
    webhookPort = WalguardProcess.freePort();
    server.routeService("walguard-webhook", "walguard-system", 443, URI.create("https://127.0.0.1:" + webhookPort));
    ClusterSimulator simulator = new ClusterSimulator(client, line -> { });
    scheduler = Executors.newSingleThreadScheduledExecutor();
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        simulator.step();
      } catch (RuntimeException e) {
        // the API server may be between states; the next step retries
      }
    }, 200, 200, TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void teardown() throws Exception {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (walguard != null) {
      walguard.close();
    }
    if (client != null) {
      client.close();
      server.close();
    }
  }

  @Test
  @Order(1)
  void installsFromTheSingleFileWithKubectlAndBecomesReady() throws Exception {
    Kubectl.Result install = kubectl.run("apply", "-f", ROOT.resolve("deploy/walguard.yaml").toString());
    assertThat(install.exit()).as(install.output()).isZero();
    assertThat(install.output()).contains("customresourcedefinition.apiextensions.k8s.io/sqlitedatabases.walguard.io created")
        .contains("validatingwebhookconfiguration.admissionregistration.k8s.io/walguard created");

    walguard = WalguardProcess.start(dir.resolve("kubeconfig"), LOGS.resolve("walguard-1.log"), webhookPort);
    walguard.awaitReady(Duration.ofSeconds(90));

    await().atMost(Duration.ofSeconds(60)).until(() -> {
      var vwc = client.admissionRegistration().v1().validatingWebhookConfigurations().withName("walguard").get();
      return vwc.getWebhooks().get(0).getClientConfig().getCaBundle() != null;
    });
    assertThat(client.secrets().inNamespace("walguard-system").withName("walguard-webhook-tls").get()).isNotNull();
    assertThat(walguard.metrics()).contains("walguard");
  }

  @Test
  @Order(2)
  void kubectlApplyOfAnUnsafeStoryShowsTheWebhookWarning() throws Exception {
    // As a cluster has it: the StorageClass first, then the app. The webhook judges from the operator's informer
    // caches, which follow the API server by a watch event, so the class must be there a moment before.
    Kubectl.Result storageClass = kubectl.run("apply", "-f",
        ROOT.resolve("examples/grafana-efs/storageclass.yaml").toString());
    assertThat(storageClass.exit()).as(storageClass.output()).isZero();
    Thread.sleep(3000);
    Kubectl.Result apply = kubectl.run("apply", "-f", ROOT.resolve("examples/grafana-efs/grafana.yaml").toString());
    assertThat(apply.exit()).as(apply.output()).isZero();
    assertThat(apply.output()).contains("Warning: ").contains("efs-sc").contains("sqlitedatabase.walguard.io/grafana created");
  }

  @Test
  @Order(3)
  void pinsGrafanaToOneNodeAndConverges() throws Exception {
    await().atMost(Duration.ofSeconds(120)).until(() -> placementTrue("monitoring", "grafana"));
    SqliteDatabase db = database("monitoring", "grafana");
    assertThat(db.getStatus().getVerdict()).isEqualTo("safe");
    assertThat(db.getStatus().getAction()).isEqualTo("pin");
    Deployment grafana = client.apps().deployments().inNamespace("monitoring").withName("grafana").get();
    assertThat(grafana.getMetadata().getAnnotations()).containsEntry("walguard.io/pinned-node",
        db.getStatus().getPinnedNode());
    assertThat(grafanaPods())
        .allMatch(p -> p.getSpec().getNodeName().equals(db.getStatus().getPinnedNode()));
    Kubectl.Result get = kubectl.run("get", "sqlitedb", "-A");
    assertThat(get.output()).contains("grafana");
  }

  @Test
  @Order(4)
  void theCheckpointCronJobRunsNextToGrafanaAndItsResultReachesTheStatus() throws Exception {
    String node = database("monitoring", "grafana").getStatus().getPinnedNode();
    var cronJobs = client.batch().v1().cronjobs().inNamespace("monitoring").withName("grafana-checkpoint");
    await().atMost(Duration.ofSeconds(60)).until(() -> cronJobs.get() != null);
    var pod = cronJobs.get().getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues()).containsExactly(node);
    assertThat(pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("grafana-data");

    // The CronJob controller and kubelet are simulated; the checkpoint and its termination message are real.
    CheckpointRun.run(client, cronJobs.get(), dir, node);

    await().atMost(Duration.ofSeconds(60)).until(() -> database("monitoring", "grafana").getStatus()
        .getLastCheckpoint() != null);
    var last = database("monitoring", "grafana").getStatus().getLastCheckpoint();
    assertThat(last.getBusy()).isZero();
    assertThat(last.getCheckpointedFrames()).isPositive();
  }

  @Test
  @Order(5)
  void aRestartedOperatorRepinsAWorkloadThatChangedWhileItWasDown() throws Exception {
    String node = database("monitoring", "grafana").getStatus().getPinnedNode();
    walguard.kill();
    // While walguard is down, someone scales Grafana out and drops the pin: two pods could now sit on two nodes.
    // (With one replica and the maxSurge 0 walguard set, the term alone would not be needed: one pod at a time.)
    client.apps().deployments().inNamespace("monitoring").withName("grafana").edit(d -> new DeploymentBuilder(d)
        .editSpec().withReplicas(2).editTemplate().editSpec().withAffinity(null).endSpec().endTemplate().endSpec()
        .build());

    walguard = WalguardProcess.start(dir.resolve("kubeconfig"), LOGS.resolve("walguard-2.log"), webhookPort);
    walguard.awaitReady(Duration.ofSeconds(90));

    await().atMost(Duration.ofSeconds(120)).until(() -> {
      Deployment d = client.apps().deployments().inNamespace("monitoring").withName("grafana").get();
      List<io.fabric8.kubernetes.api.model.Pod> pods = grafanaPods();
      return d.getSpec().getTemplate().getSpec().getAffinity() != null && placementTrue("monitoring", "grafana")
          && pods.size() == 2 && pods.stream().allMatch(p -> node.equals(p.getSpec().getNodeName()));
    });
    assertThat(database("monitoring", "grafana").getStatus().getPinnedNode()).isEqualTo(node);
  }

  @Test
  @Order(6)
  void uninstallRemovesWhatWalguardAddedAndNothingElse() throws Exception {
    Kubectl.Result delete = kubectl.run("delete", "sqlitedb", "grafana", "-n", "monitoring", "--wait=false");
    assertThat(delete.exit()).as(delete.output()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> database("monitoring", "grafana") == null);
    Deployment grafana = client.apps().deployments().inNamespace("monitoring").withName("grafana").get();
    assertThat(grafana.getMetadata().getAnnotations()).doesNotContainKey("walguard.io/pinned-node");
    assertThat(grafana.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(grafana.getSpec().getStrategy() == null ? null : grafana.getSpec().getStrategy().getRollingUpdate())
        .as("the maxSurge walguard set is gone with it").isNull();

    walguard.close();
    walguard = null;
    Kubectl.Result crd = kubectl.run("delete", "crd", "sqlitedatabases.walguard.io");
    assertThat(crd.exit()).as(crd.output()).isZero();
  }

  private static List<io.fabric8.kubernetes.api.model.Pod> grafanaPods() {
    return client.pods().inNamespace("monitoring").withLabel("app.kubernetes.io/name", "grafana").list().getItems();
  }

  private static SqliteDatabase database(String ns, String name) {
    return client.resources(SqliteDatabase.class).inNamespace(ns).withName(name).get();
  }

  private static boolean placementTrue(String ns, String name) {
    SqliteDatabase db = database(ns, name);
    return db != null && db.getStatus() != null && db.getStatus().getPinnedNode() != null
        && db.getStatus().getConditions().stream()
            .anyMatch(c -> "Placement".equals(c.getType()) && "True".equals(c.getStatus()))
        && db.getStatus().getNodes().size() == 1;
  }
}
