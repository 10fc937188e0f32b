package io.walguard.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How soon walguard tries again after an API error. Most are transient (a 409 from a concurrent writer, a 500 while
 * etcd elects a leader, a dropped connection), so the first retry comes after a second and later ones back off to
 * {@link #CEILING}, per database, as controller-runtime's per-item rate limiter does. walguard never gives up on a
 * database: an API server that fails for an hour must not leave a database unpinned until some unrelated change.
 */
final class ErrorBackoff {

  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration CEILING = Duration.ofSeconds(30);

  private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

  /** The delay before the next attempt, after one more failure in a row for this database. */
  Duration failed(ResourceID database) {
    int inARow = failures.merge(database, 1, Integer::sum);
    long millis = FIRST.toMillis() << Math.min(inARow - 1, 16);
    return Duration.ofMillis(Math.min(millis, CEILING.toMillis()));
  }

  void succeeded(ResourceID database) {
    failures.remove(database);
  }

  /** The same policy for exceptions that escape a reconciliation (JOSDK's own retry), without a last attempt. */
  static Retry unlimited() {
    return new GenericRetry().withoutMaxAttempts().setInitialInterval(FIRST.toMillis()).setIntervalMultiplier(2)
        .setMaxInterval(CEILING.toMillis());
  }
}
