package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.walguard.api.CheckpointResult;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.jobs.CheckpointCronJob;
import io.walguard.jobs.CheckpointHealth;
import io.walguard.jobs.Litestream;
import io.walguard.placement.RunningPod;
import io.walguard.sqlite.ToolboxJvm;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checkpoint CronJob of a database and what its runs reported: created next to the openers when
 * {@code spec.checkpoint.enabled}, held off while Litestream runs next to the app or the openers' node is not known,
 * deleted when checkpoints are turned off; its newest run becomes {@code status.lastCheckpoint} and the
 * {@code Checkpoint} condition.
 */
final class CheckpointDependent {

  /** The reasons {@link CheckpointHealth} gives, kept until a newer result is judged. */
  private static final Set<String> JUDGED = CheckpointHealth.JUDGED;

  private final ToolboxObjects objects;
  private final ClusterCaches caches;
  private final EventRecorder events;
  private final String image;

  CheckpointDependent(ToolboxObjects objects, ClusterCaches caches, EventRecorder events, String image) {
    this.objects = objects;
    this.caches = caches;
    this.events = events;
    this.image = image;
  }

  /** Reads the newest finished checkpoint into {@code seen}, when it is newer than the one recorded. */
  void read(SqliteDatabase db, SqliteDatabaseStatus seen) {
    ToolboxResults.newestCheckpoint(caches, db)
        .filter(r -> ToolboxResults.newer(r, seen.getLastCheckpoint()))
        .ifPresent(seen::setLastCheckpoint);
  }

  /** Brings the CronJob where it should be and returns the Checkpoint condition, or empty to keep the composer's. */
  Optional<Condition> reconcile(Assessment a, SqliteDatabaseStatus previous, SqliteDatabaseStatus status) {
    SqliteDatabase db = a.database();
    String ns = db.getMetadata().getNamespace();
    String name = CheckpointCronJob.name(db);
    Optional<CronJob> existing = caches.get(CronJob.class, ns, name);
    var spec = db.getSpec().checkpointOrDefault();
    if (!spec.isEnabled()) {
      if (existing.isPresent() && !StatusComposer.paused(db) && objects.deleteCronJob(ns, name)) {
        events.normal(db, "CheckpointCronJobDeleted", "deleted CronJob " + name + ": spec.checkpoint.enabled is false");
      }
      return Optional.empty();
    }
    if (a.fileUnknown() || a.verdict().isEmpty()) {
      return Optional.empty();
    }
    var placement = a.verdict().get().placement();
    Optional<String> litestream = Litestream.find(placement.openers());
    if (litestream.isPresent()) {
      if (existing.isPresent() && !StatusComposer.paused(db) && objects.deleteCronJob(ns, name)) {
        events.normal(db, "CheckpointCronJobDeleted", "deleted CronJob " + name + ": Litestream runs next to the app");
      }
      return Optional.of(condition("Unknown", "LitestreamManagesCheckpoints", "Litestream runs in "
          + litestream.get() + " and checkpoints the WAL itself, after it has copied every frame; walguard holds"
          + " its checkpoint CronJob off so the two do not fight over the WAL"));
    }
    Optional<String> node = a.openersNode();
    if (node.isEmpty()) {
      List<String> nodes = a.nodes();
      if (nodes.size() > 1 && existing.isPresent() && !StatusComposer.paused(db) && objects.deleteCronJob(ns, name)) {
        events.warning(db, "CheckpointCronJobDeleted", "deleted CronJob " + name + ": openers run on "
            + String.join(", ", nodes) + ", and a checkpoint from one node would be another node's opener");
      }
      if (existing.isEmpty() || nodes.size() > 1) {
        return Optional.of(condition("Unknown", "NodeUnknown", nodes.isEmpty()
            ? "no opener runs now, so walguard does not know which node to checkpoint from; it creates CronJob "
                + name + " once an opener runs (or set spec.node)"
            : "openers run on " + String.join(", ", nodes) + ": walguard checkpoints only from the one node that"
                + " holds every opener, and creates CronJob " + name + " once they are on one node"));
      }
    } else if (!StatusComposer.paused(db)) {
      CronJob desired = CheckpointCronJob.build(db, image, ToolboxJvm.FLAGS,
          OpenerContexts.of(placement.openers(), node.get()));
      var change = objects.ensure(db, desired, existing);
      if (change == ToolboxObjects.Change.CREATED) {
        events.normal(db, "CheckpointCronJobCreated", "created CronJob " + name + " (schedule \"" + spec.getSchedule()
            + "\", mode " + spec.getMode() + ") on node " + node.get());
      } else if (change == ToolboxObjects.Change.UPDATED) {
        events.normal(db, "CheckpointCronJobUpdated", "updated CronJob " + name + " (schedule \""
            + spec.getSchedule() + "\", mode " + spec.getMode() + ") on node " + node.get());
      }
    }
    return judge(a, previous, status);
  }

  private Optional<Condition> judge(Assessment a, SqliteDatabaseStatus previous, SqliteDatabaseStatus status) {
    CheckpointResult before = previous == null ? null : previous.getLastCheckpoint();
    CheckpointResult latest = status.getLastCheckpoint();
    if (latest == null) {
      return Optional.empty();
    }
    Optional<Condition> kept = previous == null ? Optional.empty() : previous.getConditions().stream()
        .filter(c -> StatusComposer.CHECKPOINT.equals(c.getType()) && JUDGED.contains(c.getReason())).findFirst();
    if (latest.equals(before) && kept.isPresent()) {
      return Optional.of(condition(kept.get().getStatus(), kept.get().getReason(), kept.get().getMessage()));
    }
    long limit = a.database().getSpec().checkpointOrDefault().getWalSizeLimit().getNumericalAmount().longValue();
    List<String> open = a.verdict().map(v -> v.placement().running().stream()
        .sorted(java.util.Comparator.comparing(RunningPod::name)).map(p -> p.name() + "@" + p.node()).toList())
        .orElse(List.of());
    var judgement = CheckpointHealth.judge(latest.equals(before) ? null : before, latest, limit, open);
    boolean wasGrowing = kept.map(c -> "WalGrowing".equals(c.getReason())).orElse(false);
    if ("WalGrowing".equals(judgement.reason()) && !wasGrowing) {
      events.warning(a.database(), "WalGrowing", judgement.message());
    }
    return Optional.of(condition(judgement.status(), judgement.reason(), judgement.message()));
  }

  void delete(SqliteDatabase db) {
    objects.deleteAll(db, CheckpointCronJob.name(db));
  }

  static Condition condition(String status, String reason, String message) {
    return new ConditionBuilder().withType(StatusComposer.CHECKPOINT).withStatus(status).withReason(reason)
        .withMessage(message).build();
  }
}
