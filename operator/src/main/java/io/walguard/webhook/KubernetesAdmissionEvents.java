package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core v1 Events on the admitted object from a background thread with a bounded queue: an Event is worth
 * less than a prompt admission answer, so when the queue is full the Event is dropped and logged.
 */
final class KubernetesAdmissionEvents implements AdmissionEvents, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesAdmissionEvents.class);
  static final String REASON = "AllowedUnsafe";

  private final KubernetesClient client;
  private final ThreadPoolExecutor writer;

  KubernetesAdmissionEvents(KubernetesClient client) {
    this.client = client;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "walguard-webhook-events");
      t.setDaemon(true);
      return t;
    }, (task, pool) -> LOG.warn("Event queue full: an allow-unsafe Event was dropped"));
  }

  @Override
  public void allowedUnsafe(Admission admission, String message) {
    HasMetadata object = admission.object();
    String namespace = object.getMetadata().getNamespace();
    if (admission.dryRun() || namespace == null || namespace.isEmpty()) {
      return;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String name = WarningText.nameOf(object);
    Event event = new EventBuilder()
        .withNewMetadata().withGenerateName(eventPrefix(name)).withNamespace(namespace).endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(admission.group().isEmpty() ? admission.version()
              : admission.group() + "/" + admission.version())
          .withKind(admission.kind()).withName(name).withNamespace(namespace)
          .withUid(object.getMetadata().getUid())
        .endInvolvedObject()
        .withType("Warning")
        .withReason(REASON)
        .withMessage(message)
        .withNewSource().withComponent("walguard-webhook").endSource()
        .withReportingComponent("walguard.io/webhook")
        .withAction("Admit")
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    writer.execute(() -> {
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
      } catch (RuntimeException e) {
        LOG.warn("cannot record the allow-unsafe Event for {} {}/{}: {}", admission.kind(), namespace, name,
            e.getMessage());
      }
    });
  }

  private static String eventPrefix(String name) {
    String base = name.replaceAll("[^a-z0-9.-]", "-");
    return (base.length() > 200 ? base.substring(0, 200) : base) + ".";
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
