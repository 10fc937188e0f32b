package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
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
import java.util.Optional;
import java.util.regex.Pattern;

/** What walguard reads from the pod-template workloads, whatever their kind. */
final class Workloads {

  private Workloads() {}

  static Optional<PodTemplateSpec> template(HasMetadata workload) {
    PodTemplateSpec t = null;
    if (workload instanceof Deployment d && d.getSpec() != null) {
      t = d.getSpec().getTemplate();
    } else if (workload instanceof StatefulSet s && s.getSpec() != null) {
      t = s.getSpec().getTemplate();
    } else if (workload instanceof DaemonSet d && d.getSpec() != null) {
      t = d.getSpec().getTemplate();
    } else if (workload instanceof ReplicaSet r && r.getSpec() != null) {
      t = r.getSpec().getTemplate();
    } else if (workload instanceof Job j && j.getSpec() != null) {
      t = j.getSpec().getTemplate();
    } else if (workload instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      t = c.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return Optional.ofNullable(t);
  }

  /** The claims a pod spec mounts by name. */
  static List<String> claims(PodSpec spec) {
    if (spec == null || spec.getVolumes() == null) {
      return List.of();
    }
    return spec.getVolumes().stream()
        .map(Volume::getPersistentVolumeClaim)
        .filter(java.util.Objects::nonNull)
        .map(c -> c.getClaimName())
        .filter(java.util.Objects::nonNull)
        .distinct()
        .toList();
  }

  static List<String> templateClaims(HasMetadata workload) {
    return template(workload).map(t -> claims(t.getSpec())).orElse(List.of());
  }

  static Map<String, String> templateLabels(HasMetadata workload) {
    return template(workload).map(t -> t.getMetadata() == null ? null : t.getMetadata().getLabels()).orElse(null);
  }

  /** The pattern of the claims a StatefulSet's volumeClaimTemplates create: {@code <template>-<set>-<ordinal>}. */
  static List<Pattern> claimTemplatePatterns(HasMetadata workload) {
    if (!(workload instanceof StatefulSet s) || s.getSpec() == null || s.getSpec().getVolumeClaimTemplates() == null) {
      return List.of();
    }
    return s.getSpec().getVolumeClaimTemplates().stream()
        .map(PersistentVolumeClaim::getMetadata)
        .filter(java.util.Objects::nonNull)
        .map(m -> Pattern.compile(Pattern.quote(m.getName() + "-" + s.getMetadata().getName() + "-") + "\\d+"))
        .toList();
  }

  static String ref(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  /** The controller owner of an object, as {@code Kind/name}, if it has one. */
  static Optional<String> controller(HasMetadata object) {
    if (object.getMetadata().getOwnerReferences() == null) {
      return Optional.empty();
    }
    return object.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .map(o -> o.getKind() + "/" + o.getName())
        .findFirst();
  }

  static boolean annotated(HasMetadata object, String key, String value) {
    Map<String, String> a = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
    return a != null && value.equalsIgnoreCase(a.get(key));
  }
}
