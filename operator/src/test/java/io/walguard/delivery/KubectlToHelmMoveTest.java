package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.walguard.api.SqliteDatabase;
import io.walguard.demo.EmbeddedApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/install.md's move from the kubectl install to Helm, command for command, on the embedded API server (which,
 * unlike the bare mock, takes the strategic merge patches Helm sends to objects it takes over): Helm refuses the
 * objects of {@code kubectl apply -f deploy/walguard.yaml} as they are, takes them over once they carry its release
 * annotations, and the SqliteDatabases stay. Helm keeps its release record in memory (see
 * {@link ChartInstallOnMockApiTest}).
 */
class KubectlToHelmMoveTest {

  @TempDir Path dir;

  @Test
  void annotatedObjectsOfTheKubectlInstallAreTakenOverByHelmAndTheDatabasesStay() throws Exception {
    assumeTrue(kubectl(null, "version", "--client").exit() == 0, "kubectl is not installed");
    try (EmbeddedApiServer server = EmbeddedApiServer.start(); KubernetesClient client = server.client()) {
      Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
      Result installed = kubectl(kubeconfig, "apply", "--validate=false", "-f", Repo.KUBECTL_INSTALL.toString());
      assertThat(installed.exit()).as(installed.output()).isZero();
      Path database = Files.writeString(dir.resolve("db.yaml"), """
          apiVersion: v1
          kind: Namespace
          metadata: {name: monitoring}
          ---
          apiVersion: walguard.io/v1alpha1
          kind: SqliteDatabase
          metadata: {name: grafana, namespace: monitoring}
          spec: {claimName: grafana-data, file: grafana.db}
          """);
      Result created = kubectl(kubeconfig, "apply", "--validate=false", "-f", database.toString());
      assertThat(created.exit()).as(created.output()).isZero();

      assertThat(helmInstall(kubeconfig)).contains("HELM FAILED").contains("invalid ownership metadata");

      // the command docs/install.md gives
      Result annotated = kubectl(kubeconfig, "annotate", "-f", Repo.KUBECTL_INSTALL.toString(), "--overwrite",
          "meta.helm.sh/release-name=" + ChartRender.RELEASE, "meta.helm.sh/release-namespace=" + ChartRender.NAMESPACE);
      assertThat(annotated.exit()).as(annotated.output()).isZero();
      assertThat(helmInstall(kubeconfig)).contains("STATUS deployed");

      for (HasMetadata expected : ChartRender.of(DeliveryMode.DEFAULTS).objects) {
        HasMetadata stored = client.resource(expected).get();
        assertThat(stored).as("%s %s", expected.getKind(), expected.getMetadata().getName()).isNotNull();
        assertThat(stored.getMetadata().getAnnotations())
            .containsEntry("meta.helm.sh/release-name", ChartRender.RELEASE);
      }
      assertThat(client.resources(SqliteDatabase.class).inNamespace("monitoring").withName("grafana").get())
          .as("the SqliteDatabase made before the move").isNotNull();
    }
  }

  record Result(int exit, String output) {}

  private static Result kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    if (kubeconfig != null) {
      command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return new Result(p.exitValue(), output);
    } catch (IOException notInstalled) {
      return new Result(-1, notInstalled.getMessage());
    }
  }

  /** {@link HelmInstallMain} with the default values, in its own process with HELM_DRIVER=memory. */
  private String helmInstall(Path kubeconfig) throws IOException, InterruptedException {
    Path values = Files.writeString(dir.resolve("values.yaml"), DeliveryMode.DEFAULTS.values);
    Path output = Files.createTempFile(dir, "helm", ".out");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HelmInstallMain.class.getName(), kubeconfig.toString(),
        ChartRender.NAMESPACE, values.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("HELM_DRIVER", "memory");
    Process helm = pb.start();
    // A guard against a request the server leaves unanswered, not a measure of speed.
    if (!helm.waitFor(5, TimeUnit.MINUTES)) {
      helm.destroyForcibly().waitFor();
      fail("helm install did not finish:%n%s", Files.readString(output));
    }
    return Files.readString(output, StandardCharsets.UTF_8);
  }
}
