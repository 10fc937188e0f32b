package io.walguard.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void waitsDoubleUpToTheMaximumWithJitterBelowEachStep() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(800), new Random(7));
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) waits.add(b.nextWait(Duration.ofHours(1)).toMillis());
    long[] steps = {100, 200, 400, 800, 800, 800};
    for (int i = 0; i < steps.length; i++) {
      assertThat(waits.get(i)).isBetween(steps[i] / 2, steps[i]);
    }
  }

  @Test
  void neverWaitsPastTheDeadline() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), new Random(1));
    assertThat(b.nextWait(Duration.ofMillis(30)).toMillis()).isLessThanOrEqualTo(30);
  }
}
