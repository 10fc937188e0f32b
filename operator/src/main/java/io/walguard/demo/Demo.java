package io.walguard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.core.Annotations;
import io.walguard.reconcile.OperatorSettings;
import io.walguard.reconcile.WalguardOperator;
import io.walguard.webhook.WebhookConfig;
import io.walguard.webhook.WebhookServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code walguard demo}: a whole cluster in one process, and walguard at work on it.
 *
 * <p>It starts the embedded API server, installs the CRD and the webhook configuration, runs the operator and the
 * admission webhook against it exactly as {@code walguard run} does, applies three example stories through the API
 * (so admission warns as it would for kubectl), plays the scheduler and kubelet with {@link ClusterSimulator}, and
 * narrates what walguard observes and changes.
 */
public final class Demo {

  static final String NAMESPACE = "walguard-system";
  static final List<String> NODES = List.of("node-a", "node-b", "node-c");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The mock server logs every request through java.util.logging; the narration is the demo's output. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8");

  private final PrintStream out;
  private final Duration timeout;
  private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
  private final Set<String> eventsSeen = ConcurrentHashMap.newKeySet();

  public Demo(PrintStream out, Duration timeout) {
    this.out = out;
    this.timeout = timeout;
  }

  /**
   * Runs the demo; with {@code keep}, leaves the API server running with a kubeconfig at {@code kubeconfig}, and the
   * simulated cluster going, until the thread is interrupted (Ctrl-C ends the process).
   */
  public int run(boolean keep, Path kubeconfig) throws Exception {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    say("walguard demo: an embedded Kubernetes API server (the fabric8 mock server in CRUD mode: real HTTP,");
    say("watches and conflicts, but no real nodes), walguard's operator and admission webhook, and three stories.");
    say("");
    Path volumes = Files.createTempDirectory("walguard-demo");
    try (EmbeddedApiServer server = EmbeddedApiServer.start(); KubernetesClient client = server.client()) {
      step("1. Cluster: API server at " + server.url() + ", nodes " + String.join(", ", NODES));
      for (String node : NODES) {
        client.nodes().resource(ClusterSimulator.node(node)).create();
      }
      for (String ns : List.of(NAMESPACE, "monitoring", "vaultwarden", "logging", "team-a", "team-b")) {
        // team-b enforces from the start: labelling it later would race the webhook's namespace cache
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
            .addToLabels("kubernetes.io/metadata.name", ns)
            .addToLabels(ns.equals("team-b") ? Map.of(Annotations.ENFORCE, "deny") : Map.of())
            .endMetadata().build()).create();
      }
      client.resource(crd()).create();
      client.resource(webhookConfiguration()).create();
      say("   installed the SqliteDatabase CRD and the ValidatingWebhookConfiguration 'walguard'");
      say("   (the database files are real SQLite files in " + volumes + ", one directory per claim)");

      ClusterSimulator cluster = new ClusterSimulator(client, this::say, volumes);
      OperatorSettings settings = OperatorSettings.defaults().withOperatorNamespace(NAMESPACE);
      try (WalguardOperator operator = new WalguardOperator(client, settings, new SimpleMeterRegistry(), () -> { });
          WebhookServer webhook = startWebhook(operator, settings.policy(), client)) {
        server.routeService("walguard-webhook", NAMESPACE, 443, URI.create("https://127.0.0.1:" + webhook.port()));
        operator.start();
        awaitTrue(operator::ready, Duration.ofSeconds(30));
        awaitTrue(() -> caBundleSet(client), Duration.ofSeconds(30));
        step("2. walguard: operator and webhook running (webhook TLS: walguard's own CA, written into the caBundle)");

        try (Watch dbs = watchDatabases(client); Watch events = watchEvents(client)) {
          step("3. Applying three stories (as kubectl apply would, through admission):");
          applyStory(server, operator, "grafana-efs", "Grafana on EFS, 2-node rollout possible");
          applyStory(server, operator, "vaultwarden-local-path", "Vaultwarden on local-path");
          applyStory(server, operator, "daemonset-nfs", "Fluent Bit DaemonSet on NFS, opted in by annotation");

          step("4. The cluster schedules the pods; walguard decides and pins:");
          boolean converged = settle(cluster, () -> pinnedAndConverged(client, "monitoring", "grafana")
              && verdictIs(client, "vaultwarden", "vaultwarden-data", "safe")
              && verdictIs(client, "logging", "logging-state", "unsafe"));
          say("   vaultwarden-data and logging-state were opted in by annotation, so walguard made their");
          say("   SqliteDatabases with remedy none and checkpoints off: it changes none of their workloads (no pin,");
          say("   no journal switch) and runs no checkpoint CronJob; it reports. A SqliteDatabase you write with");
          say("   remedy: none only reports too, but keeps its checkpoint CronJob unless spec.checkpoint.enabled is");
          say("   false (or it is paused with walguard.io/paused: \"true\").");

          step("5. The checkpoint CronJob next to Grafana, and one run of it:");
          converged &= checkpoint(client, cluster, volumes);

          step("6. Adopting the DaemonSet's database: remedy none -> auto (a DaemonSet cannot be pinned, so journal):");
          say("   The switch needs the file to itself for a moment; here nothing holds it when the Job runs. In a");
          say("   cluster the Job retries for up to 2 minutes while the openers hold it (JournalModeBusy if they never");
          say("   let go). The Job's toolbox run is real, on the file in " + volumes.resolve("logging/logging-state"));
          client.resources(SqliteDatabase.class).inNamespace("logging").withName("logging-state")
              .edit(db -> {
                db.getSpec().setRemedy(io.walguard.api.SqliteDatabaseSpec.Remedy.auto);
                return db;
              });
          converged &= settle(cluster, () -> actionIs(client, "logging", "logging-state", "journal")
              && verdictIs(client, "logging", "logging-state", "safe")
              && journalModeIs(client, "logging", "logging-state", "delete"));

          step("7. New unsafe objects meet the admission webhook:");
          say("   -- team-a (mode warn), applied as `kubectl apply -f uptime-kuma/` does, file by file in name order:");
          say("      deployment.yaml names a claim that does not exist yet, so there is nothing to judge; pvc.yaml");
          say("      is opted in and judged with the Deployment that mounts it");
          submitAll(server, unsafeDeployment("team-a"));
          awaitTrue(() -> operator.facts().workloads("team-a").stream()
              .anyMatch(w -> w.getMetadata().getName().equals("uptime-kuma")), Duration.ofSeconds(30));
          submitAll(server, unsafeClaim("team-a"));
          say("   -- team-b (labelled walguard.io/enforce=deny), the claim first, then the Deployment:");
          submitAll(server, unsafeClaim("team-b"));
          awaitTrue(() -> operator.facts().claim("team-b", "kuma-data").isPresent(), Duration.ofSeconds(30));
          submitAll(server, unsafeDeployment("team-b"));
          settle(cluster, () -> true);

          step("8. kubectl get sqlitedb -A");
          printTable(client);
          say("   JOURNAL is the journal mode a walguard Job last read from the database file's header; it stays");
          say("   empty until walguard has had to run one (here, the journal switch of logging-state).");
          say("");
          if (!converged) {
            say("walguard demo: not every story reached its expected state within " + timeout.toSeconds() + "s");
            return 1;
          }
          if (keep) {
            return keep(server, cluster, kubeconfig);
          }
          say("walguard demo: done.");
          return 0;
        }
      }
    } finally {
      deleteTree(volumes);
    }
  }

  /** Leaves everything running, the simulated cluster stepping, until the thread is interrupted. */
  private int keep(EmbeddedApiServer server, ClusterSimulator cluster, Path kubeconfig) throws IOException {
    server.writeKubeconfig(kubeconfig);
    ScheduledExecutorService stepping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "walguard-demo-cluster");
      t.setDaemon(true);
      return t;
    });
    stepping.scheduleWithFixedDelay(() -> {
      try {
        cluster.step();
      } catch (RuntimeException e) {
        say("  [cluster] " + e.getMessage());
      }
    }, 0, 250, TimeUnit.MILLISECONDS);
    say("The API server keeps running, and the simulated cluster with it: what you apply gets pods. Try:");
    say("  kubectl --kubeconfig " + kubeconfig + " get sqlitedb -A");
    say("  kubectl --kubeconfig " + kubeconfig + " get deploy grafana -n monitoring -o yaml");
    say("  kubectl --kubeconfig " + kubeconfig + " apply --validate=false -f <manifest>");
    say("(The embedded server serves no OpenAPI, hence --validate=false, and reads JSON only: kubectl create");
    say("namespace, job and the like send protobuf and are refused; apply a manifest instead.) Press Ctrl-C to stop.");
    try {
      Thread.currentThread().join();
    } catch (InterruptedException stop) {
      say("walguard demo: stopped.");
    } finally {
      stepping.shutdownNow();
    }
    return 0;
  }

  /** Waits for walguard's CronJob, runs it once (a real checkpoint of a real WAL file) and shows the result. */
  private boolean checkpoint(KubernetesClient client, ClusterSimulator cluster, Path volumes) throws Exception {
    var cronJobs = client.batch().v1().cronjobs().inNamespace("monitoring").withName("grafana-checkpoint");
    if (!settle(cluster, () -> cronJobs.get() != null)) {
      say("   no checkpoint CronJob appeared");
      return false;
    }
    var cronJob = cronJobs.get();
    var pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    String node = io.walguard.jobs.ToolboxPod.node(pod).orElseThrow();
    say("   cronjob/grafana-checkpoint: schedule \"" + cronJob.getSpec().getSchedule() + "\", concurrencyPolicy "
        + cronJob.getSpec().getConcurrencyPolicy() + ", pinned to " + node + ", mounts claim "
        + ToolboxRun.claim(pod) + ", runs: " + String.join(" ", pod.getContainers().get(0).getArgs().subList(
            pod.getContainers().get(0).getArgs().indexOf("sqlite"), pod.getContainers().get(0).getArgs().size())));
    say("   a run of it (the checkpoint is real, on " + volumes.resolve("monitoring/grafana-data")
        + " while Grafana keeps its connection; the Job and pod are simulated):");
    CheckpointRun.run(client, cronJob, volumes, node);
    boolean read = settle(cluster, () -> {
      SqliteDatabase db = database(client, "monitoring", "grafana");
      return db != null && db.getStatus() != null && db.getStatus().getLastCheckpoint() != null;
    });
    var last = database(client, "monitoring", "grafana").getStatus().getLastCheckpoint();
    if (last != null) {
      say("   status.lastCheckpoint: busy " + last.getBusy() + ", frames " + last.getCheckpointedFrames() + "/"
          + last.getLogFrames() + ", WAL " + last.getWalBytesBefore() + " -> " + last.getWalBytesAfter()
          + " bytes, pod " + last.getPod());
      say("   PASSIVE copied every frame into the database but never shrinks the -wal file: SQLite writes it again");
      say("   from the start once no reader needs the old frames. spec.checkpoint.mode TRUNCATE also cuts it to");
      say("   0 bytes, when no reader is in the way.");
    }
    return read;
  }

  private WebhookServer startWebhook(WalguardOperator operator, io.walguard.core.Policy policy,
      KubernetesClient client) throws IOException {
    WebhookConfig config = WebhookConfig.defaults(NAMESPACE).withBindAddress("127.0.0.1").withPort(0)
        .withLimits(WebhookConfig.DEFAULT_MAX_BODY_BYTES, 4, 64);
    return WebhookServer.start(config, operator::facts, policy, client);
  }

  private boolean settle(ClusterSimulator cluster, BooleanSupplier done) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    int quiet = 0;
    while (Instant.now().isBefore(deadline)) {
      boolean changed = cluster.step();
      quiet = changed ? 0 : quiet + 1;
      if (done.getAsBoolean() && quiet >= 8) {
        return true;
      }
      Thread.sleep(250);
    }
    return done.getAsBoolean();
  }

  private void applyStory(EmbeddedApiServer server, WalguardOperator operator, String story, String title)
      throws Exception {
    say("   -- " + title + " (examples/" + story + ")");
    for (String file : List.of("storageclass.yaml", "nfs-volume.yaml", "grafana.yaml", "vaultwarden.yaml",
        "fluent-bit.yaml")) {
      try (InputStream in = Demo.class.getResourceAsStream("examples/" + story + "/" + file)) {
        if (in != null) {
          String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          // The webhook judges with the operator's caches, which a real cluster fills within milliseconds but not
          // at once: let them hold the claim and its openers before the SqliteDatabase that names them arrives, so
          // the story shows the warning every time, not only when the watches were quick.
          List<JsonNode> objects = YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class).readAll();
          int database = indexOfKind(objects, "SqliteDatabase");
          if (database < 0) {
            submitAll(server, objects);
          } else {
            submitAll(server, objects.subList(0, database));
            awaitTrue(() -> objects.subList(0, database).stream().allMatch(o -> cached(operator, o)),
                Duration.ofSeconds(30));
            submitAll(server, objects.subList(database, objects.size()));
          }
        }
      }
    }
  }

  private static int indexOfKind(List<JsonNode> objects, String kind) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i) != null && kind.equals(objects.get(i).path("kind").asText())) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the operator's caches hold an object the demo applied (claims and workloads; other kinds count). */
  private static boolean cached(WalguardOperator operator, JsonNode object) {
    if (object == null || !object.has("kind")) {
      return true;
    }
    String namespace = object.path("metadata").path("namespace").asText("default");
    String name = object.path("metadata").path("name").asText();
    return switch (object.path("kind").asText()) {
      case "PersistentVolumeClaim" -> operator.facts().claim(namespace, name).isPresent();
      case "Deployment", "StatefulSet", "DaemonSet" -> operator.facts().workloads(namespace).stream()
          .anyMatch(w -> w.getMetadata().getName().equals(name));
      default -> true;
    };
  }

  private void submitAll(EmbeddedApiServer server, String yaml) throws Exception {
    submitAll(server, YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class).readAll());
  }

  private void submitAll(EmbeddedApiServer server, List<JsonNode> objects) throws Exception {
    for (JsonNode object : objects) {
      if (object == null || object.isNull() || !object.has("kind")) {
        continue;
      }
      EmbeddedApiServer.Submitted result = server.create(object);
      String ref = result.kind().toLowerCase() + "/" + result.name();
      for (String warning : result.warnings()) {
        say("      Warning: " + warning);
      }
      say(result.created() ? "      " + ref + " created" : "      Error from server: " + result.message());
    }
  }

  private Watch watchDatabases(KubernetesClient client) {
    return client.resources(SqliteDatabase.class).inAnyNamespace().watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, SqliteDatabase db) {
        if (action == Action.DELETED) {
          return;
        }
        SqliteDatabaseStatus status = db.getStatus();
        String key = db.getMetadata().getNamespace() + "/" + db.getMetadata().getName();
        if (status == null || status.getVerdict() == null) {
          if (lastSeen.putIfAbsent(key, "") == null) {
            say("  [walguard] sqlitedb " + key + " created");
          }
          return;
        }
        String placement = condition(status, "Placement");
        String summary = "storage " + kind(status) + ", verdict " + status.getVerdict() + ", action "
            + status.getAction() + (status.getNodes().isEmpty() ? "" : ", openers on " + status.getNodes())
            + (status.getPinnedNode() == null ? "" : ", pinned to " + status.getPinnedNode())
            + (status.getJournalMode() == null ? "" : ", journal " + status.getJournalMode())
            + (placement == null ? "" : "; Placement: " + placement);
        if (!summary.equals(lastSeen.put(key, summary))) {
          say("  [walguard] sqlitedb " + key + ": " + summary);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  private Watch watchEvents(KubernetesClient client) {
    return client.v1().events().inAnyNamespace().watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Event event) {
        if (action != Action.ADDED || !eventsSeen.add(event.getMetadata().getNamespace() + "/"
            + event.getMetadata().getName())) {
          return;
        }
        var involved = event.getInvolvedObject();
        say("  [event] " + involved.getKind() + "/" + involved.getName() + " " + event.getReason() + ": "
            + event.getMessage());
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  private static String kind(SqliteDatabaseStatus status) {
    return status.getStorage() == null ? "?" : status.getStorage().getKind();
  }

  private static String condition(SqliteDatabaseStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .map(c -> c.getStatus() + " (" + c.getReason() + ")").orElse(null);
  }

  private static SqliteDatabase database(KubernetesClient client, String ns, String name) {
    return client.resources(SqliteDatabase.class).inNamespace(ns).withName(name).get();
  }

  private static boolean verdictIs(KubernetesClient client, String ns, String name, String verdict) {
    SqliteDatabase db = database(client, ns, name);
    return db != null && db.getStatus() != null && verdict.equals(db.getStatus().getVerdict());
  }

  private static boolean journalModeIs(KubernetesClient client, String ns, String name, String mode) {
    SqliteDatabase db = database(client, ns, name);
    return db != null && db.getStatus() != null && mode.equals(db.getStatus().getJournalMode());
  }

  private static boolean actionIs(KubernetesClient client, String ns, String name, String action) {
    SqliteDatabase db = database(client, ns, name);
    return db != null && db.getStatus() != null && action.equals(db.getStatus().getAction());
  }

  private static boolean pinnedAndConverged(KubernetesClient client, String ns, String name) {
    SqliteDatabase db = database(client, ns, name);
    if (db == null || db.getStatus() == null || db.getStatus().getPinnedNode() == null) {
      return false;
    }
    Condition placement = db.getStatus().getConditions().stream().filter(c -> "Placement".equals(c.getType()))
        .findFirst().orElse(null);
    return placement != null && "True".equals(placement.getStatus()) && db.getStatus().getNodes().size() == 1;
  }

  private static boolean caBundleSet(KubernetesClient client) {
    ValidatingWebhookConfiguration vwc = client.admissionRegistration().v1().validatingWebhookConfigurations()
        .withName("walguard").get();
    return vwc != null && vwc.getWebhooks().stream().allMatch(w -> w.getClientConfig().getCaBundle() != null
        && !w.getClientConfig().getCaBundle().isEmpty());
  }

  private void printTable(KubernetesClient client) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAMESPACE", "NAME", "CLAIM", "STORAGE", "VERDICT", "ACTION", "NODES", "JOURNAL",
        "LAST CHECKPOINT"});
    client.resources(SqliteDatabase.class).inAnyNamespace().list().getItems().stream()
        .sorted((a, b) -> (a.getMetadata().getNamespace() + "/" + a.getMetadata().getName())
            .compareTo(b.getMetadata().getNamespace() + "/" + b.getMetadata().getName()))
        .forEach(db -> {
          SqliteDatabaseStatus s = db.getStatus() == null ? new SqliteDatabaseStatus() : db.getStatus();
          rows.add(new String[] {db.getMetadata().getNamespace(), db.getMetadata().getName(),
              db.getSpec().getClaimName(), s.getStorage() == null ? "" : s.getStorage().getKind(),
              Objects.toString(s.getVerdict(), ""), Objects.toString(s.getAction(), ""),
              String.join(",", s.getNodes()), Objects.toString(s.getJournalMode(), ""),
              s.getLastCheckpoint() == null ? "" : Objects.toString(s.getLastCheckpoint().getTime(), "")});
        });
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("   ");
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + (widths[i] + 3) + "s", row[i]));
      }
      say(line.toString().stripTrailing());
    }
  }

  private static String unsafeClaim(String namespace) {
    return """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: kuma-data
          namespace: %1$s
          annotations: {walguard.io/sqlite: "true", walguard.io/sqlite-file: kuma.db}
        spec:
          accessModes: [ReadWriteMany]
          storageClassName: efs-sc
          resources: {requests: {storage: 1Gi}}
        """.formatted(namespace);
  }

  private static String unsafeDeployment(String namespace) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: uptime-kuma, namespace: %1$s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: uptime-kuma}}
          template:
            metadata: {labels: {app: uptime-kuma}}
            spec:
              containers:
                - name: uptime-kuma
                  image: louislam/uptime-kuma:1
                  volumeMounts: [{name: data, mountPath: /app/data}]
              volumes:
                - name: data
                  persistentVolumeClaim: {claimName: kuma-data}
        """.formatted(namespace);
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: what is left goes with the next clean-up of the system's temp space
    }
  }

  static CustomResourceDefinition crd() throws IOException {
    try (InputStream in = Demo.class.getResourceAsStream("/META-INF/fabric8/sqlitedatabases.walguard.io-v1.yml")) {
      return YAML.readValue(in, CustomResourceDefinition.class);
    }
  }

  /**
   * The webhook configuration the Helm chart installs, with its caBundle left for walguard to fill in (a test keeps
   * the two equal).
   */
  public static ValidatingWebhookConfiguration webhookConfiguration() {
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata().withName("walguard").endMetadata()
        .addNewWebhook()
          .withName("validate.walguard.io")
          .withAdmissionReviewVersions("v1")
          .withSideEffects("NoneOnDryRun")
          .withFailurePolicy("Ignore")
          .withMatchPolicy("Equivalent")
          .withTimeoutSeconds(3)
          .withNewClientConfig().withNewService().withName("walguard-webhook").withNamespace(NAMESPACE)
            .withPath("/validate").withPort(443).endService().endClientConfig()
          .withNewNamespaceSelector().addNewMatchExpression().withKey("kubernetes.io/metadata.name")
            .withOperator("NotIn").withValues("kube-system", NAMESPACE).endMatchExpression().endNamespaceSelector()
          .addNewRule().withOperations("CREATE", "UPDATE").withApiGroups("").withApiVersions("v1")
            .withResources("persistentvolumeclaims", "pods").withScope("Namespaced").endRule()
          .addNewRule().withOperations("CREATE", "UPDATE").withApiGroups("apps").withApiVersions("v1")
            .withResources("deployments", "statefulsets", "daemonsets", "replicasets").withScope("Namespaced").endRule()
          .addNewRule().withOperations("UPDATE").withApiGroups("apps").withApiVersions("v1")
            .withResources("deployments/scale", "statefulsets/scale", "replicasets/scale").withScope("Namespaced")
            .endRule()
          .addNewRule().withOperations("CREATE", "UPDATE").withApiGroups("batch").withApiVersions("v1")
            .withResources("jobs", "cronjobs").withScope("Namespaced").endRule()
          .addNewRule().withOperations("CREATE", "UPDATE").withApiGroups("walguard.io").withApiVersions("v1alpha1")
            .withResources("sqlitedatabases").withScope("Namespaced").endRule()
        .endWebhook()
        .build();
  }

  private void step(String line) {
    say("");
    say(line);
  }

  private synchronized void say(String line) {
    out.println(line);
    out.flush();
  }

  private static void awaitTrue(BooleanSupplier condition, Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out after " + limit.toSeconds() + "s");
      }
      Thread.sleep(100);
    }
  }

}
