package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.walguard.api.CheckpointResult;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.jobs.CheckpointHealth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Checkpoint condition the composer writes says what the checkpoint dependent's judgement says. */
class StatusComposerCheckpointTest {

  static final long MIB = 1024 * 1024;

  @ParameterizedTest(name = "{0}, busy {1}, WAL {2} MiB -> {3} {4}")
  @CsvSource({
      "busy,       1,  10, True,  CheckpointBusy",
      "busy,       1, 100, False, WalGrowing",
      "incomplete, 0,  10, True,  CheckpointIncomplete",
      "ok,         0, 100, True,  Checkpointed",
      "not-wal,    0,   0, True,  NotInWalMode",
  })
  void theComposedConditionIsTheJudgement(String outcome, int busy, long walMib, String status, String reason) {
    CheckpointResult last = new CheckpointResult();
    last.setTime("2025-01-01T10:00:00Z");
    last.setOutcome(outcome);
    if (!outcome.equals("not-wal")) {
      last.setBusy(busy);
      last.setLogFrames(10L);
      last.setCheckpointedFrames(outcome.equals("ok") ? 10L : 3L);
      last.setWalBytesAfter(walMib * MIB);
    }
    last.setWalBytesBefore(walMib * MIB);
    SqliteDatabaseStatus previous = new SqliteDatabaseStatus();
    previous.setLastCheckpoint(last);
    var db = Fixtures.database("apps", "app", "data");
    var a = new Assessment(db, Optional.empty(), "the decision failed", true, Optional.empty(), false);

    Condition checkpoint = StatusComposer.compose(a, previous, Instant.parse("2025-01-01T11:00:00Z"))
        .getConditions().stream().filter(c -> c.getType().equals(StatusComposer.CHECKPOINT)).findFirst()
        .orElseThrow();

    var judged = CheckpointHealth.judge(null, last, 64 * MIB, List.of());
    assertThat(checkpoint.getStatus()).isEqualTo(status).isEqualTo(judged.status());
    assertThat(checkpoint.getReason()).isEqualTo(reason).isEqualTo(judged.reason());
    assertThat(checkpoint.getMessage()).contains(judged.message()).doesNotContain("null");
  }
}
