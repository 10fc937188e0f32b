package io.walguard.jobs;

import io.walguard.api.CheckpointResult;
import java.util.List;
import java.util.Set;

/**
 * Judges the checkpoint results the operator reads back. A WAL above {@code walSizeLimit} is growing, and will grow
 * until the disk is full, when it is larger than after the last run, or when this run could not copy every frame
 * (busy, or incomplete because a reader still uses older frames). A WAL that stays the same size is not growing:
 * PASSIVE, FULL and RESTART never shrink the file, they let SQLite reuse it from the start.
 */
public final class CheckpointHealth {

  public static final String NO_CHECKPOINT_YET = "NoCheckpointYet";
  public static final String CHECKPOINT_FAILED = "CheckpointFailed";
  public static final String NOT_IN_WAL_MODE = "NotInWalMode";
  public static final String WAL_GROWING = "WalGrowing";
  public static final String CHECKPOINT_BUSY = "CheckpointBusy";
  public static final String CHECKPOINT_INCOMPLETE = "CheckpointIncomplete";
  public static final String CHECKPOINTED = "Checkpointed";
  /** The reasons a finished checkpoint can be judged with. */
  public static final Set<String> JUDGED = Set.of(CHECKPOINT_FAILED, NOT_IN_WAL_MODE, WAL_GROWING, CHECKPOINT_BUSY,
      CHECKPOINT_INCOMPLETE, CHECKPOINTED);
  /** The size of a WAL file's header: a WAL no larger holds no frames. */
  static final long WAL_HEADER_BYTES = 32;

  /** What the Checkpoint condition says. {@code status} is True, False or Unknown. */
  public record Judgement(String status, String reason, String message) {}

  private CheckpointHealth() {}

  /**
   * @param previous the result before {@code latest}, or null
   * @param latest the newest result, or null when no checkpoint has finished yet
   * @param walSizeLimit bytes
   * @param openPods the pods that had the database open at the time, as {@code pod@node}
   */
  public static Judgement judge(CheckpointResult previous, CheckpointResult latest, long walSizeLimit,
      List<String> openPods) {
    if (latest == null) {
      return new Judgement("Unknown", NO_CHECKPOINT_YET, "no checkpoint has finished yet");
    }
    if (latest.getError() != null) {
      return new Judgement("False", CHECKPOINT_FAILED, "checkpoint pod " + latest.getPod() + " failed: "
          + latest.getError());
    }
    if ("not-wal".equals(latest.getOutcome())) {
      return new Judgement("True", NOT_IN_WAL_MODE,
          "the database uses a rollback journal; checkpoints have nothing to do");
    }
    long after = latest.getWalBytesAfter() == null ? 0 : latest.getWalBytesAfter();
    boolean busy = latest.getBusy() != null && latest.getBusy() != 0;
    boolean incomplete = !busy && ("incomplete".equals(latest.getOutcome()) || copiedPart(latest));
    Long before = previous == null || previous.getError() != null ? null : previous.getWalBytesAfter();
    boolean grew = before != null && after > before;
    if (after > walSizeLimit && (busy || incomplete || grew)) {
      String why = busy ? "the checkpoint was busy"
          : incomplete ? "the checkpoint copied only " + frames(latest)
          : "it grew from " + mib(before) + " since the last checkpoint";
      String holders = openPods.isEmpty() ? "a reader" : "a reader in " + String.join(", ", openPods);
      return new Judgement("False", WAL_GROWING, "WAL is " + mib(after) + " after checkpoint (limit "
          + mib(walSizeLimit) + ") and " + why + ": " + holders + " keeps a transaction open; restart or fix the"
          + " long-lived reader");
    }
    if (busy) {
      return new Judgement("True", CHECKPOINT_BUSY, "checkpoint was busy (another connection held the database);"
          + " WAL " + mib(after) + ", below the limit of " + mib(walSizeLimit) + "; the next run tries again");
    }
    if (incomplete) {
      return new Judgement("True", CHECKPOINT_INCOMPLETE, "checkpoint copied " + frames(latest) + " (a reader"
          + " still used older frames); WAL " + mib(after) + ", below the limit of " + mib(walSizeLimit)
          + "; the next run copies the rest");
    }
    String done = done(latest);
    if (after > walSizeLimit) {
      done += "; the file stays above the limit of " + mib(walSizeLimit) + " but is not growing (only TRUNCATE"
          + " shrinks it; set spec.checkpoint.mode to TRUNCATE to give the space back)";
    }
    return new Judgement("True", CHECKPOINTED, done);
  }

  /** A successful checkpoint in words: TRUNCATE resets SQLite's frame counters, so its 0 of 0 says nothing. */
  static String done(CheckpointResult r) {
    long log = r.getLogFrames() == null ? 0 : r.getLogFrames();
    long before = r.getWalBytesBefore() == null ? 0 : r.getWalBytesBefore();
    long after = r.getWalBytesAfter() == null ? 0 : r.getWalBytesAfter();
    if (log == 0 && before > WAL_HEADER_BYTES && after == 0) {
      return "WAL emptied (" + mib(before) + " -> 0 B): every frame was copied into the database";
    }
    if (log == 0) {
      return "the WAL held no frames, nothing to copy; WAL " + mib(before) + " -> " + mib(after);
    }
    return "checkpointed all " + log + " frames; WAL " + mib(before) + " -> " + mib(after);
  }

  private static boolean copiedPart(CheckpointResult r) {
    return r.getLogFrames() != null && r.getCheckpointedFrames() != null
        && r.getCheckpointedFrames() < r.getLogFrames();
  }

  private static String frames(CheckpointResult r) {
    return r.getCheckpointedFrames() + " of " + r.getLogFrames() + " frames";
  }

  static String mib(Long bytes) {
    if (bytes == null) {
      return "?";
    }
    return bytes < 1024 * 1024 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f MiB",
        bytes / (1024.0 * 1024.0));
  }
}
