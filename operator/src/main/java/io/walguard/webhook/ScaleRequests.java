package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.walguard.core.Facts;
import java.util.Objects;
import java.util.Optional;

/**
 * A request on a {@code scale} subresource ({@code kubectl scale}, an autoscaler) carries only an
 * {@code autoscaling/v1} Scale: it is judged as an UPDATE of its workload, the cached one with the new replica
 * count, so that scaling past what is safe is seen as raising {@code spec.replicas} would be.
 */
final class ScaleRequests {

  private ScaleRequests() {}

  /** The update of the workload the scale request scales, or empty when the workload is not cached. */
  static Optional<Admission> asWorkloadUpdate(Admission admission, Scale scale, Facts cached) {
    Integer replicas = scale.getSpec() == null ? null : scale.getSpec().getReplicas();
    Class<? extends HasMetadata> type = switch (admission.resource()) {
      case "deployments" -> Deployment.class;
      case "statefulsets" -> StatefulSet.class;
      case "replicasets" -> ReplicaSet.class;
      default -> null;
    };
    if (replicas == null || type == null) {
      return Optional.empty();
    }
    String namespace = admission.namespace();
    String name = admission.name();
    Optional<HasMetadata> current = cached.workloads(namespace).stream()
        .filter(w -> type.isInstance(w) && w.getMetadata() != null && Objects.equals(w.getMetadata().getName(), name))
        .findFirst();
    return current.map(w -> admission.about("apps", "v1", w.getKind(), admission.resource(),
        withReplicas(w, replicas), w));
  }

  /** A copy with other replicas; the cached object is left as it is. */
  private static HasMetadata withReplicas(HasMetadata workload, int replicas) {
    if (workload instanceof Deployment d) {
      return new DeploymentBuilder(d).editOrNewSpec().withReplicas(replicas).endSpec().build();
    }
    if (workload instanceof StatefulSet s) {
      return new StatefulSetBuilder(s).editOrNewSpec().withReplicas(replicas).endSpec().build();
    }
    return new ReplicaSetBuilder((ReplicaSet) workload).editOrNewSpec().withReplicas(replicas).endSpec().build();
  }
}
