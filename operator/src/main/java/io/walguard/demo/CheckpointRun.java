package io.walguard.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.walguard.sqlite.CheckpointMode;
import io.walguard.sqlite.Checkpointer;
import io.walguard.sqlite.SqliteLibrary;
import io.walguard.sqlite.report.ReportOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of walguard's checkpoint CronJob, as the CronJob controller, the Job controller and the kubelet would
 * leave it: a Job, its finished pod and the pod's termination message. The checkpoint itself is real: the toolbox
 * checkpoints a real SQLite database in WAL mode (standing in for the file on the volume) and writes the same
 * termination message a pod writes.
 */
public final class CheckpointRun {

  private CheckpointRun() {}

  public static Pod run(KubernetesClient client, CronJob cronJob, Path workDir, String node) throws Exception {
    String message = realCheckpoint(workDir);
    String namespace = cronJob.getMetadata().getNamespace();
    String jobName = cronJob.getMetadata().getName() + "-" + (System.currentTimeMillis() / 60000);
    Job job = client.resource(new JobBuilder()
        .withNewMetadata().withNamespace(namespace).withName(jobName)
          .withLabels(cronJob.getSpec().getJobTemplate().getMetadata().getLabels())
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob")
            .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid()).withController(true)
          .endOwnerReference()
        .endMetadata()
        .withSpec(cronJob.getSpec().getJobTemplate().getSpec())
        .build()).create();
    Map<String, String> labels = new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-name", jobName);
    Instant finished = Instant.now();
    return client.resource(new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(jobName + "-x1").withLabels(labels)
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(jobName)
            .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .editSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase("Succeeded").withStartTime(finished.minusSeconds(1).toString())
          .addNewContainerStatus().withName("walguard").withImage("walguard/walguard").withReady(false)
            .withRestartCount(0).withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
              .withStartedAt(finished.minusSeconds(1).toString()).withFinishedAt(finished.toString())
              .withMessage(message).endTerminated().endState()
          .endContainerStatus()
        .endStatus()
        .build()).create();
  }

  /** Checkpoints a WAL database with a reader still connected, and returns the pod's termination message. */
  static String realCheckpoint(Path workDir) throws Exception {
    Path db = workDir.resolve("grafana.db");
    try (Connection app = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement sql = app.createStatement()) {
      sql.execute("PRAGMA journal_mode=WAL");
      sql.execute("PRAGMA wal_autocheckpoint=0");
      sql.execute("CREATE TABLE IF NOT EXISTS dashboard (id INTEGER PRIMARY KEY, json TEXT)");
      for (int i = 0; i < 200; i++) {
        sql.execute("INSERT INTO dashboard (json) VALUES (hex(randomblob(2000)))");
      }
      // The app keeps its connection open, as Grafana does, so the WAL is still there for the CronJob to checkpoint.
      var report = new Checkpointer(SqliteLibrary.requireSafe()).checkpoint(db, CheckpointMode.PASSIVE,
          Duration.ofSeconds(5));
      Path terminationLog = workDir.resolve("termination-log");
      StringWriter ignored = new StringWriter();
      ReportOutput.emit(report, ReportOutput.Format.json, terminationLog, new PrintWriter(ignored),
          new PrintWriter(ignored));
      return Files.readString(terminationLog);
    }
  }
}
