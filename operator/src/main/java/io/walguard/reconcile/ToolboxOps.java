package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.apps.AppProfiles;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * walguard's hands next to the database file, for the reconciler: before the verdict it reads what finished toolbox
 * pods reported (so the decision core sees the observed journal mode and the probed mount); after it, it keeps the
 * checkpoint CronJob, runs the journal remedy and the probe, and lays the Checkpoint and JournalMode conditions
 * over the composed status. When the database goes it deletes everything it ran and takes the app's switch out.
 */
final class ToolboxOps {

  private static final Logger log = LoggerFactory.getLogger(ToolboxOps.class);

  private final CheckpointDependent checkpoint;
  private final JournalRemedy journal;
  private final ProbeRunner probe;

  /** @param mayWrite checked right before every write (the leader Lease) */
  ToolboxOps(KubernetesClient client, ClusterCaches caches, EventRecorder events, AppProfiles apps, String image,
      java.util.function.BooleanSupplier mayWrite) {
    ToolboxObjects objects = new ToolboxObjects(client, mayWrite);
    this.checkpoint = new CheckpointDependent(objects, caches, events, image);
    this.journal = new JournalRemedy(objects, new WorkloadPatcher(client, mayWrite), caches, events, apps, image);
    this.probe = new ProbeRunner(objects, caches, events, image);
  }

  /**
   * The database as the decision core should see it: a copy whose status carries the newest toolbox results. The
   * original is left alone, so its status still says what the API server holds.
   */
  SqliteDatabase withResults(SqliteDatabase db, KubernetesClient client) {
    SqliteDatabase seen = client.getKubernetesSerialization().clone(db);
    SqliteDatabaseStatus status = seen.getStatus() == null ? new SqliteDatabaseStatus() : seen.getStatus();
    checkpoint.read(seen, status);
    journal.read(seen, status);
    probe.read(seen, status);
    seen.setStatus(status);
    return seen;
  }

  /**
   * Acts on the assessment and returns the status to write.
   *
   * @param previous the status the API server holds
   * @param composed the status {@link StatusComposer} made from the assessment of {@link #withResults}
   */
  SqliteDatabaseStatus act(Assessment a, SqliteDatabaseStatus previous, SqliteDatabaseStatus composed, Instant now) {
    SqliteDatabase seen = a.database();
    composed.setProbe(seen.getStatus().getProbe());
    List<Condition> overrides = new ArrayList<>();
    try {
      checkpoint.reconcile(a, previous, composed).ifPresent(overrides::add);
    } catch (KubernetesClientException e) {
      overrides.add(CheckpointDependent.condition("False", "CronJobFailed", refused(seen, "CronJob", e)));
    }
    try {
      journal.reconcile(a, composed).ifPresent(overrides::add);
    } catch (KubernetesClientException e) {
      overrides.add(JournalRemedy.condition("False", "JournalSwitchFailed", refused(seen, "Job", e)));
    }
    try {
      probe.reconcile(a, previous, composed);
    } catch (KubernetesClientException e) {
      log.warn("{}", refused(seen, "Job", e));
    }
    composed.setConditions(override(composed.getConditions(), overrides,
        previous == null ? List.of() : previous.getConditions(), now));
    return composed;
  }

  private static String refused(SqliteDatabase db, String kind, KubernetesClientException e) {
    String what = kind.toLowerCase(java.util.Locale.ROOT) + "s";
    return "walguard could not write its " + kind + " for SqliteDatabase " + db.getMetadata().getNamespace() + "/"
        + db.getMetadata().getName() + " (HTTP " + e.getCode() + ": " + e.getMessage() + ")"
        + (e.getCode() == 403 ? "; grant the operator's ServiceAccount create/update/delete on " + what
            + " (batch) in namespace " + db.getMetadata().getNamespace() : "");
  }

  /** Deletes the CronJob, Jobs and pods, and takes the app's switch out; returns what could not be undone. */
  List<String> cleanup(SqliteDatabase db, io.walguard.core.Facts facts) {
    List<String> errors = new ArrayList<>();
    try {
      checkpoint.delete(db);
    } catch (KubernetesClientException e) {
      errors.add("walguard could not delete the checkpoint CronJob and Jobs of SqliteDatabase "
          + db.getMetadata().getName() + " (HTTP " + e.getCode() + ": " + e.getMessage() + ")"
          + (e.getCode() == 403 ? "; grant the operator's ServiceAccount list and delete on cronjobs and jobs (batch)"
              + " in namespace " + db.getMetadata().getNamespace() : ""));
    }
    errors.addAll(journal.undo(db, facts));
    return errors;
  }

  /** Replaces conditions by type; lastTransitionTime moves only when the status changed. */
  static List<Condition> override(List<Condition> conditions, List<Condition> overrides, List<Condition> previous,
      Instant now) {
    String stamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    List<Condition> result = new ArrayList<>(conditions);
    for (Condition c : overrides) {
      Optional<Condition> old = previous.stream().filter(p -> c.getType().equals(p.getType())).findFirst();
      Optional<Condition> composed = result.stream().filter(p -> c.getType().equals(p.getType())).findFirst();
      c.setObservedGeneration(composed.map(Condition::getObservedGeneration).orElse(null));
      c.setLastTransitionTime(old.filter(o -> Objects.equals(o.getStatus(), c.getStatus())
          && o.getLastTransitionTime() != null).map(Condition::getLastTransitionTime).orElse(stamp));
      int at = composed.map(result::indexOf).orElse(-1);
      if (at >= 0) {
        result.set(at, c);
      } else {
        result.add(c);
      }
    }
    return result;
  }
}
