package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.walguard.api.ProbeResult;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.core.Annotations;
import io.walguard.jobs.ToolboxJob;
import io.walguard.sqlite.ToolboxJvm;
import io.walguard.storage.StorageKind;
import java.util.Objects;

/**
 * The storage probe: when the classifier has nothing better than {@code unknown}, or a user annotates the
 * SqliteDatabase {@code walguard.io/probe: "true"}, a one-shot Job runs {@code walguard sqlite probe} on the claim
 * from the openers' node, once per claim and node. Its answer goes to {@code status.probe}, which
 * {@link CacheFacts#probedMount} hands the classifier as evidence ranked right below an explicit override.
 */
final class ProbeRunner {

  private final ToolboxObjects objects;
  private final ClusterCaches caches;
  private final EventRecorder events;
  private final String image;

  ProbeRunner(ToolboxObjects objects, ClusterCaches caches, EventRecorder events, String image) {
    this.objects = objects;
    this.caches = caches;
    this.events = events;
    this.image = image;
  }

  /** Reads the newest probe that saw a mount into {@code seen.probe}. */
  void read(SqliteDatabase db, SqliteDatabaseStatus seen) {
    ToolboxResults.probe(caches, db)
        .map(f -> ToolboxResults.probeResult(f, db.getSpec().getClaimName()))
        .filter(p -> seen.getProbe() == null || ToolboxResults.instant(p.getTime()).orElseThrow()
            .isAfter(ToolboxResults.instant(seen.getProbe().getTime()).orElse(java.time.Instant.EPOCH)))
        .ifPresent(seen::setProbe);
  }

  /** Starts a probe when one is wanted and none ran for this claim and node; announces a new answer. */
  void reconcile(Assessment a, SqliteDatabaseStatus previous, SqliteDatabaseStatus status) {
    SqliteDatabase db = a.database();
    ProbeResult before = previous == null ? null : previous.getProbe();
    ProbeResult now = status.getProbe();
    if (now != null && !now.equals(before)) {
      String kindBefore = previous == null || previous.getStorage() == null ? "unknown" : previous.getStorage()
          .getKind();
      String kindNow = status.getStorage() == null ? "unknown" : status.getStorage().getKind();
      String text = "probe on " + now.getTarget() + " found " + now.getFstype() + " (source " + now.getSource()
          + ", options " + now.getOptions() + ")";
      if (!Objects.equals(kindBefore, kindNow)) {
        events.normal(db, "StorageProbed", text + ": storage " + kindBefore + " -> " + kindNow);
      }
    }
    if (a.verdict().isEmpty() || StatusComposer.paused(db) || !a.claimFound()) {
      return;
    }
    boolean unknown = a.verdict().get().storage().kind() == StorageKind.unknown;
    var annotations = db.getMetadata().getAnnotations();
    boolean asked = annotations != null && "true".equalsIgnoreCase(annotations.get(Annotations.PROBE));
    String node = JournalRemedy.node(a);
    String target = ToolboxResults.target(db.getSpec().getClaimName(), node);
    boolean probed = now != null && target.equals(now.getTarget());
    if ((!unknown && !asked) || probed) {
      return;
    }
    var openers = a.verdict().get().placement().openers();
    Job job = ToolboxJob.probe(db, image, ToolboxJvm.FLAGS, OpenerContexts.of(openers, node));
    String name = job.getMetadata().getName();
    if (objects.createOnce(db, job, caches.get(Job.class, db.getMetadata().getNamespace(), name))) {
      events.normal(db, "StorageProbeStarted", "created Job " + name + " to probe the filesystem under claim "
          + db.getSpec().getClaimName() + (node == null ? "" : " from node " + node)
          + (asked ? " (annotation " + Annotations.PROBE + ")" : " (the storage is unknown)"));
    }
  }
}
