package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The reader's two passes: the envelope first, the objects of judged kinds after, within known bounds. */
class AdmissionReviewsTest {

  private final AdmissionReviews reviews = new AdmissionReviews(WebhookConfig.DEFAULT_MAX_BODY_BYTES);

  private static byte[] deployment(String spec) {
    return ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\","
        + "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"operation\":\"CREATE\","
        + "\"namespace\":\"apps\",\"userInfo\":{\"username\":\"jane\",\"groups\":[\"a\"]},"
        + "\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"labels\":{\"name\":\"x\"},"
        + "\"name\":\"web\"},\"spec\":" + spec + "}}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fieldsTheModelDoesNotKnowAreSkippedNotKept() throws Exception {
    Admission a = reviews.read(deployment("{\"replicas\":2,\"x\":[{},{},{\"y\":[1,2,3]}]}"));
    Deployment d = (Deployment) a.object();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getAdditionalProperties()).containsEntry("x", null);
    assertThat(a.name()).isEqualTo("web");
    assertThat(a.username()).isEqualTo("jane");
  }

  @Test
  void theObjectsCostIsKnownBeforeTheyAreRead() throws Exception {
    byte[] small = deployment("{\"replicas\":2}");
    byte[] large = deployment("{\"template\":{\"spec\":{\"containers\":[" + "{},".repeat(10_000) + "{}]}}}");
    long smallCost = reviews.scan(small).modelBytes();
    long largeCost = reviews.scan(large).modelBytes();
    assertThat(smallCost).isPositive();
    assertThat(largeCost).isGreaterThanOrEqualTo(20_000 * AdmissionReviews.MODEL_BYTES_PER_TOKEN);
    byte[] unjudged = WebhookTlsTest.UNJUDGED.getBytes(StandardCharsets.UTF_8);
    assertThat(reviews.scan(unjudged).modelBytes()).as("no object is read for a kind walguard does not judge")
        .isZero();
  }

  @Test
  void moreTokensThanAnyObjectNeedsIsRefusedWhileScanning() {
    byte[] body = deployment("{\"x\":[" + "1,".repeat((int) AdmissionReviews.MAX_TOKENS) + "1]}");
    assertThatThrownBy(() -> reviews.scan(body)).isInstanceOf(BadReviewException.class)
        .hasMessageContaining("Token count");
  }
}
