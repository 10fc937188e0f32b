package io.walguard.placement;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod-template workload seen through what placement needs: its kind, name, pod template and controller.
 *
 * @param kind Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob
 * @param template the pod template (for a CronJob, that of its job template); null when the manifest has none
 */
record Workload(String kind, String name, HasMetadata object, PodTemplateSpec template) {

  /** The workload view of a Facts object, or empty for kinds that have no pod template. */
  static Optional<Workload> of(HasMetadata object) {
    String name = object.getMetadata() == null ? null : object.getMetadata().getName();
    PodTemplateSpec template;
    if (object instanceof Deployment d) {
      template = d.getSpec() == null ? null : d.getSpec().getTemplate();
    } else if (object instanceof StatefulSet s) {
      template = s.getSpec() == null ? null : s.getSpec().getTemplate();
    } else if (object instanceof DaemonSet d) {
      template = d.getSpec() == null ? null : d.getSpec().getTemplate();
    } else if (object instanceof ReplicaSet r) {
      template = r.getSpec() == null ? null : r.getSpec().getTemplate();
    } else if (object instanceof Job j) {
      template = j.getSpec() == null ? null : j.getSpec().getTemplate();
    } else if (object instanceof CronJob c) {
      template = c.getSpec() == null || c.getSpec().getJobTemplate() == null
          || c.getSpec().getJobTemplate().getSpec() == null ? null
          : c.getSpec().getJobTemplate().getSpec().getTemplate();
    } else {
      return Optional.empty();
    }
    return Optional.of(new Workload(object.getKind(), name, object, template));
  }

  String ref() {
    return kind + "/" + name;
  }

  PodSpec podSpec() {
    return template == null ? null : template.getSpec();
  }

  Map<String, String> templateLabels() {
    return template == null || template.getMetadata() == null || template.getMetadata().getLabels() == null
        ? Map.of() : template.getMetadata().getLabels();
  }

  String annotation(String key) {
    var annotations = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  boolean mounts(String claim) {
    return mounts(podSpec(), claim);
  }

  /** Whether this object is the one an owner reference points at (by kind and name, and by uid when both have one). */
  boolean isReferencedBy(OwnerReference ref) {
    if (ref == null || !kind.equals(ref.getKind()) || !Objects.equals(name, ref.getName())) {
      return false;
    }
    String uid = object.getMetadata().getUid();
    return uid == null || uid.isEmpty() || ref.getUid() == null || ref.getUid().isEmpty() || uid.equals(ref.getUid());
  }

  /** Whether a pod spec has a volume backed by the claim. */
  static boolean mounts(PodSpec spec, String claim) {
    List<Volume> volumes = spec == null ? null : spec.getVolumes();
    return volumes != null && volumes.stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
        && claim.equals(v.getPersistentVolumeClaim().getClaimName()));
  }

  static boolean mounts(Pod pod, String claim) {
    return mounts(pod.getSpec(), claim);
  }

  /**
   * The owner reference that names the object's controller. Kubernetes always marks it {@code controller: true};
   * hand-written manifests often leave the flag out, so the first owner reference stands in when none is marked.
   */
  static OwnerReference controllerRef(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata() == null ? null : object.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return null;
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(refs.get(0));
  }
}
