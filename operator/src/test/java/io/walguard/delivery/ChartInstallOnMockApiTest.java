package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helm install} of the chart, by real Helm (helm-java), against the fabric8 mock API server in CRUD mode.
 *
 * <p>What it takes, and what it cannot show:
 * <ul>
 *   <li>The mock serves no discovery documents; Helm (client-go) needs them to map kinds to resources, so
 *       {@link MockApiDiscovery} serves them next to the CRUD store.
 *   <li>It serves no OpenAPI document either, so Helm's client-side schema validation is turned off
 *       ({@code --disable-openapi-validation}); the chart's objects are still parsed by the mock into fabric8 models.
 *   <li>Helm keeps its release record in a Secret written through client-go's typed clientset, which sends
 *       protobuf; the mock only reads JSON and YAML, fails on the body and never answers, so Helm waits forever.
 *       Helm therefore runs in a process of its own with {@code HELM_DRIVER=memory}: the release record stays in
 *       that process, and the objects of the chart (which Helm sends as JSON) reach the mock. For the same reason
 *       {@code helm upgrade} and {@code helm uninstall} (and with it the CRD keep policy on a real uninstall) cannot
 *       be shown here: a later Helm process has no record of the release. The keep policy is checked on the
 *       rendered CRD instead.
 * </ul>
 */
class ChartInstallOnMockApiTest {

  @TempDir Path dir;

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void startApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), true);
    server.init();
    MockApiDiscovery.serve(server);
    client = server.createClient();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ChartRender.NAMESPACE)
        .endMetadata().build()).create();
  }

  @AfterEach
  void stopApiServer() {
    client.close();
    server.destroy();
  }

  @Test
  void helmInstallCreatesEveryObjectOfTheChartAndSaysWhatToRunNext() throws Exception {
    String report = helmInstall(DeliveryMode.DEFAULTS);

    assertThat(report).contains("STATUS deployed")
        .contains("kubectl get sqlitedb -A")
        .contains("walguard audit")
        .contains("Uninstalling keeps the SqliteDatabase CRD")
        // the first thing that goes wrong when no registry serves the image
        .contains("No public registry serves walguard/walguard yet")
        .doesNotContain("never judges objects in walguard's own namespace");
    List<HasMetadata> rendered = ChartRender.of(DeliveryMode.DEFAULTS).objects;
    assertThat(rendered).allSatisfy(expected -> {
      HasMetadata stored = client.resource(expected).get();
      assertThat(stored).as("%s %s in the API server", expected.getKind(), expected.getMetadata().getName())
          .isNotNull();
      assertThat(stored.getMetadata().getAnnotations())
          .containsEntry("meta.helm.sh/release-name", ChartRender.RELEASE)
          .containsEntry("meta.helm.sh/release-namespace", ChartRender.NAMESPACE);
    });
    Deployment deployment = client.apps().deployments().inNamespace(ChartRender.NAMESPACE).withName("walguard").get();
    assertThat(deployment.getSpec().getTemplate())
        .isEqualTo(ChartRender.of(DeliveryMode.DEFAULTS).one(Deployment.class, "walguard").getSpec().getTemplate());
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().withName(ChartCrdTest.CRD_NAME).get();
    assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
  }

  @Test
  void certManagerModeNeedsCertManager() throws Exception {
    // The API server has no cert-manager kinds: Helm refuses before creating anything.
    assertThat(helmInstall(DeliveryMode.CERT_MANAGER)).contains("HELM FAILED").contains("cert-manager.io/v1");
    assertThat(client.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
  }

  /** Runs {@link HelmInstallMain} with HELM_DRIVER=memory against the mock; returns what it printed. */
  String helmInstall(DeliveryMode mode) throws IOException, InterruptedException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: mock, user: {token: mock}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock}}]
        current-context: mock
        """.formatted(client.getConfiguration().getMasterUrl()), StandardCharsets.UTF_8);
    Path values = dir.resolve("values.yaml");
    Files.writeString(values, mode.values, StandardCharsets.UTF_8);
    Path output = dir.resolve("helm.out");

    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        HelmInstallMain.class.getName(), kubeconfig.toString(), ChartRender.NAMESPACE, values.toString())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    pb.environment().put("HELM_DRIVER", "memory");
    Process helm = pb.start();
    // A guard against a request the mock leaves unanswered, not a measure of speed.
    if (!helm.waitFor(5, TimeUnit.MINUTES)) {
      helm.destroyForcibly().waitFor();
      fail("helm install did not finish; the mock left a request unanswered:%n%s", Files.readString(output));
    }
    return Files.readString(output, StandardCharsets.UTF_8);
  }
}
