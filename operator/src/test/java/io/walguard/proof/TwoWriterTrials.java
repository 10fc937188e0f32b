package io.walguard.proof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs trials of one journal mode and arrangement: a fresh database, writer A on the real path and writer B on the
 * arrangement's path commit numbered rows at the same time, both close, and a fresh connection on a copy of the files
 * counts what survived.
 */
final class TwoWriterTrials implements AutoCloseable {

  private static final String SCHEMA =
      "CREATE TABLE t(id INTEGER PRIMARY KEY, writer TEXT NOT NULL, seq INTEGER NOT NULL, pad BLOB,"
          + " UNIQUE(writer, seq))";

  private final Path realRoot;
  private final JournalMode journal;
  private final Arrangement arrangement;
  private final Workload workload;
  private final BindfsMount mount;
  private WriterProcess a;
  private WriterProcess b;
  private int trialNumber;

  private TwoWriterTrials(
      Path realRoot, JournalMode journal, Arrangement arrangement, Workload workload, BindfsMount mount)
      throws IOException {
    this.realRoot = realRoot;
    this.journal = journal;
    this.arrangement = arrangement;
    this.workload = workload;
    this.mount = mount;
    this.a = WriterProcess.start(realRoot);
    this.b = WriterProcess.start(realRoot);
  }

  /**
   * Starts the two writer JVMs (and the FUSE view when the arrangement needs one) under {@code workDirectory}. The
   * caller checks first that the arrangement can run here: {@link BindfsMount#unavailable()} for FUSE arrangements,
   * {@link FileBindMount#unavailable(Path)} for those that bind-mount.
   */
  static TwoWriterTrials start(Path workDirectory, JournalMode journal, Arrangement arrangement, Workload workload)
      throws IOException, InterruptedException {
    Path realRoot = Files.createDirectories(workDirectory.resolve("real"));
    BindfsMount mount =
        arrangement.fuse ? BindfsMount.mount(realRoot, workDirectory.resolve("view"), arrangement.directIo) : null;
    return new TwoWriterTrials(realRoot, journal, arrangement, workload, mount);
  }

  CaseSummary run(int trials) throws IOException, InterruptedException, SQLException {
    List<TrialOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      outcomes.add(trial());
    }
    return new CaseSummary(journal, arrangement, outcomes);
  }

  private TrialOutcome trial() throws IOException, InterruptedException, SQLException {
    replaceDeadWriters();
    Path trialDirectory = realRoot.resolve("trial-" + ++trialNumber);
    Path databaseOfA = Files.createDirectories(trialDirectory.resolve("a")).resolve("app.db");
    create(databaseOfA);
    try {
      return writeAndVerify(trialDirectory, databaseOfA);
    } finally {
      deleteRecursively(trialDirectory);
    }
  }

  private TrialOutcome writeAndVerify(Path trialDirectory, Path databaseOfA) throws IOException, InterruptedException {
    List<String> linesOfA = new ArrayList<>();
    List<String> linesOfB = new ArrayList<>();
    List<Path> mounted = new ArrayList<>();
    try {
      String openA = last(a.call("open jdbc:sqlite:file:" + databaseOfA, "ready"));
      if (!openA.equals("ready")) {
        return TrialOutcome.refused("A could not open: " + openA);
      }
      Path databaseOfB =
          arrangement.routeForB(databaseOfA, realRoot, mount == null ? null : mount.mountPoint, mounted);
      String openB = last(b.call("open " + arrangement.urlForB(databaseOfB), "ready"));
      if (!openB.equals("ready")) {
        return TrialOutcome.refused("B could not open: " + openB);
      }
      String write = " " + workload.rowsPerWriter() + " " + workload.checkpointEvery();
      a.send("write a" + write);
      b.send("write b" + write);
      linesOfA.addAll(a.await("done"));
      linesOfB.addAll(b.await("done"));
    } finally {
      // B, the process on the "other node", leaves first; A's close then checkpoints as the last process would.
      linesOfB.addAll(b.call("close", "closed"));
      linesOfA.addAll(a.call("close", "closed"));
      for (Path target : mounted) {
        FileBindMount.unmount(target);
      }
    }
    return verify(trialDirectory, databaseOfA, linesOfA, linesOfB);
  }

  private void replaceDeadWriters() throws IOException, InterruptedException {
    if (!a.alive()) {
      a.close();
      a = WriterProcess.start(realRoot);
    }
    if (!b.alive()) {
      b.close();
      b = WriterProcess.start(realRoot);
    }
  }

  private void create(Path database) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA journal_mode=" + journal);
      statement.execute(SCHEMA);
    }
  }

  /**
   * Opens a copy of what is on disk, as a process on a third node would after both writers left: a new wal-index is
   * rebuilt from the log, so only what the files really hold counts.
   */
  private TrialOutcome verify(
      Path trialDirectory,
      Path databaseOfA,
      List<String> linesOfA,
      List<String> linesOfB)
      throws IOException {
    Set<Integer> committedA = acknowledged(linesOfA);
    Set<Integer> committedB = acknowledged(linesOfB);
    Path copy = Files.createDirectories(trialDirectory.resolve("verify")).resolve("app.db");
    Files.copy(databaseOfA, copy);
    Path log = Path.of(databaseOfA + "-wal");
    if (Files.exists(log)) {
      Files.copy(log, Path.of(copy + "-wal"), StandardCopyOption.REPLACE_EXISTING);
    }
    Set<Integer> presentA = new HashSet<>();
    Set<Integer> presentB = new HashSet<>();
    String integrity;
    boolean corrupt;
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy);
        Statement statement = connection.createStatement()) {
      List<String> problems = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("PRAGMA integrity_check(3)")) {
        while (rows.next()) {
          problems.add(rows.getString(1));
        }
      }
      integrity = String.join("; ", problems).replace("*** in database main ***", "").replace('\n', ' ').strip();
      corrupt = !problems.equals(List.of("ok"));
      try (ResultSet rows = statement.executeQuery("SELECT writer, seq FROM t")) {
        while (rows.next()) {
          (rows.getString(1).equals("a") ? presentA : presentB).add(rows.getInt(2));
        }
      }
    } catch (SQLException e) {
      corrupt = true;
      integrity = String.valueOf(e.getMessage()).replace('\n', ' ');
    }
    List<String> errors =
        Stream.concat(linesOfA.stream(), linesOfB.stream())
            .filter(line -> line.startsWith("e ") || line.equals("timeout") || line.equals("exited"))
            .toList();
    String detail =
        String.format(
            "A kept %d of its %d acknowledged rows, B kept %d of %d; integrity_check: %s; writer errors: %d%s",
            committedA.size() - missing(committedA, presentA),
            committedA.size(),
            committedB.size() - missing(committedB, presentB),
            committedB.size(),
            corrupt ? integrity : "ok",
            errors.size(),
            errors.isEmpty() ? "" : ", the first: " + errors.get(0));
    return new TrialOutcome(
        committedA.size() + committedB.size(),
        missing(committedA, presentA) + missing(committedB, presentB),
        corrupt,
        errors.stream().anyMatch(error -> error.contains("SQLITE_CORRUPT")),
        null,
        detail);
  }

  private static Set<Integer> acknowledged(List<String> lines) {
    Set<Integer> seqs = new HashSet<>();
    for (String line : lines) {
      if (line.startsWith("c ")) {
        seqs.add(Integer.parseInt(line.substring(2)));
      }
    }
    return seqs;
  }

  private static int missing(Set<Integer> committed, Set<Integer> present) {
    return (int) committed.stream().filter(seq -> !present.contains(seq)).count();
  }

  private static String last(List<String> lines) {
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    a.close();
    b.close();
    if (mount != null) {
      mount.close();
    }
  }
}
