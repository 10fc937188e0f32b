package io.walguard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.walguard.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code walguard demo}: the quick start's first command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start an embedded Kubernetes API server, apply example stories and narrate what walguard does.")
public final class DemoCommand implements Callable<Integer> {

  /**
   * The fabric8 client warns once per process that walguard.io/v1alpha1 is not a stable version: true, and nothing
   * a person trying the demo can act on.
   */
  static final String VERSION_USAGE_LOGGER = "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

  @Option(names = "--keep", description = "Leave the API server running, with a kubeconfig for kubectl.")
  boolean keep;

  @Option(names = "--kubeconfig", defaultValue = "walguard-demo.kubeconfig",
      description = "Where --keep writes the kubeconfig (default: ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Option(names = "--timeout", defaultValue = "90", description = "Seconds each step may take (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    quietLogging();
    return new Demo(System.out, Duration.ofSeconds(timeoutSeconds)).run(keep, kubeconfig.toAbsolutePath());
  }

  /** Library warnings go to stderr, except the one about the CRD's alpha version. */
  static void quietLogging() {
    io.walguard.audit.CliLogging.warningsToStderr();
    if (LoggerFactory.getLogger(VERSION_USAGE_LOGGER) instanceof Logger logger) {
      logger.setLevel(Level.ERROR);
    }
  }
}
