package io.walguard.cli;

import io.walguard.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code walguard demo}: the quick start's first command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start an embedded Kubernetes API server, apply example stories and narrate what walguard does.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--keep", description = "Leave the API server running, with a kubeconfig for kubectl.")
  boolean keep;

  @Option(names = "--kubeconfig", defaultValue = "walguard-demo.kubeconfig",
      description = "Where --keep writes the kubeconfig (default: ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Option(names = "--timeout", defaultValue = "90", description = "Seconds each step may take (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    io.walguard.audit.CliLogging.warningsToStderr();
    return new Demo(System.out, Duration.ofSeconds(timeoutSeconds)).run(keep, kubeconfig.toAbsolutePath());
  }
}
