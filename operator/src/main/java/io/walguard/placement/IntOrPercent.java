package io.walguard.placement;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A rollout budget ({@code maxSurge}, {@code maxUnavailable}) as Kubernetes resolves it: an integer, or a percentage
 * of the desired replicas that is rounded up for {@code maxSurge} and down for {@code maxUnavailable}.
 */
final class IntOrPercent {

  private IntOrPercent() {}

  /** The number of pods the value allows for {@code replicas}, or null when the value is neither a number nor a percentage. */
  static Integer scaled(IntOrString value, int replicas, boolean roundUp) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal() == null ? "" : value.getStrVal().trim();
    try {
      if (!text.endsWith("%")) {
        return Integer.parseInt(text);
      }
      long percent = Long.parseLong(text.substring(0, text.length() - 1));
      long scaled = Math.multiplyExact(percent, (long) replicas);
      long pods = roundUp ? -Math.floorDiv(-scaled, 100) : Math.floorDiv(scaled, 100);
      // Saturated, not wrapped: a percentage of more pods than an int counts must not wrap round to none.
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, pods));
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  static boolean isPercent(IntOrString value) {
    return value.getIntVal() == null && value.getStrVal() != null && value.getStrVal().trim().endsWith("%");
  }

  static String text(IntOrString value) {
    return value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
  }
}
