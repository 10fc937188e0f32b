package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aBurstBeyondTheQueueIsDroppedCountedAndTheRestStillSent() throws Exception {
    // The API server holds Event writes until the burst is queued: one is in flight, three wait, six are dropped.
    CountDownLatch burstQueued = new CountDownLatch(1);
    cluster.always(r -> r.getPath().contains("/events"), r -> {
      try {
        burstQueued.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    var about = new ConfigMapBuilder().withNewMetadata().withName("grafana").withNamespace("monitoring").endMetadata()
        .build();
    about.setApiVersion("v1");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (EventRecorder events = new EventRecorder(cluster.newClient(), "walguard-0", Clock.systemUTC(), () -> true,
        3)) {
      new WalguardMetrics(registry).eventsDropped(events);
      events.normal(about, "Pinned", "first");
      OperatorTestSupport.eventually(() -> assertThat(events.pending()).isEqualTo(1));
      for (int i = 0; i < 9; i++) {
        events.normal(about, "Pinned", "burst " + i);
      }
      burstQueued.countDown();

      assertThat(events.dropped()).isEqualTo(6);
      assertThat(registry.get("walguard.events.dropped").functionCounter().count()).isEqualTo(6);
      OperatorTestSupport.eventually(() -> assertThat(cluster.client().v1().events().inNamespace("monitoring").list()
          .getItems()).hasSize(4));
    }
  }
}
