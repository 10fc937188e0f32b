package io.walguard.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The kubectl on this machine, pointed at the embedded API server. */
final class Kubectl {

  record Result(int exit, String output) {}

  private final Path kubeconfig;

  Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  static boolean available() {
    try {
      Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs kubectl; the embedded server serves no OpenAPI, so client-side validation is off for apply/create. */
  Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    if (List.of(args).contains("apply") || List.of(args).contains("create")) {
      command.add("--validate=false");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
    }
    return new Result(process.exitValue(), output);
  }
}
