package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Chooses between two copies of one object (same kind, namespace and name) among the files an audit reads. The later
 * copy usually is an edit of the earlier and wins. But a copy without a field the API server requires of its kind (a
 * Deployment without selector or pod template) is a fragment, most often a patch for kustomize or another tool: read
 * as the object, it would drop the volumes of the one it patches. A fragment never replaces a complete copy.
 */
final class ObjectCopies {

  /**
   * Fields the API server requires of each kind walguard reads, and that patches leave out (selectors are immutable;
   * a Job's pod template must say how it restarts): dotted paths, each present and not empty.
   */
  private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
      Map.entry("Deployment", List.of("spec.selector", "spec.template.spec.containers")),
      Map.entry("StatefulSet", List.of("spec.selector", "spec.template.spec.containers")),
      Map.entry("DaemonSet", List.of("spec.selector", "spec.template.spec.containers")),
      Map.entry("ReplicaSet", List.of("spec.selector", "spec.template.spec.containers")),
      Map.entry("Job", List.of("spec.template.spec.containers", "spec.template.spec.restartPolicy")),
      Map.entry("CronJob", List.of("spec.schedule", "spec.jobTemplate.spec.template.spec.containers",
          "spec.jobTemplate.spec.template.spec.restartPolicy")),
      Map.entry("Pod", List.of("spec.containers")),
      Map.entry("PersistentVolumeClaim", List.of("spec.accessModes", "spec.resources.requests.storage")),
      Map.entry("PersistentVolume", List.of("spec.capacity", "spec.accessModes")),
      Map.entry("StorageClass", List.of("provisioner")),
      Map.entry("HorizontalPodAutoscaler", List.of("spec.scaleTargetRef", "spec.maxReplicas")));

  private ObjectCopies() {}

  /**
   * The copy to use, with a note that says which and why.
   *
   * @param ref the object as notes name it, e.g. {@code Deployment "apps/web"}
   */
  static ManifestObjects.Located keep(ManifestObjects.Located earlier, ManifestObjects.Located later, String ref,
      Consumer<String> notes) {
    Optional<String> laterMisses = missing(later.object());
    if (laterMisses.isPresent() && missing(earlier.object()).isEmpty()) {
      notes.accept(later.origin().describe() + ": " + ref + " also appears at " + earlier.origin().describe()
          + "; this copy has no " + laterMisses.get() + ", so it is a fragment (a patch?), not the object: the"
          + " complete one is used");
      return earlier;
    }
    notes.accept(later.origin().describe() + ": " + ref + " also appears at " + earlier.origin().describe()
        + "; the later one is used");
    return later;
  }

  /** The first required field the object lacks, if any. */
  static Optional<String> missing(HasMetadata object) {
    List<String> required = REQUIRED.get(object.getKind());
    if (required == null) {
      return Optional.empty();
    }
    Map<?, ?> fields = ManifestObjects.serialization().convertValue(object, Map.class);
    return required.stream().filter(path -> !present(fields, path)).findFirst();
  }

  private static boolean present(Map<?, ?> fields, String path) {
    Object node = fields;
    for (String key : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return false;
      }
      node = map.get(key);
    }
    return node != null && !(node instanceof Collection<?> c && c.isEmpty()) && !(node instanceof Map<?, ?> m
        && m.isEmpty()) && !(node instanceof String s && s.isBlank());
  }
}
