package io.walguard.audit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** What discovery needs to know of a workload or Pod: its pod template, the claims its pods mount, its images. */
final class PodTemplates {

  private PodTemplates() {}

  static Optional<PodTemplateSpec> template(HasMetadata workload) {
    PodTemplateSpec template = null;
    if (workload instanceof Deployment d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (workload instanceof StatefulSet s && s.getSpec() != null) {
      template = s.getSpec().getTemplate();
    } else if (workload instanceof DaemonSet d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (workload instanceof ReplicaSet r && r.getSpec() != null) {
      template = r.getSpec().getTemplate();
    } else if (workload instanceof Job j && j.getSpec() != null) {
      template = j.getSpec().getTemplate();
    } else if (workload instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      template = c.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return Optional.ofNullable(template);
  }

  static Optional<PodSpec> podSpec(HasMetadata object) {
    if (object instanceof Pod pod) {
      return Optional.ofNullable(pod.getSpec());
    }
    return template(object).map(PodTemplateSpec::getSpec);
  }

  /** The annotation on the object itself, else on its pod template. */
  static Optional<String> annotation(HasMetadata object, String key) {
    Optional<String> own = annotation(object.getMetadata(), key);
    return own.isPresent() ? own : template(object).flatMap(t -> annotation(t.getMetadata(), key));
  }

  static Optional<String> annotation(ObjectMeta metadata, String key) {
    if (metadata == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = metadata.getAnnotations();
    return annotations == null ? Optional.empty() : Optional.ofNullable(annotations.get(key));
  }

  /** Claims named in the pod spec's volumes, in order. */
  static List<String> mountedClaims(HasMetadata object) {
    List<String> claims = new ArrayList<>();
    podSpec(object).map(PodSpec::getVolumes).orElse(List.of()).stream()
        .map(Volume::getPersistentVolumeClaim)
        .filter(source -> source != null && source.getClaimName() != null && !source.getClaimName().isBlank())
        .map(source -> source.getClaimName())
        .forEach(claims::add);
    return claims;
  }

  static List<String> images(HasMetadata object) {
    return podSpec(object).stream()
        .flatMap(spec -> Stream.concat(
            spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream(),
            spec.getContainers() == null ? Stream.empty() : spec.getContainers().stream()))
        .map(Container::getImage)
        .filter(image -> image != null && !image.isBlank())
        .toList();
  }
}
