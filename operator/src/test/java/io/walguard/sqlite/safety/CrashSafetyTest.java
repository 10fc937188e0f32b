package io.walguard.sqlite.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at a random moment loses nothing: neither a checkpoint nor a journal switch killed half-way (nor the
 * application killed with it) leaves a damaged database or loses a row the application saw committed. About two
 * minutes in all ({@code walguard.crash.seconds} per command changes it).
 */
class CrashSafetyTest {

  /** Each command gets about a minute of trials, at least {@link #MIN_TRIALS}; the benchmark runner runs 1,000+. */
  private static final Duration BUDGET = Duration.ofSeconds(Integer.getInteger("walguard.crash.seconds", 55));
  private static final int MIN_TRIALS = 20;
  private static final int MAX_TRIALS = 300;

  @TempDir Path dir;

  @Test
  void checkpointKilledAtRandomMomentsLosesNoCommittedRow() throws Exception {
    CrashTrials.Result r = new CrashTrials(dir, System.nanoTime())
        .run(CrashTrials.Target.CHECKPOINT, MIN_TRIALS, MAX_TRIALS, BUDGET);
    System.out.println(r.summary());
    assertThat(r.failureDetails()).as(r.summary()).isEmpty();
    assertThat(r.trials()).isGreaterThanOrEqualTo(MIN_TRIALS);
  }

  @Test
  void journalSwitchKilledAtRandomMomentsLosesNoCommittedRow() throws Exception {
    CrashTrials.Result r = new CrashTrials(dir, System.nanoTime())
        .run(CrashTrials.Target.SET_JOURNAL_MODE, MIN_TRIALS, MAX_TRIALS, BUDGET);
    System.out.println(r.summary());
    assertThat(r.failureDetails()).as(r.summary()).isEmpty();
    assertThat(r.trials()).isGreaterThanOrEqualTo(MIN_TRIALS);
  }
}
