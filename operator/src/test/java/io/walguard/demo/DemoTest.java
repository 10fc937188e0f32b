package io.walguard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walguard demo} tells the stories it promises, end to end, and ends by itself with exit 0. */
class DemoTest {

  @Test
  void theDemoPinsGrafanaWarnsAtAdmissionSwitchesTheDaemonSetsJournalAndEndsWithTheTable() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8), Duration.ofSeconds(90))
        .run(false, Path.of("unused"));
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(out).isZero();
    assertThat(out)
        .contains("Warning: SqliteDatabase grafana")
        .contains("Pinned: walguard pinned Deployment/grafana to node")
        .contains("MaxSurgeZero")
        .containsPattern("monitoring/grafana: storage network, verdict safe, action pin, openers on \\[node-.\\]")
        .contains("remedy none and checkpoints off: it changes none of their workloads")
        .contains("cronjob/grafana-checkpoint")
        .containsPattern("status.lastCheckpoint: busy 0, frames (\\d+)/\\1, WAL [1-9]")
        .contains("PASSIVE copied every frame into the database but never shrinks the -wal file")
        // the journal Job runs the real toolbox, and its result reaches the status
        .containsPattern("\\[cluster\\] Job/logging-state-journal-\\w+: pod \\S+ on node-. ran `sqlite set-journal-mode"
            + " /var/lib/walguard/db/flb_kube.db --mode DELETE .*` \\(exit 0\\): converted to DELETE")
        .containsPattern("logging/logging-state: storage network, verdict safe, action journal, .*journal delete")
        // an opted-in PVC whose opener exists is judged, and kubectl apply shows the warning
        .containsPattern("Warning: PVC kuma-data uses efs-sc \\(.*network\\): SQLite WAL across nodes corrupts")
        .contains("denied the request")
        .containsPattern("logging +logging-state +logging-state +network +safe +journal +node-a,node-b,node-c +delete")
        .containsPattern("monitoring +grafana +grafana-data +network +safe +pin")
        .containsPattern("vaultwarden +vaultwarden-data +vaultwarden-data +local +safe +none")
        .contains("JOURNAL is the journal mode a walguard Job last read")
        .contains("walguard demo: done.");
    // the PVC in team-a is warned about before it is created, after its Deployment
    assertThat(out.indexOf("deployment/uptime-kuma created")).isLessThan(out.indexOf("Warning: PVC kuma-data"));
  }

  @Test
  void withKeepKubectlReachesTheServerAndWhatItAppliesGetsPods(@TempDir Path dir) throws Exception {
    assumeTrue(kubectlInstalled(), "kubectl is not installed");
    Path kubeconfig = dir.resolve("demo.kubeconfig");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread demo = new Thread(() -> {
      try {
        exit.complete(new Demo(out, Duration.ofSeconds(90)).run(true, kubeconfig));
      } catch (Throwable e) {
        exit.completeExceptionally(e);
      }
    }, "demo-keep");
    demo.start();
    try {
      await().atMost(Duration.ofMinutes(4)).until(() -> exit.isDone()
          || buffer.toString(StandardCharsets.UTF_8).contains("Press Ctrl-C to stop."));
      assertThat(exit).as(buffer.toString(StandardCharsets.UTF_8)).isNotDone();
      assertThat(kubeconfig).isRegularFile();

      Result get = kubectl(kubeconfig, "get", "sqlitedb", "-A");
      assertThat(get.exit()).as(get.output()).isZero();
      assertThat(get.output()).containsPattern("monitoring +grafana").contains("logging-state");

      Path app = dir.resolve("app.yaml");
      Files.writeString(app, """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: hello, namespace: default}
          spec:
            replicas: 2
            selector: {matchLabels: {app: hello}}
            template:
              metadata: {labels: {app: hello}}
              spec:
                containers: [{name: hello, image: nginx:1.27}]
          """);
      Result apply = kubectl(kubeconfig, "apply", "--validate=false", "-f", app.toString());
      assertThat(apply.exit()).as(apply.output()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> kubectl(kubeconfig, "get", "pods", "-n", "default",
          "-l", "app=hello", "-o", "name").output().lines().filter(l -> l.startsWith("pod/")).count() == 2);
    } finally {
      demo.interrupt();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("walguard demo: stopped.");
  }

  record Result(int exit, String output) {}

  private static Result kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    return new Result(process.exitValue(), output);
  }

  private static boolean kubectlInstalled() {
    try {
      return kubectl(Path.of("/dev/null"), "version", "--client").exit() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
