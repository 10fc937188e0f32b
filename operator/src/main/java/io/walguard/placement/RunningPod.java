package io.walguard.placement;

/**
 * A pod that mounts the claim and has been scheduled: where an opener is now.
 *
 * @param name pod name
 * @param node the node it is scheduled to ({@code spec.nodeName})
 * @param startTime {@code status.startTime} (RFC 3339) or null; the oldest running opener picks the pin node
 * @param owner {@code Kind/name} of the opener it belongs to
 */
public record RunningPod(String name, String node, String startTime, String owner) {}
