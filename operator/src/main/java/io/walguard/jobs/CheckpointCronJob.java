package io.walguard.jobs;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.walguard.api.CheckpointSpec;
import io.walguard.api.SqliteDatabase;
import java.util.List;

/**
 * The CronJob that checkpoints a database's WAL from the openers' node, on the schedule of
 * {@code spec.checkpoint}. Runs never overlap ({@code Forbid}): two checkpoints at once only contend for the same
 * lock. A few finished Jobs are kept so the operator can read their pods' termination messages.
 */
public final class CheckpointCronJob {

  public static final String COMPONENT = "checkpoint";

  private CheckpointCronJob() {}

  public static String name(SqliteDatabase database) {
    return JobNames.fit(database.getMetadata().getName(), "-checkpoint");
  }

  public static CronJob build(SqliteDatabase database, String image, List<String> jvmFlags,
      ToolboxPod.OpenerContext opener) {
    CheckpointSpec checkpoint = database.getSpec().checkpointOrDefault();
    List<String> args = List.of("sqlite", "checkpoint", ToolboxPod.databasePath(database),
        "--mode", checkpoint.getMode().name(), "--busy-timeout", "5s", "-o", "json");
    return new CronJobBuilder()
        .withNewMetadata()
          .withName(name(database))
          .withNamespace(database.getMetadata().getNamespace())
          .withLabels(ToolboxPod.labels(database, COMPONENT))
        .endMetadata()
        .withNewSpec()
          .withSchedule(checkpoint.getSchedule())
          .withConcurrencyPolicy("Forbid")
          .withStartingDeadlineSeconds(300L)
          .withSuccessfulJobsHistoryLimit(3)
          .withFailedJobsHistoryLimit(3)
          .withNewJobTemplate()
            .withNewMetadata().withLabels(ToolboxPod.labels(database, COMPONENT)).endMetadata()
            .withNewSpec()
              .withBackoffLimit(0)
              .withActiveDeadlineSeconds(600L)
              .withTemplate(ToolboxPod.template(database, COMPONENT, image, jvmFlags, args, opener))
            .endSpec()
          .endJobTemplate()
        .endSpec()
        .build();
  }
}
