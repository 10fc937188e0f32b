package io.walguard.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.walguard.api.SqliteDatabase;
import java.time.Duration;

/**
 * The one place where walguard's JOSDK operator is configured. Every process that runs the reconciler (walguard run,
 * the tests, the benchmark, the demo) builds it here, so what the tests exercise is what production runs.
 *
 * <p>Server-side apply is the one switch that differs: the mock API server the tests run against rejects it (HTTP
 * 415), so by default the primary's status and finalizer go out as JSON patches;
 * {@link OperatorSettings#serverSideApply()} turns SSA on for a real API server. walguard's own workload patches are
 * JSON patches either way.
 */
public final class OperatorConfig {

  private OperatorConfig() {}

  static Operator operator(KubernetesClient client, OperatorSettings settings, Metrics metrics, Leadership leadership) {
    return new Operator(o -> configure(o, client, settings, metrics, leadership));
  }

  static void configure(ConfigurationServiceOverrider o, KubernetesClient client, OperatorSettings settings,
      Metrics metrics, Leadership leadership) {
    o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
        .withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply())
        .withMetrics(metrics)
        .withStopOnInformerErrorDuringStartup(true)
        .withCacheSyncTimeout(Duration.ofMinutes(2))
        .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
    if (settings.leaderElection()) {
      var lease = settings.lease();
      // build() leaves JOSDK's own exit-on-stop-leading off: Leadership decides what a deposed leader does.
      o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
          .aLeaderElectionConfiguration(OperatorSettings.LEASE_NAME)
          .withLeaseNamespace(settings.operatorNamespace())
          .withIdentity(settings.identity())
          .withLeaseDuration(lease.duration())
          .withRenewDeadline(lease.renewDeadline())
          .withRetryPeriod(lease.retryPeriod())
          .withLeaderCallbacks(leadership.callbacks())
          .build());
    }
  }

  /** Registers the reconciler on the watched namespaces, with the primary's pruned cache and update filter. */
  static void register(Operator operator, SqliteDatabaseReconciler reconciler, OperatorSettings settings) {
    operator.register(reconciler, c -> {
      if (settings.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.watchNamespaces());
      }
      c.withOnUpdateFilter(new PrimaryChanges());
      c.withRetry(ErrorBackoff.unlimited());
      // One informer per namespace would share a single store; prune the primary only when there is one informer.
      if (settings.pruneCaches() && settings.watchNamespaces().size() <= 1) {
        c.withItemStore(new io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore<
            SqliteDatabase>(CachePruner::prune));
      }
    });
  }
}
