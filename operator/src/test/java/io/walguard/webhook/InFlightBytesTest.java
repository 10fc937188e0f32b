package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The heap budget shared by the requests being answered. */
class InFlightBytesTest {

  @Test
  void whatDoesNotFitNowIsRefusedAndFitsAgainOnceReleased() {
    InFlightBytes budget = new InFlightBytes(100);
    InFlightBytes.Reservation a = budget.tryReserve(60);
    assertThat(a).isNotNull();
    assertThat(budget.tryReserve(50)).isNull();
    InFlightBytes.Reservation b = budget.tryReserve(40);
    assertThat(b).isNotNull();
    assertThat(budget.used()).isEqualTo(100);
    a.close();
    a.close();
    assertThat(budget.used()).as("released once").isEqualTo(40);
    assertThat(budget.tryReserve(50)).isNotNull();
  }

  @Test
  void whatCanNeverFitIsToldApart() {
    InFlightBytes budget = new InFlightBytes(100);
    assertThat(budget.fits(100)).isTrue();
    assertThat(budget.fits(101)).isFalse();
    assertThat(budget.tryReserve(101)).isNull();
    assertThat(budget.used()).isZero();
  }
}
