package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walguard.apps.AppProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseDiscoveryTest {

  @TempDir Path dir;
  final List<String> notes = new ArrayList<>();

  Manifests manifests(String yaml) throws IOException, BadInputException {
    Path file = Files.writeString(dir.resolve("manifests.yaml"), yaml);
    Manifests manifests = new ManifestLoader("default", notes::add).load(List.of(file));
    StatefulSetClaims.addMissing(manifests.facts());
    return manifests;
  }

  List<DatabaseDiscovery.Target> discover(String yaml) throws IOException, BadInputException {
    return new DatabaseDiscovery(AppProfiles.builtIn(), notes::add).discover(manifests(yaml));
  }

  static String deployment(String name, String annotations, String templateAnnotations, String claim, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, annotations: {%s}}
        spec:
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}, annotations: {%s}}
            spec:
              containers: [{name: app, image: %s}]
              volumes: [{name: data, persistentVolumeClaim: {claimName: %s}}]
        ---
        """.formatted(name, annotations, name, name, templateAnnotations, image, claim);
  }

  @Test
  void everySqliteDatabaseIsADatabase() throws Exception {
    var targets = discover("""
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: grafana, namespace: monitoring}
        spec: {claimName: grafana-data, file: grafana.db}
        """);

    assertThat(targets).singleElement().satisfies(t -> {
      assertThat(t.namespace()).isEqualTo("monitoring");
      assertThat(t.name()).isEqualTo("grafana");
      assertThat(t.claim()).isEqualTo("grafana-data");
      assertThat(t.database().getSpec().getFile()).isEqualTo("grafana.db");
    });
  }

  @Test
  void aClaimAnnotatedSqliteIsADatabaseNamedAfterIt() throws Exception {
    var targets = discover("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: vault-data
          annotations: {walguard.io/sqlite: "true", walguard.io/sqlite-file: db.sqlite3}
        spec: {storageClassName: local-path}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: other, annotations: {walguard.io/sqlite: "false"}}
        """);

    assertThat(targets).singleElement().satisfies(t -> {
      assertThat(t.namespace()).isEqualTo("default");
      assertThat(t.name()).isEqualTo("vault-data");
      assertThat(t.claim()).isEqualTo("vault-data");
      assertThat(t.database().getMetadata().getNamespace()).isEqualTo("default");
      assertThat(t.database().getSpec().getClaimName()).isEqualTo("vault-data");
      assertThat(t.database().getSpec().getFile()).isEqualTo("db.sqlite3");
      // As the operator creates it: report only, until a person adopts a remedy.
      assertThat(t.database().getSpec().getRemedy().name()).isEqualTo("none");
      assertThat(t.database().getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "walguard")
          .containsEntry("walguard.io/database", "vault-data");
    });
  }

  @Test
  void everyClaimMountedByAnAnnotatedWorkloadOrPodTemplateIsADatabase() throws Exception {
    var targets = discover(
        deployment("on-metadata", "walguard.io/sqlite: \"true\"", "", "a-data", "busybox")
            + deployment("on-template", "", "walguard.io/sqlite: \"true\", walguard.io/sqlite-file: x.db", "b-data",
                "busybox")
            + deployment("not-opted-in", "", "", "c-data", "busybox")
            + """
            apiVersion: v1
            kind: Pod
            metadata: {name: bare, annotations: {walguard.io/sqlite: "TRUE"}}
            spec:
              containers: [{name: app, image: busybox}]
              volumes: [{name: data, persistentVolumeClaim: {claimName: d-data}}]
            """);

    assertThat(targets).extracting(DatabaseDiscovery.Target::name).containsExactly("a-data", "b-data", "d-data");
    assertThat(targets.get(1).database().getSpec().getFile()).isEqualTo("x.db");
    assertThat(targets.get(0).database().getSpec().getFile()).isEmpty();
  }

  @Test
  void aStatefulSetsTemplateClaimsAreDatabasesAndExistAsClaimsWithTheTemplatesSpec() throws Exception {
    Manifests manifests = manifests("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: kuma, namespace: status, annotations: {walguard.io/sqlite: "true"}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: kuma}}
          template:
            metadata: {labels: {app: kuma}}
            spec: {containers: [{name: kuma, image: louislam/uptime-kuma:1}]}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              accessModes: [ReadWriteMany]
              storageClassName: longhorn-rwx
              resources: {requests: {storage: 1Gi}}
        """);

    var targets = new DatabaseDiscovery(AppProfiles.builtIn(), notes::add).discover(manifests);

    assertThat(targets).extracting(DatabaseDiscovery.Target::claim).containsExactly("data-kuma-0", "data-kuma-1");
    assertThat(targets).allSatisfy(t -> assertThat(t.namespace()).isEqualTo("status"));
    assertThat(manifests.facts().claim("status", "data-kuma-1")).get().satisfies(claim -> {
      assertThat(claim.getSpec().getStorageClassName()).isEqualTo("longhorn-rwx");
      assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    });
    assertThat(targets.get(0).database().getSpec().getApp()).isEqualTo("uptime-kuma");
  }

  @Test
  void aStatefulSetsTemplateClaimGivenAsAnObjectIsKeptAsGiven() throws Exception {
    Manifests manifests = manifests("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          ordinals: {start: 3}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {storageClassName: from-template}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data-db-3}
        spec: {storageClassName: bound-already}
        """);

    assertThat(manifests.facts().claim("default", "data-db-3").get().getSpec().getStorageClassName())
        .isEqualTo("bound-already");
    assertThat(manifests.facts().claim("default", "data-db-0")).isEmpty();
  }

  @Test
  void aClaimCoveredByASqliteDatabaseIsReportedOnceAsTheSqliteDatabase() throws Exception {
    var targets = discover(deployment("grafana", "walguard.io/sqlite: \"true\"", "", "grafana-data",
        "grafana/grafana:11.0.0") + """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: grafana-data, annotations: {walguard.io/sqlite: "true"}}
        ---
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: grafana-db}
        spec: {claimName: grafana-data, file: grafana.db}
        """);

    assertThat(targets).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("grafana-db");
      assertThat(t.claim()).isEqualTo("grafana-data");
    });
  }

  @Test
  void anOptedInDatabaseKnowsItsAppByTheImageOfItsOpeners() throws Exception {
    var targets = discover(deployment("grafana", "walguard.io/sqlite: \"true\"", "", "grafana-data",
        "docker.io/grafana/grafana:11.0.0"));

    assertThat(targets).singleElement().satisfies(t -> assertThat(t.database().getSpec().getApp()).isEqualTo("grafana"));
  }

  @Test
  void aSqliteDatabaseWhoseClaimIsNotInTheInputIsStillADatabase() throws Exception {
    var targets = discover("""
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: lonely}
        spec: {claimName: nowhere, file: app.db}
        """);

    assertThat(targets).singleElement().satisfies(t -> assertThat(t.claim()).isEqualTo("nowhere"));
  }

  @Test
  void anUnknownAppGetsANoteNotAnError() throws Exception {
    discover("""
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: x}
        spec: {claimName: data, file: app.db, app: made-up}
        """);

    assertThat(notes).singleElement().asString().contains("spec.app \"made-up\"").contains("grafana");
  }

  /** An opt-in walguard cannot act on is said on stderr, never dropped in silence. */
  static Stream<Arguments> optInsWithoutADatabase() {
    return Stream.of(
        Arguments.of("an Argo Rollout, a kind walguard does not read", """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: r, annotations: {walguard.io/sqlite: "true"}}
            spec:
              replicas: 3
              template:
                spec:
                  containers: [{name: a, image: b}]
                  volumes: [{name: d, persistentVolumeClaim: {claimName: rdata}}]
            """, "manifests.yaml, line 1: Rollout/r (argoproj.io/v1alpha1) carries walguard.io/sqlite: \"true\", but"
                + " walguard does not read Rollout objects: it is not audited, and its pods are not counted as openers"
                + " of rdata; to audit that claim, annotate its PVC or write a SqliteDatabase, and mind that these"
                + " pods still are not counted"),
        Arguments.of("a ReplicationController opted in on its pod template", """
            apiVersion: v1
            kind: ReplicationController
            metadata: {name: rc}
            spec:
              template:
                metadata: {annotations: {walguard.io/sqlite: "true"}}
                spec:
                  containers: [{name: a, image: b}]
            """, "manifests.yaml, line 1: ReplicationController/rc (v1) carries walguard.io/sqlite: \"true\", but"
                + " walguard does not read ReplicationController objects: it is not audited, and its pods are not"
                + " counted as openers"),
        Arguments.of("a Deployment that mounts no claim", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, annotations: {walguard.io/sqlite: "true"}}
            spec:
              selector: {matchLabels: {app: d}}
              template:
                metadata: {labels: {app: d}}
                spec:
                  containers: [{name: a, image: b}]
                  volumes: [{name: scratch, emptyDir: {}}]
            """, "manifests.yaml, line 1: Deployment/d carries walguard.io/sqlite: \"true\", but its pods mount no"
                + " PersistentVolumeClaim, so it opts no database in: walguard audits databases on claims"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optInsWithoutADatabase")
  void anOptInWithoutADatabaseIsNoted(String why, String yaml, String note) throws Exception {
    var targets = discover(yaml);

    assertThat(targets).isEmpty();
    assertThat(notes).singleElement().asString().startsWith(dir.resolve(note.substring(0, note.indexOf(','))) + ",")
        .endsWith(note.substring(note.indexOf(',')));
  }

  static Stream<Arguments> schemaViolations() {
    return Stream.of(
        Arguments.of("claimName missing", "spec: {file: app.db}",
            new String[] {"line 4", "SqliteDatabase/db", "spec.claimName is missing", "PersistentVolumeClaim"}),
        Arguments.of("claimName not a name", "spec: {claimName: Data_Claim, file: app.db}",
            new String[] {"SqliteDatabase/db", "spec.claimName \"Data_Claim\"", "lower-case"}),
        Arguments.of("file missing", "spec: {claimName: data}",
            new String[] {"SqliteDatabase/db", "spec.file is missing", "e.g. app.db"}),
        Arguments.of("file absolute", "spec:\n  claimName: data\n  file: /var/lib/grafana/grafana.db",
            new String[] {"line 6", "SqliteDatabase/db", "spec.file \"/var/lib/grafana/grafana.db\" is absolute",
                "relative"}),
        Arguments.of("file climbing out", "spec: {claimName: data, file: ../etc/app.db}",
            new String[] {"SqliteDatabase/db", "spec.file \"../etc/app.db\" contains '..'"}),
        Arguments.of("spec missing", "",
            new String[] {"line 1", "SqliteDatabase/db", "spec is missing", "spec.claimName", "spec.file"}),
        Arguments.of("schedule not cron", "spec: {claimName: data, file: a.db, checkpoint: {schedule: often}}",
            new String[] {"SqliteDatabase/db", "spec.checkpoint.schedule \"often\"", "*/15 * * * *"}),
        Arguments.of("walSizeLimit not positive", "spec: {claimName: data, file: a.db, checkpoint: {walSizeLimit: 0}}",
            new String[] {"SqliteDatabase/db", "spec.checkpoint.walSizeLimit", "positive"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaViolations")
  void aSqliteDatabaseThatBreaksTheSchemaIsBadInputNamingTheObjectAndTheField(String why, String spec,
      String[] expected) {
    String yaml = """
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: db}
        """ + spec + "\n";

    assertThatThrownBy(() -> discover(yaml))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(dir.resolve("manifests.yaml").toString())
        .hasMessageContainingAll(expected);
  }

  @Test
  void anAbsoluteFileInTheOptInAnnotationIsBadInput() {
    String yaml = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data
          annotations:
            walguard.io/sqlite: "true"
            walguard.io/sqlite-file: /data/app.db
        """;

    assertThatThrownBy(() -> discover(yaml))
        .isInstanceOf(BadInputException.class)
        .hasMessageContainingAll("manifests.yaml, line 7", "PersistentVolumeClaim/data",
            "annotation walguard.io/sqlite-file", "\"/data/app.db\" is absolute");
  }
}
