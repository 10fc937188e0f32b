package io.walguard.placement;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One workload (or bare Pod) whose pods mount the database's claim.
 *
 * @param kind Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod
 * @param name the object's name
 * @param object the object itself, for the doors that act on it
 * @param pinnable whether a node affinity on its pod template can keep it on one node (a DaemonSet cannot; a bare
 *     Pod cannot be patched but is on one node once scheduled)
 * @param pinnedNode the one node its pods are constrained to (nodeName, hostname nodeSelector, required node
 *     affinity to one hostname), or null
 * @param walguardPinned whether walguard put that constraint there (annotation {@code walguard.io/pinned-node})
 * @param severalNodes whether this opener alone can have pods on more than one node at the same time
 * @param reasons why this opener can span nodes (or why it cannot), each naming it, e.g.
 *     {@code Deployment/grafana: RollingUpdate with maxSurge 1 can run two pods on two nodes during a rollout}
 */
public record Opener(
    String kind,
    String name,
    HasMetadata object,
    boolean pinnable,
    String pinnedNode,
    boolean walguardPinned,
    boolean severalNodes,
    List<String> reasons) {

  /** {@code Kind/name}, the form used in reasons and in the audit output. */
  public String ref() {
    return kind + "/" + name;
  }
}
