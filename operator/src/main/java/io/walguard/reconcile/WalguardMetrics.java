package io.walguard.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.walguard.core.Safety;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * walguard's own meters, next to JOSDK's: reconciliations, errors, the number of databases per verdict, and the
 * changes made to workloads. Counts only; no meter per resource, so the series stay few however many databases.
 */
public final class WalguardMetrics {

  private final Counter reconciliations;
  private final Counter errors;
  private final Map<String, Counter> pins = new ConcurrentHashMap<>();
  private final Map<ResourceID, String> verdicts = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public WalguardMetrics(MeterRegistry registry) {
    this.registry = registry;
    reconciliations = Counter.builder("walguard.reconciliations")
        .description("SqliteDatabase reconciliations walguard ran").register(registry);
    errors = Counter.builder("walguard.reconcile.errors")
        .description("Reconciliations that ended in an error (a refused patch, an API failure)").register(registry);
    for (String verdict : new String[] {Safety.safe.name(), Safety.unsafe.name(), Safety.unknown.name(), "none"}) {
      Gauge.builder("walguard.databases", verdicts, m -> m.values().stream().filter(verdict::equals).count())
          .description("SqliteDatabases by current verdict (none: no verdict yet, e.g. the claim is missing)")
          .tag("verdict", verdict)
          .register(registry);
    }
  }

  void reconciled() {
    reconciliations.increment();
  }

  void failed() {
    errors.increment();
  }

  void verdict(ResourceID database, String verdict) {
    verdicts.put(database, verdict == null ? "none" : verdict);
  }

  void forget(ResourceID database) {
    verdicts.remove(database);
  }

  void workloadChanged(String change) {
    pins.computeIfAbsent(change, c -> Counter.builder("walguard.workload.changes")
        .description("Changes walguard made to workloads (pinned, moved, restored, unpinned, maxsurge)")
        .tag("change", c).register(registry)).increment();
  }

  /** Events dropped because their queue was full, read from the recorder at each scrape. */
  void eventsDropped(EventRecorder events) {
    io.micrometer.core.instrument.FunctionCounter.builder("walguard.events.dropped", events, EventRecorder::dropped)
        .description("Events walguard dropped because too many waited to be sent").register(registry);
  }
}
