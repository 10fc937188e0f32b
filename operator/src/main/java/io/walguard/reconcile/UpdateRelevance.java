package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a cached object can change a verdict: its spec, labels, annotations, owners and deletion; for a
 * Pod also its phase, start, terminated containers and what the scheduler said of it (PodScheduled); for claims and
 * volumes their phase. Status churn (rollout counters, other conditions, heartbeats) does not wake the reconciler.
 */
final class UpdateRelevance<R extends HasMetadata> implements OnUpdateFilter<R> {

  @Override
  public boolean accept(R newer, R older) {
    if (older == null || newer == null) {
      return true;
    }
    return !sameMetadata(newer.getMetadata(), older.getMetadata()) || !Objects.equals(body(newer), body(older));
  }

  private static boolean sameMetadata(ObjectMeta a, ObjectMeta b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getLabels(), b.getLabels())
        && Objects.equals(withoutLastApplied(a.getAnnotations()), withoutLastApplied(b.getAnnotations()))
        && Objects.equals(a.getOwnerReferences(), b.getOwnerReferences())
        && Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
  }

  private static Map<String, String> withoutLastApplied(Map<String, String> annotations) {
    if (annotations == null || !annotations.containsKey(CachePruner.LAST_APPLIED)) {
      return annotations;
    }
    var copy = new java.util.HashMap<>(annotations);
    copy.remove(CachePruner.LAST_APPLIED);
    return copy;
  }

  /** The part of the object, besides metadata, that a decision reads. */
  private static Object body(HasMetadata o) {
    if (o instanceof Pod p) {
      var s = p.getStatus();
      return java.util.Arrays.asList(p.getSpec(), s == null ? null : s.getPhase(), s == null ? null : s.getStartTime(),
          s == null ? null : terminated(s), s == null ? null : scheduling(s));
    }
    if (o instanceof PersistentVolumeClaim c) {
      return java.util.Arrays.asList(c.getSpec(), c.getStatus() == null ? null : c.getStatus().getPhase());
    }
    if (o instanceof PersistentVolume v) {
      return java.util.Arrays.asList(v.getSpec(), v.getStatus() == null ? null : v.getStatus().getPhase());
    }
    if (o instanceof Deployment d) {
      return d.getSpec();
    }
    if (o instanceof StatefulSet s) {
      return s.getSpec();
    }
    if (o instanceof DaemonSet d) {
      return d.getSpec();
    }
    if (o instanceof ReplicaSet r) {
      return r.getSpec();
    }
    if (o instanceof Job j) {
      return java.util.Arrays.asList(j.getSpec(), j.getStatus());
    }
    if (o instanceof CronJob c) {
      return java.util.Arrays.asList(c.getSpec(), c.getStatus() == null ? null : c.getStatus().getActive());
    }
    if (o instanceof HorizontalPodAutoscaler h) {
      return h.getSpec();
    }
    // StorageClasses and anything else: rare, small, and every field may matter.
    return o;
  }

  /**
   * What the scheduler said of a pod it has not placed: status, reason and message of a PodScheduled condition that
   * is not True. The same part the cache keeps, since the older object compared here comes from the pruned cache.
   */
  private static Object scheduling(io.fabric8.kubernetes.api.model.PodStatus s) {
    if (s.getConditions() == null) {
      return List.of();
    }
    return s.getConditions().stream()
        .filter(c -> CachePruner.SCHEDULED.equals(c.getType()) && !"True".equals(c.getStatus()))
        .map(c -> java.util.Arrays.asList(c.getStatus(), c.getReason(), c.getMessage())).toList();
  }

  private static Object terminated(io.fabric8.kubernetes.api.model.PodStatus s) {
    if (s.getContainerStatuses() == null) {
      return null;
    }
    return s.getContainerStatuses().stream()
        .map(c -> c.getState() == null ? null : c.getState().getTerminated())
        .toList();
  }
}
