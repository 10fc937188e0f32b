package io.walguard.jobs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.walguard.placement.Opener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a Litestream replicator next to the application. Litestream holds a read transaction open and runs its
 * own checkpoints so it can copy every WAL frame before it is reset; a second checkpointer would fight it (its
 * TRUNCATE/RESTART checkpoints would wait on Litestream's reader, or reset frames Litestream has not shipped).
 * So walguard holds its CronJob off when one is there.
 */
public final class Litestream {

  private Litestream() {}

  /** The first container that runs Litestream among the openers' pod templates, as {@code Kind/name container c}. */
  public static Optional<String> find(List<Opener> openers) {
    for (Opener opener : openers) {
      PodSpec spec = podSpec(opener.object());
      if (spec == null) {
        continue;
      }
      for (Container c : containers(spec)) {
        if (isLitestream(c)) {
          return Optional.of(opener.ref() + " container " + c.getName() + " (" + c.getImage() + ")");
        }
      }
    }
    return Optional.empty();
  }

  static boolean isLitestream(Container container) {
    String image = container.getImage() == null ? "" : container.getImage().toLowerCase(Locale.ROOT);
    String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int tag = repository.lastIndexOf(':');
    if (tag > repository.lastIndexOf('/')) {
      repository = repository.substring(0, tag);
    }
    if (repository.endsWith("/litestream") || repository.equals("litestream")) {
      return true;
    }
    List<String> words = new ArrayList<>();
    if (container.getCommand() != null) {
      words.addAll(container.getCommand());
    }
    if (container.getArgs() != null && !container.getArgs().isEmpty()) {
      words.add(container.getArgs().get(0));
    }
    return words.stream().limit(2).map(w -> w.toLowerCase(Locale.ROOT))
        .anyMatch(w -> w.equals("litestream") || w.endsWith("/litestream"));
  }

  private static List<Container> containers(PodSpec spec) {
    // Native sidecars are init containers with restartPolicy Always; classic ones are plain containers.
    return Stream.concat(
            spec.getContainers() == null ? Stream.empty() : spec.getContainers().stream(),
            spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream())
        .toList();
  }

  private static PodSpec podSpec(HasMetadata object) {
    PodTemplateSpec template = null;
    if (object instanceof Deployment d) {
      template = d.getSpec().getTemplate();
    } else if (object instanceof StatefulSet s) {
      template = s.getSpec().getTemplate();
    } else if (object instanceof DaemonSet ds) {
      template = ds.getSpec().getTemplate();
    } else if (object instanceof ReplicaSet rs) {
      template = rs.getSpec().getTemplate();
    } else if (object instanceof Job j) {
      template = j.getSpec().getTemplate();
    } else if (object instanceof CronJob cj) {
      template = cj.getSpec().getJobTemplate().getSpec().getTemplate();
    } else if (object instanceof Pod p) {
      return p.getSpec();
    }
    return template == null ? null : template.getSpec();
  }
}
