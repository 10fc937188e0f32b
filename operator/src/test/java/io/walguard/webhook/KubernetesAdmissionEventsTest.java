package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Event an allow-unsafe admission leaves on the object, on the mock API server. */
class KubernetesAdmissionEventsTest {

  private final MockCluster cluster = new MockCluster();
  private final KubernetesAdmissionEvents events = new KubernetesAdmissionEvents(cluster.client);
  private final AdmissionReviews reviews = new AdmissionReviews(WebhookConfig.DEFAULT_MAX_BODY_BYTES);

  @AfterEach
  void close() {
    events.close();
    cluster.close();
  }

  private Admission admission(boolean dryRun) throws BadReviewException {
    var d = Fixtures.withAnnotation(Fixtures.deployment("web", 2, "data"), "walguard.io/allow-unsafe", "reviewed");
    d.getMetadata().setUid("4f6b3c1e-0000-0000-0000-000000000001");
    String review = Reviews.create(d).replace("\"dryRun\":false", "\"dryRun\":" + dryRun);
    return reviews.read(review.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anOverrideLeavesAWarningEventOnTheObject() throws Exception {
    events.allowedUnsafe(admission(false), "Admitted although SQLite is unsafe here");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> !cluster.client.v1().events().inNamespace(Fixtures.NS).list().getItems().isEmpty());
    Event e = cluster.client.v1().events().inNamespace(Fixtures.NS).list().getItems().get(0);
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getReason()).isEqualTo("AllowedUnsafe");
    assertThat(e.getMessage()).isEqualTo("Admitted although SQLite is unsafe here");
    assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
    assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("apps/v1");
    assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
    assertThat(e.getInvolvedObject().getUid()).isEqualTo("4f6b3c1e-0000-0000-0000-000000000001");
    assertThat(e.getSource().getComponent()).isEqualTo("walguard-webhook");
  }

  @Test
  void aDryRunLeavesNoEvent() throws Exception {
    events.allowedUnsafe(admission(true), "dry");
    events.allowedUnsafe(admission(false), "real");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> !cluster.client.v1().events().inNamespace(Fixtures.NS).list().getItems().isEmpty());
    events.close();
    assertThat(cluster.client.v1().events().inNamespace(Fixtures.NS).list().getItems())
        .extracting(Event::getMessage).containsExactly("real");
  }
}
