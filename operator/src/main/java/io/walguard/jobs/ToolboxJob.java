package io.walguard.jobs;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.walguard.api.SqliteDatabase;
import java.util.List;

/**
 * One-shot Jobs next to the database: the journal-mode switch and the filesystem probe. Their names carry a hash of
 * what they do, so asking again for the same thing finds the same Job instead of starting another.
 */
public final class ToolboxJob {

  public static final String JOURNAL = "journal";
  public static final String PROBE = "probe";

  private ToolboxJob() {}

  /** {@code walguard sqlite set-journal-mode}: needs exclusive access, so it retries inside for a bounded time. */
  public static Job journalMode(SqliteDatabase database, String mode, String image, List<String> jvmFlags,
      ToolboxPod.OpenerContext opener) {
    List<String> args = List.of("sqlite", "set-journal-mode", ToolboxPod.databasePath(database), "--mode", mode,
        "--timeout", "120s", "-o", "json");
    String name = JobNames.fit(database.getMetadata().getName(),
        "-journal-" + JobNames.hash(database.getSpec().getClaimName(), database.getSpec().getFile(), mode,
            opener.node()).substring(0, 8));
    return job(database, name, JOURNAL, image, jvmFlags, args, opener, 2);
  }

  /** {@code walguard sqlite probe}: what filesystem really backs the claim, seen from a pod that mounts it. */
  public static Job probe(SqliteDatabase database, String image, List<String> jvmFlags,
      ToolboxPod.OpenerContext opener) {
    List<String> args = List.of("sqlite", "probe", ToolboxPod.MOUNT, "-o", "json");
    String name = JobNames.fit(database.getMetadata().getName(),
        "-probe-" + JobNames.hash(database.getSpec().getClaimName(), opener.node()).substring(0, 8));
    return job(database, name, PROBE, image, jvmFlags, args, opener, 1);
  }

  private static Job job(SqliteDatabase database, String name, String component, String image,
      List<String> jvmFlags, List<String> args, ToolboxPod.OpenerContext opener, int backoffLimit) {
    return new JobBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(database.getMetadata().getNamespace())
          .withLabels(ToolboxPod.labels(database, component))
        .endMetadata()
        .withNewSpec()
          .withBackoffLimit(backoffLimit)
          .withActiveDeadlineSeconds(600L)
          .withTtlSecondsAfterFinished(86400)
          .withTemplate(ToolboxPod.template(database, component, image, jvmFlags, args, opener))
        .endSpec()
        .build();
  }
}
