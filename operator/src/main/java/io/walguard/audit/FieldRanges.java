package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.function.Function;

/**
 * The ranges the API server enforces on the counts that decide how many nodes can open a database. A manifest outside
 * them would never be admitted, and a verdict on it would mean nothing (a Deployment of -3 replicas is not "one pod at
 * a time"), so it is refused like a field of the wrong type. One more bound is walguard's own: the claims of a
 * StatefulSet's {@code volumeClaimTemplates} exist by name for every replica, so their number is limited.
 */
final class FieldRanges {

  /** A count at {@code path} of objects of {@code kind}, which must be at least {@code min}. */
  private record Range<T extends HasMetadata>(Class<T> kind, List<Object> path, Function<T, Integer> value, int min) {
    Integer of(HasMetadata object) {
      return kind.isInstance(object) ? value.apply(kind.cast(object)) : null;
    }
  }

  private static final List<Range<?>> RANGES = List.of(
      new Range<>(Deployment.class, List.of("spec", "replicas"),
          d -> d.getSpec() == null ? null : d.getSpec().getReplicas(), 0),
      new Range<>(StatefulSet.class, List.of("spec", "replicas"),
          s -> s.getSpec() == null ? null : s.getSpec().getReplicas(), 0),
      new Range<>(StatefulSet.class, List.of("spec", "ordinals", "start"),
          s -> s.getSpec() == null || s.getSpec().getOrdinals() == null ? null
              : s.getSpec().getOrdinals().getStart(), 0),
      new Range<>(ReplicaSet.class, List.of("spec", "replicas"),
          r -> r.getSpec() == null ? null : r.getSpec().getReplicas(), 0),
      new Range<>(Job.class, List.of("spec", "parallelism"),
          j -> j.getSpec() == null ? null : j.getSpec().getParallelism(), 0),
      new Range<>(CronJob.class, List.of("spec", "jobTemplate", "spec", "parallelism"),
          c -> c.getSpec() == null || c.getSpec().getJobTemplate() == null
              || c.getSpec().getJobTemplate().getSpec() == null ? null
              : c.getSpec().getJobTemplate().getSpec().getParallelism(), 0),
      new Range<>(HorizontalPodAutoscaler.class, List.of("spec", "maxReplicas"),
          h -> h.getSpec() == null ? null : h.getSpec().getMaxReplicas(), 1));

  private FieldRanges() {}

  static void check(HasMetadata object, String ref, Origin origin, ManifestDocument.FieldLines lines)
      throws BadInputException {
    for (Range<?> range : RANGES) {
      Integer value = range.of(object);
      if (value != null && value < range.min()) {
        throw new BadInputException(origin.atLine(lines.lineOf(range.path())).describe() + ": " + ref + ": "
            + ManifestObjects.dotted(range.path()) + " is " + value + ", but it must be " + range.min()
            + " or more (the API server refuses it)");
      }
    }
    if (object instanceof StatefulSet statefulSet && statefulSet.getSpec() != null
        && statefulSet.getSpec().getReplicas() != null
        && statefulSet.getSpec().getReplicas() > StatefulSetClaims.MAX_REPLICAS
        && StatefulSetClaims.hasTemplates(statefulSet)) {
      throw new BadInputException(origin.atLine(lines.lineOf(List.of("spec", "replicas"))).describe() + ": " + ref
          + ": spec.replicas is " + statefulSet.getSpec().getReplicas() + "; walguard audits a StatefulSet with"
          + " volumeClaimTemplates (one claim per template and replica) of at most " + StatefulSetClaims.MAX_REPLICAS
          + " replicas");
    }
  }
}
