package io.walguard.placement;

import java.util.List;
import java.util.Optional;

/**
 * Where the openers of one claim are, and where they can be.
 *
 * @param openers every workload or bare Pod whose pods mount the claim (after {@code workloadSelector})
 * @param severalNodes whether openers can be on more than one node at the same time, now or during a rollout
 * @param reasons why they can (or why they cannot), each naming the opener
 * @param running the pods that mount the claim and are scheduled now
 * @param nodes the distinct nodes of {@code running}, sorted
 * @param commonNode the one node every opener is constrained to, when there is one
 * @param allPinnable whether every opener can be pinned with a pod-template node affinity
 * @param pinnedByWalguard whether the openers are on one node because walguard pinned them
 * @param singlePodAccess whether the claim is {@code ReadWriteOncePod}: one pod in the cluster at a time
 * @param waiting the pods that mount the claim and wait for a node, with what the scheduler said of them
 */
public record Placement(
    List<Opener> openers,
    boolean severalNodes,
    List<String> reasons,
    List<RunningPod> running,
    List<String> nodes,
    Optional<String> commonNode,
    boolean allPinnable,
    boolean pinnedByWalguard,
    boolean singlePodAccess,
    List<WaitingPod> waiting) {

  /** Placement where no pod waits for a node (manifests, Compose files). */
  public Placement(List<Opener> openers, boolean severalNodes, List<String> reasons, List<RunningPod> running,
      List<String> nodes, Optional<String> commonNode, boolean allPinnable, boolean pinnedByWalguard,
      boolean singlePodAccess) {
    this(openers, severalNodes, reasons, running, nodes, commonNode, allPinnable, pinnedByWalguard, singlePodAccess,
        List.of());
  }

  /** The waiting pods the scheduler could not place. */
  public List<WaitingPod> unschedulable() {
    return waiting.stream().filter(WaitingPod::unschedulable).toList();
  }

  public List<String> openerRefs() {
    return openers.stream().map(Opener::ref).toList();
  }
}
