package io.walguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code walguard demo --keep} from the packaged jar, as the README's quick start runs it: the stories finish, the
 * kubeconfig is written, kubectl reaches the server it leaves running, and SIGTERM (what Ctrl-C amounts to) ends it.
 */
class DemoKeepIT {

  @Test
  void theKeptDemoAnswersKubectlUntilItIsStopped(@TempDir Path dir) throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not installed");
    Path kubeconfig = dir.resolve("demo.kubeconfig");
    Path out = dir.resolve("demo.out");
    Path err = dir.resolve("demo.err");
    Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", WalguardProcess.jar().toString(), "demo", "--keep", "--kubeconfig", kubeconfig.toString()))
        .directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      await().atMost(Duration.ofMinutes(4)).until(() -> !demo.isAlive()
          || Files.readString(out).contains("Press Ctrl-C to stop."));
      assertThat(demo.isAlive()).as(Files.readString(out) + Files.readString(err)).isTrue();
      assertThat(Files.readString(out)).contains("kubectl --kubeconfig " + kubeconfig + " get sqlitedb -A");
      assertThat(kubeconfig).isRegularFile();

      Kubectl.Result get = new Kubectl(kubeconfig).run("get", "sqlitedb", "-A");
      assertThat(get.exit()).as(get.output()).isZero();
      // the CRD's printer columns, as a real API server shows them
      assertThat(get.output()).containsPattern("NAMESPACE +NAME +AGE +CLAIM")
          .containsPattern("monitoring +grafana +\\S+ +grafana-data +pin").contains("logging-state");
      // nothing on stderr but what a person should read: no library warnings
      assertThat(Files.readString(err)).doesNotContain("WARN");
    } finally {
      demo.destroy();
    }
    assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo ends on SIGTERM").isTrue();
  }
}
