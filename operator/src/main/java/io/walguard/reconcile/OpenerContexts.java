package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.walguard.jobs.ToolboxPod;
import io.walguard.placement.Opener;
import java.util.List;
import java.util.Optional;

/**
 * What a toolbox pod borrows from the openers: the user, group and fsGroup that own the database files, and the
 * tolerations that let it onto their node. Read from the first opener's pod template (a bare Pod's own spec).
 */
final class OpenerContexts {

  private OpenerContexts() {}

  static ToolboxPod.OpenerContext of(List<Opener> openers, String node) {
    for (Opener opener : openers) {
      Optional<PodSpec> spec = podSpec(opener.object());
      if (spec.isPresent()) {
        return from(spec.get(), node);
      }
    }
    return ToolboxPod.OpenerContext.on(node);
  }

  static Optional<PodSpec> podSpec(HasMetadata object) {
    if (object instanceof Pod p) {
      return Optional.ofNullable(p.getSpec());
    }
    return Workloads.template(object).map(t -> t.getSpec());
  }

  private static ToolboxPod.OpenerContext from(PodSpec spec, String node) {
    var psc = spec.getSecurityContext();
    Long user = psc == null ? null : psc.getRunAsUser();
    Long group = psc == null ? null : psc.getRunAsGroup();
    Long fsGroup = psc == null ? null : psc.getFsGroup();
    // A user set on the app's container (not the pod) still owns the files it writes.
    if (user == null && spec.getContainers() != null) {
      for (Container c : spec.getContainers()) {
        if (c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null) {
          user = c.getSecurityContext().getRunAsUser();
          group = group != null ? group : c.getSecurityContext().getRunAsGroup();
          break;
        }
      }
    }
    List<Toleration> tolerations = spec.getTolerations() == null ? List.of() : List.copyOf(spec.getTolerations());
    return new ToolboxPod.OpenerContext(node, user, group, fsGroup, tolerations);
  }
}
