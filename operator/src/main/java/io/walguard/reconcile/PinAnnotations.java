package io.walguard.reconcile;

import io.walguard.core.Annotations;

/**
 * The annotations walguard writes on the workloads it pins, so that what it added can be found, moved and removed
 * again exactly. {@link Annotations#PINNED_NODE} is the public contract; the other two are walguard's bookkeeping.
 */
final class PinAnnotations {
  /** The node the pod template is pinned to. */
  static final String PINNED_NODE = Annotations.PINNED_NODE;
  /**
   * The SqliteDatabases (same namespace, comma separated) that asked for the pin: a workload that opens two
   * databases keeps its pin until the last of them is deleted.
   */
  static final String PINNED_BY = Annotations.PREFIX + "pinned-by";
  /** The Deployment's {@code spec.strategy} before walguard set {@code maxSurge: 0} (JSON; "null" if absent). */
  static final String ROLLOUT_BEFORE_PIN = Annotations.PREFIX + "rollout-before-pin";

  private PinAnnotations() {}
}
