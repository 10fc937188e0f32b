package io.walguard.placement;

/**
 * A pod that mounts the claim and has no node yet ({@code spec.nodeName} empty), with what the scheduler said of it.
 * It opens nothing now, but it is an opener the moment it is placed, and one the scheduler cannot place is an opener
 * that cannot run.
 *
 * @param name pod name
 * @param owner {@code Kind/name} of the opener it belongs to
 * @param scheduled the status of its {@code PodScheduled} condition ({@code False} when the scheduler tried and could
 *     not place it), or null when it has none yet
 * @param reason that condition's reason, e.g. {@code Unschedulable}, or null
 * @param message that condition's message, e.g. {@code 0/3 nodes are available: ...}, or null
 */
public record WaitingPod(String name, String owner, String scheduled, String reason, String message) {

  /** Whether the scheduler tried and found no node for it. */
  public boolean unschedulable() {
    return "False".equals(scheduled);
  }
}
