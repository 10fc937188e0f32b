package io.walguard.sqlite.bench;

import io.walguard.sqlite.CheckpointMode;
import io.walguard.sqlite.CheckpointReport;
import io.walguard.sqlite.Checkpointer;
import io.walguard.sqlite.SqliteLibrary;
import io.walguard.sqlite.SqliteVersion;
import io.walguard.sqlite.ToolboxJvm;
import io.walguard.sqlite.safety.CrashTrials;
import io.walguard.sqlite.support.ChildJvm;
import io.walguard.sqlite.support.Holder;
import io.walguard.sqlite.support.Sql;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code walguard sqlite checkpoint} of a 64 MiB WAL against the sqlite3 CLI on copies of the same files: the work
 * itself (the pragma's time in walguard's own JVM against sqlite3's {@code .timer}), the whole one-shot process
 * (start-up included) with the default JVM, with {@link ToolboxJvm#FLAGS} and with an AppCDS archive, and the peak
 * RSS of each. Every figure is the median of several runs, shown with its range and as a ratio to the sqlite3
 * figure of the same run. Optionally it also runs the crash-safety trials at length.
 *
 * <p>Run with {@code mvn -B -pl operator -am -Pbench verify} (see docs/sqlite-toolbox.md), or directly with
 * {@code --jar operator/target/walguard.jar --out docs/benchmarks-sqlite.md [--runs 7] [--crash-trials 1000]
 * [--premise-rounds 3] [--sections checkpoint,premise,crash]}.
 */
public final class CheckpointBenchmark {

  private static final Pattern TIMER = Pattern.compile("Run Time: real ([0-9.]+)");

  private final Path work;
  private final Path jar;
  private final int runs;
  private final String javaBinary;

  private CheckpointBenchmark(Path work, Path jar, int runs) {
    this.work = work;
    this.jar = jar;
    this.runs = runs;
    this.javaBinary = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i], args[i + 1]);
    Path jar = Path.of(opts.getOrDefault("--jar", "operator/target/walguard.jar")).toAbsolutePath();
    Path out = Path.of(opts.getOrDefault("--out", "docs/benchmarks-sqlite.md")).toAbsolutePath();
    int runs = Integer.parseInt(opts.getOrDefault("--runs", "7"));
    int walMib = Integer.parseInt(opts.getOrDefault("--wal-mib", "64"));
    int crashTrials = Integer.parseInt(opts.getOrDefault("--crash-trials", "0"));
    if (!Files.isRegularFile(jar)) {
      System.err.println("no " + jar + ": build it first (mvn -B -pl operator -am package -DskipTests)");
      System.exit(2);
    }
    int premiseRounds = Integer.parseInt(opts.getOrDefault("--premise-rounds", "3"));
    List<String> sections = List.of(opts.getOrDefault("--sections", "checkpoint,premise,crash").split(","));
    Path work = Files.createTempDirectory("walguard-bench");
    CheckpointBenchmark bench = new CheckpointBenchmark(work, jar, runs);
    StringBuilder doc = new StringBuilder(header());
    if (sections.contains("checkpoint")) doc.append(bench.checkpointSection(walMib));
    if (sections.contains("premise")) doc.append(PremiseSection.write(work, premiseRounds));
    if (sections.contains("crash") && crashTrials > 0) doc.append(crashSection(work, crashTrials));
    Files.createDirectories(out.getParent());
    Files.writeString(out, doc);
    System.out.println(doc);
    System.out.println("written to " + out);
    try (var all = Files.walk(work)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private String checkpointSection(int walMib) throws Exception {
    Path template = Files.createDirectories(work.resolve("template")).resolve("app.db");
    long walBytes = makeWal(template, walMib * 1024L * 1024L);
    Path archive = work.resolve("walguard-sqlite.jsa");
    createArchive(archive, freshCopy(template, "archive"));
    SqliteVersion library = SqliteLibrary.requireSafe();
    String sqlite3Version = run(List.of("sqlite3", "--version"), null).trim().split(" ")[0];

    List<Double> walguardWork = new ArrayList<>();
    List<Double> sqliteWork = new ArrayList<>();
    Map<String, List<Double>> wall = new LinkedHashMap<>();
    Map<String, List<Double>> rss = new LinkedHashMap<>();
    Map<String, List<String>> commands = variants(archive);
    for (String v : commands.keySet()) {
      wall.put(v, new ArrayList<>());
      rss.put(v, new ArrayList<>());
    }
    for (int r = 0; r < runs; r++) {
      // The work: the pragma alone, in this JVM, and sqlite3's own timer around the same pragma.
      CheckpointReport report = new Checkpointer(library)
          .checkpoint(freshCopy(template, "w" + r), CheckpointMode.TRUNCATE, Duration.ofSeconds(30));
      check(report.walBytesAfter() == 0 && report.busy() == 0, "walguard did not empty the WAL: " + report.message());
      walguardWork.add(report.checkpointMillis());
      discard(Path.of(report.file()));
      Path copy = freshCopy(template, "s" + r);
      String timed = run(List.of("sqlite3", "-batch", copy.toString()), ".timer on\nPRAGMA wal_checkpoint(TRUNCATE);\n");
      Matcher m = TIMER.matcher(timed);
      check(m.find(), "sqlite3 printed no timer: " + timed);
      sqliteWork.add(Double.parseDouble(m.group(1)) * 1000);
      check(walEmpty(copy), "sqlite3 did not empty the WAL");
      discard(copy);

      // The whole one-shot process, each variant on its own copy, in a rotating order so load spreads evenly.
      List<String> names = new ArrayList<>(commands.keySet());
      Collections.rotate(names, r);
      for (String v : names) {
        Path c = freshCopy(template, v.replaceAll("[^a-z0-9]", "") + r);
        List<String> cmd = new ArrayList<>(commands.get(v));
        cmd.replaceAll(s -> s.equals("{file}") ? c.toString() : s);
        double[] measured = timeAndRss(cmd);
        wall.get(v).add(measured[0]);
        rss.get(v).add(measured[1]);
        check(walEmpty(c), v + " did not empty the WAL");
        discard(c);
      }
      System.err.println("run " + (r + 1) + "/" + runs + " done");
    }

    StringBuilder s = new StringBuilder();
    s.append("## Checkpoint of a ").append(walMib).append(" MiB WAL: walguard against the sqlite3 CLI\n\n");
    s.append("`PRAGMA wal_checkpoint(TRUNCATE)` on fresh copies of one database whose WAL holds ")
        .append(walBytes / (1024 * 1024)).append(" MiB (").append(walBytes)
        .append(" bytes); every run of every variant checkpoints its own copy and must leave the WAL empty (or removed, when its connection was the last to close). Median of ")
        .append(runs).append(" runs, [min - max] after it; ratios are medians over the sqlite3 median of the same ")
        .append("benchmark run. walguard runs SQLite ").append(library).append(" (sqlite-jdbc), the CLI is SQLite ")
        .append(sqlite3Version).append(".\n\n");
    s.append("### The work itself\n\n| what | time (ms) | ratio to sqlite3 |\n| --- | --- | --- |\n");
    s.append(row("sqlite3 `.timer` (real)", sqliteWork, median(sqliteWork)));
    s.append(row("walguard: the pragma in its JVM (`checkpointMillis`)", walguardWork, median(sqliteWork)));
    s.append("\n### The whole one-shot process (start-up included)\n\n")
        .append("| variant | wall time (ms) | ratio to sqlite3 | peak RSS (MiB) | RSS ratio |\n")
        .append("| --- | --- | --- | --- | --- |\n");
    double baseWall = median(wall.get("sqlite3 CLI"));
    double baseRss = median(rss.get("sqlite3 CLI"));
    for (String v : wall.keySet()) {
      s.append("| ").append(v).append(" | ").append(spread(wall.get(v))).append(" | ")
          .append(ratio(median(wall.get(v)), baseWall)).append(" | ").append(spread(rss.get(v))).append(" | ")
          .append(ratio(median(rss.get(v)), baseRss)).append(" |\n");
    }
    s.append("\nVariants: `default JVM` is `java -jar walguard.jar sqlite checkpoint FILE --mode TRUNCATE`; "
        + "`ToolboxJvm.FLAGS without CDS` adds ").append(code(flagsWithoutCds())).append("; `ToolboxJvm.FLAGS + "
        + "AppCDS` also uses a static archive of the classes a run loads, made once with `-XX:DumpLoadedClassList` and `-Xshare:dump` (as the image build does). Peak RSS is "
        + "`/usr/bin/time`'s maximum resident set size.\n\n");
    return s.toString();
  }

  private Map<String, List<String>> variants(Path archive) {
    Map<String, List<String>> v = new LinkedHashMap<>();
    List<String> args = List.of("sqlite", "checkpoint", "{file}", "--mode", "TRUNCATE", "-o", "json",
        "--termination-log", work.resolve("termination-log").toString());
    v.put("sqlite3 CLI", List.of("sqlite3", "{file}", "PRAGMA wal_checkpoint(TRUNCATE);"));
    List<String> plain = new ArrayList<>(List.of(javaBinary, "-jar", jar.toString()));
    plain.addAll(args);
    v.put("walguard, default JVM", plain);
    List<String> fast = new ArrayList<>(List.of(javaBinary));
    fast.addAll(flagsWithoutCds());
    fast.addAll(List.of("-jar", jar.toString()));
    fast.addAll(args);
    v.put("walguard, ToolboxJvm.FLAGS without CDS", fast);
    List<String> cds = new ArrayList<>(List.of(javaBinary));
    cds.addAll(flagsWithoutCds());
    cds.add("-XX:SharedArchiveFile=" + archive);
    cds.addAll(List.of("-jar", jar.toString()));
    cds.addAll(args);
    v.put("walguard, ToolboxJvm.FLAGS + AppCDS", cds);
    return v;
  }

  /** The shared flags, with this machine's temp dir and without the image's archive path. */
  private List<String> flagsWithoutCds() {
    List<String> flags = new ArrayList<>();
    for (String f : ToolboxJvm.FLAGS) {
      if (f.startsWith("-XX:SharedArchiveFile=")) continue;
      flags.add(f.replace("=" + ToolboxJvm.TMPDIR, "=" + System.getProperty("java.io.tmpdir")));
    }
    return flags;
  }

  /**
   * A static AppCDS archive, as the image build makes it: list the classes a toolbox run loads, then dump them. A
   * dynamic archive ({@code -XX:ArchiveClassesAtExit}) would leave out picocli, whose class files are too old for it
   * on Java 17.
   */
  private void createArchive(Path archive, Path db) throws Exception {
    Path classList = work.resolve("classes.lst");
    List<String> list = new ArrayList<>(List.of(javaBinary));
    list.addAll(flagsWithoutCds());
    list.add("-XX:DumpLoadedClassList=" + classList);
    list.addAll(List.of("-jar", jar.toString(), "sqlite", "checkpoint", db.toString(), "--mode", "TRUNCATE",
        "--termination-log", work.resolve("termination-log").toString()));
    run(list, null);
    List<String> dump = new ArrayList<>(List.of(javaBinary));
    dump.addAll(flagsWithoutCds());
    dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive,
        "-cp", jar.toString()));
    run(dump, null);
    check(Files.isRegularFile(archive), "the AppCDS archive was not created");
  }

  /** A WAL database whose WAL holds at least {@code bytes}, left as a killed application leaves it. */
  private static long makeWal(Path db, long bytes) throws Exception {
    Sql.exec(db, "pragma journal_mode=wal", "create table t(id integer primary key, pad blob)");
    try (ChildJvm app = ChildJvm.start(Holder.class, db.toString())) {
      app.readLine(Duration.ofSeconds(60));
      while (Files.size(Path.of(db + "-wal")) < bytes) {
        Sql.exec(db, "pragma wal_autocheckpoint=0",
            "insert into t(pad) with recursive n(i) as (select 1 union all select i + 1 from n where i < 200) "
                + "select randomblob(3000) from n");
      }
      app.kill();
    }
    return Files.size(Path.of(db + "-wal"));
  }

  private Path freshCopy(Path template, String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve("copy-" + name));
    Path db = dir.resolve("app.db");
    for (String suffix : List.of("", "-wal")) {
      Files.copy(Path.of(template + suffix), Path.of(db + suffix), StandardCopyOption.REPLACE_EXISTING);
    }
    return db;
  }

  /** The WAL is empty, or gone: the last connection to close deletes it. */
  private static boolean walEmpty(Path db) throws IOException {
    Path wal = Path.of(db + "-wal");
    return !Files.exists(wal) || Files.size(wal) == 0;
  }

  /** Removes a copy once measured: each is 128 MiB after its checkpoint. */
  private static void discard(Path db) throws IOException {
    try (var files = Files.list(db.getParent())) {
      for (Path f : files.toList()) Files.delete(f);
    }
    Files.delete(db.getParent());
  }

  /** Wall time in ms (measured here) and peak RSS in MiB (from /usr/bin/time). */
  private double[] timeAndRss(List<String> cmd) throws Exception {
    Path rssFile = work.resolve("rss.txt");
    List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", rssFile.toString()));
    timed.addAll(cmd);
    long start = System.nanoTime();
    Process p = new ProcessBuilder(timed).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    check(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + cmd);
    double millis = (System.nanoTime() - start) / 1e6;
    check(p.exitValue() == 0, "failed with " + p.exitValue() + ": " + cmd);
    String kib = Files.readString(rssFile).trim();
    return new double[] {millis, Long.parseLong(kib.substring(kib.lastIndexOf('\n') + 1).trim()) / 1024.0};
  }

  private static String run(List<String> cmd, String stdin) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    check(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "failed: " + cmd + ": " + out);
    return out;
  }

  private static String crashSection(Path work, int trials) throws Exception {
    StringBuilder s = new StringBuilder("## Crash safety: SIGKILL at random moments\n\n");
    s.append("A writer process commits numbered rows while the toolbox command runs against the same file in its own "
        + "process and is killed with SIGKILL at a random moment of its life (start-up included; the application "
        + "is killed too in about one trial in four). After every trial `PRAGMA integrity_check` must say ok and every "
        + "row the writer printed as committed must be there.\n\n");
    s.append("| command | trials | failures | rows checked | killed while running | had finished | application killed too |\n");
    s.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (CrashTrials.Target target : CrashTrials.Target.values()) {
      Path dir = Files.createDirectories(work.resolve("crash-" + target.name().toLowerCase(Locale.ROOT)));
      long seed = System.nanoTime();
      CrashTrials.Result r = new CrashTrials(dir, seed).run(target, trials);
      System.err.println(r.summary());
      s.append("| ").append(target == CrashTrials.Target.CHECKPOINT ? "checkpoint (random mode)" : "set-journal-mode (DELETE or WAL)")
          .append(" | ").append(r.trials()).append(" | ").append(r.failures()).append(" | ").append(r.rowsChecked())
          .append(" | ").append(r.killedWhileRunning()).append(" | ").append(r.finishedBeforeKill()).append(" | ")
          .append(r.applicationKills()).append(" |\n");
      for (String f : r.failureDetails()) s.append("\n* failure: ").append(f);
    }
    return s.append("\n").toString();
  }

  private static String header() {
    Runtime rt = Runtime.getRuntime();
    long memMib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize() / (1024 * 1024);
    return "# walguard SQLite toolbox benchmarks\n\n"
        + "Written by `io.walguard.sqlite.bench.CheckpointBenchmark` on " + LocalDate.now() + ": "
        + rt.availableProcessors() + " CPUs, " + memMib + " MiB memory, " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ", Java " + System.getProperty("java.runtime.version") + " ("
        + System.getProperty("java.vm.name") + "), load average at start " + loadAverage()
        + ". Ratios are the headline; absolute times are context.\n\n";
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String row(String what, List<Double> values, double base) {
    return "| " + what + " | " + spread(values) + " | " + ratio(median(values), base) + " |\n";
  }

  private static String spread(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return String.format(Locale.ROOT, "%.1f [%.1f - %.1f]", median(values), sorted.get(0), sorted.get(sorted.size() - 1));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String ratio(double value, double base) {
    return String.format(Locale.ROOT, "%.2fx", value / base);
  }

  private static String code(List<String> flags) {
    return "`" + String.join(" ", flags) + "`";
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new IllegalStateException(message);
  }

}
