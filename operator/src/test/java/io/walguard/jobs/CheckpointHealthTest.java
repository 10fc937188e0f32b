package io.walguard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.api.CheckpointResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckpointHealthTest {

  static final long MIB = 1024 * 1024;
  static final long LIMIT = 64 * MIB;

  static CheckpointResult result(String outcome, int busy, long logFrames, long checkpointed, long before,
      long after) {
    CheckpointResult r = new CheckpointResult();
    r.setOutcome(outcome);
    r.setBusy(busy);
    r.setLogFrames(logFrames);
    r.setCheckpointedFrames(checkpointed);
    r.setWalBytesBefore(before);
    r.setWalBytesAfter(after);
    r.setPod("grafana-checkpoint-1");
    return r;
  }

  static CheckpointResult previous(long afterMib) {
    return afterMib < 0 ? null : result("ok", 0, 10, 10, afterMib * MIB, afterMib * MIB);
  }

  @ParameterizedTest(name = "last run's WAL {0} MiB; now {1}, busy {2}, {4} of {3} frames, WAL {5} MiB -> {6}")
  @CsvSource({
      // previous, outcome, busy, log, copied, after (MiB), reason, status
      "-1,  ok,          0, 10, 10,   0, Checkpointed,         True",
      // PASSIVE copies every frame and keeps the file: the same size as last time is not growth.
      "100, ok,          0, 10, 10, 100, Checkpointed,         True",
      "-1,  ok,          0, 10, 10, 100, Checkpointed,         True",
      "120, ok,          0, 10, 10, 100, Checkpointed,         True",
      "90,  ok,          0, 10, 10, 100, WalGrowing,           False",
      "50,  ok,          0, 10, 10,  60, Checkpointed,         True",
      // A reader that keeps the checkpoint from the end of the log, over the limit, is what WalGrowing is for.
      "-1,  busy,        1, 10,  3, 100, WalGrowing,           False",
      "100, busy,        1, 10,  3, 100, WalGrowing,           False",
      "90,  busy,        1, 10,  3, 100, WalGrowing,           False",
      "100, incomplete,  0, 10,  3, 100, WalGrowing,           False",
      // Busy or incomplete below the limit is not an error: the next run tries again.
      "-1,  busy,        1, 10,  3,  10, CheckpointBusy,       True",
      "50,  busy,        1, 10,  3,  60, CheckpointBusy,       True",
      "50,  incomplete,  0, 10,  3,  60, CheckpointIncomplete, True",
      // TRUNCATE resets the counters to 0 of 0 when it empties the WAL.
      "100, ok,          0,  0,  0,   0, Checkpointed,         True",
  })
  void aWalIsGrowingOnlyWhenItIsOverTheLimitAndLargerOrNotFullyCheckpointed(long previousAfter, String outcome,
      int busy, long log, long copied, long after, String reason, String status) {
    var judgement = CheckpointHealth.judge(previous(previousAfter), result(outcome, busy, log, copied,
        Math.max(after, 1) * MIB, after * MIB), LIMIT, List.of("grafana-7d9@node-a"));

    assertThat(judgement.reason()).isEqualTo(reason);
    assertThat(judgement.status()).isEqualTo(status);
    assertThat(judgement.message()).doesNotContain("null");
  }

  @Test
  void walGrowingNamesThePodsThatHeldTheDatabaseAndWhy() {
    var busy = CheckpointHealth.judge(null, result("busy", 1, 10, 3, 200 * MIB, 200 * MIB), LIMIT,
        List.of("grafana-7d9@node-a"));
    assertThat(busy.message()).contains("grafana-7d9@node-a").contains("200.0 MiB").contains("64.0 MiB")
        .contains("busy");

    var grew = CheckpointHealth.judge(previous(90), result("ok", 0, 10, 10, 100 * MIB, 100 * MIB), LIMIT,
        List.of());
    assertThat(grew.message()).contains("grew from 90.0 MiB").contains("a reader keeps");

    var incomplete = CheckpointHealth.judge(null, result("incomplete", 0, 10, 3, 100 * MIB, 100 * MIB), LIMIT,
        List.of());
    assertThat(incomplete.message()).contains("copied only 3 of 10 frames");
  }

  @Test
  void aCheckpointedWalAboveTheLimitThatIsNotGrowingSaysHowToShrinkIt() {
    var judgement = CheckpointHealth.judge(previous(100), result("ok", 0, 10, 10, 100 * MIB, 100 * MIB), LIMIT,
        List.of());
    assertThat(judgement.message()).contains("checkpointed all 10 frames").contains("not growing")
        .contains("TRUNCATE");
  }

  @Test
  void aTruncateThatEmptiedTheWalSaysSoInsteadOfZeroOfZeroFrames() {
    var judgement = CheckpointHealth.judge(null, result("ok", 0, 0, 0, 4 * MIB + 32, 0), LIMIT, List.of());
    assertThat(judgement.message()).isEqualTo("WAL emptied (4.0 MiB -> 0 B): every frame was copied into the database")
        .doesNotContain("0 of 0");
  }

  @Test
  void aDatabaseNotInWalModeHasNothingToCheckpoint() {
    CheckpointResult notWal = new CheckpointResult();
    notWal.setOutcome("not-wal");
    notWal.setWalBytesBefore(0L);
    notWal.setPod("p");

    var judgement = CheckpointHealth.judge(previous(100), notWal, LIMIT, List.of());

    assertThat(judgement).extracting(CheckpointHealth.Judgement::status, CheckpointHealth.Judgement::reason)
        .containsExactly("True", "NotInWalMode");
    assertThat(judgement.message()).isEqualTo("the database uses a rollback journal; checkpoints have nothing to do");
  }

  @Test
  void noResultYetIsUnknownAndAFailureSaysWhy() {
    assertThat(CheckpointHealth.judge(null, null, MIB, List.of()).status()).isEqualTo("Unknown");
    CheckpointResult failed = new CheckpointResult();
    failed.setPod("p");
    failed.setError("attempt to write a readonly database");
    assertThat(CheckpointHealth.judge(null, failed, MIB, List.of()))
        .extracting(CheckpointHealth.Judgement::reason, CheckpointHealth.Judgement::message)
        .containsExactly("CheckpointFailed", "checkpoint pod p failed: attempt to write a readonly database");
  }
}
