package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walguard audit} without {@code -f}: the cluster of a kubeconfig, here the mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class ClusterAuditTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  @TempDir Path dir;
  Path kubeconfig;

  @BeforeEach
  void cluster() throws IOException {
    for (Path example : List.of(ExamplesTest.EXAMPLES.resolve("grafana-efs"),
        ExamplesTest.EXAMPLES.resolve("vaultwarden-local-path"))) {
      List<String> notes = new ArrayList<>();
      try {
        Manifests manifests = new ManifestLoader("default", notes::add).load(List.of(example));
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(manifests.facts().storageClasses());
        objects.addAll(manifests.facts().claims());
        objects.addAll(manifests.facts().allWorkloads());
        objects.addAll(manifests.facts().databases());
        objects.forEach(o -> client.resource(o).createOr(existing -> existing.update()));
      } catch (BadInputException e) {
        throw new IllegalStateException(e);
      }
    }
    kubeconfig = kubeconfig(client.getMasterUrl().toString());
  }

  Path kubeconfig(String server) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: mock
          user: {token: secret}
        contexts:
        - name: mock
          context: {cluster: mock, user: mock}
        current-context: mock
        """.formatted(server));
  }

  @Test
  void everyNamespaceIsReadAndDecidedLikeManifests() throws IOException {
    CliRun run = CliRun.of("audit", "--kubeconfig", kubeconfig.toString(), "-o", "json");

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(1);
    JsonNode databases = new ObjectMapper().readTree(run.out()).get("databases");
    assertThat(databases).hasSize(2);
    assertThat(databases.get(0).get("namespace").asText()).isEqualTo("monitoring");
    assertThat(databases.get(0).get("verdict").asText()).isEqualTo("unsafe");
    assertThat(databases.get(0).get("action").asText()).isEqualTo("pin");
    assertThat(databases.get(0).get("openers").get(0).asText()).isEqualTo("Deployment/grafana");
    assertThat(databases.get(1).get("namespace").asText()).isEqualTo("vaultwarden");
    assertThat(databases.get(1).get("verdict").asText()).isEqualTo("safe");
  }

  @Test
  void theSameAnswersAsTheManifestsTheClusterWasMadeFrom() throws IOException {
    CliRun cluster = CliRun.of("audit", "--kubeconfig", kubeconfig.toString(), "-o", "json");
    CliRun manifests = CliRun.audit(List.of(ExamplesTest.EXAMPLES.resolve("grafana-efs"),
        ExamplesTest.EXAMPLES.resolve("vaultwarden-local-path")), "-o", "json");

    assertThat(new ObjectMapper().readTree(cluster.out())).isEqualTo(new ObjectMapper().readTree(manifests.out()));
  }

  @Test
  void runningPodsOfAWorkloadNameItsNodesAndCountAsTheWorkload() throws IOException {
    Deployment grafana = client.apps().deployments().inNamespace("monitoring").withName("grafana").get();
    ReplicaSet replicaSet = client.resource(new ReplicaSetBuilder()
        .withNewMetadata().withName("grafana-7d9f6c5b4").withNamespace("monitoring")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("grafana")
        .withUid(grafana.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
        .withNewSpecLike(new ReplicaSetSpecBuilder().withReplicas(1).withSelector(grafana.getSpec().getSelector())
            .withTemplate(grafana.getSpec().getTemplate()).build()).endSpec()
        .build()).create();
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("grafana-7d9f6c5b4-x2k8p").withNamespace("monitoring")
        .withLabels(grafana.getSpec().getTemplate().getMetadata().getLabels())
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("grafana-7d9f6c5b4")
        .withUid(replicaSet.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
        .withSpec(new PodSpecBuilder(grafana.getSpec().getTemplate().getSpec()).withNodeName("node-a").build())
        .withNewStatus().withPhase("Running").withStartTime("2024-10-01T08:00:00Z").endStatus()
        .build();
    client.resource(pod).create();
    try {
      CliRun run = CliRun.of("audit", "--kubeconfig", kubeconfig.toString(), "-n", "monitoring", "-o", "json");

      JsonNode grafanaDb = new ObjectMapper().readTree(run.out()).get("databases").get(0);
      assertThat(grafanaDb.get("openers")).extracting(JsonNode::asText).containsExactly("Deployment/grafana");
      assertThat(grafanaDb.get("nodes")).extracting(JsonNode::asText).containsExactly("node-a");
      assertThat(grafanaDb.get("verdict").asText()).isEqualTo("unsafe");
    } finally {
      client.pods().inNamespace("monitoring").withName(pod.getMetadata().getName()).delete();
      client.apps().replicaSets().inNamespace("monitoring").withName("grafana-7d9f6c5b4").delete();
    }
  }

  @Test
  void aNamespaceLimitsTheAuditToIt() throws IOException {
    CliRun run = CliRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--namespace", "vaultwarden", "-o", "json");

    assertThat(run.status()).isEqualTo(0);
    JsonNode databases = new ObjectMapper().readTree(run.out()).get("databases");
    assertThat(databases).singleElement()
        .satisfies(db -> assertThat(db.get("name").asText()).isEqualTo("vaultwarden-data"));
  }

  @Test
  void anUnreachableClusterIsBadInputWithAMessage() throws IOException {
    Path nowhere = kubeconfig("http://127.0.0.1:1");

    CliRun run = CliRun.of("audit", "--kubeconfig", nowhere.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("walguard audit: cannot reach the API server at http://127.0.0.1:1/: connection"
        + " refused (is the kubeconfig context right? or give -f PATH to audit manifests instead)\n");
  }

  @Test
  void aClusterScopedListThatFailsIsNotSaidToBeInAnyNamespace() throws IOException {
    server.expect().get().withPath("/apis/storage.k8s.io/v1/storageclasses").andReturn(500, "etcd is down").times(2);

    CliRun run = CliRun.of("audit", "--kubeconfig", kubeconfig.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("walguard audit: cannot list StorageClasses from the cluster at "
        + client.getMasterUrl() + ": HTTP 500").doesNotContain("namespace");
  }

  @Test
  void aMissingKubeconfigIsBadInput() {
    CliRun run = CliRun.of("audit", "--kubeconfig", dir.resolve("absent").toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--kubeconfig").contains("no such file");
  }
}
