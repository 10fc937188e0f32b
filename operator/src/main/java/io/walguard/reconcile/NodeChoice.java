package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.walguard.api.SqliteDatabase;
import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import io.walguard.placement.RunningPod;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The node every opener is pinned to, and why that one.
 *
 * <p>Order: {@code spec.node}; the node walguard already pinned to (a pin never wanders while a rollout moves pods
 * around); a node some opener is already constrained to by its owner; the node of the running opener that started
 * first (it holds the current writer); the claim's {@code volume.kubernetes.io/selected-node}; else none yet.
 *
 * @param node the node, when one could be chosen
 * @param source why, in words for status and Events
 */
public record NodeChoice(Optional<String> node, String source) {

  static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  static final String SPEC_NODE = "spec.node";

  static NodeChoice choose(SqliteDatabase db, Placement placement, Optional<PersistentVolumeClaim> claim) {
    String wanted = db.getSpec() == null ? null : db.getSpec().getNode();
    if (wanted != null && !wanted.isBlank()) {
      return of(wanted, SPEC_NODE);
    }
    Optional<String> pinned = walguardPin(placement);
    if (pinned.isPresent()) {
      return of(pinned.get(), "the node walguard already pinned the openers to");
    }
    Optional<Opener> constrained = placement.openers().stream()
        .filter(o -> o.pinnedNode() != null && !o.walguardPinned())
        .min(Comparator.comparing(Opener::ref));
    if (constrained.isPresent()) {
      return of(constrained.get().pinnedNode(), constrained.get().ref() + " is already constrained to it");
    }
    Optional<RunningPod> oldest = placement.running().stream()
        .filter(p -> p.node() != null && !p.node().isBlank())
        .min(Comparator.comparing((RunningPod p) -> p.startTime() == null ? "\uffff" : p.startTime())
            .thenComparing(RunningPod::name));
    if (oldest.isPresent()) {
      RunningPod p = oldest.get();
      return of(p.node(), "pod " + p.name() + " runs there and has run longest"
          + (p.startTime() == null ? "" : " (since " + p.startTime() + ")"));
    }
    Optional<String> selected = claim.map(c -> c.getMetadata().getAnnotations())
        .map(a -> a.get(SELECTED_NODE)).filter(s -> !s.isBlank());
    if (selected.isPresent()) {
      return of(selected.get(),
          "no opener runs yet; the claim's volume was provisioned for it (" + SELECTED_NODE + ")");
    }
    return new NodeChoice(Optional.empty(),
        "no opener runs yet and the claim names no selected node: set spec.node, or start one opener and walguard"
            + " pins the others to its node");
  }

  /**
   * The node most of walguard's existing pins on these openers name (ties: by name). Read from the annotation, which
   * stays when a user edits the term away, so the term comes back on the same node.
   */
  private static Optional<String> walguardPin(Placement placement) {
    Map<String, Integer> counts = new TreeMap<>();
    placement.openers().stream()
        .map(o -> o.object() == null ? null : o.object().getMetadata().getAnnotations())
        .filter(Objects::nonNull)
        .map(a -> a.get(PinAnnotations.PINNED_NODE))
        .filter(Objects::nonNull)
        .forEach(n -> counts.merge(n, 1, Integer::sum));
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
  }

  private static NodeChoice of(String node, String source) {
    return new NodeChoice(Optional.of(node), source);
  }
}
