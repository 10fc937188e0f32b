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
  static final int RUNS = 5;
  static final int MEMORY_RUNS = 3;

  public static void main(String[] args) {
    runThenExit(OperatorBenchmark::run, args);
  }

  /** A benchmark's body, which may throw. */
  interface Body {
    void run(String[] args) throws Exception;
  }

  /** Runs a benchmark's main body and ends the JVM whatever happens: informer and server threads are not daemons. */
  static void runThenExit(Body body, String[] args) {
    try {
      body.run(args);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  static void run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      serve(Integer.parseInt(args[1]));
      return;
    }
    if (args.length > 0 && args[0].equals("measure")) {
      measureHere(args[1], Boolean.parseBoolean(args[2]));
      return;
    }
    StringBuilder md = new StringBuilder();
    md.append("| measure | walguard | baseline | ratio |\n| --- | --- | --- | --- |\n");

    List<Double> walguardSeconds = new ArrayList<>();
    List<Double> trivialSeconds = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    // One pair to warm the JVM up (class loading, JIT), not counted.
    reconcileAll(false);
    reconcileAll(true);
    for (int run = 0; run < RUNS; run++) {
      // Alternate who goes first, so neither profits from a warmer JVM.
      if (run % 2 == 0) {
        trivialSeconds.add(reconcileAll(false));
        walguardSeconds.add(reconcileAll(true));
      } else {
        walguardSeconds.add(reconcileAll(true));
        trivialSeconds.add(reconcileAll(false));
      }
      ratios.add(walguardSeconds.get(run) / trivialSeconds.get(run));
      System.err.printf(Locale.ROOT, "run %d: walguard %.2fs, trivial %.2fs%n", run + 1,
          walguardSeconds.get(run), trivialSeconds.get(run));
    }
    md.append(String.format(Locale.ROOT, "| %d databases reconciled, status written (s, median of %d) | %.2f (%s) |"
        + " %.2f (%s) | **%.2f** (per run %s) |%n", THROUGHPUT_DATABASES, RUNS, median(walguardSeconds),
        spread(walguardSeconds), median(trivialSeconds), spread(trivialSeconds), median(ratios), spread(ratios)));
    md.append(String.format(Locale.ROOT, "| write requests sent until then (last run) | %d | %d | %.2f |%n",
        WRITES.get(true), WRITES.get(false), (double) WRITES.get(true) / WRITES.get(false)));

    // The operator's heap is measured in a JVM of its own, against a mock API server in another process, so the
    // figure holds the operator alone: caches, JOSDK, walguard.
    List<Double> pruned = new ArrayList<>();
    List<Double> unpruned = new ArrayList<>();
    List<Double> idle = new ArrayList<>();
    Process server = java("serve", String.valueOf(MEMORY_DATABASES));
    try {
      var lines = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8));
      String url = lines.readLine();
      if (url == null || !url.startsWith("http")) {
        throw new IllegalStateException("the mock API server did not start: " + url);
      }
      for (int run = 0; run < MEMORY_RUNS; run++) {
        boolean prunedFirst = run % 2 == 0;
        for (boolean prune : prunedFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
          double[] heap = measure(url, prune);
          (prune ? pruned : unpruned).add(heap[1]);
          idle.add(heap[0]);
        }
        System.err.printf(Locale.ROOT, "memory run %d: pruned %.1f MiB, unpruned %.1f MiB%n", run + 1,
            pruned.get(run), unpruned.get(run));
      }
    } finally {
      server.getOutputStream().close();
      server.destroy();
    }
    md.append(String.format(Locale.ROOT, "| operator heap after a full resync of %d databases, %d PVCs, %d PVs, %d"
        + " Deployments and ReplicaSets, %d Pods (MiB, median of %d) | %.1f pruned (%s) | %.1f unpruned (%s) |"
        + " **%.2f** |%n", MEMORY_DATABASES, MEMORY_DATABASES, MEMORY_DATABASES, MEMORY_DATABASES,
        3 * MEMORY_DATABASES, MEMORY_RUNS, median(pruned), spread(pruned), median(unpruned), spread(unpruned),
        median(pruned) / median(unpruned)));
    md.append(String.format(Locale.ROOT, "| the same JVM before the operator started (MiB) | %.1f | | |%n",
        median(idle)));

    String table = md.toString();
    System.out.print(table);
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), table);
    }
  }

  // ---- reconcile throughput ------------------------------------------------------------------------------------

  /** Write requests each contender sent in its last run, for the table. */
  static final Map<Boolean, Long> WRITES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Seconds from operator start until every database has a status. */
  static double reconcileAll(boolean walguard) throws Exception {
    try (MockCluster cluster = MockCluster.start()) {
      fill(cluster.client(), THROUGHPUT_DATABASES, 2, false);
      int filled = cluster.writes().size();
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
      WRITES.put(walguard, (long) (cluster.writes().size() - filled));
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

  /** Runs this class again in a JVM of its own. */
  static Process java(String... args) throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms512m", "-Xmx1g", "-XX:+UseG1GC",
        "-cp", System.getProperty("java.class.path"), OperatorBenchmark.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** In a child process: fills a mock API server, prints its URL, and serves until stdin closes. */
  static void serve(int databases) throws Exception {
    try (MockCluster cluster = MockCluster.start()) {
      fill(cluster.client(), databases, 3, true);
      System.out.println(cluster.client().getConfiguration().getMasterUrl());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes our stdin
      }
    }
    System.exit(0);
  }

  /** The heap before the operator starts and after it has reconciled everything, measured in a fresh JVM. */
  static double[] measure(String url, boolean prune) throws Exception {
    Process p = java("measure", url, String.valueOf(prune));
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0 || !out.startsWith("HEAP ")) {
      throw new IllegalStateException("memory measurement failed: " + out);
    }
    String[] parts = out.substring(5).split(" ");
    return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
  }

  /** In a child process: starts the operator, waits for a full resync and quiet, prints heap before and after. */
  static void measureHere(String url, boolean prune) throws Exception {
    double before = usedHeapMiB();
    KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(url).withTrustCerts(true).build())
        .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WalguardOperator op = new WalguardOperator(client, OperatorSettings.defaults().withPruneCaches(prune), registry,
        () -> {});
    op.start();
    var reconciliations = registry.get("walguard.reconciliations").counter();
    waitUntil(() -> reconciliations.count() >= MEMORY_DATABASES, Duration.ofMinutes(10));
    // Quiet: no reconciliation for two seconds and no Event waiting to be sent.
    double seen = -1;
    while (seen != reconciliations.count() || op.eventsPending() > 0) {
      seen = reconciliations.count();
      Thread.sleep(2000);
    }
    double after = usedHeapMiB();
    System.out.printf(Locale.ROOT, "HEAP %.1f %.1f%n", before, after);
    System.out.flush();
    System.exit(0);
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
