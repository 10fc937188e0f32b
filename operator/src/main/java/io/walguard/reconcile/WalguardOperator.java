package io.walguard.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import io.walguard.core.Facts;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One walguard operator: the JOSDK operator with the SqliteDatabase reconciler, its caches, the opt-in watcher and
 * leadership. {@code walguard run}, the tests and the benchmark all start it the same way; the admission webhook
 * reads {@link #facts()} and uses {@link #client()}.
 */
public final class WalguardOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WalguardOperator.class);

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final Leadership leadership;
  private final ClusterCaches caches;
  private final CacheFacts facts;
  private final OptInWatcher optIn;
  private final EventRecorder events;
  private final Operator operator;
  private volatile boolean started;

  /**
   * @param onDeposed what to do when this replica loses the Lease, after it has stopped writing ({@code walguard run}
   *     exits so that Kubernetes restarts it)
   */
  public WalguardOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
      Runnable onDeposed) {
    this.client = client;
    this.settings = settings;
    this.leadership = settings.leaderElection() ? Leadership.elected(onDeposed) : Leadership.alone();
    this.caches = new ClusterCaches(settings.pruneCaches());
    this.facts = new CacheFacts(caches);
    Clock clock = Clock.systemUTC();
    this.events = new EventRecorder(client, settings.identity(), clock, leadership::mayAct);
    WalguardMetrics metrics = new WalguardMetrics(registry);
    metrics.eventsDropped(events);
    Pinner pinner = new Pinner(new WorkloadPatcher(client, leadership::mayAct), events, clock);
    this.optIn = new OptInWatcher(client, caches, leadership, events);
    caches.observe(optIn::observe);
    leadership.whenLeading(optIn::scanAll);
    this.operator = OperatorConfig.operator(client, settings, MicrometerMetricsV2.newBuilder(registry).build(),
        leadership);
    OperatorConfig.register(operator,
        new SqliteDatabaseReconciler(settings.policy(), caches, pinner, events, leadership, metrics,
            new StatusWriter(settings.serverSideApply()), clock,
            new ToolboxOps(client, caches, events, settings.policy().apps(), settings.toolboxImage(),
                leadership::mayAct)), settings);
  }

  /** Starts the informers and, once they are synced, reconciliation (when leading). */
  public synchronized void start() {
    operator.start();
    started = true;
    leadership.started();
    log.info("walguard operator started: watching {}, leader election {}",
        settings.watchNamespaces().isEmpty() ? "all namespaces" : settings.watchNamespaces(),
        settings.leaderElection() ? "on (Lease " + settings.operatorNamespace() + "/" + OperatorSettings.LEASE_NAME
            + ")" : "off");
  }

  /** Stops reconciling and watching; in-flight reconciliations get a few seconds to finish. */
  public synchronized void stop() {
    if (!started) {
      return;
    }
    started = false;
    leadership.stopping();
    operator.stop();
    try {
      optIn.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.close();
  }

  @Override
  public void close() {
    stop();
  }

  /** Events not sent yet (the benchmark waits for none before it measures). */
  int eventsPending() {
    return events.pending();
  }

  /** The cluster as the informers see it, for the admission webhook. */
  public Facts facts() {
    return facts;
  }

  public ClusterCaches caches() {
    return caches;
  }

  public KubernetesClient client() {
    return client;
  }

  public Leadership leadership() {
    return leadership;
  }

  /** Live: started and not deposed. */
  public boolean healthy() {
    return started && !leadership.isDeposed();
  }

  /** Ready: every informer has synced, so facts are complete (true on followers too: the webhook serves there). */
  public boolean ready() {
    return started && operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }
}
