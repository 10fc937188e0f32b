package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core v1 Events about the objects walguard looks after and changes. Events are sent from a thread of their
 * own, as Kubernetes' own recorders do: a reconciliation never waits for them, and an Event that cannot be written
 * (RBAC, a busy API server, a full queue) is logged and dropped. Events report; they never block a remedy.
 *
 * <p>When a burst fills the queue (walguard's first pass over a large cluster), the drops are logged once when they
 * start and once, with their number, when the queue has drained, and counted in {@code walguard_events_dropped_total}.
 */
public final class EventRecorder implements AutoCloseable {

  static final String COMPONENT = "walguard";
  private static final int MAX_MESSAGE = 1024;
  private static final int MAX_NAME_PREFIX = 253 - 17;
  private static final int QUEUE = 1000;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;
  private final int capacity;
  private final ThreadPoolExecutor sender;
  private final java.util.concurrent.atomic.AtomicInteger droppedInBurst = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

  private final BooleanSupplier mayWrite;

  /** @param mayWrite checked when an Event is about to be sent: a replica that lost its Lease sends none */
  public EventRecorder(KubernetesClient client, String instance, Clock clock, BooleanSupplier mayWrite) {
    this(client, instance, clock, mayWrite, QUEUE);
  }

  EventRecorder(KubernetesClient client, String instance, Clock clock, BooleanSupplier mayWrite, int capacity) {
    this.capacity = capacity;
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity), r -> {
      Thread t = new Thread(r, "walguard-events");
      t.setDaemon(true);
      return t;
    });
    this.client = client;
    this.instance = instance;
    this.clock = clock;
    this.mayWrite = mayWrite;
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    String namespace = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    String name = about.getMetadata().getName();
    if (name.length() > MAX_NAME_PREFIX) {
      name = name.substring(0, MAX_NAME_PREFIX);
    }
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
    var event = new EventBuilder()
        .withNewMetadata()
            .withNamespace(namespace)
            .withName(name + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .addToLabels("app.kubernetes.io/managed-by", COMPONENT)
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(about.getMetadata().getName())
            .withNamespace(about.getMetadata().getNamespace())
            .withUid(about.getMetadata().getUid())
            .withResourceVersion(about.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(text)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
    try {
      sender.execute(() -> {
        if (!mayWrite.getAsBoolean()) {
          return;
        }
        try {
          client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
          log.warn("cannot record Event {} on {} {}/{}: HTTP {} {}", reason, about.getKind(), namespace,
              about.getMetadata().getName(), e.getCode(), e.getMessage());
        }
        if (sender.getQueue().isEmpty()) {
          int lost = droppedInBurst.getAndSet(0);
          if (lost > 0) {
            log.warn("dropped {} Events while the Event queue was full; the SqliteDatabases' status holds the same"
                + " facts", lost);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
      if (droppedInBurst.getAndIncrement() == 0) {
        log.warn("the Event queue is full ({} Events wait): dropping Events (first: {} on {} {}/{}) until it drains",
            capacity, reason, about.getKind(), namespace, about.getMetadata().getName());
      }
    }
  }

  /** Events dropped since start because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  /** Events queued or being sent. */
  int pending() {
    return sender.getQueue().size() + sender.getActiveCount();
  }

  /** Sends what is queued (for a few seconds at most), then stops. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
