package io.walguard.audit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs that the generated suite ({@link HostileManifestTest}) found mishandled, each pinned by name: they crashed
 * the audit (an internal error), hung it, took time quadratic in their size, or were refused with a message that
 * leaked Java class names or repeated a huge value.
 */
class HostileInputRegressionTest {

  private static final Duration BOUND = HostileManifestTest.PER_INPUT;

  @TempDir Path dir;

  private AuditRun audit(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    AuditRun run = assertTimeoutPreemptively(BOUND, () -> AuditRun.json(file.toString()));
    HostileInput input = HostileInput.any("regression", name, name, text);
    AuditContract.holds(input, file.toString(), run);
    return run;
  }

  private static String message(AuditRun run) {
    assertThat(run.status()).as(run.err()).isEqualTo(2);
    return run.errorLines().get(0);
  }

  @Test
  void aMappingThatMergesItselfIsRefusedInsteadOfLoopingForever() throws IOException {
    AuditRun run = audit("self-merge.yaml", BombFuzz.PVC + "---\nx: &a {<<: *a, k: 1}\n");

    assertThat(message(run)).contains("self-merge.yaml, line 10", "merge key", "contains itself");
  }

  @Test
  void aMappingThatMergesTheMappingItSitsInIsRefused() throws IOException {
    assertThat(message(audit("parent-merge.yaml", "x: &a\n  inner:\n    <<: *a\n"))).contains("line 3", "merge key");
  }

  @Test
  void mergeKeysOfOtherMappingsStillWork() throws IOException {
    AuditRun run = audit("merge.yaml", """
        apiVersion: v1
        kind: List
        items:
        - &claim
          apiVersion: v1
          kind: PersistentVolumeClaim
          metadata: {name: data, annotations: {walguard.io/sqlite: "true"}}
          spec: {accessModes: [ReadWriteOnce], storageClassName: local-path}
        - <<: *claim
          metadata: {name: other, annotations: {walguard.io/sqlite: "true"}}
        """);

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("\"claim\": \"data\"", "\"claim\": \"other\"");
  }

  @Test
  void aYamlTagThatDoesNotFitItsValueIsRefusedWithItsLine() throws IOException {
    for (String value : new String[] {"!!int abc", "!!binary \"@@@\"", "!!str [a]", "!!map word", "!!seq {a: 1}"}) {
      AuditRun run = audit("tag.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  k: " + value
          + "\n");

      assertThat(message(run)).as(value).contains("tag.yaml, line 5", "a YAML tag that does not fit its value");
    }
  }

  @Test
  void aYamlTagThatDoesNotFitItsValueInAComposeFileIsRefused() throws IOException {
    AuditRun run = audit("tags/compose.yaml", "services:\n  app: {image: !!int abc}\n");

    assertThat(message(run)).contains("a YAML tag that does not fit its value");
  }

  @Test
  void anEmptyListItemIsRefusedWithItsFieldAndLine() throws IOException {
    AuditRun run = audit("empty-item.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers: [{name: web, image: nginx}]
              volumes:
                -
        """);

    assertThat(message(run)).contains("empty-item.yaml, line 9", "Deployment/web",
        "spec.template.spec.volumes[0] is an empty item");
  }

  @Test
  void anObjectOfAKindWalguardDoesNotReadWithoutANameIsSkippedWithANote() throws IOException {
    AuditRun run = audit("configmap.yaml", BombFuzz.PVC + "---\napiVersion: v1\nkind: ConfigMap\n");

    assertThat(run.status()).isZero();
    assertThat(run.err()).contains("a ConfigMap without metadata.name, skipped");
  }

  @Test
  void negativeReplicasAreRefusedAsTheApiServerRefusesThem() throws IOException {
    AuditRun run = audit("negative.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        + "spec:\n  replicas: -3\n");

    assertThat(message(run)).contains("negative.yaml, line 5", "Deployment/web", "spec.replicas is -3",
        "must be 0 or more");
  }

  @Test
  void aStatefulSetOfMoreReplicasThanWalguardListsIsRefusedBeforeItsClaimsAreNamed() throws IOException {
    AuditRun run = audit("statefulset.yaml", """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, annotations: {walguard.io/sqlite: "true"}}
        spec:
          replicas: 2147483647
          volumeClaimTemplates: [{metadata: {name: data}}]
          template: {spec: {containers: [{name: db, image: example/db}]}}
        """);

    assertThat(message(run)).contains("statefulset.yaml, line 5", "StatefulSet/db", "at most 10000 replicas");
  }

  @Test
  void aStatefulSetWhoseOrdinalsStartNearTheTopOfIntNamesItsClaims() throws IOException {
    AuditRun run = audit("ordinals.yaml", """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, annotations: {walguard.io/sqlite: "true"}}
        spec:
          replicas: 2
          ordinals: {start: 2147483647}
          volumeClaimTemplates: [{metadata: {name: data}, spec: {storageClassName: local-path}}]
          template: {spec: {containers: [{name: db, image: example/db}]}}
        """);

    assertThat(run.out()).contains("data-db-2147483647", "data-db-2147483648");
  }

  @Test
  void aRolloutBudgetOfMorePodsThanAnIntCountsStillSurges() throws IOException {
    AuditRun run = audit("surge.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, annotations: {walguard.io/sqlite: "true"}}
        spec: {accessModes: [ReadWriteMany], storageClassName: efs}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: efs}
        provisioner: efs.csi.aws.com
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          strategy: {rollingUpdate: {maxSurge: "300000000000%"}}
          template:
            spec:
              containers: [{name: web, image: nginx}]
              volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
        """);

    // It wrapped round to a negative number of pods, and the database was called safe.
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("\"verdict\": \"unsafe\"").doesNotContain("-1294967296");
  }

  @Test
  void aWrongRolloutBudgetIsExplainedWithoutJavaClassNames() throws IOException {
    AuditRun run = audit("budget.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        + "spec:\n  strategy:\n    rollingUpdate:\n      maxSurge: [25%]\n");

    assertThat(message(run)).contains("budget.yaml, line 7", "spec.strategy.rollingUpdate.maxSurge",
        "must be an integer or a string (such as 1 or \"25%\"), not a list").doesNotContain("fabric8");
  }

  @Test
  void aBinaryValueIsNamedNotPrintedAsAJavaObject() throws IOException {
    AuditRun run = audit("binary.yaml", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"
        + "spec:\n  accessModes: !!binary aGVsbG8=\n");

    assertThat(message(run)).contains("spec.accessModes must be a list, not binary data (!!binary)");
  }

  @Test
  void aHugeValueIsShortenedInTheMessageAndALineBreakEscaped() throws IOException {
    String schedule = "x".repeat(3_000);
    AuditRun run = audit("schedule.yaml", """
        apiVersion: walguard.io/v1alpha1
        kind: SqliteDatabase
        metadata: {name: "two\\nlines"}
        spec: {claimName: data, file: app.db, checkpoint: {schedule: %s}}
        """.formatted(schedule));

    assertThat(message(run)).contains("SqliteDatabase/\"two\\nlines\"", "(3000 characters, shortened)")
        .hasSizeLessThan(400);
  }

  @Test
  void aComposeLabelOfAHugeValueIsShortenedInTheMessage() throws IOException {
    AuditRun run = audit("label/compose.yaml", BombFuzz.COMPOSE.replace("walguard.io/sqlite: \"true\"",
        "walguard.io/sqlite: " + "y".repeat(5_000)));

    assertThat(message(run)).contains("(5000 characters, shortened)").hasSizeLessThan(400);
  }

  @Test
  void jsonNestedTooDeepIsRefusedWithItsLineAndTheLimit() throws IOException {
    AuditRun run = audit("deep.json", "{\"a\":\n".repeat(200) + "1" + "}".repeat(200));

    assertThat(message(run)).contains("deep.json, line 101", "JSON nesting depth over 100 levels")
        .doesNotContain("StreamReadConstraints");
  }

  @Test
  void aliasesCannotNestADocumentPastTheLimit() throws IOException {
    StringBuilder text = new StringBuilder("a0: &a0 end\n");
    for (int i = 1; i <= 20; i++) {
      text.append("a").append(i).append(": &a").append(i).append(' ').append("[".repeat(10)).append("*a")
          .append(i - 1).append("]".repeat(10)).append('\n');
    }

    assertThat(message(audit("chain.yaml", text.toString()))).contains("nests more than 100 levels deep");
  }

  @Test
  void composeAliasesCannotNestValuesPastTheLimit() throws IOException {
    StringBuilder text = new StringBuilder(BombFuzz.COMPOSE).append("x-a0: &a0 end\n");
    for (int i = 1; i <= 20; i++) {
      text.append("x-a").append(i).append(": &a").append(i).append(' ').append("{k: ".repeat(10)).append("*a")
          .append(i - 1).append("}".repeat(10)).append('\n');
    }

    assertThat(message(audit("chain/compose.yaml", text.toString()))).contains("more than 64 levels deep");
  }

  @Test
  void aDocumentOfAMillionValuesIsRefusedAsItIsRead() throws IOException {
    // Refused after a million values, not after the whole file is held in memory.
    AuditRun run = audit("values.yaml", "[" + "1,".repeat(1_200_000) + "1]\n");

    assertThat(message(run)).contains("values.yaml, line 1", "more than 1000000 values");
  }

  @Test
  void standardInputPastTheSizeLimitIsRefused() {
    AuditRun run = withStdin(new ByteArrayInputStream(new byte[17 * 1024 * 1024]), () -> AuditRun.json("-"));

    assertThat(message(run)).contains("<stdin>", "16 MiB");
  }

  @Test
  void standardInputThatNeverEndsIsRefusedAtTheSizeLimit() {
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 'x');
        return len;
      }
    };

    AuditRun run = withStdin(endless, () -> AuditRun.json("-"));

    assertThat(message(run)).contains("<stdin>", "16 MiB");
  }

  /** A run with System.in replaced, since {@code -f -} reads the process's standard input. */
  private static AuditRun withStdin(InputStream in, java.util.function.Supplier<AuditRun> run) {
    InputStream saved = System.in;
    System.setIn(in);
    try {
      AuditRun result = assertTimeoutPreemptively(BOUND, run::get);
      AuditContract.holds(HostileInput.any("stdin", "standard input", "-", new byte[0]), "<stdin>", result);
      return result;
    } finally {
      System.setIn(saved);
    }
  }
}
