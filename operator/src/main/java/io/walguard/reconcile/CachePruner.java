package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops from cached objects what no walguard decision reads, so the operator's memory follows the number of objects
 * rather than their size: managedFields, the last-applied annotation, status conditions, and in Pods the container
 * details that only the kubelet needs (env, resources, probes). Pod templates of workloads are kept whole: the
 * remedies read them. A bare Pod is its own template: the toolbox pods that run next to it copy its tolerations and
 * the user its containers run as, so those stay. Objects are pruned in place as the informer stores them.
 */
public final class CachePruner {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final String SCHEDULED = "PodScheduled";

  private CachePruner() {}

  public static <R extends HasMetadata> R prune(R object) {
    pruneMetadata(object.getMetadata());
    if (object instanceof Pod pod) {
      prunePod(pod);
    } else if (object instanceof PersistentVolumeClaim pvc && pvc.getStatus() != null) {
      PersistentVolumeClaimStatus status = pvc.getStatus();
      status.setConditions(null);
      status.setAllocatedResourceStatuses(null);
      status.setModifyVolumeStatus(null);
    } else if (object instanceof Deployment d && d.getStatus() != null) {
      d.getStatus().setConditions(null);
    } else if (object instanceof StatefulSet s && s.getStatus() != null) {
      s.getStatus().setConditions(null);
    } else if (object instanceof DaemonSet d && d.getStatus() != null) {
      d.getStatus().setConditions(null);
    } else if (object instanceof ReplicaSet r && r.getStatus() != null) {
      r.getStatus().setConditions(null);
    } else if (object instanceof HorizontalPodAutoscaler h && h.getStatus() != null) {
      h.getStatus().setConditions(null);
      h.getStatus().setCurrentMetrics(null);
    }
    return object;
  }

  static void pruneMetadata(ObjectMeta meta) {
    if (meta == null) {
      return;
    }
    meta.setManagedFields(null);
    if (meta.getAnnotations() != null) {
      meta.getAnnotations().remove(LAST_APPLIED);
    }
  }

  private static void prunePod(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec != null) {
      pruneContainers(spec.getContainers());
      pruneContainers(spec.getInitContainers());
      spec.setEphemeralContainers(null);
      spec.setReadinessGates(null);
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      // Phase and startTime say where openers run and which runs longest; PodScheduled says why a pod without a
      // node has none (an opener the scheduler cannot place); terminated states carry the termination messages of
      // walguard's own Job pods. The rest changes often and decides nothing.
      PodStatus kept = new PodStatus();
      kept.setPhase(status.getPhase());
      kept.setStartTime(status.getStartTime());
      kept.setConditions(scheduledOnly(status.getConditions()));
      kept.setContainerStatuses(terminatedOnly(status.getContainerStatuses()));
      pod.setStatus(kept);
    }
  }

  /** The PodScheduled condition, without its timestamps, when the pod has no node yet; null otherwise. */
  private static List<PodCondition> scheduledOnly(List<PodCondition> conditions) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> SCHEDULED.equals(c.getType()) && !"True".equals(c.getStatus()))
        .map(c -> new PodConditionBuilder().withType(c.getType()).withStatus(c.getStatus()).withReason(c.getReason())
            .withMessage(c.getMessage()).build())
        .findFirst().map(List::of).orElse(null);
  }

  private static void pruneContainers(List<Container> containers) {
    if (containers == null) {
      return;
    }
    for (Container c : containers) {
      c.setEnv(null);
      c.setEnvFrom(null);
      c.setResources(null);
      c.setLivenessProbe(null);
      c.setReadinessProbe(null);
      c.setStartupProbe(null);
      c.setLifecycle(null);
      c.setPorts(null);
    }
  }

  private static List<ContainerStatus> terminatedOnly(List<ContainerStatus> statuses) {
    if (statuses == null || statuses.isEmpty()) {
      return null;
    }
    List<ContainerStatus> kept = new ArrayList<>();
    for (ContainerStatus s : statuses) {
      if (s.getState() != null && s.getState().getTerminated() != null) {
        ContainerStatus t = new ContainerStatus();
        t.setName(s.getName());
        ContainerState state = new ContainerState();
        state.setTerminated(s.getState().getTerminated());
        t.setState(state);
        kept.add(t);
      }
    }
    return kept.isEmpty() ? null : kept;
  }
}
