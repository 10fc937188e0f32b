package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code walguard run} refuses bad configuration with a message naming the flag, its variable and the fix. */
class RunCommandTest {

  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  PrintStream savedErr;
  PrintStream savedOut;

  @BeforeEach
  void capture() {
    savedErr = System.err;
    savedOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
    System.setOut(savedOut);
    // run raises the log level for the process; the next tests of this JVM keep the quiet default.
    ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--watch-namespaces=Shop_1 | WATCH_NAMESPACES",
      "--namespace=Walguard | WALGUARD_NAMESPACE",
      "--health-port=70000 | WALGUARD_HEALTH_PORT",
      "--enforce-default=block | use warn or deny",
      "--cert-mode=vault | use self or cert-manager"})
  void badConfigurationStopsWithExitTwoAndAMessage(String flag, String named) {
    int status = Main.execute("run", flag);

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("walguard run: ").contains(named);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMissingDriversConfigMapIsNamed() {
    try (MockCluster cluster = MockCluster.start()) {
      System.setProperty("kubernetes.master", cluster.client().getConfiguration().getMasterUrl());
      System.setProperty("kubernetes.auth.tryKubeConfig", "false");
      System.setProperty("kubernetes.auth.tryServiceAccount", "false");
      int status = Main.execute("run", "--drivers-configmap=my-drivers", "--namespace=ops");

      assertThat(status).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("ConfigMap ops/my-drivers key drivers.yaml does not exist", "WALGUARD_DRIVERS_CONFIGMAP");
    } finally {
      System.clearProperty("kubernetes.master");
      System.clearProperty("kubernetes.auth.tryKubeConfig");
      System.clearProperty("kubernetes.auth.tryServiceAccount");
    }
  }
}
