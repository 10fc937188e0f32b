package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.walguard.api.CheckpointSpec;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.jobs.CheckpointCronJob;
import io.walguard.jobs.ToolboxJob;
import io.walguard.jobs.ToolboxPod;
import io.walguard.sqlite.support.Sql;
import io.walguard.sqlite.support.Toolbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolbox runs the operator keeps next to a database, on the mock API server: the checkpoint CronJob, the journal
 * switch and the probe, and their results read back from termination messages the way a kubelet leaves them. The
 * messages are real reports of {@code walguard sqlite ... -o json} run on real SQLite files here.
 */
class ToolboxOpsTest extends OperatorTestSupport {

  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  @TempDir
  Path dir;

  // ---- fixtures ------------------------------------------------------------------------------------------------

  /** Two replicas on EFS on node-a and node-b: walguard pins them to node-a. */
  Deployment efsDeploymentOnTwoNodes(Container... extra) {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    Deployment d = Fixtures.deployment(NS, "app", "data", 2);
    for (Container c : extra) {
      d.getSpec().getTemplate().getSpec().getContainers().add(c);
    }
    d.getSpec().getTemplate().getSpec().setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder()
        .withRunAsUser(472L).withRunAsGroup(472L).withFsGroup(472L).build());
    d = fx.create(d);
    fx.runPod(d, "app-1", "node-a", T0);
    fx.runPod(d, "app-2", "node-b", T0.plusSeconds(60));
    return d;
  }

  SqliteDatabase database(String name, String claim, java.util.function.Consumer<SqliteDatabase> edit) {
    SqliteDatabase db = Fixtures.database(NS, name, claim);
    db.getSpec().setCheckpoint(new CheckpointSpec());
    edit.accept(db);
    return fx.create(db);
  }

  CronJob cronJob(String name) {
    return user.batch().v1().cronjobs().inNamespace(NS).withName(name).get();
  }

  List<Job> jobs(String component) {
    return user.batch().v1().jobs().inNamespace(NS).withLabel("app.kubernetes.io/component", component).list()
        .getItems();
  }

  /** What a Job controller and a kubelet leave behind: the Job's pod, finished, its report in the message. */
  Pod finishedPod(Job job, String podName, String node, Instant finished, int exit, String message) {
    Map<String, String> labels = new java.util.LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
    return user.resource(new PodBuilder()
        .withNewMetadata().withNamespace(NS).withName(podName).withLabels(labels)
            .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .editSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase(exit == 0 ? "Succeeded" : "Failed").withStartTime(finished.minusSeconds(1).toString())
            .addNewContainerStatus().withName("walguard").withImage("walguard/walguard:latest").withReady(false)
                .withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(exit).withReason(exit == 0 ? "Completed" : "Error")
                    .withStartedAt(finished.minusSeconds(1).toString()).withFinishedAt(finished.toString())
                    .withMessage(message).endTerminated().endState()
            .endContainerStatus()
        .endStatus()
        .build()).create();
  }

  /** The Job a CronJob controller creates from the CronJob's template. */
  Job jobOf(CronJob cronJob, String name) {
    return user.resource(new JobBuilder()
        .withNewMetadata().withNamespace(NS).withName(name)
            .withLabels(cronJob.getSpec().getJobTemplate().getMetadata().getLabels())
            .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob")
                .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid())
                .withController(true).endOwnerReference()
        .endMetadata()
        .withSpec(cronJob.getSpec().getJobTemplate().getSpec())
        .build()).create();
  }

  /** {@code walguard sqlite checkpoint -o json} on a real WAL database; with a reader holding a snapshot, busy. */
  String checkpointReport(boolean readerHolds) throws Exception {
    Path db = dir.resolve("app.db");
    Files.deleteIfExists(db);
    try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement w = writer.createStatement()) {
      w.execute("pragma journal_mode=wal");
      w.execute("pragma wal_autocheckpoint=0");
      w.execute("create table t(id integer primary key, pad blob)");
      w.execute(Sql.insertRows(200));
      try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db)) {
        if (readerHolds) {
          reader.setAutoCommit(false);
          try (Statement r = reader.createStatement(); ResultSet rs = r.executeQuery("select count(*) from t")) {
            rs.next();
          }
        }
        w.execute(Sql.insertRows(200));
        var run = Toolbox.inProcess("checkpoint", db.toString(), "--mode", readerHolds ? "TRUNCATE" : "PASSIVE",
            "--busy-timeout", "100ms", "-o", "json", "--termination-log", dir.resolve("termination-log").toString());
        assertThat(run.json()).as(run.stdout() + run.stderr()).isNotNull();
        if (readerHolds) {
          reader.rollback();
        }
      }
    }
    return Files.readString(dir.resolve("termination-log"));
  }

  // ---- checkpoint ----------------------------------------------------------------------------------------------

  @Test
  void pinnedEfsDatabaseGetsACheckpointCronJobOnThePinnedNode() {
    efsDeploymentOnTwoNodes();
    startOperator();
    database("app", "data", db -> db.getSpec().getCheckpoint().setMode(CheckpointSpec.Mode.TRUNCATE));

    eventually(() -> {
      CronJob cj = cronJob("app-checkpoint");
      assertThat(cj).isNotNull();
      assertThat(cj.getSpec().getSchedule()).isEqualTo("*/15 * * * *");
      assertThat(cj.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
      assertThat(cj.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getKind()).isEqualTo("SqliteDatabase"));
      var pod = cj.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
      assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
          .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues()).containsExactly("node-a");
      assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
          .isEqualTo("data"));
      assertThat(pod.getContainers().get(0).getArgs()).containsSequence("--mode", "TRUNCATE")
          .contains(ToolboxPod.MOUNT + "/app.db");
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(472L);
      assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(472L);
      assertThat(eventReasons("SqliteDatabase", "app")).contains("CheckpointCronJobCreated");
    });
    // walguard's own CronJob is no opener (nothing pins it), and reconciling again writes it no more.
    double runs = reconciliations();
    user.apps().deployments().inNamespace(NS).withName("app").edit(d -> {
      d.getMetadata().setLabels(Map.of("touched", "yes"));
      return d;
    });
    eventually(() -> assertThat(reconciliations()).isGreaterThan(runs));
    assertThat(cronJob("app-checkpoint").getMetadata().getAnnotations())
        .doesNotContainKey(io.walguard.core.Annotations.PINNED_NODE);
    assertThat(cluster.writes()).filteredOn(c -> c.path().contains("/cronjobs")).singleElement()
        .satisfies(c -> assertThat(c.method()).isEqualTo("POST"));
  }

  @Test
  void finishedCheckpointPodFillsLastCheckpoint() throws Exception {
    efsDeploymentOnTwoNodes();
    startOperator();
    database("app", "data", db -> {});
    eventually(() -> assertThat(cronJob("app-checkpoint")).isNotNull());
    String report = checkpointReport(false);
    Job job = jobOf(cronJob("app-checkpoint"), "app-checkpoint-28930001");
    finishedPod(job, "app-checkpoint-28930001-x7k2p", "node-a", T0.plusSeconds(900), 0, report);

    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report);
    eventually(() -> {
      var last = status("app").getLastCheckpoint();
      assertThat(last).isNotNull();
      assertThat(last.getPod()).isEqualTo("app-checkpoint-28930001-x7k2p");
      assertThat(last.getTime()).isEqualTo(T0.plusSeconds(900).toString());
      assertThat(last.getBusy()).isZero();
      assertThat(last.getOutcome()).isEqualTo("ok");
      assertThat(last.getLogFrames()).isEqualTo(json.get("logFrames").asLong()).isPositive();
      assertThat(last.getWalBytesBefore()).isEqualTo(json.get("walBytesBefore").asLong()).isPositive();
      assertThat(last.getWalBytesAfter()).isEqualTo(json.get("walBytesAfter").asLong());
      assertThat(condition("app", StatusComposer.CHECKPOINT).orElseThrow().getReason()).isEqualTo("Checkpointed");
    });
    long writes = cluster.statusWrites(NS, "app");
    // An older run read afterwards does not replace the newer result.
    finishedPod(job, "app-checkpoint-28930000-aaaaa", "node-a", T0, 0, report);
    Thread.sleep(500);
    assertThat(status("app").getLastCheckpoint().getPod()).isEqualTo("app-checkpoint-28930001-x7k2p");
    assertThat(cluster.statusWrites(NS, "app")).isEqualTo(writes);
  }

  @Test
  void busyCheckpointWithWalAboveTheLimitRaisesWalGrowing() throws Exception {
    efsDeploymentOnTwoNodes();
    startOperator();
    database("app", "data", db -> db.getSpec().getCheckpoint().setWalSizeLimit(new Quantity("64Ki")));
    eventually(() -> assertThat(cronJob("app-checkpoint")).isNotNull());
    String report = checkpointReport(true);
    assertThat(report).contains("\"busy\":1");
    Job job = jobOf(cronJob("app-checkpoint"), "app-checkpoint-28930001");
    finishedPod(job, "app-checkpoint-28930001-b5v9q", "node-a", T0.plusSeconds(900), 0, report);

    eventually(() -> {
      var checkpoint = condition("app", StatusComposer.CHECKPOINT).orElseThrow();
      assertThat(checkpoint.getStatus()).isEqualTo("False");
      assertThat(checkpoint.getReason()).isEqualTo("WalGrowing");
      assertThat(checkpoint.getMessage()).contains("app-1@node-a", "app-2@node-b", "busy");
      assertThat(status("app").getLastCheckpoint().getBusy()).isEqualTo(1);
      assertThat(eventReasons("SqliteDatabase", "app")).containsOnlyOnce("WalGrowing");
    });
  }

  @Test
  void disablingCheckpointsDeletesTheCronJob() {
    efsDeploymentOnTwoNodes();
    startOperator();
    database("app", "data", db -> {});
    eventually(() -> assertThat(cronJob("app-checkpoint")).isNotNull());

    user.resources(SqliteDatabase.class).inNamespace(NS).withName("app")
.patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"spec\":{\"checkpoint\":{\"enabled\":false}}}");

    eventually(() -> {
      assertThat(cronJob("app-checkpoint")).isNull();
      assertThat(condition("app", StatusComposer.CHECKPOINT).orElseThrow().getReason())
          .isEqualTo("CheckpointDisabled");
    });
  }

  @Test
  void deletingTheDatabaseDeletesItsCronJobAndJobsOneByOneAndTheirPodsGoWithThem() throws Exception {
    efsDeploymentOnTwoNodes();
    startOperator();
    database("app", "data", db -> {});
    eventually(() -> assertThat(cronJob("app-checkpoint")).isNotNull());
    Job job = jobOf(cronJob("app-checkpoint"), "app-checkpoint-28930001");
    finishedPod(job, "app-checkpoint-28930001-x7k2p", "node-a", T0.plusSeconds(900), 0, checkpointReport(false));
    eventually(() -> assertThat(status("app").getLastCheckpoint()).isNotNull());

    user.resources(SqliteDatabase.class).inNamespace(NS).withName("app").delete();

    eventually(() -> {
      assertThat(db("app")).isNull();
      assertThat(cronJob("app-checkpoint")).isNull();
      assertThat(jobs(CheckpointCronJob.COMPONENT)).isEmpty();
    });
    List<MockCluster.Call> deletes = cluster.calls().stream()
        .filter(c -> OPERATOR_AGENT.equals(c.agent()) && c.method().equals("DELETE")).toList();
    // By name (a collection DELETE needs deletecollection), and the Job's pods are the garbage collector's: the
    // mock API server runs none, so the pod is still there, and walguard sent no DELETE for pods.
    assertThat(deletes).extracting(MockCluster.Call::path).contains(
        "/apis/batch/v1/namespaces/" + NS + "/cronjobs/app-checkpoint",
        "/apis/batch/v1/namespaces/" + NS + "/jobs/app-checkpoint-28930001");
    assertThat(deletes).filteredOn(c -> c.path().contains("/jobs/")).allSatisfy(c ->
        assertThat(c.body()).contains("\"propagationPolicy\":\"Background\""));
    assertThat(deletes).noneMatch(c -> c.path().contains("/pods"));
    assertThat(user.pods().inNamespace(NS).withName("app-1").get()).isNotNull();
  }

  @Test
  void aDeletionWalguardCannotFinishShowsInStatusAndEventsAndFinishesOnceAllowed() {
    efsDeploymentOnTwoNodes();
    java.util.concurrent.atomic.AtomicBoolean forbidden = new java.util.concurrent.atomic.AtomicBoolean(true);
    cluster.always(r -> forbidden.get() && r.getMethod().equals("DELETE") && r.getPath().contains("/cronjobs/"),
        r -> MockCluster.status(403, "Forbidden", "cronjobs.batch is forbidden: User cannot delete"));
    startOperator();
    database("app", "data", db -> {});
    eventually(() -> assertThat(cronJob("app-checkpoint")).isNotNull());

    user.resources(SqliteDatabase.class).inNamespace(NS).withName("app").delete();

    eventually(() -> {
      var ready = condition("app", StatusComposer.READY).orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("CleanupFailed");
      assertThat(ready.getMessage()).contains("HTTP 403", "grant the operator's ServiceAccount list and delete on"
          + " cronjobs and jobs");
      assertThat(eventReasons("SqliteDatabase", "app")).containsOnlyOnce("CleanupFailed");
      assertThat(db("app").getMetadata().getFinalizers()).contains(SqliteDatabaseReconciler.FINALIZER);
    });

    forbidden.set(false);
    eventually(() -> {
      assertThat(db("app")).isNull();
      assertThat(cronJob("app-checkpoint")).isNull();
    });
    assertThat(eventReasons("SqliteDatabase", "app")).containsOnlyOnce("CleanupFailed");
  }

  @Test
  void theCheckpointNextToABarePodCopiesItsTolerationsAndUser() {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    user.resource(new PodBuilder()
        .withNewMetadata().withNamespace(NS).withName("tool").endMetadata()
        .withSpec(Fixtures.template("tool", "data").getSpec())
        .editSpec().withNodeName("node-d")
            .addNewToleration().withKey("dedicated").withOperator("Equal").withValue("db").withEffect("NoSchedule")
            .endToleration()
            .editFirstContainer().withNewSecurityContext().withRunAsUser(1000L).withRunAsGroup(1001L)
            .endSecurityContext().endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").withStartTime(T0.toString()).endStatus()
        .build()).create();
    startOperator();
    database("app", "data", db -> {});

    eventually(() -> {
      CronJob cj = cronJob("app-checkpoint");
      assertThat(cj).isNotNull();
      var pod = cj.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
      assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
        assertThat(t.getKey()).isEqualTo("dedicated");
        assertThat(t.getEffect()).isEqualTo("NoSchedule");
      });
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
      assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1001L);
    });
  }

  @Test
  void litestreamSidecarHoldsTheCronJobOff() {
    efsDeploymentOnTwoNodes(new ContainerBuilder().withName("litestream").withImage("litestream/litestream:0.3.13")
        .withArgs("replicate").build());
    startOperator();
    database("app", "data", db -> {});

    eventually(() -> {
      var checkpoint = condition("app", StatusComposer.CHECKPOINT).orElseThrow();
      assertThat(checkpoint.getReason()).isEqualTo("LitestreamManagesCheckpoints");
      assertThat(checkpoint.getMessage()).contains("Deployment/app", "litestream");
      assertThat(status("app").getPinnedNode()).isEqualTo("node-a");
    });
    assertThat(cronJob("app-checkpoint")).isNull();
  }

  // ---- journal remedy ------------------------------------------------------------------------------------------

  /** A claim on a static NFS volume. */
  void nfsClaim(String name) {
    user.resource(new PersistentVolumeBuilder().withNewMetadata().withName("nfs-" + name).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteMany").withCapacity(Map.of("storage", new Quantity("1Gi")))
            .withNewNfs().withServer("nas.example").withPath("/export/" + name).endNfs()
            .withNewClaimRef().withNamespace(NS).withName(name).endClaimRef()
        .endSpec().withNewStatus().withPhase("Bound").endStatus().build()).create();
    user.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
        .withNewSpec().withStorageClassName("").withAccessModes("ReadWriteMany").withVolumeName("nfs-" + name)
            .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources()
        .endSpec().withNewStatus().withPhase("Bound").endStatus().build()).create();
  }

  /** A DaemonSet with the app's image, its pods running on node-a and node-b. */
  DaemonSet daemonSetOnTwoNodes(String image) {
    var template = Fixtures.template("app", "data");
    template.getSpec().getContainers().get(0).setImage(image);
    DaemonSet ds = user.resource(new DaemonSetBuilder().withNewMetadata().withNamespace(NS).withName("app").endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "app")).endSelector().withTemplate(template)
        .endSpec().build()).create();
    for (String node : List.of("node-a", "node-b")) {
      user.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName("app-" + node)
              .withLabels(Map.of("app", "app"))
              .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName("app")
                  .withUid(ds.getMetadata().getUid()).withController(true).endOwnerReference()
          .endMetadata()
          .withSpec(template.getSpec()).editSpec().withNodeName(node).endSpec()
          .withNewStatus().withPhase("Running").withStartTime(T0.toString()).endStatus().build()).create();
    }
    return ds;
  }

  @Test
  void journalRemedyOnADaemonSetOnNfsSetsTheAppSwitchAndConvertsTheFile() throws Exception {
    nfsClaim("data");
    daemonSetOnTwoNodes("grafana/grafana:11.2.0");
    startOperator();
    database("app", "data", db -> {});

    eventually(() -> {
      assertThat(status("app").getAction()).isEqualTo("journal");
      assertThat(jobs(ToolboxJob.JOURNAL)).hasSize(1);
      DaemonSet ds = user.apps().daemonSets().inNamespace(NS).withName("app").get();
      assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .extracting(EnvVar::getName, EnvVar::getValue).containsExactly(org.assertj.core.groups.Tuple.tuple(
              "GF_DATABASE_WAL", "false"));
      assertThat(eventReasons("DaemonSet", "app")).contains("JournalSwitchConfigured");
      assertThat(condition("app", StatusComposer.JOURNAL_MODE).orElseThrow().getReason())
          .isEqualTo("JournalSwitchRunning");
    });
    Job job = jobs(ToolboxJob.JOURNAL).get(0);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSequence("set-journal-mode", ToolboxPod.MOUNT + "/app.db", "--mode", "DELETE");

    Path file = dir.resolve("app.db");
    Sql.createWal(file, 20);
    var run = Toolbox.inProcess("set-journal-mode", file.toString(), "--mode", "DELETE", "-o", "json",
        "--termination-log", dir.resolve("journal-log").toString());
    assertThat(run.json().get("outcome").asText()).isEqualTo("changed");
    finishedPod(job, job.getMetadata().getName() + "-q2w3e", "node-a", T0.plusSeconds(120), 0,
        Files.readString(dir.resolve("journal-log")));

    eventually(() -> {
      assertThat(status("app").getJournalMode()).isEqualTo("delete");
      assertThat(status("app").getVerdict()).isEqualTo("safe");
      assertThat(status("app").getAction()).isEqualTo("journal");
      var journal = condition("app", StatusComposer.JOURNAL_MODE).orElseThrow();
      assertThat(journal.getStatus()).isEqualTo("True");
      assertThat(journal.getReason()).isEqualTo("JournalModeSet");
    });
    assertThat(jobs(ToolboxJob.JOURNAL)).hasSize(1);
  }

  @Test
  void appThatForcesWalReportsAppForcesWal() {
    nfsClaim("data");
    daemonSetOnTwoNodes("louislam/uptime-kuma:1");
    startOperator();
    database("app", "data", db -> db.getSpec().setRemedy(Remedy.journal));

    eventually(() -> {
      var journal = condition("app", StatusComposer.JOURNAL_MODE).orElseThrow();
      assertThat(journal.getStatus()).isEqualTo("False");
      assertThat(journal.getReason()).isEqualTo("AppForcesWal");
      assertThat(journal.getMessage()).contains("uptime-kuma", "pin");
    });
    assertThat(jobs(ToolboxJob.JOURNAL)).isEmpty();
  }

  // ---- probe ---------------------------------------------------------------------------------------------------

  @Test
  void unknownStorageIsProbedAndNfs4MakesItNetwork() throws Exception {
    user.resource(new StorageClassBuilder().withNewMetadata().withName("mystery").endMetadata()
        .withProvisioner("storage.example.com/volumes").build()).create();
    fx.boundClaim(NS, "data", "mystery", "storage.example.com/volumes");
    Deployment d = fx.create(Fixtures.deployment(NS, "app", "data", 1));
    fx.runPod(d, "app-1", "node-a", T0);
    startOperator();
    database("app", "data", db -> {});

    eventually(() -> {
      assertThat(status("app").getStorage().getKind()).isEqualTo("unknown");
      assertThat(jobs(ToolboxJob.PROBE)).hasSize(1);
    });
    Job job = jobs(ToolboxJob.PROBE).get(0);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSequence("probe", ToolboxPod.MOUNT);
    String report = "{\"command\":\"probe\",\"path\":\"/var/lib/walguard/db\",\"outcome\":\"ok\",\"exitCode\":0,"
        + "\"message\":\"network filesystem\",\"time\":\"2025-01-01T10:05:00Z\",\"realPath\":\"/var/lib/walguard/db\","
        + "\"kind\":\"network\",\"evidence\":\"filesystem type nfs4\",\"fstype\":\"nfs4\","
        + "\"source\":\"fs-1.example:/export\",\"options\":\"rw,relatime,vers=4.1,hard\",\"lockOptions\":[\"vers=4.1\"]}";
    finishedPod(job, job.getMetadata().getName() + "-p0p0p", "node-a", T0.plusSeconds(300), 0, report);

    eventually(() -> {
      assertThat(status("app").getProbe().getFstype()).isEqualTo("nfs4");
      assertThat(status("app").getProbe().getTarget()).isEqualTo("data@node-a");
      assertThat(status("app").getStorage().getKind()).isEqualTo("network");
      assertThat(eventReasons("SqliteDatabase", "app")).contains("StorageProbed");
    });
    assertThat(jobs(ToolboxJob.PROBE)).hasSize(1);
  }
}
