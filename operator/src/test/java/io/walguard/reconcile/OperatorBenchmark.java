package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.api.SqliteDatabaseStatus;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The operator's benchmark (a main class, not part of the test run).
 *
 * <ol>
 *   <li>Reconcile: 150 SqliteDatabases with claims, volumes, Deployments, ReplicaSets and running Pods on the mock API
 *       server; the time from operator start until every database has a status, against a trivial JOSDK reconciler
 *       that only writes a status, on an identically filled server in the same run.
 *   <li>Memory: the heap the operator adds after a full resync of 1,000 databases, 1,000 PVCs, 1,000 PVs, 1,000
 *       Deployments and ReplicaSets and 3,000 Pods (objects carrying managedFields, the last-applied annotation and
 *       kubelet status, as on a real cluster), with cache pruning on and off.
 * </ol>
 *
 * <p>Run with {@code bench/operator.sh} from the repository root (see docs/benchmarks-operator.md); an argument names
 * a file to write the Markdown table to.
 */
public final class OperatorBenchmark {

  static final String NS = "bench";
  static final int THROUGHPUT_DATABASES = 150;
  static final int MEMORY_DATABASES = 1000;
  static final int RUNS = 3;

  public static void main(String[] args) throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("| measure | walguard | baseline | ratio |\n| --- | --- | --- | --- |\n");

    List<Double> walguardSeconds = new ArrayList<>();
    List<Double> trivialSeconds = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      // Alternate who goes first, so neither profits from a warmer JVM.
      if (run % 2 == 0) {
        trivialSeconds.add(reconcileAll(false));
        walguardSeconds.add(reconcileAll(true));
      } else {
        walguardSeconds.add(reconcileAll(true));
        trivialSeconds.add(reconcileAll(false));
      }
      System.err.printf(Locale.ROOT, "run %d: walguard %.2fs, trivial %.2fs%n", run + 1,
          walguardSeconds.get(run), trivialSeconds.get(run));
    }
    md.append(String.format(Locale.ROOT, "| %d databases reconciled, status written (median of %d, s) | %.2f (%s) | %.2f"
        + " (%s) | **%.2f** |%n", THROUGHPUT_DATABASES, RUNS, median(walguardSeconds), spread(walguardSeconds),
        median(trivialSeconds), spread(trivialSeconds), median(walguardSeconds) / median(trivialSeconds)));

    List<Double> pruned = new ArrayList<>();
    List<Double> unpruned = new ArrayList<>();
    try (MockCluster cluster = MockCluster.start()) {
      fill(cluster.client(), MEMORY_DATABASES, 3, true);
      for (int run = 0; run < 2; run++) {
        pruned.add(heapAdded(cluster, true));
        unpruned.add(heapAdded(cluster, false));
        System.err.printf(Locale.ROOT, "memory run %d: pruned %.1f MiB, unpruned %.1f MiB%n", run + 1,
            pruned.get(run), unpruned.get(run));
      }
    }
    md.append(String.format(Locale.ROOT, "| heap added by the operator after a full resync of %d databases (MiB) |"
        + " %.1f pruned (%s) | %.1f unpruned (%s) | **%.2f** |%n", MEMORY_DATABASES, median(pruned), spread(pruned),
        median(unpruned), spread(unpruned), median(pruned) / median(unpruned)));

    String table = md.toString();
    System.out.print(table);
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), table);
    }
    System.exit(0);
  }

  // ---- reconcile throughput ------------------------------------------------------------------------------------

  /** Seconds from operator start until every database has a status. */
  static double reconcileAll(boolean walguard) throws Exception {
    try (MockCluster cluster = MockCluster.start()) {
      fill(cluster.client(), THROUGHPUT_DATABASES, 2, false);
      AutoCloseable running;
      long start = System.nanoTime();
      if (walguard) {
        WalguardOperator op = new WalguardOperator(cluster.newClient(), OperatorSettings.defaults(),
            new SimpleMeterRegistry(), () -> {});
        op.start();
        running = op;
      } else {
        running = trivialOperator(cluster.newClient());
      }
      waitUntil(() -> statusWritten(cluster) >= THROUGHPUT_DATABASES, Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - start) / 1e9;
      running.close();
      return seconds;
    }
  }

  static long statusWritten(MockCluster cluster) {
    return cluster.calls().stream()
        .filter(c -> c.method().equals("PATCH") && c.path().endsWith("/status"))
        .map(c -> c.path())
        .distinct()
        .count();
  }

  /** The baseline: JOSDK configured as walguard's operator, with a reconciler that only writes a status. */
  @ControllerConfiguration(name = "trivial")
  static final class TrivialReconciler implements Reconciler<SqliteDatabase> {
    private final StatusWriter writer = new StatusWriter(false);

    @Override
    public UpdateControl<SqliteDatabase> reconcile(SqliteDatabase db, Context<SqliteDatabase> context) {
      SqliteDatabaseStatus status = new SqliteDatabaseStatus();
      status.setObservedGeneration(db.getMetadata().getGeneration());
      status.setVerdict("seen");
      if (status.equals(db.getStatus())) {
        return UpdateControl.noUpdate();
      }
      return writer.write(db, status, context);
    }
  }

  static AutoCloseable trivialOperator(KubernetesClient client) {
    Operator operator = OperatorConfig.operator(client, OperatorSettings.defaults(), Metrics.NOOP, Leadership.alone());
    operator.register(new TrivialReconciler(), c -> c.watchingAllNamespaces());
    operator.start();
    return operator::stop;
  }

  // ---- memory --------------------------------------------------------------------------------------------------

  /** MiB of heap the operator holds after it has listed everything and reconciled every database. */
  static double heapAdded(MockCluster cluster, boolean prune) throws Exception {
    double before = usedHeapMiB();
    WalguardOperator op = new WalguardOperator(cluster.newClient(),
        OperatorSettings.defaults().withPruneCaches(prune), new SimpleMeterRegistry(), () -> {});
    op.start();
    KubernetesClient client = cluster.client();
    waitUntil(() -> client.resources(SqliteDatabase.class).inNamespace(NS).list().getItems().stream()
        .allMatch(db -> db.getStatus() != null && db.getStatus().getVerdict() != null), Duration.ofMinutes(10));
    double after = usedHeapMiB();
    op.stop();
    // Clear the statuses so the next operator reconciles every database again.
    for (SqliteDatabase db : client.resources(SqliteDatabase.class).inNamespace(NS).list().getItems()) {
      client.resource(db).subresource("status").patch(
          io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
          "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{}}]");
    }
    return after - before;
  }

  static double usedHeapMiB() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }

  // ---- the cluster ---------------------------------------------------------------------------------------------

  /**
   * Fills the namespace: per database a PV, a bound PVC, a Deployment, its ReplicaSet and {@code podsEach} running
   * Pods over three nodes. A third are on local-path storage, a third on EFS with the pin remedy, a third on EFS with
   * remedy none. With {@code heavy}, objects carry what a real cluster adds: managedFields, kubectl's last-applied
   * annotation, environment variables and kubelet status.
   */
  static void fill(KubernetesClient client, int databases, int podsEach, boolean heavy) throws Exception {
    Fixtures fx = new Fixtures(client);
    fx.namespace(NS);
    fx.efsClass();
    fx.localPathClass();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> work = new ArrayList<>();
    for (int i = 0; i < databases; i++) {
      int n = i;
      work.add(pool.submit(() -> {
        createOne(client, n, podsEach, heavy);
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();
  }

  static void createOne(KubernetesClient client, int n, int podsEach, boolean heavy) {
    String name = "db-" + n;
    boolean local = n % 3 == 0;
    String cls = local ? Fixtures.LOCAL_CLASS : Fixtures.EFS_CLASS;
    String driver = local ? "rancher.io/local-path" : "efs.csi.aws.com";
    Consumer<HasMetadata> weigh = o -> {
      if (heavy) {
        realistic(client, o);
      }
    };
    var pv = new PersistentVolumeBuilder()
        .withNewMetadata().withName("pv-" + name).endMetadata()
        .withNewSpec().withStorageClassName(cls).withAccessModes("ReadWriteOnce")
            .withCapacity(Map.of("storage", new Quantity("1Gi")))
            .withNewCsi().withDriver(driver).withVolumeHandle("vol-" + name)
                .withVolumeAttributes(Map.of("storage.kubernetes.io/csiProvisionerIdentity", "1700000000000-" + n))
            .endCsi()
            .withNewClaimRef().withNamespace(NS).withName(name).endClaimRef()
        .endSpec()
        .withNewStatus().withPhase("Bound").endStatus().build();
    weigh.accept(pv);
    client.resource(pv).create();
    var pvc = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withNamespace(NS).withName(name)
            .addToAnnotations("pv.kubernetes.io/bind-completed", "yes")
            .addToAnnotations("volume.kubernetes.io/storage-provisioner", driver)
        .endMetadata()
        .withNewSpec().withStorageClassName(cls).withAccessModes("ReadWriteOnce").withVolumeName("pv-" + name)
            .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources()
        .endSpec()
        .withNewStatus().withPhase("Bound").withAccessModes("ReadWriteOnce")
            .withCapacity(Map.of("storage", new Quantity("1Gi"))).endStatus()
        .build();
    weigh.accept(pvc);
    client.resource(pvc).create();
    Deployment d = Fixtures.deployment(NS, name, name, podsEach);
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
        new EnvVarBuilder().withName("DATABASE_PATH").withValue("/data/" + name + ".db").build(),
        new EnvVarBuilder().withName("LOG_LEVEL").withValue("info").build()));
    weigh.accept(d);
    d = client.resource(d).create();
    var rs = client.resource(new ReplicaSetBuilder()
        .withNewMetadata().withNamespace(NS).withName(name + "-5d8f9c")
            .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                .withUid(d.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(podsEach).withSelector(d.getSpec().getSelector())
            .withTemplate(d.getSpec().getTemplate()).endSpec()
        .build()).create();
    for (int p = 0; p < podsEach; p++) {
      var pod = new PodBuilder()
          .withNewMetadata().withNamespace(NS).withName(name + "-5d8f9c-" + p)
              .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
              .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
                  .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid()).withController(true)
              .endOwnerReference()
          .endMetadata()
          .withSpec(d.getSpec().getTemplate().getSpec())
          .editSpec().withNodeName("node-" + ((n + p) % 3)).endSpec()
          .withNewStatus().withPhase("Running").withStartTime(Instant.parse("2025-01-01T10:00:00Z")
              .plusSeconds(n * 10L + p).toString()).endStatus()
          .build();
      if (heavy) {
        realistic(client, pod);
        pod.getStatus().setPodIP("10.1." + (n % 250) + "." + p);
        pod.getStatus().setHostIP("192.168.0." + ((n + p) % 3));
        pod.getStatus().setQosClass("BestEffort");
        pod.getStatus().setConditions(List.of(
            new PodConditionBuilder().withType("Initialized").withStatus("True")
                .withLastTransitionTime("2025-01-01T10:00:01Z").build(),
            new PodConditionBuilder().withType("Ready").withStatus("True")
                .withLastTransitionTime("2025-01-01T10:00:05Z").build(),
            new PodConditionBuilder().withType("ContainersReady").withStatus("True")
                .withLastTransitionTime("2025-01-01T10:00:05Z").build(),
            new PodConditionBuilder().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2025-01-01T10:00:00Z").build()));
        pod.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(name).withReady(true)
            .withImage("example/" + name + ":1").withImageID("docker.io/example/" + name
                + "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            .withContainerID("containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd" + p)
            .withRestartCount(0).withStarted(true)
            .withNewState().withNewRunning().withStartedAt("2025-01-01T10:00:04Z").endRunning().endState()
            .build()));
      }
      client.resource(pod).create();
    }
    SqliteDatabase db = Fixtures.database(NS, name, name);
    if (!local && n % 3 == 2) {
      db.getSpec().setRemedy(Remedy.none);
    }
    client.resource(db).create();
  }

  /** What a real cluster adds to an object: kubectl's last-applied copy and managedFields of two managers. */
  static void realistic(KubernetesClient client, HasMetadata o) {
    String applied = client.getKubernetesSerialization().asJson(o);
    var tree = client.getKubernetesSerialization().convertValue(o, com.fasterxml.jackson.databind.JsonNode.class);
    o.getMetadata().setAnnotations(new java.util.HashMap<>(o.getMetadata().getAnnotations() == null ? Map.of()
        : o.getMetadata().getAnnotations()));
    o.getMetadata().getAnnotations().put(CachePruner.LAST_APPLIED, applied);
    List<ManagedFieldsEntry> managed = new ArrayList<>();
    managed.add(new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply").withOperation("Update")
        .withApiVersion(o.getApiVersion()).withTime("2025-01-01T09:59:00Z").withFieldsType("FieldsV1")
        .withFieldsV1(fieldsOf(tree.path("spec"), "f:spec")).build());
    managed.add(new ManagedFieldsEntryBuilder().withManager("kube-controller-manager").withOperation("Update")
        .withApiVersion(o.getApiVersion()).withTime("2025-01-01T10:00:00Z").withFieldsType("FieldsV1")
        .withSubresource("status").withFieldsV1(fieldsOf(tree.path("status"), "f:status")).build());
    o.getMetadata().setManagedFields(managed);
  }

  /** A FieldsV1 set shaped like the part of the object it describes, as the API server writes it. */
  static FieldsV1 fieldsOf(com.fasterxml.jackson.databind.JsonNode node, String key) {
    FieldsV1 f = new FieldsV1();
    f.setAdditionalProperty(key, fieldSet(node));
    return f;
  }

  private static Map<String, Object> fieldSet(com.fasterxml.jackson.databind.JsonNode node) {
    Map<String, Object> set = new java.util.LinkedHashMap<>();
    if (node.isObject()) {
      set.put(".", Map.of());
      node.fields().forEachRemaining(e -> set.put("f:" + e.getKey(), fieldSet(e.getValue())));
    } else if (node.isArray()) {
      int i = 0;
      for (var element : node) {
        String id = element.has("name") ? "k:{\"name\":\"" + element.get("name").asText() + "\"}" : "i:" + i;
        set.put(id, fieldSet(element));
        i++;
      }
    }
    return set;
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  interface Check {
    boolean done() throws Exception;
  }

  static void waitUntil(Check check, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("benchmark did not converge within " + limit);
      }
      Thread.sleep(20);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String spread(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%.2f-%.2f", min, max);
  }
}
