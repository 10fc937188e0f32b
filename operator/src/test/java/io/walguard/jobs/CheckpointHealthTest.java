package io.walguard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.api.CheckpointResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CheckpointHealthTest {

  static final long MIB = 1024 * 1024;

  static CheckpointResult result(int busy, long before, long after) {
    CheckpointResult r = new CheckpointResult();
    r.setBusy(busy);
    r.setWalBytesBefore(before);
    r.setWalBytesAfter(after);
    r.setLogFrames(10L);
    r.setCheckpointedFrames(busy == 0 ? 10L : 3L);
    r.setPod("grafana-checkpoint-1");
    return r;
  }

  @ParameterizedTest(name = "previous after={0}MiB, latest busy={1} after={2}MiB -> {3}")
  @CsvSource({
      "-1, 0,   0, Checkpointed",
      "-1, 1,  10, CheckpointBusy",
      "-1, 1, 100, WalGrowing",
      "-1, 0, 100, Checkpointed",
      "90, 0, 100, WalGrowing",
      "120, 0, 100, Checkpointed",
      "50, 1,  60, CheckpointBusy",
  })
  void growingWalAboveTheLimitIsReportedOnlyWhenCheckpointsDoNotShrinkIt(long previousAfter, int busy, long after,
      String reason) {
    CheckpointResult previous = previousAfter < 0 ? null : result(0, previousAfter * MIB, previousAfter * MIB);
    var judgement = CheckpointHealth.judge(previous, result(busy, after * MIB, after * MIB), 64 * MIB,
        List.of("grafana-7d9@node-a"));
    assertThat(judgement.reason()).isEqualTo(reason);
    assertThat(judgement.status()).isEqualTo(reason.equals("WalGrowing") ? "False" : "True");
  }

  @Test
  void walGrowingNamesThePodsThatHeldTheDatabase() {
    var judgement = CheckpointHealth.judge(null, result(1, 200 * MIB, 200 * MIB), 64 * MIB,
        List.of("grafana-7d9@node-a"));
    assertThat(judgement.message()).contains("grafana-7d9@node-a").contains("200.0 MiB").contains("64.0 MiB");
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
