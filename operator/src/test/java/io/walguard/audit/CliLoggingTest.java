package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the command line lets through to stderr from the libraries it uses. */
class CliLoggingTest {

  @Test
  void theClientsWarningAboutAnAlphaVersionStaysOffStderrAndOtherWarningsDoNot() {
    CliLogging.warningsToStderr();
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      // The client warns once per resource type and JVM: a type no other test uses.
      VersionUsageUtils.log("cliloggingtests", "v1alpha1");
      LoggerFactory.getLogger("io.fabric8.kubernetes.client").warn("a warning that matters");
    } finally {
      System.setErr(saved);
    }

    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("unstable version")
        .contains("a warning that matters");
  }
}
