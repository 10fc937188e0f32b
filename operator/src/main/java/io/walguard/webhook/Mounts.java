package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
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
import io.walguard.core.Annotations;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which claims an object's pods mount, and whether it opts into walguard with {@code walguard.io/sqlite}. */
final class Mounts {

  /**
   * A StatefulSet's ordinals have a claim each and share everything else, so a handful says what all of them would;
   * the limit keeps a StatefulSet with a huge replica count from costing more than a small one.
   */
  static final int MAX_ORDINALS = 8;

  /**
   * The controllers whose objects the webhook leaves to them, by the kind of the object: {@code group/Kind} of the
   * owner reference. Each of these controllers is judged by its pod template when it is admitted (and scaled).
   */
  private static final Map<Class<?>, Set<String>> JUDGED_CONTROLLERS = Map.of(
      Pod.class, Set.of("apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet", "batch/Job"),
      Job.class, Set.of("batch/CronJob"),
      ReplicaSet.class, Set.of("apps/Deployment"));

  private Mounts() {}

  static PodTemplateSpec template(HasMetadata o) {
    if (o instanceof Deployment d && d.getSpec() != null) {
      return d.getSpec().getTemplate();
    }
    if (o instanceof StatefulSet s && s.getSpec() != null) {
      return s.getSpec().getTemplate();
    }
    if (o instanceof DaemonSet d && d.getSpec() != null) {
      return d.getSpec().getTemplate();
    }
    if (o instanceof ReplicaSet r && r.getSpec() != null) {
      return r.getSpec().getTemplate();
    }
    if (o instanceof Job j && j.getSpec() != null) {
      return j.getSpec().getTemplate();
    }
    if (o instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      return c.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return null;
  }

  static PodSpec podSpec(HasMetadata o) {
    if (o instanceof Pod p) {
      return p.getSpec();
    }
    PodTemplateSpec t = template(o);
    return t == null ? null : t.getSpec();
  }

  /** The claims the object's pods mount, in order: volumes, then a StatefulSet's per-ordinal claims. */
  static Set<String> claims(HasMetadata o) {
    Set<String> claims = new LinkedHashSet<>();
    if (o instanceof PersistentVolumeClaim pvc) {
      addIfNamed(claims, pvc.getMetadata().getName());
      return claims;
    }
    PodSpec spec = podSpec(o);
    if (spec != null && spec.getVolumes() != null) {
      for (Volume v : spec.getVolumes()) {
        if (v != null && v.getPersistentVolumeClaim() != null) {
          addIfNamed(claims, v.getPersistentVolumeClaim().getClaimName());
        }
      }
    }
    if (o instanceof StatefulSet sts) {
      claims.addAll(ordinalClaims(sts));
    }
    return claims;
  }

  /** {@code <template>-<statefulset>-<ordinal>} for the first ordinals of each volumeClaimTemplate. */
  static List<String> ordinalClaims(StatefulSet sts) {
    if (sts.getSpec() == null || sts.getSpec().getVolumeClaimTemplates() == null) {
      return List.of();
    }
    // at least one: a StatefulSet scaled to zero keeps its claims, and the audit counts them
    int replicas = sts.getSpec().getReplicas() == null ? 1 : Math.max(1, sts.getSpec().getReplicas());
    int ordinals = Math.min(replicas, MAX_ORDINALS);
    int start = sts.getSpec().getOrdinals() != null && sts.getSpec().getOrdinals().getStart() != null
        ? Math.max(0, sts.getSpec().getOrdinals().getStart()) : 0;
    List<String> out = new java.util.ArrayList<>();
    for (PersistentVolumeClaim t : sts.getSpec().getVolumeClaimTemplates()) {
      if (t == null || t.getMetadata() == null || t.getMetadata().getName() == null) {
        continue;
      }
      for (int i = 0; i < ordinals; i++) {
        out.add(t.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-" + ((long) start + i));
      }
    }
    return out;
  }

  /** Whether the StatefulSet's volumeClaimTemplates make the claim, and the template opts in. */
  static boolean templateOptsIn(StatefulSet sts, String claim) {
    if (sts.getSpec() == null || sts.getSpec().getVolumeClaimTemplates() == null) {
      return false;
    }
    String suffix = "-" + sts.getMetadata().getName() + "-";
    for (PersistentVolumeClaim t : sts.getSpec().getVolumeClaimTemplates()) {
      if (t != null && t.getMetadata() != null && t.getMetadata().getName() != null
          && claim.startsWith(t.getMetadata().getName() + suffix) && optedIn(t.getMetadata())) {
        String ordinal = claim.substring(t.getMetadata().getName().length() + suffix.length());
        if (!ordinal.isEmpty() && ordinal.chars().allMatch(Character::isDigit)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The images of the object's containers and init containers. */
  static List<String> images(HasMetadata o) {
    PodSpec spec = podSpec(o);
    if (spec == null) {
      return List.of();
    }
    List<String> images = new java.util.ArrayList<>();
    for (var list : java.util.Arrays.asList(spec.getContainers(), spec.getInitContainers())) {
      if (list != null) {
        list.stream().filter(c -> c != null && c.getImage() != null).forEach(c -> images.add(c.getImage()));
      }
    }
    return images;
  }

  /** {@code walguard.io/sqlite: "true"} on the object or on its pod template. */
  static boolean optedIn(HasMetadata o) {
    if (optedIn(o.getMetadata())) {
      return true;
    }
    PodTemplateSpec t = template(o);
    return t != null && optedIn(t.getMetadata());
  }

  static boolean optedIn(ObjectMeta meta) {
    String value = annotation(meta, Annotations.SQLITE);
    return value != null && "true".equalsIgnoreCase(value.strip());
  }

  static String annotation(ObjectMeta meta, String key) {
    if (meta == null) {
      return null;
    }
    Map<String, String> a = meta.getAnnotations();
    return a == null ? null : a.get(key);
  }

  static String label(ObjectMeta meta, String key) {
    if (meta == null) {
      return null;
    }
    Map<String, String> l = meta.getLabels();
    return l == null ? null : l.get(key);
  }

  /**
   * Whether a controller that walguard judges by its pod template made this object: a Pod of a ReplicaSet,
   * StatefulSet, DaemonSet or Job, a Job of a CronJob, a ReplicaSet of a Deployment. Its controller was judged when
   * it was admitted. Pods of other controllers (Argo Workflows, Tekton) and ReplicaSets of others (Argo Rollouts)
   * are judged themselves.
   */
  static boolean madeByJudgedController(HasMetadata o) {
    Set<String> judged = JUDGED_CONTROLLERS.get(o.getClass());
    List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
    if (judged == null || owners == null) {
      return false;
    }
    return owners.stream().anyMatch(r -> r != null && Boolean.TRUE.equals(r.getController())
        && judged.contains(groupOf(r.getApiVersion()) + "/" + r.getKind()));
  }

  private static String groupOf(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static void addIfNamed(Set<String> claims, String name) {
    if (name != null && !name.isEmpty()) {
      claims.add(name);
    }
  }
}
