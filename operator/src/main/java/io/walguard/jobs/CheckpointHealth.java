package io.walguard.jobs;

import io.walguard.api.CheckpointResult;
import java.util.List;

/**
 * Judges the checkpoint results the operator reads back: a WAL above {@code walSizeLimit} that checkpoints do not
 * shrink (busy, or no smaller than last time) means a reader pins it, and it will grow until the disk is full.
 */
public final class CheckpointHealth {

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
      return new Judgement("Unknown", "NoCheckpointYet", "no checkpoint has finished yet");
    }
    if (latest.getError() != null) {
      return new Judgement("False", "CheckpointFailed", "checkpoint pod " + latest.getPod() + " failed: "
          + latest.getError());
    }
    long after = latest.getWalBytesAfter() == null ? 0 : latest.getWalBytesAfter();
    boolean busy = latest.getBusy() != null && latest.getBusy() != 0;
    boolean notShrinking = previous != null && previous.getWalBytesAfter() != null
        && after >= previous.getWalBytesAfter();
    if (after > walSizeLimit && (busy || notShrinking)) {
      String holders = openPods.isEmpty() ? "a reader" : "a reader in " + String.join(", ", openPods);
      return new Judgement("False", "WalGrowing", "WAL is " + mib(after) + " after checkpoint (limit "
          + mib(walSizeLimit) + ")" + (busy ? " and the checkpoint was busy" : " and is not shrinking") + ": "
          + holders + " keeps a transaction open; restart or fix the long-lived reader");
    }
    if (busy) {
      return new Judgement("True", "CheckpointBusy", "checkpoint was busy (a reader held the database); WAL "
          + mib(after) + ", below the limit of " + mib(walSizeLimit));
    }
    return new Judgement("True", "Checkpointed", "checkpointed " + latest.getCheckpointedFrames() + " of "
        + latest.getLogFrames() + " frames; WAL " + mib(latest.getWalBytesBefore()) + " -> " + mib(after));
  }

  static String mib(Long bytes) {
    if (bytes == null) {
      return "?";
    }
    return bytes < 1024 * 1024 ? bytes + " B" : String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
