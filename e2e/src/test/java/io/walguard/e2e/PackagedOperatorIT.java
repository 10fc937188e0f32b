package io.walguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.walguard.api.SqliteDatabase;
import io.walguard.demo.CheckpointRun;
import io.walguard.demo.ClusterSimulator;
import io.walguard.demo.EmbeddedApiServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * admission); a cluster simulator plays scheduler and kubelet. The same steps run against a real cluster with
 * e2e/kind.sh.
 *
 * <p>Everything a person does goes through the real kubectl: the install from deploy/walguard.yaml, namespaces, the
 * Grafana story, the Job made from the checkpoint CronJob, scaling Grafana and dropping its pin while walguard is
 * down, annotating it, deleting the SqliteDatabase and the uninstall. The fabric8 client is used only for what no
 * user does with kubectl, and for reading objects to assert on:
 * <ul>
 *   <li>the Nodes, which a kubelet registers;</li>
 *   <li>Pods, played by {@link ClusterSimulator} (scheduler, workload controllers and kubelet);</li>
 *   <li>the finished checkpoint pod and its termination message, written by {@link CheckpointRun} as the Job
 *       controller and kubelet would (the checkpoint itself is the real toolbox on a real SQLite file);</li>
 *   <li>two kubectl detours: {@code kubectl create namespace} and {@code kubectl create job --from=cronjob/...} post
 *       protobuf, which the embedded server cannot read, so the namespace is applied as a manifest and the Job is
 *       built with {@code --dry-run=client -o json} and created from that JSON.</li>
 * </ul>
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
    // A real API server refuses objects in a namespace that does not exist; the example leaves that to the user.
    // (As a manifest: `kubectl create namespace` posts protobuf, which the embedded server cannot read.)
    Path monitoring = Files.writeString(dir.resolve("monitoring.yaml"), """
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        """);
    Kubectl.Result namespace = kubectl.run("apply", "-f", monitoring.toString());
    assertThat(namespace.exit()).as(namespace.output()).isZero();
    Kubectl.Result storageClass = kubectl.run("apply", "-f",
        ROOT.resolve("examples/grafana-efs/storageclass.yaml").toString());
    assertThat(storageClass.exit()).as(storageClass.output()).isZero();
    // As e2e/kind.sh does: the claim and the Deployment first, then the SqliteDatabase, whose admission judges them.
    // The webhook sees the cluster through walguard's informer caches; server-side dry runs (admission, nothing
    // stored) show when it knows the claim.
    Path database = null;
    for (String doc : Files.readString(ROOT.resolve("examples/grafana-efs/grafana.yaml")).split("(?m)^---\\s*$")) {
      Path file = Files.writeString(Files.createTempFile(dir, "grafana", ".yaml"), doc);
      if (doc.contains("kind: SqliteDatabase")) {
        database = file;
        continue;
      }
      Kubectl.Result applied = kubectl.run("apply", "-f", file.toString());
      assertThat(applied.exit()).as(applied.output()).isZero();
    }
    Path sqliteDatabase = database;
    await().atMost(Duration.ofSeconds(30)).until(() -> kubectl.run("apply", "--dry-run=server", "-f",
        sqliteDatabase.toString()).output().matches("(?s).*Warning: .*efs-sc.*"));
    Kubectl.Result apply = kubectl.run("apply", "-f", sqliteDatabase.toString());
    assertThat(apply.exit()).as(apply.output()).isZero();
    assertThat(apply.output()).containsPattern("Warning: SqliteDatabase grafana: grafana-data on efs-sc")
        .contains("sqlitedatabase.walguard.io/grafana created");
    assertThat(database("monitoring", "grafana")).isNotNull();
    grafanaAsWritten = client.apps().deployments().inNamespace("monitoring").withName("grafana").get();
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

    // As on kind: a Job made from the CronJob by hand. The kubelet is simulated; the checkpoint and its
    // termination message are real.
    Kubectl.Result built = kubectl.run("-n", "monitoring", "create", "job", "grafana-checkpoint-e2e",
        "--from=cronjob/grafana-checkpoint", "--dry-run=client", "-o", "json");
    assertThat(built.exit()).as(built.output()).isZero();
    Path job = dir.resolve("checkpoint-job.json");
    Files.writeString(job, built.output());
    Kubectl.Result created = kubectl.run("create", "-f", job.toString());
    assertThat(created.exit()).as(created.output()).isZero();
    CheckpointRun.runJob(client, client.batch().v1().jobs().inNamespace("monitoring")
        .withName("grafana-checkpoint-e2e").get(), dir, node);

    await().atMost(Duration.ofSeconds(60)).until(() -> database("monitoring", "grafana").getStatus()
        .getLastCheckpoint() != null);
    var last = database("monitoring", "grafana").getStatus().getLastCheckpoint();
    assertThat(last.getPod()).startsWith("grafana-checkpoint-e2e-");
    assertThat(last.getError()).isNull();
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
    // (kubectl scale needs the scale subresource, which the embedded server does not serve: a patch does the same.)
    Kubectl.Result scaled = kubectl.run("-n", "monitoring", "patch", "deploy", "grafana", "--type=merge",
        "-p", "{\"spec\":{\"replicas\":2}}");
    assertThat(scaled.exit()).as(scaled.output()).isZero();
    Kubectl.Result unpinned = kubectl.run("-n", "monitoring", "patch", "deploy", "grafana", "--type=json",
        "-p", "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/affinity\"}]");
    assertThat(unpinned.exit()).as(unpinned.output()).isZero();
    assertThat(client.apps().deployments().inNamespace("monitoring").withName("grafana").get().getSpec()
        .getTemplate().getSpec().getAffinity()).isNull();

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

  /**
   * The uninstall docs/install.md describes: the SqliteDatabases first, while the operator runs (each carries
   * walguard's finalizer, which only the operator removes), then walguard itself.
   */
  @Test
  @Order(6)
  void uninstallRemovesWhatWalguardAddedAndNothingElse() throws Exception {
    Kubectl.Result annotate = kubectl.run("-n", "monitoring", "annotate", "deploy", "grafana", "example.com/owner=e2e");
    assertThat(annotate.exit()).as(annotate.output()).isZero();
    Deployment before = client.apps().deployments().inNamespace("monitoring").withName("grafana").get();
    Map<String, String> othersAnnotations = new java.util.TreeMap<>(before.getMetadata().getAnnotations());
    othersAnnotations.keySet().removeIf(k -> k.startsWith("walguard.io/"));
    assertThat(othersAnnotations).containsKey("example.com/owner");
    assertThat(client.batch().v1().jobs().inNamespace("monitoring").withLabel("walguard.io/database", "grafana")
        .list().getItems()).as("the checkpoint Job made from the CronJob").isNotEmpty();

    Kubectl.Result delete = kubectl.run("delete", "sqlitedb", "--all", "-A", "--timeout=60s");
    assertThat(delete.exit()).as(delete.output()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> database("monitoring", "grafana") == null);

    assertThat(client.batch().v1().cronjobs().inNamespace("monitoring").withName("grafana-checkpoint").get())
        .as("the checkpoint CronJob").isNull();
    assertThat(client.batch().v1().jobs().inNamespace("monitoring").withLabel("walguard.io/database", "grafana")
        .list().getItems()).as("walguard's Jobs").isEmpty();
    // Their pods go with them by the garbage collector (walguard deletes Jobs with background propagation), which
    // the embedded server does not run: e2e/kind.sh checks that on a real cluster.
    Deployment grafana = client.apps().deployments().inNamespace("monitoring").withName("grafana").get();
    assertThat(new java.util.TreeMap<>(grafana.getMetadata().getAnnotations())).as("walguard's annotations gone,"
        + " every other one as it was").isEqualTo(othersAnnotations);
    assertThat(grafana.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    assertThat(grafana.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(grafana.getSpec().getStrategy() == null ? null : grafana.getSpec().getStrategy().getRollingUpdate())
        .as("the maxSurge walguard set is gone with it").isNull();
    assertThat(grafana.getSpec().getTemplate().getSpec().getContainers())
        .isEqualTo(grafanaAsWritten.getSpec().getTemplate().getSpec().getContainers());

    walguard.close();
    walguard = null;
    Kubectl.Result uninstall = kubectl.run("delete", "-f", ROOT.resolve("deploy/walguard.yaml").toString(),
        "--timeout=60s");
    assertThat(uninstall.exit()).as(uninstall.output()).isZero();
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("sqlitedatabases.walguard.io").get())
        .isNull();
    assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("walguard").get())
        .isNull();
    assertThat(client.apps().deployments().inNamespace("monitoring").withName("grafana").get())
        .as("the application stays").isNotNull();
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
