package io.walguard.placement;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who controls what, through owner references among the workloads in the facts: Pod to ReplicaSet to Deployment,
 * Pod to Job to CronJob, Pod to StatefulSet or DaemonSet.
 */
final class Owners {

  /** Deeper chains than Pod, ReplicaSet, Deployment do not exist; the bound only guards against reference cycles. */
  private static final int MAX_DEPTH = 4;

  private final List<Workload> workloads;

  Owners(List<Workload> workloads) {
    this.workloads = workloads;
  }

  /** The workload in the facts that controls this object, if any. */
  Optional<Workload> controllerOf(HasMetadata object) {
    OwnerReference ref = Workload.controllerRef(object);
    return ref == null ? Optional.empty() : workloads.stream().filter(w -> w.isReferencedBy(ref)).findFirst();
  }

  /** The outermost known controller of a workload: a ReplicaSet's Deployment, a Job's CronJob, or itself. */
  Workload top(Workload workload) {
    Workload current = workload;
    for (int i = 0; i < MAX_DEPTH; i++) {
      Optional<Workload> owner = controllerOf(current.object());
      if (owner.isEmpty() || owner.get() == current) {
        return current;
      }
      current = owner.get();
    }
    return current;
  }

  /**
   * The workload a pod belongs to, or empty for a bare pod (no owner, or an owner the facts do not hold). A pod whose
   * ReplicaSet is not in the facts (manifests rarely carry ReplicaSets) belongs to the Deployment whose selector
   * matches its labels, preferring the one whose name prefixes the ReplicaSet's as Kubernetes names them.
   */
  Optional<Workload> ownerOf(Pod pod) {
    OwnerReference ref = Workload.controllerRef(pod);
    if (ref == null) {
      return Optional.empty();
    }
    Optional<Workload> direct = controllerOf(pod);
    if (direct.isPresent()) {
      return Optional.of(top(direct.get()));
    }
    if (!"ReplicaSet".equals(ref.getKind())) {
      return Optional.empty();
    }
    var labels = pod.getMetadata().getLabels();
    return workloads.stream()
        .filter(w -> w.object() instanceof Deployment d && d.getSpec() != null
            && !LabelSelectors.selectsEverything(selectorOf(d))
            && LabelSelectors.matches(selectorOf(d), labels))
        .min(Comparator.comparing((Workload w) -> ref.getName() == null || !ref.getName().startsWith(w.name() + "-"))
            .thenComparing(Workload::name));
  }

  private static LabelSelector selectorOf(Deployment d) {
    return d.getSpec().getSelector();
  }
}
