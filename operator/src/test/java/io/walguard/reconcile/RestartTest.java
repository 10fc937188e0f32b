package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.mockwebserver.http.WebSocket;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.Annotations;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pin interrupted where it hurts: the operator killed after any one of its writes (the write itself landing or
 * not), or the API server restarted while the pin is under way. A successor (or the same operator, reconnected)
 * must finish the pin with one CronJob, one probe Job per node and one affinity expression, and deleting the
 * database must leave nothing of walguard's behind.
 */
class RestartTest extends OperatorTestSupport {

  static final Duration LONG = Duration.ofSeconds(120);
  static final String FIRST = "walguard-first";
  static final String SECOND = "walguard-second";
  static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  CompletableFuture<Void> windingDown = CompletableFuture.completedFuture(null);

  @AfterEach
  void awaitTheKilledOperator() throws Exception {
    windingDown.get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** A database that also asks for a storage probe, so that the pin involves a Job too. */
  SqliteDatabase probedDatabase() {
    SqliteDatabase db = Fixtures.database(NS, "app", "data");
    db.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(Annotations.PROBE, "true")));
    return db;
  }

  static Stream<Arguments> cutPoints() {
    // the first ten writes cover the finalizer, Events, the workload patch, the CronJob, the probe Job and status
    return IntStream.rangeClosed(1, 10).mapToObj(k -> Arguments.of(k, k % 2 == 1));
  }

  @ParameterizedTest(name = "killed after write {0}, that write applied: {1}")
  @MethodSource("cutPoints")
  void anOperatorKilledAfterAnyWriteOfAPinLeavesItsSuccessorNothingToDuplicate(int cutAfter, boolean applied)
      throws Exception {
    fx.efsDeploymentOnTwoNodes(NS, PinRemedyTest.T0);
    AtomicInteger writes = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong lastWrite = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    AtomicBoolean dead = new AtomicBoolean();
    List<WebSocket> firstWatches = new CopyOnWriteArrayList<>();
    cluster.observeWatches(ws -> {
      if (FIRST.equals(ws.request().getHeader("User-Agent"))) {
        firstWatches.add(ws);
      }
    });
    // From the API server's side a SIGKILL is a client that stops in the middle: its last write lands or not, no
    // response reaches it, and it is never heard from again (what it still sends is refused).
    cluster.always(r -> FIRST.equals(r.getHeader("User-Agent")), r -> {
      if (dead.get()) {
        // a status the client does not retry, so what is left of it winds down at once
        return MockCluster.status(401, "Unauthorized", "the client is gone");
      }
      if (WRITES.contains(r.getMethod())) {
        lastWrite.set(System.nanoTime());
      }
      if (WRITES.contains(r.getMethod()) && writes.incrementAndGet() == cutAfter) {
        if (applied) {
          cluster.forward(r);
        }
        dead.set(true);
        firstWatches.forEach(ws -> ws.close(1001, "client gone"));
        return MockCluster.status(401, "Unauthorized", "the client is gone");
      }
      return null;
    });
    var firstClient = cluster.newClient(FIRST);
    WalguardOperator first = startOperator(firstClient, OperatorSettings.defaults());
    fx.create(probedDatabase());
    // A pin that takes fewer writes than the cut point (timing can spare a status write) is killed once it has
    // been quiet for two seconds: after its last write, which is a point of a pin too.
    await().atMost(WAIT).until(() -> dead.get()
        || writes.get() > 0 && System.nanoTime() - lastWrite.get() > Duration.ofSeconds(2).toNanos());
    if (dead.compareAndSet(false, true)) {
      firstWatches.forEach(ws -> ws.close(1001, "client gone"));
    }
    // What is left of the killed process winds down in the background while its successor works, as nothing waits
    // for a process that got SIGKILL; the test only waits for it at the end, so that none of it outlives the test.
    operators.remove(first);
    windingDown = CompletableFuture.runAsync(() -> {
      firstClient.close();
      first.stop();
    });

    startOperator(cluster.newClient(SECOND), OperatorSettings.defaults());

    finishesThePinAndCleansUp();
  }

  @Test
  void anApiServerRestartedThreeTimesDuringAPinAndOnceDuringItsDeletionLosesNothing() throws Exception {
    fx.efsDeploymentOnTwoNodes(NS, PinRemedyTest.T0);
    startOperator();
    Random random = new Random(Long.getLong("walguard.restart.seed", 7L));
    fx.create(probedDatabase());
    for (int i = 0; i < 3; i++) {
      Thread.sleep(100 + random.nextInt(600));
      cluster.restart(Duration.ofMillis(200 + random.nextInt(500)));
    }

    finishesThePinAndCleansUp(() -> {
      try {
        Thread.sleep(random.nextInt(300));
        cluster.restart(Duration.ofMillis(200 + random.nextInt(500)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  void finishesThePinAndCleansUp() {
    finishesThePinAndCleansUp(() -> { });
  }

  void finishesThePinAndCleansUp(Runnable duringDeletion) {
    FaultToleranceTest.eventuallyUnderFaults(() -> {
      assertThat(PinRemedyTest.hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1);
      assertThat(status("app").getPinnedNode()).isEqualTo("node-a");
    });
    user.pods().inNamespace(NS).withName("app-1").delete();
    user.pods().inNamespace(NS).withName("app-2").delete();
    fx.runPod(deployment("app"), "app-3", "node-a", PinRemedyTest.T0.plusSeconds(600));

    FaultToleranceTest.eventuallyUnderFaults(() -> {
      SqliteDatabase db = db("app");
      assertThat(db.getStatus().getVerdict()).isEqualTo("safe");
      assertThat(condition("app", StatusComposer.PLACEMENT).orElseThrow().getReason()).isEqualTo("Pinned");
      assertThat(db.getMetadata().getFinalizers()).containsExactly(SqliteDatabaseReconciler.FINALIZER);
      assertThat(user.batch().v1().cronjobs().inNamespace(NS).withLabel("walguard.io/database", "app").list()
          .getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("app-checkpoint");
      assertThat(probeJobs()).isNotEmpty();
    });
    Deployment d = deployment("app");
    assertThat(PinRemedyTest.terms(d)).hasSize(1);
    assertThat(PinRemedyTest.hostnameExpressions(d, "node-a")).isEqualTo(1);
    List<String> probeNodes = probeJobs().stream().map(RestartTest::node).toList();
    assertThat(probeNodes).doesNotHaveDuplicates();

    user.resources(SqliteDatabase.class).inNamespace(NS).withName("app").delete();
    duringDeletion.run();

    FaultToleranceTest.eventuallyUnderFaults(() -> {
      assertThat(db("app")).isNull();
      Deployment after = deployment("app");
      assertThat(PinRemedyTest.terms(after)).isEmpty();
      assertThat(after.getMetadata().getAnnotations()).doesNotContainKey(Annotations.PINNED_NODE);
      assertThat(user.batch().v1().cronjobs().inNamespace(NS).list().getItems()).isEmpty();
      assertThat(user.batch().v1().jobs().inNamespace(NS).list().getItems()).isEmpty();
    });
  }

  List<Job> probeJobs() {
    return user.batch().v1().jobs().inNamespace(NS).withLabel("app.kubernetes.io/component", "probe").list()
        .getItems();
  }

  /** The node a toolbox Job runs on: walguard pins it with a required node affinity to one node. */
  static String node(Job job) {
    return io.walguard.jobs.ToolboxPod.node(job.getSpec().getTemplate().getSpec()).orElseThrow();
  }
}
