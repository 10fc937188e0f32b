package io.walguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DemoCommandTest {

  @Test
  void theDemoKeepsTheClientsAlphaVersionWarningOutOfItsOutputAndOtherWarningsOn() {
    DemoCommand.quietLogging();
    assertThat(LoggerFactory.getLogger(DemoCommand.VERSION_USAGE_LOGGER).isWarnEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger(DemoCommand.VERSION_USAGE_LOGGER).isErrorEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.fabric8.kubernetes.client.Config").isWarnEnabled()).isTrue();
  }
}
