package io.walguard.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * walguard's premise, shown with real SQLite in real processes on one machine: WAL mode loses or corrupts writes as
 * soon as two processes do not share the wal-index mapping (as two nodes on a network filesystem do not), and a
 * rollback journal does not, as long as the locks are shared. docs/premise.md explains what this does and does not
 * simulate; {@link PremiseProof} is the long run.
 *
 * <p>The outcomes that must not happen are asserted for every trial; the breakage is asserted as "at least one trial",
 * although in the long run every trial shows it, so that the suite does not depend on how a race falls.
 */
class SqlitePremiseTest {

  /**
   * 200 rows per writer and a RESTART checkpoint every 25 commits: about a tenth of a second per trial (most of a
   * second through a direct-I/O FUSE view).
   */
  static final Workload CHECKPOINTING = new Workload(200, 25);

  /** The same rows and no checkpoint until the last process closes. */
  static final Workload APPENDING = new Workload(200, 0);

  @TempDir Path work;

  CaseSummary run(JournalMode journal, Arrangement arrangement, int trials) throws Exception {
    return run(journal, arrangement, CHECKPOINTING, trials);
  }

  CaseSummary run(JournalMode journal, Arrangement arrangement, Workload workload, int trials) throws Exception {
    try (TwoWriterTrials runner = TwoWriterTrials.start(work, journal, arrangement, workload)) {
      CaseSummary summary = runner.run(trials);
      System.out.println(CaseSummary.header() + "\n" + summary.row() + "\n" + summary.examples(trials));
      return summary;
    }
  }

  static void assertNothingLost(CaseSummary summary) {
    assertThat(summary.trialsRefused()).as("trials where B could not open: %s", summary.examples(1)).isZero();
    assertThat(summary.rowsCommitted())
        .as("rows acknowledged")
        .isEqualTo(2L * summary.trials().size() * CHECKPOINTING.rowsPerWriter());
    assertThat(summary.rowsLost()).as("acknowledged rows missing afterwards").isZero();
    assertThat(summary.trialsDamaged()).as("damaged trials: %s", summary.examples(1)).isZero();
  }

  static void assertLostRows(CaseSummary summary) {
    assertThat(summary.trialsRefused()).as("trials where B could not open: %s", summary.examples(1)).isZero();
    assertThat(summary.rowsLost()).as("acknowledged rows missing afterwards\n%s", summary.row()).isPositive();
  }

  static void assertDamaged(CaseSummary summary) {
    assertThat(summary.trialsRefused()).as("trials where B could not open: %s", summary.examples(1)).isZero();
    assertThat(summary.trialsDamaged()).as("trials that lost or corrupted writes\n%s", summary.row()).isPositive();
  }

  @Test
  void walLosesNothingWhenBothProcessesShareOneWalIndex() throws Exception {
    assertNothingLost(run(JournalMode.WAL, Arrangement.ONE_PATH, 10));
  }

  /**
   * Without checkpoints the long run lost every row of one of the two writers in every trial, and neither was told:
   * each built its transactions on a snapshot that never held the other's commits.
   */
  @Test
  void walLosesAcknowledgedRowsWhenEachProcessMapsItsOwnWalIndex() throws Exception {
    assertLostRows(run(JournalMode.WAL, Arrangement.HARD_LINK, APPENDING, 3));
  }

  /**
   * With checkpoints that restart the log, a process also reads frames the other has since overwritten: some trials
   * lose rows, some fail integrity_check, in some SQLite tells a writer the database is malformed. Every trial of the
   * long run showed at least one of these.
   */
  @Test
  void walLosesOrCorruptsWritesWhenEachProcessMapsItsOwnWalIndexAndCheckpoints() throws Exception {
    assertDamaged(run(JournalMode.WAL, Arrangement.HARD_LINK, 5));
  }

  @Test
  void rollbackJournalLosesNothingWhenLocksAreShared() throws Exception {
    assertNothingLost(run(JournalMode.DELETE, Arrangement.HARD_LINK, 10));
  }

  @Test
  void rollbackJournalLosesOrCorruptsWritesWhenLocksAreNodeLocal() throws Exception {
    assertDamaged(run(JournalMode.DELETE, Arrangement.HARD_LINK_NO_LOCKS, 5));
  }

  /** The same, with process B going through a second, FUSE path to the same files: the closest to a second node. */
  @Nested
  class ThroughAFuseView {

    @BeforeEach
    void needsBindfs() {
      assumeTrue(BindfsMount.unavailable().isEmpty(), () -> "skipped: " + BindfsMount.unavailable().orElseThrow());
    }

    @Test
    void sharedMappingsThroughFuseAreNotCoherentWithTheRealFile() throws Exception {
      Path real = Files.createDirectories(work.resolve("real"));
      Path shm = Files.write(real.resolve("app.db-shm"), new byte[32768]);
      try (BindfsMount view = BindfsMount.mount(real, work.resolve("view"), false);
          FileChannel direct = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileChannel again = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileChannel throughFuse =
              FileChannel.open(
                  view.mountPoint.resolve("app.db-shm"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        MappedByteBuffer a = direct.map(FileChannel.MapMode.READ_WRITE, 0, 32768);
        MappedByteBuffer sameKernelPath = again.map(FileChannel.MapMode.READ_WRITE, 0, 32768);
        MappedByteBuffer b = throughFuse.map(FileChannel.MapMode.READ_WRITE, 0, 32768);
        // Both sides have read the wal-index once, as SQLite does when it opens the database.
        assertThat(b.getInt(0)).isZero();

        a.putInt(0, 3007000);
        b.putInt(8, 42);

        assertThat(sameKernelPath.getInt(0)).as("a second mapping of the same file sees the write").isEqualTo(3007000);
        assertThat(b.getInt(0)).as("the FUSE mapping does not see A's write").isZero();
        assertThat(a.getInt(8)).as("the real mapping does not see B's write").isZero();
      }
    }

    /** The sharpest case: the files and every lock are shared, only the memory that maps the -shm is not. */
    @Test
    void walLosesAcknowledgedRowsWhenOnlyTheShmMappingIsNotShared() throws Exception {
      Optional<String> noBindMount = FileBindMount.unavailable(Files.createDirectories(work.resolve("scratch")));
      assumeTrue(noBindMount.isEmpty(), () -> "skipped: " + noBindMount.orElseThrow());

      assertLostRows(run(JournalMode.WAL, Arrangement.SHM_THROUGH_FUSE, APPENDING, 3));
    }

    @ParameterizedTest(name = "locks forwarded: {0}")
    @CsvSource({"false, granted", "true, refused"})
    void aLockHeldOnTheRealFileStopsAProcessGoingThroughTheViewOnlyWhenLocksAreForwarded(
        boolean forwardLocks, String answer) throws Exception {
      Path real = Files.createDirectories(work.resolve("real"));
      Path shm = Files.write(real.resolve("app.db-shm"), new byte[32768]);
      // Byte 120 is the WAL write lock of SQLite's wal-index.
      try (BindfsMount view = BindfsMount.mount(real, work.resolve("view"), false, forwardLocks);
          FileChannel channel = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileLock held = channel.lock(120, 1, false)) {
        Process probe =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    LockProbeProcess.class.getName(),
                    view.mountPoint.resolve("app.db-shm").toString(),
                    "120")
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        probe.waitFor();

        assertThat(output).isEqualTo(answer);
      }
    }

    @Test
    void walThroughAFuseViewLosesOrCorruptsWrites() throws Exception {
      assertDamaged(run(JournalMode.WAL, Arrangement.FUSE_VIEW, 3));
    }

    @Test
    void walCannotBeOpenedThroughADirectIoFuseView() throws Exception {
      CaseSummary summary = run(JournalMode.WAL, Arrangement.FUSE_DIRECT_IO_VIEW, 1);

      assertThat(summary.trialsRefused()).isEqualTo(1);
      assertThat(summary.examples(1)).contains("SQLITE_IOERR_SHMMAP");
    }

    @Test
    void rollbackJournalThroughADirectIoFuseViewLosesNothing() throws Exception {
      assertNothingLost(run(JournalMode.DELETE, Arrangement.FUSE_DIRECT_IO_VIEW, 5));
    }
  }
}
