package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command end to end on manifests: output, exit status and options. */
class AuditCommandTest {

  @TempDir Path dir;

  static final String UNKNOWN_DRIVER = """
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata: {name: example-nas}
      provisioner: csi.example.com
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: notes-data}
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: example-nas
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: notes}
      spec:
        replicas: 2
        selector: {matchLabels: {app: notes}}
        template:
          metadata: {labels: {app: notes}}
          spec:
            containers: [{name: notes, image: example/notes:1}]
            volumes: [{name: data, persistentVolumeClaim: {claimName: notes-data}}]
      ---
      apiVersion: walguard.io/v1alpha1
      kind: SqliteDatabase
      metadata: {name: notes}
      spec: {claimName: notes-data, file: notes.db}
      """;

  Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  static JsonNode only(CliRun run) throws IOException {
    JsonNode databases = new ObjectMapper().readTree(run.out()).get("databases");
    assertThat(databases).hasSize(1);
    return databases.get(0);
  }

  @Test
  void theDefaultOutputIsATableForPeople() {
    CliRun run = CliRun.audit(ExamplesTest.EXAMPLES.resolve("grafana-efs"));

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out().lines().findFirst()).get().asString()
        .matches("NAMESPACE +NAME +CLAIM +STORAGE +VERDICT +ACTION +OPENERS");
    assertThat(run.out()).containsPattern("monitoring +grafana +grafana-data +network +unsafe +pin +Deployment/grafana")
        .contains("    - ").contains("1 database: 1 unsafe");
  }

  @Test
  void anUnknownDriverIsUnknownAndOnlyStrictFailsOnIt() throws IOException {
    Path file = write("notes.yaml", UNKNOWN_DRIVER);

    CliRun lenient = CliRun.audit(file, "-o", "json");
    CliRun strict = CliRun.audit(file, "-o", "json", "--strict");

    assertThat(only(lenient).get("verdict").asText()).isEqualTo("unknown");
    assertThat(only(lenient).get("action").asText()).isEqualTo("observe");
    assertThat(lenient.status()).isEqualTo(0);
    assertThat(strict.status()).isEqualTo(1);
    assertThat(strict.out()).isEqualTo(lenient.out());
  }

  @Test
  void howToResolveUnknownStorageIsSaidOnceAndForTheWayTheDatabaseWasFound() throws IOException {
    Path declared = write("notes.yaml", UNKNOWN_DRIVER);
    Path annotated = write("annotated.yaml", UNKNOWN_DRIVER.substring(0, UNKNOWN_DRIVER.indexOf("---\napiVersion:"
        + " walguard.io")).replace("metadata: {name: notes-data}",
            "metadata: {name: notes-data, annotations: {walguard.io/sqlite: \"true\"}}"));

    String declaredReasons = only(CliRun.audit(declared, "-o", "json")).get("reasons").toString();
    String annotatedReasons = only(CliRun.audit(annotated, "-o", "json")).get("reasons").toString();

    assertThat(declaredReasons.split("walguard.io/probe", -1)).hasSize(2);
    assertThat(declaredReasons).contains("annotate the SqliteDatabase walguard.io/probe");
    assertThat(annotatedReasons.split("walguard.io/probe", -1)).hasSize(2);
    assertThat(annotatedReasons).contains("on the SqliteDatabase default/notes-data walguard creates for the"
        + " annotation walguard.io/sqlite (or on one you write for the claim), set spec.storage or annotate it"
        + " walguard.io/probe");
  }

  @Test
  void aDriversFileTeachesWalguardADriver() throws IOException {
    Path file = write("notes.yaml", UNKNOWN_DRIVER);
    Path drivers = write("drivers.yaml", """
        drivers:
          - name: csi.example.com
            kind: network
            description: Example NAS, NFS v3 exports
        """);

    CliRun run = CliRun.audit(file, "-o", "json", "--drivers", drivers.toString());

    assertThat(run.status()).isEqualTo(1);
    JsonNode notes = only(run);
    assertThat(notes.get("storage").asText()).isEqualTo("network");
    assertThat(notes.get("storageEvidence").asText()).contains("csi.example.com");
    assertThat(notes.get("verdict").asText()).isEqualTo("unsafe");
  }

  @Test
  void aBrokenDriversFileIsBadInput() throws IOException {
    Path file = write("notes.yaml", UNKNOWN_DRIVER);
    Path drivers = write("drivers.yaml", "drivers:\n  - name: csi.example.com\n    kind: wobbly\n");

    CliRun run = CliRun.audit(file, "--drivers", drivers.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--drivers").contains("drivers.yaml").contains("wobbly").doesNotContain("\tat ");
  }

  @Test
  void aMissingDriversFileIsBadInput() throws IOException {
    Path file = write("notes.yaml", UNKNOWN_DRIVER);

    CliRun run = CliRun.audit(file, "--drivers", dir.resolve("absent.yaml").toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--drivers").contains("absent.yaml").contains("no such file");
  }

  @Test
  void objectsWithoutANamespaceAreInTheNamespaceGiven() throws IOException {
    Path file = write("notes.yaml", UNKNOWN_DRIVER);

    CliRun run = CliRun.audit(file, "-o", "json", "--namespace", "team-notes");

    assertThat(only(run).get("namespace").asText()).isEqualTo("team-notes");
    assertThat(only(run).get("openers").get(0).asText()).isEqualTo("Deployment/notes");
  }

  @Test
  void aSqliteDatabaseWhoseClaimIsNotInTheInputIsUnknownNotACrash() throws IOException {
    Path file = write("db.yaml", """
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: lonely, namespace: apps}
        spec: {claimName: lonely-data, file: app.db}
        """);

    CliRun run = CliRun.audit(file, "-o", "json");

    assertThat(run.status()).isEqualTo(0);
    JsonNode lonely = only(run);
    assertThat(lonely.get("verdict").asText()).isEqualTo("unknown");
    assertThat(lonely.get("claim").asText()).isEqualTo("lonely-data");
    assertThat(lonely.get("reasons").toString()).contains("lonely-data");
  }

  @Test
  void aStatusInTheInputIsNotEchoed() throws IOException {
    Path grafana = ExamplesTest.EXAMPLES.resolve("grafana-efs");
    Path copy = dir.resolve("grafana");
    Files.createDirectories(copy);
    for (String name : new String[] {"storageclass.yaml", "grafana.yaml"}) {
      Files.copy(grafana.resolve(name), copy.resolve(name));
    }
    Files.writeString(copy.resolve("grafana.yaml"), Files.readString(copy.resolve("grafana.yaml"))
        + "status: {verdict: safe, action: none, nodes: [node-z]}\n");

    CliRun run = CliRun.audit(copy, "-o", "json");

    assertThat(run.status()).isEqualTo(1);
    assertThat(only(run).get("verdict").asText()).isEqualTo("unsafe");
    assertThat(only(run).get("nodes")).isEmpty();
  }

  @Test
  void aSqliteDatabaseWithAnAbsoluteFileIsBadInputWithNothingOnStdout() throws IOException {
    Path file = write("db.yaml", """
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: grafana, namespace: monitoring}
        spec:
          claimName: grafana-data
          file: /var/lib/grafana/grafana.db
        """);

    CliRun run = CliRun.audit(file, "-o", "json");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("db.yaml, line 6").contains("SqliteDatabase/grafana")
        .contains("spec.file \"/var/lib/grafana/grafana.db\" is absolute");
  }

  @Test
  void notesGoToStderrAndStdoutStaysOneJsonDocument() throws IOException {
    write("values.yaml", "replicaCount: 2\n");
    write("notes.yaml", UNKNOWN_DRIVER);

    CliRun run = CliRun.audit(dir, "-o", "json");

    assertThat(run.err()).contains("note: ").contains("values.yaml");
    assertThat(new ObjectMapper().readTree(run.out()).get("databases")).hasSize(1);
  }

  @Test
  void nothingToAuditIsNotAFailure() throws IOException {
    Path file = write("plain.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {a: b}
        """);

    CliRun table = CliRun.audit(file);
    CliRun json = CliRun.audit(file, "-o", "json");

    assertThat(table.status()).isEqualTo(0);
    assertThat(table.out()).contains("No SQLite databases found");
    assertThat(new ObjectMapper().readTree(json.out()).get("databases")).isEmpty();
  }
}
