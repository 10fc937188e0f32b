package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP side: limits, bad input and failures answered over real HTTPS, never with a 5xx. */
class WebhookServerTest {

  private final TestTls tls = new TestTls();
  private final List<WebhookServer> servers = new ArrayList<>();

  @AfterEach
  void close() {
    servers.forEach(WebhookServer::close);
  }

  private WebhookServer start(WebhookConfig config, Function<Admission, AdmissionDecision> judge) throws Exception {
    WebhookServer server = WebhookServer.open(config, judge, AdmissionEvents.none(), tls.source(), new ArrayList<>());
    servers.add(server);
    return server;
  }

  private WebhookServer start(Function<Admission, AdmissionDecision> judge) throws Exception {
    return start(MockCluster.config(), judge);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Reviews.JSON.readTree(response.body());
  }

  private static JsonNode json(byte[] body) throws Exception {
    return Reviews.JSON.readTree(body);
  }

  @Test
  void aWellFormedReviewIsAnsweredWithItsUid() throws Exception {
    WebhookServer server = start(a -> AdmissionDecision.allow(List.of("a warning")));
    var response = tls.client(server).review(WebhookTlsTest.UNJUDGED);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode review = json(response);
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(review.path("response").path("uid").asText()).isEqualTo("u-1");
    assertThat(review.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(review.path("response").path("warnings").get(0).asText()).isEqualTo("a warning");
  }

  @Test
  void aRefusalCarriesAForbiddenStatusWithTheMessage() throws Exception {
    WebhookServer server = start(a -> AdmissionDecision.deny("change this", List.of()));
    JsonNode response = json(tls.client(server).review(WebhookTlsTest.UNJUDGED)).path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(response.path("status").path("message").asText()).isEqualTo("change this");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON            | {"apiVersion":                                                 | not valid JSON
      a JSON array        | []                                                             | must be a JSON object
      another review      | {"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"} | expected apiVersion admission.k8s.io/v1
      no request          | {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}  | request is missing
      no uid              | {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}} | request.uid must be
      no kind             | {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x"}} | request.kind is missing
      trailing garbage    | {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"} x | not valid JSON
      duplicate key       | {"apiVersion":"admission.k8s.io/v1","apiVersion":"x"}          | not valid JSON
      """)
  void malformedBodiesGet400WithAMessage(String what, String body, String message) throws Exception {
    WebhookServer server = start(a -> AdmissionDecision.allow());
    var response = tls.client(server).review(body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("kind").asText()).isEqualTo("Status");
    assertThat(json(response).path("message").asText()).contains(message);
  }

  @Test
  void anObjectOfTheWrongShapeNamesTheField() throws Exception {
    WebhookServer server = start(a -> AdmissionDecision.allow());
    String body = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u",
         "kind":{"group":"apps","version":"v1","kind":"Deployment"},"operation":"CREATE","namespace":"n",
         "object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                   "spec":{"replicas":{"not":"a number"}}}}}""";
    var response = tls.client(server).review(body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("message").asText()).startsWith("request.object.spec.replicas");
  }

  @Test
  void nestingDeeperThanAnyKubernetesObjectGets400() throws Exception {
    WebhookServer server = start(a -> AdmissionDecision.allow());
    String deep = "[".repeat(5000) + "]".repeat(5000);
    var response = tls.client(server).review("{\"apiVersion\":\"admission.k8s.io/v1\",\"x\":" + deep + "}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("message").asText()).contains("nesting depth");
  }

  @Test
  void wrongMethodAndPathGet405And404() throws Exception {
    WebhookServer server = start(a -> AdmissionDecision.allow());
    ApiServerClient client = tls.client(server);
    var get = client.http().send(client.request("/validate").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(client.post("/mutate", "{}".getBytes()).statusCode()).isEqualTo(404);
    assertThat(client.post("/validate/x", "{}".getBytes()).statusCode()).isEqualTo(404);
  }

  @Test
  void bodiesOverTheLimitGet413WithOrWithoutALength() throws Exception {
    WebhookServer server = start(MockCluster.config().withLimits(64 * 1024, 2, 4), a -> AdmissionDecision.allow());
    ApiServerClient client = tls.client(server);
    byte[] big = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertThat(client.post("/validate", big).statusCode()).isEqualTo(413);

    var chunked = client.http().send(client.request("/validate")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(client.review(WebhookTlsTest.UNJUDGED).statusCode()).as("still serving").isEqualTo(200);
  }

  @Test
  void withTheMemoryBudgetHeldFurtherRequestsGet429AtOnceAndTheServerKeepsServing() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String review = Reviews.create(Fixtures.deployment("web", 2, "data"));
    String heldReview = Reviews.create(Fixtures.deployment("held", 2, "data"));
    // room for one judged review (its body, and its object at two bytes a character and MODEL_BYTES_PER_TOKEN a
    // token), not for two
    byte[] heldBody = heldReview.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long one = heldBody.length + new AdmissionReviews(16 * 1024).scan(heldBody).modelBytes();
    WebhookServer server = start(MockCluster.config().withLimits(16 * 1024, 4, 4).withMaxInFlightBytes(one * 3 / 2),
        a -> {
          if ("held".equals(a.name())) {
            entered.countDown();
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return AdmissionDecision.allow();
        });
    ApiServerClient client = tls.client(server);
    CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
      try {
        return client.review(heldReview);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    var busy = tls.client(server).review(review);
    assertThat(busy.statusCode()).as("answered while the first is still held").isEqualTo(429);
    assertThat(busy.headers().firstValue("Retry-After")).contains("1");
    assertThat(ResponseCheck.problem(429, busy.body().getBytes())).isNull();
    assertThat(tls.client(server).review(WebhookTlsTest.UNJUDGED).statusCode())
        .as("a kind walguard does not judge builds no objects").isEqualTo(200);

    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(tls.client(server).review(review).statusCode()).isEqualTo(200);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(server.inFlight().used()).isZero());
  }

  /**
   * A Deployment whose pod template lists empty containers, {@code {},} after {@code {},}: three bytes and two JSON
   * tokens each, and about 400 bytes of heap each once read into the model.
   */
  private static byte[] emptyContainers(int count) {
    StringBuilder b = new StringBuilder("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
        + "\"request\":{\"uid\":\"u\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},"
        + "\"operation\":\"CREATE\",\"namespace\":\"apps\",\"object\":{\"apiVersion\":\"apps/v1\","
        + "\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[");
    for (int i = 0; i < count; i++) {
      b.append(i == 0 ? "{}" : ",{}");
    }
    return b.append("]}}}}}}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void concurrentHostileBodiesAreReadOneAtATimeOrRefusedAndNothingStaysReserved() throws Exception {
    WebhookServer server = start(MockCluster.config().withLimits(WebhookConfig.DEFAULT_MAX_BODY_BYTES, 4, 16),
        a -> AdmissionDecision.allow());
    byte[] tooMany = emptyContainers((int) AdmissionReviews.MAX_TOKENS);
    byte[] justUnder = emptyContainers((int) (AdmissionReviews.MAX_TOKENS / 2) - 100);
    java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] body = i % 2 == 0 ? justUnder : tooMany;
      answers.add(senders.submit(() -> {
        ApiServerClient client = tls.client(server);
        return client.http().send(client.request("/validate").POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(), HttpResponse.BodyHandlers.ofByteArray());
      }));
    }
    senders.shutdown();
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<byte[]> r = answers.get(i).get(1, TimeUnit.MINUTES);
      assertThat(ResponseCheck.problem(r.statusCode(), r.body())).isNull();
      if (i % 2 == 0) {
        assertThat(r.statusCode()).as("read alone, or refused while another is read").isIn(200, 429);
      } else {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).path("message").asText()).contains("Token count");
      }
    }
    // A reservation is given back once the exchange ends, which can be just after the client has its answer.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(server.inFlight().used()).isZero());
    assertThat(tls.client(server).review(WebhookTlsTest.UNJUDGED).statusCode()).isEqualTo(200);
  }

  @Test
  void theWebhookIsReadyOnlyWhileItServesAValidCertificate() throws Exception {
    java.util.concurrent.atomic.AtomicReference<io.walguard.webhook.tls.ServingIdentity> issued =
        new java.util.concurrent.atomic.AtomicReference<>();
    WebhookServer server = WebhookServer.open(MockCluster.config(), a -> AdmissionDecision.allow(),
        AdmissionEvents.none(), km -> new io.walguard.webhook.tls.CertificateSource() {
          @Override
          public void refresh() {
            if (issued.get() == null) {
              throw new IllegalStateException("secrets is forbidden");
            }
            km.load(issued.get());
          }

          @Override
          public String describe() {
            return "a certificate that cannot be stored yet";
          }
        }, new ArrayList<>());
    servers.add(server);
    assertThat(server.ready()).as("listening, but every handshake would fail").isFalse();

    issued.set(tls.serving);
    server.refreshCertificates();
    assertThat(server.ready()).isTrue();
    assertThat(tls.client(server).review(WebhookTlsTest.UNJUDGED).statusCode()).isEqualTo(200);

    var ca = io.walguard.webhook.tls.Certificates.newAuthority("old", java.time.Instant.now().minus(
        java.time.Duration.ofDays(3)), java.time.Duration.ofDays(3));
    issued.set(io.walguard.webhook.tls.Certificates.issue(ca, List.of(MockCluster.SERVICE_HOST),
        java.time.Instant.now().minus(java.time.Duration.ofDays(2)), java.time.Duration.ofDays(1)));
    server.refreshCertificates();
    assertThat(server.ready()).as("an expired certificate").isFalse();
  }

  @Test
  void aFailureWhileJudgingAdmitsWithAWarning() throws Exception {
    WebhookServer server = start(a -> {
      throw new IllegalStateException("bug");
    });
    var response = tls.client(server).review(WebhookTlsTest.UNJUDGED);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode r = json(response).path("response");
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(r.path("warnings").get(0).asText()).contains("could not check ConfigMap c").hasSizeLessThan(120);
  }

  @Test
  void requestsBeyondTheWorkersAndQueueGet503AtOnceAndTheServerRecovers() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WebhookServer server = start(MockCluster.config().withLimits(64 * 1024, 1, 0), a -> {
      entered.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return AdmissionDecision.allow();
    });
    ApiServerClient client = tls.client(server);
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
      try {
        return client.review(WebhookTlsTest.UNJUDGED);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    var busy = tls.client(server).review(WebhookTlsTest.UNJUDGED);
    assertThat(busy.statusCode()).isEqualTo(503);
    assertThat(busy.headers().firstValue("Retry-After")).contains("1");

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(tls.client(server).review(WebhookTlsTest.UNJUDGED).statusCode()).isEqualTo(200);
  }
}
