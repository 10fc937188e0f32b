package io.walguard.reconcile;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a loaded or flaky API server does to one client (walguard's, told apart by its User-Agent), injected into the
 * mock API server in a seeded random order so that a failing run can be replayed. Writes are dealt faults from
 * decks of ten (shuffled per deck), so every kind shows up once walguard has made ten writes, whatever the seed:
 *
 * <ul>
 *   <li>a share of writes answered 409 Conflict, as when another writer got there first;
 *   <li>a share answered 500 without being applied (an apiserver or etcd hiccup);
 *   <li>a share applied and then answered 500, as when the response is lost on the way back: the retry finds its
 *       own earlier write;
 *   <li>established watches dropped at random, each with the 410 Expired that a real API server sends when it cannot
 *       resume a watch, so the client must list again. (A plain close would make the mock replay every object as
 *       ADDED without the deletions in between, which a real API server never does.)
 * </ul>
 *
 * <p>The user's client is never faulted: the tests play a user who must not lose an edit to walguard's retries.
 */
final class ApiFaults implements AutoCloseable {

  static final String AGENT = "walguard-under-faults";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private enum Fault { NONE, CONFLICT, ERROR, LOST }

  private final Random random;
  private final List<Fault> deck = new ArrayList<>();
  private final int conflicts;
  private final int errors;
  private final int lost;
  private final List<WebSocket> watches = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService dropper = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger conflicted = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger lostResponses = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private volatile boolean on = true;

  private ApiFaults(long seed, int conflicts, int errors, int lost) {
    this.random = new Random(seed);
    this.conflicts = conflicts;
    this.errors = errors;
    this.lost = lost;
  }

  /**
   * Faults for every request from a client with User-Agent {@link #AGENT}.
   *
   * @param conflicts writes in every ten answered 409
   * @param errors writes in every ten answered 500 without being applied
   * @param lost writes in every ten applied and then answered 500
   * @param dropEveryMillis how often one of the client's open watches is dropped
   */
  static ApiFaults install(MockCluster cluster, long seed, int conflicts, int errors, int lost,
      long dropEveryMillis) {
    ApiFaults faults = new ApiFaults(seed, conflicts, errors, lost);
    cluster.always(r -> faults.on && fromVictim(r) && WRITES.contains(r.getMethod()), r -> faults.answer(cluster, r));
    cluster.observeWatches(ws -> {
      if (fromVictim(ws.request())) {
        faults.watches.add(ws);
      }
    });
    faults.dropper.scheduleWithFixedDelay(faults::dropOne, dropEveryMillis, dropEveryMillis, TimeUnit.MILLISECONDS);
    return faults;
  }

  private static boolean fromVictim(RecordedRequest request) {
    String agent = request.getHeader("User-Agent");
    return agent != null && agent.startsWith(AGENT);
  }

  private MockResponse answer(MockCluster cluster, RecordedRequest request) {
    Fault fault = deal();
    if (fault == Fault.CONFLICT) {
      conflicted.incrementAndGet();
      return MockCluster.status(409, "Conflict",
          "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest"
              + " version and try again");
    }
    if (fault == Fault.ERROR) {
      failed.incrementAndGet();
      return MockCluster.status(500, "InternalError", "etcdserver: request timed out");
    }
    if (fault == Fault.LOST) {
      cluster.forward(request);
      lostResponses.incrementAndGet();
      return MockCluster.status(500, "InternalError", "etcdserver: request timed out, possibly due to connection lost");
    }
    return null;
  }

  private Fault deal() {
    synchronized (random) {
      if (deck.isEmpty()) {
        for (int i = 0; i < 10; i++) {
          deck.add(i < conflicts ? Fault.CONFLICT : i < conflicts + errors ? Fault.ERROR
              : i < conflicts + errors + lost ? Fault.LOST : Fault.NONE);
        }
        Collections.shuffle(deck, random);
      }
      return deck.remove(deck.size() - 1);
    }
  }

  private void dropOne() {
    if (!on) {
      return;
    }
    WebSocket ws;
    synchronized (random) {
      if (watches.isEmpty()) {
        return;
      }
      ws = watches.remove(random.nextInt(watches.size()));
    }
    // a watch the client already closed answers false: nothing was dropped
    if (ws.send(MockCluster.WATCH_EXPIRED)) {
      dropped.incrementAndGet();
    }
    // The client ends the watch itself on the 410 and lists again. Closing at once could overtake the event, and a
    // client that sees only the close resumes from its resourceVersion, which the mock cannot replay (it would
    // forget the deletions in between); a real API server would, so only a straggler is closed, later.
    dropper.schedule(() -> ws.close(1000, "watch expired"), 2, TimeUnit.SECONDS);
  }

  int conflicts() {
    return conflicted.get();
  }

  int errors() {
    return failed.get();
  }

  int lostResponses() {
    return lostResponses.get();
  }

  int droppedWatches() {
    return dropped.get();
  }

  @Override
  public String toString() {
    return conflicts() + " conflicts, " + errors() + " errors, " + lostResponses() + " lost responses, "
        + droppedWatches() + " dropped watches";
  }

  @Override
  public void close() {
    on = false;
    dropper.shutdownNow();
  }
}
