package io.walguard.reconcile;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this process may change the cluster, and what happens when it loses the Lease.
 *
 * <p>A deposed leader must stop acting at once: another replica already acts, and two writers would fight over the
 * same workloads. JOSDK 5.3 keeps reconciling after losing the Lease unless told to exit, so walguard decides here:
 * from the moment the Lease is lost every write is refused ({@link #mayAct()} turns false, and each write checks it
 * right before it is sent, in the middle of a reconciliation too), and then
 * {@code onDeposed} runs, which in {@code walguard run} exits the process with status 1 so that Kubernetes restarts
 * the pod as a fresh candidate. Losing the Lease because the process is shutting down is not a deposition.
 */
public final class Leadership {

  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final boolean elected;
  private final Runnable onDeposed;
  private final List<Runnable> onStart = new ArrayList<>();
  private volatile boolean leading;
  private volatile boolean deposed;
  private volatile boolean stopping;

  private Leadership(boolean elected, Runnable onDeposed) {
    this.elected = elected;
    this.onDeposed = onDeposed;
    this.leading = !elected;
  }

  /** The only replica: acts from the start. */
  public static Leadership alone() {
    return new Leadership(false, () -> {});
  }

  /** One of several replicas that take turns through a Lease. */
  public static Leadership elected(Runnable onDeposed) {
    return new Leadership(true, onDeposed);
  }

  /** True while this process holds the Lease (always, without leader election) and has never lost it. */
  public boolean mayAct() {
    return leading && !deposed;
  }

  public boolean isDeposed() {
    return deposed;
  }

  /** Runs when this process starts leading (at once without leader election, after start). */
  synchronized void whenLeading(Runnable action) {
    onStart.add(action);
  }

  /** Marks a shutdown: losing the Lease from now on is expected. */
  void stopping() {
    stopping = true;
  }

  void started() {
    if (!elected) {
      onStart.forEach(Runnable::run);
    }
  }

  LeaderCallbacks callbacks() {
    return new LeaderCallbacks(this::startLeading, this::stopLeading, leader -> log.info("leader is now {}", leader));
  }

  private synchronized void startLeading() {
    if (deposed) {
      return;
    }
    leading = true;
    log.info("this replica leads; reconciling");
    onStart.forEach(Runnable::run);
  }

  private void stopLeading() {
    boolean wasLeading = leading;
    leading = false;
    if (stopping || !wasLeading) {
      return;
    }
    deposed = true;
    log.error("lost the walguard leader Lease: refusing every write from now on and stopping this replica");
    Thread exit = new Thread(onDeposed, "walguard-deposed");
    exit.setDaemon(false);
    exit.start();
  }
}
