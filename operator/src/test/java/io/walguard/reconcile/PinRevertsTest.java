package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PinRevertsTest {

  /** A clock the test moves. */
  static final class Moving extends Clock {
    Instant now = Instant.parse("2025-01-01T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void restoresOfOneWorkloadAddUpWithinTheHourAndFadeAfterIt() {
    Moving clock = new Moving();
    PinReverts reverts = new PinReverts(clock);

    assertThat(reverts.restored("shop/Deployment/app")).isEqualTo(1);
    clock.now = clock.now.plus(Duration.ofMinutes(20));
    assertThat(reverts.restored("shop/Deployment/app")).isEqualTo(2);
    assertThat(reverts.restored("shop/Deployment/other")).as("another workload counts apart").isEqualTo(1);
    clock.now = clock.now.plus(Duration.ofMinutes(20));
    assertThat(reverts.restored("shop/Deployment/app")).isEqualTo(PinReverts.LIMIT);
    assertThat(reverts.recent("shop/Deployment/app")).isEqualTo(PinReverts.LIMIT);

    clock.now = clock.now.plus(Duration.ofMinutes(25));
    assertThat(reverts.recent("shop/Deployment/app")).as("the first restore is more than an hour old").isEqualTo(2);
    clock.now = clock.now.plus(Duration.ofHours(1));
    assertThat(reverts.recent("shop/Deployment/app")).isZero();
    assertThat(reverts.recent("shop/Deployment/never")).isZero();
  }
}
