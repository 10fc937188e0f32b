package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import io.walguard.placement.RunningPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pods a pin does not move by itself. A pin changes the pod template, and a Deployment's rollout replaces the
 * pods on the pinned node; but a StatefulSet with {@code updateStrategy: OnDelete} or pods below its rollingUpdate
 * partition, a paused Deployment and a ReplicaSet of its own keep their pods where they are until someone acts, and a
 * CronJob's running Job keeps its pod until it finishes. For those, the status names the pods and what to do, instead
 * of promising that a rollout will move them.
 */
final class ManualRollout {

  private ManualRollout() {}

  /** What a person must do for each opener whose pods away from {@code node} no rollout will move; empty if none. */
  static List<String> advice(Placement placement, String node) {
    List<String> advice = new ArrayList<>();
    for (Opener opener : placement.openers()) {
      List<RunningPod> away = placement.running().stream()
          .filter(p -> p.owner().equals(opener.ref()) && !p.node().equals(node)).toList();
      if (!away.isEmpty() && opener.object() != null) {
        advice(opener, away, node).ifPresent(advice::add);
      }
    }
    return advice;
  }

  private static Optional<String> advice(Opener opener, List<RunningPod> away, String node) {
    String ref = opener.ref();
    if (opener.object() instanceof StatefulSet s && s.getSpec() != null && s.getSpec().getUpdateStrategy() != null) {
      var strategy = s.getSpec().getUpdateStrategy();
      if ("OnDelete".equals(strategy.getType())) {
        return Optional.of(ref + " has updateStrategy OnDelete, so Kubernetes replaces a pod only when it is deleted:"
            + " delete " + pods(away) + " and " + (away.size() == 1 ? "it comes" : "they come") + " back on " + node);
      }
      Integer partition = strategy.getRollingUpdate() == null ? null : strategy.getRollingUpdate().getPartition();
      if (partition != null && partition > 0) {
        List<RunningPod> held = away.stream().filter(p -> ordinal(opener.name(), p.name()) < partition).toList();
        if (!held.isEmpty()) {
          // Below the partition a deleted pod comes back from the old template too: only the partition moves them.
          return Optional.of(ref + " updates only the pods from ordinal " + partition + " up, and recreates the others"
              + " from the old template even when they are deleted: lower spec.updateStrategy.rollingUpdate.partition"
              + " (to 0) so that " + pods(held) + " " + (held.size() == 1 ? "is" : "are") + " replaced on " + node);
        }
      }
    }
    if (opener.object() instanceof Deployment d && d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused())) {
      return Optional.of(ref + " is paused, so no rollout replaces " + pods(away) + ": resume it (kubectl rollout"
          + " resume deployment/" + opener.name() + ") and its new pods start on " + node);
    }
    if (opener.object() instanceof ReplicaSet) {
      return Optional.of(ref + " does not replace its pods when its template changes: delete " + pods(away)
          + " and " + (away.size() == 1 ? "it comes" : "they come") + " back on " + node);
    }
    if (opener.object() instanceof CronJob) {
      return Optional.of("the run of " + ref + " under way keeps " + pods(away) + " where " + (away.size() == 1
          ? "it runs" : "they run") + " until it finishes; its next runs start on " + node);
    }
    return Optional.empty();
  }

  private static String pods(List<RunningPod> pods) {
    return (pods.size() == 1 ? "pod " : "pods ") + String.join(", ", pods.stream()
        .map(p -> p.name() + " (on " + p.node() + ")").sorted().toList());
  }

  /** The ordinal of a StatefulSet pod ({@code <set>-<n>}); -1 when the name is not one. */
  private static int ordinal(String statefulSet, String pod) {
    if (!pod.startsWith(statefulSet + "-")) {
      return -1;
    }
    try {
      return Integer.parseInt(pod.substring(statefulSet.length() + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
