package io.walguard.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged walguard jar running {@code walguard run} as its own process, as its container would. */
final class WalguardProcess implements AutoCloseable {

  final int healthPort;
  final int webhookPort;
  private final Process process;
  private final Path log;

  private WalguardProcess(Process process, Path log, int healthPort, int webhookPort) {
    this.process = process;
    this.log = log;
    this.healthPort = healthPort;
    this.webhookPort = webhookPort;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("walguard.jar", "../operator/target/walguard.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (the e2e module runs after operator)");
    }
    return jar;
  }

  static WalguardProcess start(Path kubeconfig, Path log, int webhookPort) throws IOException {
    int health = freePort();
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dsun.net.httpserver.nodelay=true", "-jar", jar().toString(), "run",
        "--namespace", "walguard-system", "--health-port", String.valueOf(health),
        "--webhook-port", String.valueOf(webhookPort));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("WALGUARD_IMAGE", "walguard/walguard:e2e");
    return new WalguardProcess(builder.start(), log, health, webhookPort);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  void awaitReady(Duration limit) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("walguard exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + healthPort + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          // ready means admitting too: the webhook port must accept connections the moment /readyz says 200
          try (java.net.Socket webhook = new java.net.Socket("127.0.0.1", webhookPort)) {
            return;
          } catch (IOException e) {
            throw new IllegalStateException("/readyz answered 200 but the webhook port " + webhookPort
                + " refuses connections: " + e.getMessage());
          }
        }
      } catch (IOException notYet) {
        // the health server is not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("walguard not ready after " + limit + ":\n" + output());
  }

  String metrics() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + healthPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** SIGKILL: the way a node failure or an OOM kill ends it, with no chance to clean up. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
