package io.walguard.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often walguard put back a pin that someone took out of a workload. Once now and then is a person's edit; the
 * same workload again and again within an hour is a GitOps tool (Argo CD or Flux self-heal) setting the workload back
 * to what Git says, and walguard setting its pin back in turn: a fight that no Event per round will end. Past
 * {@link #LIMIT} restores within {@link #WINDOW} the status says so, once, with the way out. Kept in memory: a
 * restarted operator starts counting again, which only costs a few Events.
 */
final class PinReverts {

  /** Restores of one workload's pin within the window that make it a fight. */
  static final int LIMIT = 3;
  static final Duration WINDOW = Duration.ofHours(1);

  private final Clock clock;
  private final Map<String, Deque<Instant>> restores = new ConcurrentHashMap<>();

  PinReverts(Clock clock) {
    this.clock = clock;
  }

  /** Records that walguard put the pin of {@code workload} back; returns the restores within the window, this one too. */
  int restored(String workload) {
    Deque<Instant> times = restores.computeIfAbsent(workload, k -> new ArrayDeque<>());
    synchronized (times) {
      times.addLast(clock.instant());
      return recent(times);
    }
  }

  /** The restores of {@code workload}'s pin within the window. */
  int recent(String workload) {
    Deque<Instant> times = restores.get(workload);
    if (times == null) {
      return 0;
    }
    synchronized (times) {
      int n = recent(times);
      if (n == 0) {
        restores.remove(workload, times);
      }
      return n;
    }
  }

  private int recent(Deque<Instant> times) {
    Instant since = clock.instant().minus(WINDOW);
    while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
      times.removeFirst();
    }
    return times.size();
  }
}
