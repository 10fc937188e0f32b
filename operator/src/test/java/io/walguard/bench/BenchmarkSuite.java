package io.walguard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every walguard benchmark, each in its own JVM so none warms another up, and writes docs/benchmarks.md: what
 * each measures, against which baseline measured in the same run, and the figures. Ratios are the headline;
 * absolute times depend on the machine and its load, which the report records.
 *
 * <p>Run: {@code mvn -B -Pbench verify -DskipTests} (the {@code bench} profile of the operator module).
 */
public final class BenchmarkSuite {

  /** One benchmark: its main class, its arguments, and whether it writes its own file or prints its report. */
  record Benchmark(String title, String measures, String baseline, String mainClass, List<String> args,
      Path writes) {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path report = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    int crashTrials = Integer.parseInt(args[3]);
    int premiseTrials = Integer.parseInt(args[4]);
    Path work = Files.createDirectories(Path.of("target", "bench"));

    List<Benchmark> benchmarks = List.of(
        new Benchmark("Checkpoint of a 64 MiB WAL, and crash safety",
            "`walguard sqlite checkpoint` (TRUNCATE) on a 64 MiB WAL: the pragma's time inside the JVM and the whole"
                + " one-shot process, with and without the toolbox JVM flags and AppCDS; peak RSS; then "
                + crashTrials + " SIGKILL trials each of checkpoint and set-journal-mode next to a committing writer",
            "the `sqlite3` CLI doing the same checkpoint on a copy of the same files, in the same run",
            "io.walguard.sqlite.bench.CheckpointBenchmark",
            List.of("--jar", jar.toString(), "--out", work.resolve("sqlite.md").toString(), "--runs",
                String.valueOf(runs), "--crash-trials", String.valueOf(crashTrials)),
            work.resolve("sqlite.md")),
        new Benchmark("Admission webhook latency and fuzzing",
            "p50/p99 of a warning decision over HTTPS at 1 and 10 concurrent connections; 1,000,000 hostile"
                + " AdmissionReview documents in process and 50,000 over HTTPS",
            "a no-op handler on the same TLS server, in the same run",
            "io.walguard.webhook.WebhookBenchmark", List.of("1000000", "50000"), null),
        new Benchmark("Reconcile throughput and cache memory",
            "time until 150 SqliteDatabases with claims and workloads are reconciled with status written on the"
                + " mock API server; heap after a full resync with 1,000 databases, 1,000 PVCs, 1,000 PVs and"
                + " 3,000 pods cached",
            "a trivial JOSDK reconciler that only writes status, on the same server in the same run; the same heap"
                + " with cache pruning switched off",
            "io.walguard.reconcile.OperatorBenchmark", List.of(work.resolve("operator.md").toString()),
            work.resolve("operator.md")),
        new Benchmark("Operator startup and resident memory",
            "`java -jar walguard.jar run` with the Helm chart's JVM flags against a fresh mock API server, empty and"
                + " with the 1,000-database cluster: process start to the first 200 from /readyz; VmRSS and VmHWM"
                + " when idle on the empty cluster, and after every database has a status and the operator has"
                + " gone quiet; the Java heap behind it (jcmd)",
            "a trivial JOSDK operator (one reconciler on SqliteDatabase that only writes a status, the same JOSDK"
                + " configuration, jar, health server and JVM flags) started and measured the same way in the same"
                + " run",
            "io.walguard.reconcile.StartupBenchmark",
            List.of("--jar", jar.toString(), "--out", work.resolve("startup.md").toString(), "--runs",
                String.valueOf(runs)),
            work.resolve("startup.md")),
        new Benchmark("The premise: WAL without a shared -shm",
            "two processes writing one database whose wal-index is not shared (as between two nodes), "
                + premiseTrials + " trials per case",
            "the same writers sharing one path (control), and the rollback journal",
            "io.walguard.proof.PremiseProof", List.of(String.valueOf(premiseTrials)), null));

    StringBuilder out = new StringBuilder();
    out.append("# walguard benchmarks\n\n");
    out.append("Written by `mvn -B -Pbench verify -DskipTests` (io.walguard.bench.BenchmarkSuite) on ")
        .append(LocalDate.now()).append(": ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
        .append(memoryMiB()).append(" MiB memory, ").append(System.getProperty("os.name")).append(' ')
        .append(System.getProperty("os.version")).append(", Java ").append(Runtime.version()).append(", load ")
        .append(String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
        .append(" at start.\n\n")
        .append("Each benchmark runs in its own JVM and is compared with a baseline measured in the same run; the"
            + " ratios are the headline and the absolute figures are context for this machine and its load.\n");
    for (Benchmark b : benchmarks) {
      Instant start = Instant.now();
      Result result = run(b);
      out.append("\n## ").append(b.title()).append("\n\n")
          .append("* **Measures:** ").append(b.measures()).append("\n")
          .append("* **Baseline:** ").append(b.baseline()).append("\n")
          .append("* **Ran:** ").append(Duration.between(start, Instant.now()).toSeconds()).append(" s, exit ")
          .append(result.exit()).append("\n\n");
      String body = b.writes() != null && Files.exists(b.writes()) ? Files.readString(b.writes()) : result.output();
      out.append(demote(body)).append("\n");
      Files.writeString(report, out.toString(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + report);
  }

  record Result(int exit, String output) {}

  private static Result run(Benchmark b) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), b.mainClass()));
    command.addAll(b.args());
    System.out.println("running " + b.mainClass() + " " + String.join(" ", b.args()));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output);
  }

  /** Headings of a benchmark's own report sit one level below the suite's. */
  private static String demote(String markdown) {
    StringBuilder sb = new StringBuilder();
    boolean fence = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("```")) {
        fence = !fence;
      }
      sb.append(!fence && line.startsWith("#") ? "##" + line : line).append('\n');
    }
    return sb.toString().strip();
  }

  private static long memoryMiB() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize() / (1024 * 1024);
    }
    return -1;
  }
}
