package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Input walguard cannot read stops the audit: exit 2, nothing on stdout, one message naming what and where. */
class BadInputTest {

  @TempDir Path dir;

  static Stream<Arguments> unreadableManifests() {
    return Stream.of(
        Arguments.of("a YAML syntax error names the file and line", "broken.yaml", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: data
               labels: {}
            """, new String[] {"broken.yaml, line 5", "YAML syntax error"}),
        Arguments.of("an unclosed flow sequence", "flow.yaml", "apiVersion: v1\nkind: Pod\nspec: [\n",
            new String[] {"flow.yaml, line 4", "YAML syntax error"}),
        Arguments.of("a Helm template gets a hint", "templates/deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              replicas: {{ .Values.replicas }}
            """, new String[] {"deployment.yaml, line 4", "helm template"}),
        Arguments.of("a duplicate key", "dup.yaml", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: a}
            metadata: {name: b}
            """, new String[] {"dup.yaml, line 4", "duplicate key metadata"}),
        Arguments.of("a JSON syntax error names the file and line", "broken.json", """
            {"apiVersion": "v1",
             "kind": "PersistentVolumeClaim",
             "metadata": {"name": "data",}
            }
            """, new String[] {"broken.json, line 3", "JSON syntax error"}),
        Arguments.of("a wrong type names the object, the field and the line", "deploy.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: two
            """, new String[] {"deploy.yaml, line 5", "Deployment/web", "spec.replicas", "must be an integer",
                "\"two\""}),
        Arguments.of("a mapping where a list belongs", "pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
                name: app
                image: busybox
            """, new String[] {"pod.yaml, line 5", "Pod/p", "spec.containers", "must be a list", "a mapping"}),
        Arguments.of("a list where a mapping belongs, inside a List", "list.yaml", """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: PersistentVolumeClaim
              metadata:
                name: data
                annotations: [walguard.io/sqlite]
            """, new String[] {"list.yaml, line 8", "PersistentVolumeClaim/data", "metadata.annotations",
                "must be a mapping"}),
        Arguments.of("an enum value outside the schema", "db.yaml", """
            apiVersion: walguard.io/v1alpha1
            kind: SqliteDatabase
            metadata: {name: grafana}
            spec:
              claimName: grafana-data
              file: grafana.db
              remedy: sometimes
            """, new String[] {"db.yaml, line 7", "SqliteDatabase/grafana", "spec.remedy", "\"sometimes\"",
                "auto", "pin", "journal", "none"}),
        Arguments.of("a field the SqliteDatabase schema does not have", "db.yaml", """
            apiVersion: walguard.io/v1alpha1
            kind: SqliteDatabase
            metadata: {name: grafana}
            spec:
              claimName: grafana-data
              fiel: grafana.db
            """, new String[] {"db.yaml, line 6", "SqliteDatabase/grafana", "spec.fiel is not a field", "file"}),
        Arguments.of("an apiVersion that does not serve the kind", "db.yaml", """
            apiVersion: walguard.io/v1
            kind: SqliteDatabase
            metadata: {name: grafana}
            spec: {claimName: grafana-data, file: grafana.db}
            """, new String[] {"db.yaml, line 1", "SqliteDatabase/grafana", "walguard.io/v1alpha1"}),
        Arguments.of("a workload without a name", "anon.yaml", """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {labels: {app: x}}
            """, new String[] {"anon.yaml, line 1", "StatefulSet without metadata.name"}),
        Arguments.of("an object with apiVersion but no kind", "nokind.yaml", """
            apiVersion: apps/v1
            metadata: {name: d}
            spec: {replicas: 3}
            """, new String[] {"nokind.yaml, line 1: the object d has apiVersion apps/v1 but no kind: add its kind"
                + " (apps/v1 serves DaemonSet, Deployment, ReplicaSet, StatefulSet)"}),
        Arguments.of("an object with kind but no apiVersion, inside a List", "noversion.yaml", """
            apiVersion: v1
            kind: List
            items:
            - kind: PersistentVolumeClaim
              metadata: {name: data}
            """, new String[] {"noversion.yaml, line 4: the PersistentVolumeClaim data has no apiVersion: add"
                + " apiVersion: v1"}),
        Arguments.of("a claim volume without claimName", "deploy.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, annotations: {walguard.io/sqlite: "true"}}
            spec:
              template:
                spec:
                  containers: [{name: a, image: b}]
                  volumes: [{name: d, persistentVolumeClaim: {}}]
            """, new String[] {"deploy.yaml, line 8", "Deployment/web",
                "spec.template.spec.volumes[0].persistentVolumeClaim.claimName is missing",
                "set it to the PersistentVolumeClaim the volume mounts"}),
        Arguments.of("a claim volume whose claimName is misspelt", "cron.yaml", """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: backup}
            spec:
              schedule: "@daily"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: a, image: b}]
                      volumes:
                      - name: cfg
                        emptyDir: {}
                      - name: d
                        persistentVolumeClaim: {claimname: data}
            """, new String[] {"cron.yaml, line 16", "CronJob/backup",
                "spec.jobTemplate.spec.template.spec.volumes[1].persistentVolumeClaim.claimName is missing",
                "(it has \"claimname\", which is not a field: the field is claimName)"}),
        Arguments.of("a Pod's claim volume with a blank claimName", "pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers: [{name: a, image: b}]
              volumes: [{name: d, persistentVolumeClaim: {claimName: ""}}]
            """, new String[] {"pod.yaml, line 6", "Pod/p", "spec.volumes[0].persistentVolumeClaim.claimName"}),
        Arguments.of("an alias bomb beyond the alias limit", "laughs.yaml", """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """, new String[] {"laughs.yaml", "refused", "aliases"}),
        Arguments.of("an alias bomb within the alias limit", "quiet-laughs.yaml", bombWithin(12, 4),
            new String[] {"quiet-laughs.yaml", "refused", "expands to more than"}),
        Arguments.of("a recursive alias", "loop.yaml", "a: &loop [1, *loop]\n",
            new String[] {"loop.yaml", "refused", "recursive"}),
        Arguments.of("absurd nesting", "deep.yaml", "a: " + "[".repeat(500) + "]".repeat(500) + "\n",
            new String[] {"deep.yaml", "refused", "Nesting Depth"}),
        Arguments.of("absurd nesting in JSON", "deep.json", "[".repeat(500) + "]".repeat(500) + "\n",
            new String[] {"deep.json", "JSON", "nesting depth"}));
  }

  /** A document with {@code levels} levels of {@code width} aliases each: width^levels values once expanded. */
  static String bombWithin(int levels, int width) {
    StringBuilder yaml = new StringBuilder("l0: &l0 [x, x, x, x]\n");
    for (int level = 1; level <= levels; level++) {
      yaml.append("l").append(level).append(": &l").append(level).append(" [");
      for (int i = 0; i < width; i++) {
        yaml.append(i == 0 ? "" : ", ").append("*l").append(level - 1);
      }
      yaml.append("]\n");
    }
    return yaml.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableManifests")
  void unreadableManifestsStopTheAuditWithExit2AndAMessage(String why, String name, String content,
      String[] expected) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);

    CliRun run = CliRun.audit(dir, "-o", "json");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(run.err().lines().filter(l -> !l.contains("note:"))).hasSize(1);
  }

  @Test
  void aBinaryFileIsReportedNotParsed() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    Path file = Files.write(dir.resolve("logo.yaml"), png);

    CliRun run = CliRun.audit(file);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("logo.yaml").contains("binary file").contains("not parsed");
  }

  @Test
  void aFileThatIsNotUtf8IsReportedNotParsed() throws IOException {
    Path file = Files.write(dir.resolve("latin1.yaml"),
        "metadata: {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));

    CliRun run = CliRun.audit(file);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("latin1.yaml").contains("not UTF-8").contains("not parsed");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aFileThatCannotBeReadIsReported() {
    // Opening /proc/self/mem succeeds, reading it from offset 0 fails with an I/O error, even for root.
    CliRun run = CliRun.audit(Path.of("/proc/self/mem"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("/proc/self/mem: cannot be read");
  }

  @Test
  void aMissingPathIsReported() {
    CliRun run = CliRun.audit(dir.resolve("nowhere.yaml"));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("nowhere.yaml: no such file or directory");
  }

  @Test
  void aFileTooLargeIsRefusedBeforeParsing() throws IOException {
    Path file = dir.resolve("huge.yaml");
    byte[] line = "# padding padding padding padding padding padding padding padding padding padding\n"
        .getBytes(StandardCharsets.US_ASCII);
    try (var out = Files.newOutputStream(file)) {
      for (long written = 0; written <= ManifestParser.MAX_FILE_BYTES; written += line.length) {
        out.write(line);
      }
    }

    CliRun run = CliRun.audit(file);

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("huge.yaml").contains("more than walguard reads");
  }

  @Test
  void anUnknownOutputFormatIsAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("empty.yaml"), "");

    CliRun run = CliRun.audit(file, "-o", "xml");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("xml");
  }
}
