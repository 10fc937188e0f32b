package io.walguard.webhook;

import com.sun.net.httpserver.HttpHandler;
import io.walguard.core.Policy;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The webhook's benchmark, run by hand (not part of the test suite):
 *
 * <ol>
 *   <li>Latency of a warning decision over HTTPS (a 2-replica Deployment on an EFS claim that a SQLite annotation
 *       opts in) at 1 and 10 concurrent keep-alive connections, against a no-op handler on the same TLS server,
 *       executor and limits: each connection alternates the two, so both see the same machine at the same
 *       moments. Reported: p50 and p99 of each, and the ratio of the decision's p99 to the no-op's.</li>
 *   <li>A long fuzz run: at least a million hostile documents through the endpoint in process (everything after
 *       HTTP: reading, judging, writing), plus a share over HTTPS (50,000 by default); every answer must be a
 *       well-formed review or a 4xx, and over HTTPS a connection closed without an answer fails the run too.</li>
 * </ol>
 *
 * <pre>
 * mvn -B -o -q -pl operator -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp operator/target/test-classes:operator/target/classes:$(cat operator/target/cp.txt) \
 *     io.walguard.webhook.WebhookBenchmark [documents] [httpsDocuments] [--no-latency]
 * </pre>
 */
public final class WebhookBenchmark {

  private static final int WARMUP = 5_000;
  private static final int ROUNDS = 6;
  private static final int PER_ROUND = 2_000;

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    long documents = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    int httpsDocuments = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    Policy policy = Policy.standard();
    TestTls tls = new TestTls();
    SqliteAdmission admission = new SqliteAdmission(FuzzFacts::facts, policy, ns -> Map.of(), EnforceMode.warn,
        MockCluster.REQUESTERS);
    WebhookConfig config = MockCluster.config();
    boolean latency = args.length < 3 || !"--no-latency".equals(args[2]);
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "JVM %s, %d CPUs, %d webhook workers%n%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), config.workers()));
    try (WebhookServer server = WebhookServer.open(config, admission::judge, AdmissionEvents.none(), tls.source(),
        new ArrayList<>())) {
      byte[] decision = Reviews.create(FuzzFacts.deployment(2)).getBytes(StandardCharsets.UTF_8);
      byte[] answer = new AdmissionEndpoint(new AdmissionReviews(config.maxBodyBytes()), admission::judge,
          AdmissionEvents.none(), config.maxBodyBytes(), new InFlightBytes(config.maxInFlightBytes()))
          .process(decision).body();
      String warning = Reviews.response(new String(answer, StandardCharsets.UTF_8)).path("warnings").path(0).asText();
      if (warning.isEmpty()) {
        throw new IllegalStateException("the benchmark document draws no warning: "
            + new String(answer, StandardCharsets.UTF_8));
      }
      server.addContext("/noop", noop(answer));
      report.append("Decision document: a CREATE of Deployment web (2 replicas, RollingUpdate) mounting claim `data`"
          + " (efs-sc, efs.csi.aws.com, annotated walguard.io/sqlite); its warning:\n\n    ").append(warning)
          .append("\n\n");
      report.append("| connections | endpoint | requests | p50 ms | p99 ms | p99 ratio to no-op |\n");
      report.append("| --- | --- | --- | --- | --- | --- |\n");
      for (int connections : latency ? new int[] {1, 10} : new int[0]) {
        latency(server, tls, connections, decision, report);
      }
    }
    report.append('\n');
    fuzz(documents, httpsDocuments, policy, tls, config, report);
    System.out.println(report);
  }

  /** Reads the body and answers a fixed review of the same size as the decision's: TLS and HTTP, no judging. */
  private static HttpHandler noop(byte[] answer) {
    return exchange -> {
      exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    };
  }

  private static void latency(WebhookServer server, TestTls tls, int connections, byte[] body, StringBuilder report)
      throws Exception {
    List<ApiServerClient> clients = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      clients.add(tls.client(server));
    }
    run(clients, body, WARMUP / connections);
    List<long[]> noop = new ArrayList<>();
    List<long[]> validate = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      long[][] both = run(clients, body, PER_ROUND / connections);
      noop.add(both[0]);
      validate.add(both[1]);
    }
    long[] n = merge(noop);
    long[] v = merge(validate);
    double ratio = (double) percentile(v, 99) / percentile(n, 99);
    report.append(row(connections, "no-op", n, "")).append(row(connections, "decision", v,
        String.format(Locale.ROOT, "%.2f", ratio)));
  }

  private static String row(int connections, String endpoint, long[] nanos, String ratio) {
    return String.format(Locale.ROOT, "| %d | %s | %d | %.3f | %.3f | %s |%n", connections, endpoint, nanos.length,
        percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6, ratio);
  }

  /**
   * Each client sends {@code pairs} pairs of requests back to back on its own keep-alive connection, one to the
   * no-op handler and one to {@code /validate}, in random order within each pair, so that both see the same
   * machine at the same moments. Returns the latencies of each, no-op first.
   */
  private static long[][] run(List<ApiServerClient> clients, byte[] body, int pairs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[][]>> futures = new ArrayList<>();
    for (ApiServerClient client : clients) {
      futures.add(pool.submit(() -> {
        long[][] out = new long[2][pairs];
        HttpRequest[] requests = {
            client.request("/noop").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            client.request("/validate").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()};
        java.util.SplittableRandom order = new java.util.SplittableRandom(client.hashCode());
        start.await();
        for (int i = 0; i < pairs; i++) {
          int first = order.nextInt(2);
          for (int k = 0; k < 2; k++) {
            int which = k == 0 ? first : 1 - first;
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = client.http().send(requests[which], HttpResponse.BodyHandlers.ofByteArray());
            out[which][i] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
              throw new IllegalStateException(requests[which].uri() + " answered " + r.statusCode());
            }
          }
        }
        return out;
      }));
    }
    start.countDown();
    List<long[]> noop = new ArrayList<>();
    List<long[]> validate = new ArrayList<>();
    for (Future<long[][]> f : futures) {
      noop.add(f.get()[0]);
      validate.add(f.get()[1]);
    }
    pool.shutdown();
    return new long[][] {merge(noop), merge(validate)};
  }

  private static HttpResponse<byte[]> send(ApiServerClient client, byte[] body, java.time.Duration timeout)
      throws java.io.IOException, InterruptedException {
    return client.http().send(client.request("/validate").timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static long[] merge(List<long[]> parts) {
    long[] out = parts.stream().flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(out);
    return out;
  }

  private static long percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static void fuzz(long documents, int httpsDocuments, Policy policy, TestTls tls, WebhookConfig config,
      StringBuilder report) throws Exception {
    long seed = Long.getLong("walguard.fuzz.seed", 7L);
    SqliteAdmission admission = new SqliteAdmission(FuzzFacts::facts, policy,
        ns -> Map.of("walguard.io/enforce", "deny"), EnforceMode.warn, MockCluster.REQUESTERS);
    AdmissionEndpoint endpoint = new AdmissionEndpoint(new AdmissionReviews(config.maxBodyBytes()), admission::judge,
        AdmissionEvents.none(), config.maxBodyBytes(), new InFlightBytes(config.maxInFlightBytes()));
    HostileReviews reviews = new HostileReviews(seed, config.maxBodyBytes(), 0.0005);
    Map<HostileReviews.Category, Map<Integer, Long>> seen = new EnumMap<>(HostileReviews.Category.class);
    long t0 = System.nanoTime();
    for (long i = 0; i < documents; i++) {
      HostileReviews.Sample s = reviews.next();
      int status;
      byte[] body;
      if (s.body().length > config.maxBodyBytes()) {
        status = 413;
        body = "{\"kind\":\"Status\",\"message\":\"too large\"}".getBytes(StandardCharsets.UTF_8);
      } else {
        AdmissionEndpoint.Reply reply = endpoint.process(s.body());
        status = reply.status();
        body = reply.body();
      }
      String problem = ResponseCheck.problem(status, body);
      if (problem != null) {
        throw new IllegalStateException("in-process document " + i + " (" + s.category() + ", seed " + seed + "): "
            + problem);
      }
      seen.computeIfAbsent(s.category(), k -> new TreeMap<>()).merge(status, 1L, Long::sum);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    report.append(String.format(Locale.ROOT, "Fuzz, in process: %,d documents (seed %d) in %.1f s, every answer"
        + " well-formed or 4xx. By category and status: %s%n%n", documents, seed, seconds, seen));

    try (WebhookServer server = WebhookServer.open(config, admission::judge, AdmissionEvents.none(), tls.source(),
        new ArrayList<>())) {
      HostileReviews overHttps = new HostileReviews(seed + 1, config.maxBodyBytes(), 0.002);
      Map<Integer, Long> statuses = new TreeMap<>();
      int clients = 4;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<String>> results = new ArrayList<>();
      long h0 = System.nanoTime();
      Object lock = new Object();
      java.util.concurrent.atomic.AtomicLong issued = new java.util.concurrent.atomic.AtomicLong();
      List<String> slowAnswers = new ArrayList<>();
      List<String> closed = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        results.add(pool.submit(() -> {
          ApiServerClient client = tls.client(server);
          while (true) {
            HostileReviews.Sample s;
            if (issued.getAndIncrement() >= httpsDocuments) {
              return null;
            }
            synchronized (lock) {
              s = overHttps.next();
            }
            HttpResponse<byte[]> r;
            try {
              r = send(client, s.body(), java.time.Duration.ofSeconds(10));
            } catch (java.net.http.HttpTimeoutException slow) {
              // on a loaded machine a huge document can take longer than the client waits; a hang would not be
              // answered within a minute either
              r = send(client, s.body(), java.time.Duration.ofMinutes(1));
              synchronized (lock) {
                slowAnswers.add(s.category() + " of " + s.body().length + " bytes");
              }
            } catch (java.io.IOException e) {
              // the connection closed without an answer: fails the run, with what the endpoint answers in process
              AdmissionEndpoint.Reply replay = endpoint.process(s.body());
              synchronized (lock) {
                closed.add(s.category() + " of " + s.body().length + " bytes (" + e.getMessage()
                    + "; in process: " + replay.status() + ")");
              }
              continue;
            }
            String problem = ResponseCheck.problem(r.statusCode(), r.body());
            if (problem != null) {
              return s.category() + ": " + problem;
            }
            synchronized (lock) {
              statuses.merge(r.statusCode(), 1L, Long::sum);
            }
          }
        }));
      }
      pool.shutdown();
      pool.awaitTermination(2, TimeUnit.HOURS);
      for (Future<String> f : results) {
        if (f.get() != null) {
          throw new IllegalStateException("over HTTPS: " + f.get());
        }
      }
      if (!closed.isEmpty()) {
        throw new IllegalStateException("over HTTPS, " + closed.size() + " connections closed without an answer: "
            + closed);
      }
      report.append(String.format(Locale.ROOT, "Fuzz, over HTTPS (4 connections): %,d documents (seed %d) in %.1f s,"
          + " every answer well-formed or 4xx, none 5xx, none closed without an answer, the server still serving."
          + " By status: %s%n", httpsDocuments, seed + 1, (System.nanoTime() - h0) / 1e9, statuses));
      if (!slowAnswers.isEmpty()) {
        report.append("Answered after the client's 10 s timeout (on retry): ").append(slowAnswers).append('\n');
      }
    }
  }
}
