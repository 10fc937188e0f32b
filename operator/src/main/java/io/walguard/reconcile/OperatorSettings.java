package io.walguard.reconcile;

import io.walguard.core.Policy;
import java.time.Duration;
import java.util.Set;

/**
 * How an operator process runs: which namespaces it watches, whether it takes turns through a Lease, whether its
 * caches are pruned, and the policy it decides with.
 *
 * @param watchNamespaces namespaces to watch; empty means every namespace
 * @param operatorNamespace the operator's own namespace, where its Lease lives
 * @param leaderElection whether replicas take turns through the Lease {@link #LEASE_NAME}
 * @param identity this replica's name in the Lease (the pod name)
 * @param lease how long a Lease lasts, the renew deadline and the retry period
 * @param pruneCaches whether informer caches drop what no decision reads (off only to measure what it saves)
 * @param serverSideApply whether JOSDK writes the SqliteDatabase's status and finalizer with server-side apply
 *     (the mock API server of the tests rejects it; a real API server accepts both)
 * @param policy the decision core, with the driver table in force
 * @param toolboxImage the image of the checkpoint, journal and probe Jobs
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    String operatorNamespace,
    boolean leaderElection,
    String identity,
    LeaseTiming lease,
    boolean pruneCaches,
    boolean serverSideApply,
    Policy policy,
    String toolboxImage) {

  public static final String LEASE_NAME = "walguard-leader";
  public static final String DEFAULT_NAMESPACE = "walguard-system";

  /** Lease timing: JOSDK's defaults in production, shorter in tests of leader election. */
  public record LeaseTiming(Duration duration, Duration renewDeadline, Duration retryPeriod) {
    public static LeaseTiming standard() {
      return new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  /** Every namespace, no leader election, pruned caches, JSON patches, the built-in policy. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(Set.of(), DEFAULT_NAMESPACE, false, hostname(), LeaseTiming.standard(), true, false,
        Policy.standard(), defaultImage());
  }

  /** {@code walguard/walguard:<version>} of this build ({@code latest} when run from classes). */
  public static String defaultImage() {
    String version = OperatorSettings.class.getPackage().getImplementationVersion();
    return "walguard/walguard:" + (version == null ? "latest" : version);
  }

  public OperatorSettings withWatchNamespaces(Set<String> namespaces) {
    return new OperatorSettings(Set.copyOf(namespaces), operatorNamespace, leaderElection, identity, lease,
        pruneCaches, serverSideApply, policy, toolboxImage);
  }

  public OperatorSettings withLeaderElection(String operatorNamespace, String identity, LeaseTiming lease) {
    return new OperatorSettings(watchNamespaces, operatorNamespace, true, identity, lease, pruneCaches,
        serverSideApply, policy, toolboxImage);
  }

  public OperatorSettings withOperatorNamespace(String namespace) {
    return new OperatorSettings(watchNamespaces, namespace, leaderElection, identity, lease, pruneCaches,
        serverSideApply, policy, toolboxImage);
  }

  public OperatorSettings withPruneCaches(boolean prune) {
    return new OperatorSettings(watchNamespaces, operatorNamespace, leaderElection, identity, lease, prune,
        serverSideApply, policy, toolboxImage);
  }

  public OperatorSettings withServerSideApply(boolean ssa) {
    return new OperatorSettings(watchNamespaces, operatorNamespace, leaderElection, identity, lease, pruneCaches, ssa,
        policy, toolboxImage);
  }

  public OperatorSettings withToolboxImage(String image) {
    return new OperatorSettings(watchNamespaces, operatorNamespace, leaderElection, identity, lease, pruneCaches,
        serverSideApply, policy, image == null || image.isBlank() ? defaultImage() : image);
  }

  public OperatorSettings withPolicy(Policy policy) {
    return new OperatorSettings(watchNamespaces, operatorNamespace, leaderElection, identity, lease, pruneCaches,
        serverSideApply, policy, toolboxImage);
  }

  private static String hostname() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "walguard-" + ProcessHandle.current().pid() : host;
  }
}
