package io.walguard.reconcile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.walguard.api.SqliteDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * How long {@code walguard run} takes from process start to ready, and how much memory the process holds, against a
 * trivial JOSDK operator in the same run (a main class, not part of the test run).
 *
 * <p>Both contenders are separate processes started with the JVM flags of the Helm chart, each against a fresh mock
 * API server (another process) that is either empty or holds the 1,000-database cluster of {@link OperatorBenchmark}.
 * walguard is the packaged jar running {@code walguard run} with its webhook; the baseline is one reconciler on
 * SqliteDatabase that only writes a status, configured by the same {@link OperatorConfig}, loaded from the same jar,
 * with the same health server. Both count as ready when their {@code /readyz} first answers 200: JOSDK has started
 * and every informer has synced. Memory is the process's VmRSS and VmHWM once it has been quiet for a while: on the
 * empty cluster after it is ready, on the full one after every database has a status and no write has reached the
 * API server for a few seconds.
 *
 * <p>Run with {@code operator/bench/startup-benchmark.sh [--runs N] [--out FILE]} from the repository root (see
 * docs/benchmarks-operator.md), or in the benchmark suite.
 */
public final class StartupBenchmark {

  static final int DATABASES = OperatorBenchmark.MEMORY_DATABASES;

  /**
   * The chart's JVM flags (helm/walguard/templates/_helpers.tpl, the Dockerfile's JAVA_TOOL_OPTIONS), plus what the
   * JVM derives by itself inside the chart's 512Mi memory limit: it sees 512 MiB of memory, so its heap may grow to
   * 75 % of that, and below 1,792 MiB JDK 17 does not count the machine as a server and picks the Serial collector.
   */
  static final List<String> CHART_JVM_FLAGS = List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
      "-XX:TieredStopAtLevel=1",
      "-Dorg.sqlite.tmpdir=/tmp/sqlite", "-Dsun.net.httpserver.nodelay=true", "-XX:MaxRAM=512m",
      "-XX:+UseSerialGC");

  static final double CHART_MEMORY_REQUEST_MIB = chartMemoryMiB("requests");
  static final double CHART_MEMORY_LIMIT_MIB = chartMemoryMiB("limits");

  /** The chart's memory request or limit, from its values.yaml, so the report compares with what users get. */
  static double chartMemoryMiB(String which) {
    Path values = Files.exists(Path.of("../helm/walguard/values.yaml")) ? Path.of("../helm/walguard/values.yaml")
        : Path.of("helm/walguard/values.yaml");
    try {
      var tree = new com.fasterxml.jackson.databind.ObjectMapper(
          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(values.toFile());
      String quantity = tree.path("resources").path(which).path("memory").asText();
      return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
          new io.fabric8.kubernetes.api.model.Quantity(quantity)).doubleValue() / (1024 * 1024);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the chart's resources from " + values, e);
    }
  }

  /** How long the idle operator must have sent no write before its memory is read. */
  static final Duration IDLE_QUIET = Duration.ofSeconds(5);
  /** How long the operator on the full cluster must have sent no write before its memory is read. */
  static final Duration RECONCILED_QUIET = Duration.ofSeconds(4);

  public static void main(String[] args) {
    OperatorBenchmark.runThenExit(StartupBenchmark::run, args);
  }

  static void run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      serve();
      return;
    }
    if (args.length > 0 && args[0].equals("trivial")) {
      trivial(Integer.parseInt(args[1]));
      return;
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    Path jar = Path.of(opts.getOrDefault("--jar", "operator/target/walguard.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it with mvn package");
    }
    int runs = Integer.parseInt(opts.getOrDefault("--runs", "5"));
    Path out = opts.containsKey("--out") ? Path.of(opts.get("--out")).toAbsolutePath() : null;
    Path work = Files.createDirectories(Path.of("target", "bench", "startup")).toAbsolutePath();

    Map<String, List<Double>> figures = new LinkedHashMap<>();
    try (MockServerProcess server = MockServerProcess.start()) {
      // One pair not counted: the first start pays for reading the jar from disk and filling the page cache.
      measure(Contender.TRIVIAL, jar, server, 0, work);
      measure(Contender.WALGUARD, jar, server, 0, work);
      for (int run = 0; run < runs; run++) {
        for (int databases : new int[] {0, DATABASES}) {
          // Alternate who goes first, so neither profits from what the other left in the machine's caches.
          List<Contender> order = run % 2 == 0 ? List.of(Contender.TRIVIAL, Contender.WALGUARD)
              : List.of(Contender.WALGUARD, Contender.TRIVIAL);
          Map<Contender, Sample> samples = new HashMap<>();
          for (Contender c : order) {
            samples.put(c, measure(c, jar, server, databases, work));
          }
          Sample w = samples.get(Contender.WALGUARD);
          Sample t = samples.get(Contender.TRIVIAL);
          String key = databases == 0 ? "empty" : "full";
          add(figures, key + ".ready.ratio", w.readySeconds() / t.readySeconds());
          add(figures, key + ".webhook.walguard", w.webhookSeconds());
          for (Contender c : Contender.values()) {
            Sample sample = samples.get(c);
            String who = "." + c.name().toLowerCase(Locale.ROOT);
            add(figures, key + ".ready" + who, sample.readySeconds());
            add(figures, key + ".rss" + who, sample.rssMiB());
            add(figures, key + ".hwm" + who, sample.hwmMiB());
            add(figures, key + ".committed" + who, sample.heap().committed());
            add(figures, key + ".used" + who, sample.heap().used());
            add(figures, key + ".metaspace" + who, sample.heap().metaspace());
            add(figures, key + ".live" + who, sample.heap().liveAfterFullGc());
            add(figures, key + ".threads" + who, sample.threads());
          }
          System.err.printf(Locale.ROOT, "run %d, %d databases: ready walguard %.2fs (webhook %.2fs) trivial"
              + " %.2fs; RSS walguard %.1f MiB (peak %.1f, %s) trivial %.1f MiB (peak %.1f, %s)%n", run + 1,
              databases, w.readySeconds(), w.webhookSeconds(), t.readySeconds(), w.rssMiB(), w.hwmMiB(), w.heap(),
              t.rssMiB(), t.hwmMiB(), t.heap());
        }
      }
    }

    String table = table(figures, runs);
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table);
    }
  }

  private static void add(Map<String, List<Double>> figures, String key, double value) {
    figures.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  static String table(Map<String, List<Double>> f, int runs) {
    StringBuilder md = new StringBuilder();
    md.append("JVM flags of both processes: `").append(String.join(" ", CHART_JVM_FLAGS)).append("` (the chart's flags;"
        + " `-XX:MaxRAM=512m -XX:+UseSerialGC` is what the JVM chooses by itself inside the chart's 512Mi memory limit)."
        + " Median of ").append(runs).append(" runs, range in brackets; each run starts both contenders afresh"
        + " against a fresh mock API server. Heap figures are from `jcmd GC.heap_info`, taken after the RSS.\n\n");
    md.append("| measure | walguard | trivial JOSDK operator | ratio |\n| --- | --- | --- | --- |\n");
    for (String key : List.of("empty", "full")) {
      String cluster = key.equals("empty") ? "empty cluster" : String.format(Locale.ROOT,
          "%,d databases, %,d PVCs, %,d PVs, %,d Deployments and ReplicaSets, %,d Pods", DATABASES, DATABASES,
          DATABASES, DATABASES, 3 * DATABASES);
      md.append(String.format(Locale.ROOT, "| **%s:** process start to first 200 from /readyz (s) | %.2f (%s) |"
          + " %.2f (%s) | **%.2f** (per run %s) |%n", cluster, median(f.get(key + ".ready.walguard")),
          spread(f.get(key + ".ready.walguard")), median(f.get(key + ".ready.trivial")),
          spread(f.get(key + ".ready.trivial")), median(f.get(key + ".ready.ratio")),
          spread(f.get(key + ".ready.ratio"))));
      md.append(String.format(Locale.ROOT, "| process start to the admission webhook accepting connections (s) |"
          + " %.2f (%s) | (no webhook) | |%n", median(f.get(key + ".webhook.walguard")),
          spread(f.get(key + ".webhook.walguard"))));
      String when = key.equals("empty") ? "ready and " + IDLE_QUIET.toSeconds() + " s without a write"
          : "every database has a status and " + RECONCILED_QUIET.toSeconds() + " s without a write";
      row(md, f, key + ".rss", "RSS (VmRSS) when " + when + " (MiB)", true);
      row(md, f, key + ".hwm", "peak RSS of the process so far (VmHWM, MiB)", true);
      row(md, f, key + ".committed", "of which Java heap committed (MiB)", false);
      row(md, f, key + ".used", "Java heap used, garbage included (MiB)", false);
      row(md, f, key + ".live", "Java heap live after a full collection (MiB)", true);
      row(md, f, key + ".metaspace", "metaspace committed (MiB)", false);
      row(md, f, key + ".threads", "threads", false);
    }
    double idle = median(f.get("empty.rss.walguard"));
    double full = median(f.get("full.rss.walguard"));
    double peak = median(f.get("full.hwm.walguard"));
    md.append(String.format(Locale.ROOT, "%nAgainst the chart's resources (request %.0fMi, limit %.0fMi): walguard's"
        + " idle RSS is %.0f %% of the request, after %,d databases %.0f %% (peak %.0f %%); the peak is %.0f %% of the"
        + " limit.%n", CHART_MEMORY_REQUEST_MIB, CHART_MEMORY_LIMIT_MIB, 100 * idle / CHART_MEMORY_REQUEST_MIB,
        DATABASES, 100 * full / CHART_MEMORY_REQUEST_MIB, 100 * peak / CHART_MEMORY_REQUEST_MIB,
        100 * peak / CHART_MEMORY_LIMIT_MIB));
    return md.toString();
  }

  private static void row(StringBuilder md, Map<String, List<Double>> f, String key, String label, boolean ratio) {
    List<Double> w = f.get(key + ".walguard");
    List<Double> t = f.get(key + ".trivial");
    md.append(String.format(Locale.ROOT, "| %s | %.1f (%s) | %.1f (%s) | %s |%n", label, median(w), spreadMiB(w),
        median(t), spreadMiB(t), ratio ? String.format(Locale.ROOT, "**%.2f**", median(w) / median(t)) : ""));
  }

  // ---- one measurement -----------------------------------------------------------------------------------------

  enum Contender { WALGUARD, TRIVIAL }

  /**
   * One start: seconds to ready (and, for walguard, until its webhook accepts connections), the process's resident
   * memory, and how its Java heap and metaspace stood at that moment and after a full collection.
   */
  record Sample(double readySeconds, double webhookSeconds, double rssMiB, double hwmMiB, double threads,
      Heap heap) {}

  /** From {@code jcmd GC.heap_info}, in MiB. */
  record Heap(double committed, double used, double metaspace, double liveAfterFullGc) {}

  static Sample measure(Contender contender, Path jar, MockServerProcess server, int databases, Path work)
      throws Exception {
    String url = server.fresh(databases);
    Path kubeconfig = kubeconfig(work, url);
    int healthPort = freePort();
    int webhookPort = contender == Contender.WALGUARD ? freePort() : 0;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(CHART_JVM_FLAGS);
    // flags to try against the chart's, for both contenders: -Dwalguard.bench.jvmFlags="-XX:TieredStopAtLevel=1 ..."
    for (String flag : System.getProperty("walguard.bench.jvmFlags", "").trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        command.add(flag);
      }
    }
    if (contender == Contender.WALGUARD) {
      command.addAll(List.of("-jar", jar.toString(), "run", "--namespace", "walguard-system", "--health-port",
          String.valueOf(healthPort), "--webhook-port", String.valueOf(webhookPort), "--image",
          "walguard/walguard:bench"));
    } else {
      // The same jar (fabric8, JOSDK, logback), plus this class.
      Path here = Path.of(StartupBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + here, StartupBenchmark.class.getName(),
          "trivial", String.valueOf(healthPort)));
    }
    Path log = work.resolve(contender.name().toLowerCase(Locale.ROOT) + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES") || k.startsWith("WALGUARD")
        || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());

    long start = System.nanoTime();
    Process process = builder.start();
    try {
      awaitReady(process, healthPort, log);
      double ready = (System.nanoTime() - start) / 1e9;
      double webhook = Double.NaN;
      if (webhookPort > 0) {
        awaitListening(process, webhookPort, log);
        webhook = (System.nanoTime() - start) / 1e9;
      }
      if (databases == 0) {
        server.awaitQuiet(0, IDLE_QUIET, process, log);
      } else {
        server.awaitQuiet(databases, RECONCILED_QUIET, process, log);
      }
      Map<String, Double> memory = memoryMiB(process.pid());
      // Only after RSS is read: attaching starts a thread in the process and the collection changes its heap.
      Heap heap = heap(process.pid());
      return new Sample(ready, webhook, memory.get("VmRSS"), memory.get("VmHWM"), memory.get("Threads"), heap);
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  static void awaitReady(Process process, int port, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the process exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try {
        if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the health server is not up yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("not ready after 5 minutes:\n" + tail(log));
  }

  static void awaitListening(Process process, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the process exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        return;
      } catch (IOException notListeningYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("the webhook did not listen within 5 minutes:\n" + tail(log));
  }

  private static final Pattern GENERATION = Pattern.compile("generation\\s+total (\\d+)K, used (\\d+)K");
  private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used \\d+K, committed (\\d+)K");

  /** The heap and metaspace as they stand, then the heap that is live after a full collection. */
  static Heap heap(long pid) throws Exception {
    String before = jcmd(pid, "GC.heap_info");
    jcmd(pid, "GC.run");
    String after = jcmd(pid, "GC.heap_info");
    double[] heap = generations(before);
    Matcher m = METASPACE.matcher(before);
    double metaspace = m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
    return new Heap(heap[0], heap[1], metaspace, generations(after)[1]);
  }

  private static double[] generations(String heapInfo) {
    double committed = 0;
    double used = 0;
    Matcher m = GENERATION.matcher(heapInfo);
    while (m.find()) {
      committed += Long.parseLong(m.group(1)) / 1024.0;
      used += Long.parseLong(m.group(2)) / 1024.0;
    }
    return new double[] {committed, used};
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  /** VmRSS and VmHWM of a process in MiB, and its number of threads. */
  static Map<String, Double> memoryMiB(long pid) throws IOException {
    Map<String, Double> memory = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      String[] parts = line.split("\\s+");
      switch (parts[0]) {
        case "VmRSS:", "VmHWM:" -> memory.put(parts[0].replace(":", ""), Long.parseLong(parts[1]) / 1024.0);
        case "Threads:" -> memory.put("Threads", Double.parseDouble(parts[1]));
        default -> { }
      }
    }
    return memory;
  }

  static Path kubeconfig(Path work, String url) throws IOException {
    return Files.writeString(work.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        contexts:
        - name: mock
          context:
            cluster: mock
            user: mock
            namespace: default
        current-context: mock
        users:
        - name: mock
          user:
            token: benchmark
        """.formatted(url));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  // ---- the baseline --------------------------------------------------------------------------------------------

  /**
   * In a child process: JOSDK configured as walguard's operator with one reconciler that only writes a status,
   * behind the same health server as {@code walguard run}, ready by the same rule: started, every informer synced.
   */
  static void trivial(int healthPort) throws Exception {
    // walguard run logs at INFO; so does the baseline.
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = OperatorConfig.operator(client, OperatorSettings.defaults(), Metrics.NOOP,
        Leadership.alone());
    operator.register(new OperatorBenchmark.TrivialReconciler(), c -> c.watchingAllNamespaces());
    HealthServer health = new HealthServer(healthPort, () -> true,
        () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    health.start();
    operator.start();
    new CountDownLatch(1).await();
  }

  // ---- the mock API server -------------------------------------------------------------------------------------

  /**
   * In a child process: a mock API server driven by lines on stdin. {@code fresh N} replaces the cluster with a new
   * one holding N databases and prints its URL; {@code status} prints the number of write requests served so far and
   * the number of SqliteDatabases with a status.
   */
  static void serve() throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    MockCluster cluster = null;
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split(" ");
      if (words[0].equals("fresh")) {
        if (cluster != null) {
          cluster.close();
        }
        cluster = MockCluster.start();
        OperatorBenchmark.fill(cluster.client(), Integer.parseInt(words[1]), 3, true);
        System.out.println(cluster.client().getConfiguration().getMasterUrl());
      } else if (words[0].equals("status") && cluster != null) {
        long withStatus = cluster.client().resources(SqliteDatabase.class).inAnyNamespace().list().getItems()
            .stream().filter(db -> db.getStatus() != null && db.getStatus().getObservedGeneration() != null).count();
        System.out.println(cluster.writes().size() + " " + withStatus);
      } else {
        System.out.println("unknown command: " + line);
      }
      System.out.flush();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The parent's handle on the {@code serve} process. */
  static final class MockServerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private MockServerProcess(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static MockServerProcess start() throws IOException {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms512m", "-Xmx2g", "-XX:+UseG1GC",
          "-cp", System.getProperty("java.class.path"), StartupBenchmark.class.getName(), "serve"));
      return new MockServerProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
          .start());
    }

    synchronized String ask(String command) throws IOException {
      in.println(command);
      String answer = out.readLine();
      if (answer == null) {
        throw new IllegalStateException("the mock API server exited");
      }
      return answer;
    }

    /** A new cluster holding {@code databases}; its URL. */
    String fresh(int databases) throws IOException {
      long start = System.nanoTime();
      String url = ask("fresh " + databases);
      if (!url.startsWith("http")) {
        throw new IllegalStateException("the mock API server did not start: " + url);
      }
      System.err.printf(Locale.ROOT, "cluster with %d databases filled in %.1fs%n", databases,
          (System.nanoTime() - start) / 1e9);
      return url;
    }

    /**
     * Waits until every one of {@code databases} has a status and no write request has reached the server for
     * {@code quiet}.
     */
    void awaitQuiet(int databases, Duration quiet, Process operator, Path log) throws Exception {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      long lastWrites = -1;
      long quietSince = System.nanoTime();
      while (System.nanoTime() < deadline) {
        if (!operator.isAlive()) {
          throw new IllegalStateException("the operator exited with " + operator.exitValue() + ":\n" + tail(log));
        }
        String[] status = ask("status").split(" ");
        long writes = Long.parseLong(status[0]);
        long withStatus = Long.parseLong(status[1]);
        if (writes != lastWrites || withStatus < databases) {
          lastWrites = writes;
          quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince >= quiet.toNanos()) {
          return;
        }
        Thread.sleep(500);
      }
      throw new IllegalStateException("the operator did not settle within 10 minutes:\n" + tail(log));
    }

    @Override
    public void close() throws InterruptedException {
      in.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  static double median(List<Double> values) {
    return OperatorBenchmark.median(values);
  }

  static String spread(List<Double> values) {
    return OperatorBenchmark.spread(values);
  }

  /** Memory figures: one decimal is already below the noise. */
  static String spreadMiB(List<Double> values) {
    return String.format(Locale.ROOT, "%.1f-%.1f", values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }
}
