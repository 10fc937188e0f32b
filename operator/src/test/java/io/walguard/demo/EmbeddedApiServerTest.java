package io.walguard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedApiServerTest {

  static EmbeddedApiServer server;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = EmbeddedApiServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void storesObjectsForTheFabric8Client() {
    try (var client = server.client()) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("stored").endMetadata().build())
          .create();
      assertThat(client.namespaces().withName("stored").get()).isNotNull();
    }
  }

  @Test
  void kubectlCreatesAppliesAndListsThroughDiscovery() throws Exception {
    assumeTrue(kubectlAvailable(), "kubectl is not installed");
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    Path manifest = dir.resolve("pvc.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: Namespace
        metadata: {name: kubectl}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: kubectl}
        spec: {accessModes: [ReadWriteMany], storageClassName: efs-sc, resources: {requests: {storage: 1Gi}}}
        """);
    assertThat(kubectl(kubeconfig, "apply", "--validate=false", "-f", manifest.toString()))
        .contains("persistentvolumeclaim/data created");
    Files.writeString(manifest, Files.readString(manifest).replace("1Gi", "2Gi"));
    assertThat(kubectl(kubeconfig, "apply", "--validate=false", "-f", manifest.toString()))
        .contains("persistentvolumeclaim/data configured");
    assertThat(kubectl(kubeconfig, "get", "pvc", "-n", "kubectl", "-o", "name")).contains("persistentvolumeclaim/data");

    try (var client = server.client()) {
      PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace("kubectl").withName("data").get();
      assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
    }
  }

  @Test
  void aServerSideDryRunStoresNothing() throws Exception {
    assumeTrue(kubectlAvailable(), "kubectl is not installed");
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig-dry"));
    Path manifest = dir.resolve("dry.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: only-tried, namespace: default}
        data: {a: b}
        """);
    assertThat(kubectl(kubeconfig, "apply", "--validate=false", "--dry-run=server", "-f", manifest.toString()))
        .contains("configmap/only-tried created (server dry run)");
    try (var client = server.client()) {
      assertThat(client.configMaps().inNamespace("default").withName("only-tried").get()).isNull();
    }
  }

  @Test
  void kubectlGetShowsTheCrdsPrinterColumns() throws Exception {
    assumeTrue(kubectlAvailable(), "kubectl is not installed");
    try (var client = server.client()) {
      client.resource(Demo.crd()).createOr(existing -> existing.update());
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("columns").endMetadata().build())
          .create();
      var db = new io.walguard.api.SqliteDatabase();
      db.getMetadata().setName("grafana");
      db.getMetadata().setNamespace("columns");
      db.setSpec(new io.walguard.api.SqliteDatabaseSpec());
      db.getSpec().setClaimName("grafana-data");
      db.getSpec().setFile("grafana.db");
      db = client.resource(db).create();
      var status = new io.walguard.api.SqliteDatabaseStatus();
      status.setVerdict("safe");
      status.setAction("pin");
      status.setNodes(List.of("node-a"));
      db.setStatus(status);
      client.resource(db).updateStatus();
    }
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig-columns"));
    String table = kubectl(kubeconfig, "get", "sqlitedb", "-n", "columns");
    assertThat(table).containsPattern("NAME +AGE +CLAIM +ACTION +JOURNAL +LAST CHECKPOINT +NODES +STORAGE +VERDICT")
        .containsPattern("grafana +\\d+s +grafana-data +pin +\\[\"node-a\"\\] +safe");
    assertThat(kubectl(kubeconfig, "get", "sqlitedb", "-A")).containsPattern("columns +grafana +\\d+s +grafana-data");
  }

  @Test
  void kubectlFindsSqliteDatabasesByShortName() throws Exception {
    assumeTrue(kubectlAvailable(), "kubectl is not installed");
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig-crd"));
    assertThat(kubectl(kubeconfig, "get", "sqlitedb", "-A")).doesNotContain("error");
  }

  @Test
  void kubectlCreatesAJobFromACronJobThroughJson() throws Exception {
    assumeTrue(kubectlAvailable(), "kubectl is not installed");
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig-job"));
    Path manifest = dir.resolve("cronjob.yaml");
    Files.writeString(manifest, """
        apiVersion: v1
        kind: Namespace
        metadata: {name: jobs}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: jobs}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            metadata: {labels: {team: a}}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: busybox}]
        """);
    kubectl(kubeconfig, "apply", "--validate=false", "-f", manifest.toString());
    // kubectl posts this one as protobuf, which the server cannot read: it says so and how to go round it
    Process direct = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "-n", "jobs", "create",
        "job", "--from=cronjob/nightly", "by-hand").redirectErrorStream(true).start();
    String refused = new String(direct.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(direct.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused).contains("reads JSON only").contains("--dry-run=client -o json");
    Path built = dir.resolve("job.json");
    Files.writeString(built, kubectl(kubeconfig, "-n", "jobs", "create", "job", "--from=cronjob/nightly", "by-hand",
        "--dry-run=client", "-o", "json"));
    assertThat(kubectl(kubeconfig, "create", "--validate=false", "-f", built.toString()))
        .contains("job.batch/by-hand created");
    try (var client = server.client()) {
      var job = client.batch().v1().jobs().inNamespace("jobs").withName("by-hand").get();
      assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
    }
  }

  static boolean kubectlAvailable() {
    try {
      return new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static String kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
