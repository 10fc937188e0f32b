package io.walguard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.walguard.api.CheckpointSpec;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolboxJobsTest {

  static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xmx64m");

  static SqliteDatabase database(String name) {
    SqliteDatabase db = new SqliteDatabase();
    db.getMetadata().setName(name);
    db.getMetadata().setNamespace("monitoring");
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName("grafana-data");
    spec.setFile("data/grafana.db");
    CheckpointSpec checkpoint = new CheckpointSpec();
    checkpoint.setSchedule("*/5 * * * *");
    checkpoint.setMode(CheckpointSpec.Mode.TRUNCATE);
    spec.setCheckpoint(checkpoint);
    db.setSpec(spec);
    return db;
  }

  @Test
  void checkpointCronJobRunsOnTheOpenersNodeWithTheSameClaim() {
    var opener = new ToolboxPod.OpenerContext("node-a", 472L, 472L, 472L,
        List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()));
    var cronJob = CheckpointCronJob.build(database("grafana"), "walguard/walguard:1.0", FLAGS, opener);

    assertThat(cronJob.getMetadata().getName()).isEqualTo("grafana-checkpoint");
    assertThat(cronJob.getSpec().getSchedule()).isEqualTo("*/5 * * * *");
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    PodSpec pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    // The node's name, as pods carry it in spec.nodeName: the kubernetes.io/hostname label may differ from it.
    var term = pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms().get(0);
    assertThat(term.getMatchExpressions()).isEmpty();
    assertThat(term.getMatchFields()).singleElement().satisfies(f -> {
      assertThat(f.getKey()).isEqualTo("metadata.name");
      assertThat(f.getOperator()).isEqualTo("In");
      assertThat(f.getValues()).containsExactly("node-a");
    });
    assertThat(ToolboxPod.node(pod)).contains("node-a");
    assertThat(pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("grafana-data");
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(pod.getContainers().get(0).getArgs()).containsSubsequence("-XX:+UseSerialGC", "-jar",
        ToolboxPod.JAR, "sqlite", "checkpoint", "/var/lib/walguard/db/data/grafana.db", "--mode", "TRUNCATE");
    assertThat(pod.getContainers().get(0).getTerminationMessagePath()).isEqualTo("/dev/termination-log");
  }

  @Test
  void toolboxPodsRunAsTheOpenersUserWithARestrictedSecurityContext() {
    var opener = new ToolboxPod.OpenerContext("node-a", 1000L, 1000L, 2000L, List.of());
    PodSpec pod = ToolboxJob.journalMode(database("vw"), "DELETE", "img", FLAGS, opener).getSpec().getTemplate()
        .getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(2000L);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void aRootOpenerGetsARootToolboxBecauseTheFilesAreRoots() {
    var opener = new ToolboxPod.OpenerContext("node-a", 0L, null, null, List.of());
    PodSpec pod = ToolboxJob.probe(database("ha"), "img", FLAGS, opener).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isZero();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isNull();
  }

  @Test
  void sameJournalRequestGivesTheSameJobNameAndAnotherModeANewOne() {
    var opener = ToolboxPod.OpenerContext.on("node-a");
    String first = ToolboxJob.journalMode(database("vw"), "DELETE", "img", FLAGS, opener).getMetadata().getName();
    String again = ToolboxJob.journalMode(database("vw"), "DELETE", "img", FLAGS, opener).getMetadata().getName();
    String other = ToolboxJob.journalMode(database("vw"), "TRUNCATE", "img", FLAGS, opener).getMetadata().getName();
    assertThat(first).isEqualTo(again).startsWith("vw-journal-").isNotEqualTo(other);
  }

  @Test
  void longDatabaseNamesStillGiveValidCronJobNames() {
    String name = CheckpointCronJob.name(database("a-very-long-database-name-that-goes-on-and-on-and-on-x"));
    assertThat(name).hasSizeLessThanOrEqualTo(52).endsWith("-checkpoint").matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void withoutAKnownNodeThereIsNoAffinity() {
    PodSpec pod = ToolboxJob.probe(database("x"), "img", FLAGS, ToolboxPod.OpenerContext.on(null)).getSpec()
        .getTemplate().getSpec();
    assertThat(pod.getAffinity()).isNull();
  }
}
