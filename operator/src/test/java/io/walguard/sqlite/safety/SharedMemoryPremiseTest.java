package io.walguard.sqlite.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The premise of walguard, reproduced on one machine: when two writers do not share the {@code -shm} wal-index,
 * WAL mode silently loses committed rows or damages the file, and a rollback journal on the same shared file and
 * locks does not. See {@link SharedMemoryPremise} for exactly what is and is not simulated.
 */
class SharedMemoryPremiseTest {

  private static final int ROWS = 1000;

  @TempDir Path dir;

  @Test
  void walWithoutASharedWalIndexSilentlyLosesOrDamagesCommittedWrites() throws Exception {
    List<String> seen = new ArrayList<>();
    boolean damaged = false;
    // Interleaving decides how much is lost; a few rounds make the demonstration certain, one usually suffices.
    for (int round = 1; round <= 5 && !damaged; round++) {
      SharedMemoryPremise.Round r = SharedMemoryPremise.round(dir.resolve("wal-" + round), "wal", ROWS);
      seen.add(r.summary());
      damaged = r.damaged();
    }
    System.out.println(String.join("\n", seen));
    assertThat(damaged).as(String.join("\n", seen)).isTrue();
  }

  @Test
  void rollbackJournalWithSharedLocksKeepsEveryCommittedWrite() throws Exception {
    List<String> seen = new ArrayList<>();
    for (int round = 1; round <= 2; round++) {
      SharedMemoryPremise.Round r = SharedMemoryPremise.round(dir.resolve("delete-" + round), "delete", ROWS);
      seen.add(r.summary());
      assertThat(r.damaged()).as(r.summary()).isFalse();
      assertThat(r.foundA()).as(r.summary()).isEqualTo(r.committedA());
      assertThat(r.foundB()).as(r.summary()).isEqualTo(r.committedB());
    }
    System.out.println(String.join("\n", seen));
  }

  /**
   * Through a FUSE view that forwards locks and bypasses the page cache ({@code bindfs --enable-lock-forwarding -o
   * direct_io}): the rollback journal keeps every committed write, and WAL cannot even start in the second process,
   * because the -shm cannot be mapped shared there. Loud, not silent: the probe's shared-mmap check says the same.
   */
  @Test
  void throughALockForwardingFuseViewRollbackKeepsEveryWriteAndWalCannotMapTheWalIndex() throws Exception {
    FuseView.assumeAvailable();
    Path real = java.nio.file.Files.createDirectory(dir.resolve("real"));
    Path view = java.nio.file.Files.createDirectory(dir.resolve("view"));
    try (FuseView mounted = FuseView.mount(real, view, "--multithreaded", "--enable-lock-forwarding", "-o", "direct_io")) {
      SharedMemoryPremise.Round rollback = SharedMemoryPremise.round(real.resolve("delete"), "delete", ROWS,
          view.resolve("delete"));
      SharedMemoryPremise.Round wal = SharedMemoryPremise.round(real.resolve("wal"), "wal", ROWS, view.resolve("wal"));
      System.out.println(rollback.summary() + "\n" + wal.summary());

      // Nothing a writer saw committed is lost; FUSE may still refuse some opens of the journal (loud errors).
      assertThat(rollback.damaged()).as(rollback.summary()).isFalse();
      assertThat(rollback.foundA()).isEqualTo(rollback.committedA());
      assertThat(rollback.foundB()).isEqualTo(rollback.committedB());
      assertThat(wal.committedB()).as(wal.summary()).isZero();
      assertThat(wal.lastError()).contains("SQLITE_IOERR_SHMMAP");
      assertThat(wal.foundA()).isEqualTo(wal.committedA());
    }
  }
}
