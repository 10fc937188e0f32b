package io.walguard.sqlite;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter, bounded by a deadline: the waits between attempts to get exclusive access. The
 * jitter keeps two walguard Jobs (or a Job and an application's own retry loop) from colliding in lockstep.
 */
public final class Backoff {

  private final Duration initial;
  private final Duration max;
  private final Random random;
  private Duration next;

  public Backoff(Duration initial, Duration max, Random random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
    this.next = initial;
  }

  /** The standard toolbox schedule: 50 ms, doubling up to 2 s. */
  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), new Random());
  }

  /**
   * The wait before the next attempt: the current step scaled by a random factor in [0.5, 1.0], never more than
   * {@code remaining}; the step then doubles up to the maximum.
   */
  public Duration nextWait(Duration remaining) {
    long step = next.toMillis();
    long wait = Math.max(1, Math.round(step * (0.5 + 0.5 * random.nextDouble())));
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    return Duration.ofMillis(Math.max(0, Math.min(wait, remaining.toMillis())));
  }

  public Duration initial() {
    return initial;
  }
}
