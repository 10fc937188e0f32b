package io.walguard.proof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The long run of the premise demonstration: many trials of every case, printed as the table that docs/premise.md
 * quotes. Not part of the test run; from the repository's root:
 *
 * <pre>
 * mvn -B -q -pl operator -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * java -cp "operator/target/test-classes:operator/target/classes:$(cat operator/target/test-classpath.txt)" \
 *     io.walguard.proof.PremiseProof [trials] [rows per writer] [checkpoint every, ...] [only cases containing]
 * </pre>
 *
 * <p>The defaults are 100 trials of every case, 200 rows per writer, and two workloads: a RESTART checkpoint every 25
 * commits, and none ({@code 25,0}). A case is named like {@code WAL/HARD_LINK}.
 */
public final class PremiseProof {

  /** One case: a journal mode and how process B reaches the database. */
  record Case(JournalMode journal, Arrangement arrangement) {}

  /** Every case, the WAL ones first, each breaking case next to the control it is compared with. */
  static final List<Case> CASES =
      List.of(
          new Case(JournalMode.WAL, Arrangement.ONE_PATH),
          new Case(JournalMode.WAL, Arrangement.HARD_LINK),
          new Case(JournalMode.WAL, Arrangement.SHM_THROUGH_FUSE),
          new Case(JournalMode.WAL, Arrangement.FUSE_VIEW),
          new Case(JournalMode.WAL, Arrangement.FUSE_DIRECT_IO_VIEW),
          new Case(JournalMode.DELETE, Arrangement.ONE_PATH),
          new Case(JournalMode.DELETE, Arrangement.HARD_LINK),
          new Case(JournalMode.DELETE, Arrangement.FUSE_DIRECT_IO_VIEW),
          new Case(JournalMode.DELETE, Arrangement.HARD_LINK_NO_LOCKS),
          new Case(JournalMode.DELETE, Arrangement.FUSE_VIEW));

  private PremiseProof() {}

  private static String sqliteVersion() throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT sqlite_version()")) {
      return rows.next() ? rows.getString(1) : "unknown";
    }
  }

  private static long totalMemoryMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return 0;
  }

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String checkpoints = args.length > 2 ? args[2] : "25,0";
    String only = args.length > 3 ? args[3] : "";
    Path work = Files.createTempDirectory("walguard-premise");
    System.out.printf(
        "%s; SQLite %s (sqlite-jdbc); Java %s; Linux %s; %d cores; %d MiB of memory%n",
        LocalDate.now(),
        sqliteVersion(),
        Runtime.version(),
        System.getProperty("os.version"),
        Runtime.getRuntime().availableProcessors(),
        totalMemoryMiB());
    for (String checkpointEvery : checkpoints.split(",")) {
      Workload workload = new Workload(rows, Integer.parseInt(checkpointEvery.strip()));
      List<CaseSummary> summaries = run(work.resolve("checkpoint-" + workload.checkpointEvery()), trials, workload, only);
      System.out.printf(
          "%n%d trials per case, %d rows per writer, %s%n%n",
          trials,
          rows,
          workload.checkpointEvery() == 0
              ? "no checkpoint until the last process closes"
              : "in WAL mode a RESTART checkpoint every " + workload.checkpointEvery() + " commits");
      System.out.println(CaseSummary.header());
      summaries.forEach(s -> System.out.println(s.row()));
      System.out.println();
      for (CaseSummary s : summaries) {
        String examples = s.examples(3);
        if (!examples.isEmpty()) {
          System.out.println("* " + s.journal() + ", " + s.arrangement().howBOpens + ":");
          examples.lines().forEach(line -> System.out.println("  * " + line));
        }
      }
    }
    TwoWriterTrials.deleteRecursively(work);
  }

  private static List<CaseSummary> run(Path work, int trials, Workload workload, String only) throws Exception {
    List<CaseSummary> summaries = new ArrayList<>();
    for (Case c : CASES) {
      if (!only.isEmpty() && !(c.journal() + "/" + c.arrangement()).contains(only)) {
        continue;
      }
      Optional<String> unavailable = c.arrangement().fuse ? BindfsMount.unavailable() : Optional.empty();
      if (unavailable.isEmpty() && c.arrangement().bindMount) {
        unavailable = FileBindMount.unavailable(Files.createDirectories(work.resolve("scratch")));
      }
      if (unavailable.isPresent()) {
        System.out.println("skipped " + c + ": " + unavailable.get());
        continue;
      }
      Instant start = Instant.now();
      Path caseDirectory = Files.createDirectories(work.resolve(c.journal() + "-" + c.arrangement()));
      try (TwoWriterTrials runner = TwoWriterTrials.start(caseDirectory, c.journal(), c.arrangement(), workload)) {
        CaseSummary summary = runner.run(trials);
        summaries.add(summary);
        System.err.println(summary.row() + " " + Duration.between(start, Instant.now()).toSeconds() + " s");
      }
    }
    return summaries;
  }
}
