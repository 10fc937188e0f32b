package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code persistentVolumeClaim} volume must name its claim: the API server refuses one without {@code claimName}
 * (the field is required), and a pod that mounts "some claim" cannot be placed against any database. Read as it is,
 * the volume would mount nothing, and an opted-in workload would drop out of the audit without a word, so it is bad
 * input, like a field of the wrong type.
 */
final class ClaimReferences {

  private ClaimReferences() {}

  static void check(HasMetadata object, String ref, Origin origin, ManifestDocument.FieldLines lines)
      throws BadInputException {
    List<Volume> volumes = PodTemplates.podSpec(object).map(PodSpec::getVolumes).orElse(null);
    if (volumes == null) {
      return;
    }
    for (int i = 0; i < volumes.size(); i++) {
      PersistentVolumeClaimVolumeSource source = volumes.get(i).getPersistentVolumeClaim();
      if (source == null || (source.getClaimName() != null && !source.getClaimName().isBlank())) {
        continue;
      }
      List<Object> path = new ArrayList<>(podSpecPath(object));
      path.addAll(List.of("volumes", i, "persistentVolumeClaim"));
      String misspelt = source.getAdditionalProperties().keySet().stream()
          .filter(key -> key.equalsIgnoreCase("claimName") || key.equalsIgnoreCase("claim_name")
              || key.equalsIgnoreCase("claim"))
          .findFirst().map(key -> " (it has " + Quoted.quoted(key) + ", which is not a field: the field is claimName)")
          .orElse("");
      throw new BadInputException(origin.atLine(lines.lineOf(path)).describe() + ": " + ref + ": "
          + ManifestObjects.dotted(path) + ".claimName is missing" + misspelt + ": set it to the"
          + " PersistentVolumeClaim the volume mounts (the API server refuses the volume without it)");
    }
  }

  /** Where the pod spec sits in an object of this kind. */
  private static List<Object> podSpecPath(HasMetadata object) {
    if (object instanceof Pod) {
      return List.of("spec");
    }
    if (object instanceof CronJob) {
      return List.of("spec", "jobTemplate", "spec", "template", "spec");
    }
    return List.of("spec", "template", "spec");
  }
}
