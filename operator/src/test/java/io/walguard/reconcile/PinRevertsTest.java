package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.webhook.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PinRevertsTest {

  @Test
  void restoresOfOneWorkloadAddUpWithinTheHourAndFadeAfterIt() {
    MovableClock clock = new MovableClock(Instant.parse("2025-01-01T10:00:00Z"));
    PinReverts reverts = new PinReverts(clock);

    assertThat(reverts.restored("shop/Deployment/app")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(20));
    assertThat(reverts.restored("shop/Deployment/app")).isEqualTo(2);
    assertThat(reverts.restored("shop/Deployment/other")).as("another workload counts apart").isEqualTo(1);
    clock.advance(Duration.ofMinutes(20));
    assertThat(reverts.restored("shop/Deployment/app")).isEqualTo(PinReverts.LIMIT);
    assertThat(reverts.recent("shop/Deployment/app")).isEqualTo(PinReverts.LIMIT);

    clock.advance(Duration.ofMinutes(25));
    assertThat(reverts.recent("shop/Deployment/app")).as("the first restore is more than an hour old").isEqualTo(2);
    clock.advance(Duration.ofHours(1));
    assertThat(reverts.recent("shop/Deployment/app")).isZero();
    assertThat(reverts.recent("shop/Deployment/never")).isZero();
  }
}
