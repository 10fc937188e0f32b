package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.core.Policy;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed and hostile AdmissionReview bodies over real HTTPS: each gets a well-formed response or a
 * 4xx, never a 5xx or a hang, and the server keeps serving. Seeded, so a failure can be replayed with
 * {@code -Dwalguard.fuzz.seed=N}.
 */
class WebhookFuzzTest {

  static final int DOCUMENTS = 3000;
  static final int CLIENTS = 4;

  @Test
  void hostileBodiesGetAWellFormedAnswerOrA4xxAndTheServerKeepsServing() throws Exception {
    long seed = Long.getLong("walguard.fuzz.seed", 20261125L);
    TestTls tls = new TestTls();
    WebhookConfig config = MockCluster.config().withLimits(WebhookConfig.DEFAULT_MAX_BODY_BYTES, CLIENTS, 64);
    SqliteAdmission admission = new SqliteAdmission(FuzzFacts::facts, Policy.standard(),
        ns -> Map.of("walguard.io/enforce", "deny"), EnforceMode.warn, MockCluster.REQUESTERS);
    try (WebhookServer server = WebhookServer.open(config, admission::judge, AdmissionEvents.none(), tls.source(),
        new ArrayList<>())) {
      HostileReviews reviews = new HostileReviews(seed, config.maxBodyBytes(), 0.01);
      List<HostileReviews.Sample> samples = new ArrayList<>();
      for (int i = 0; i < DOCUMENTS; i++) {
        samples.add(reviews.next());
      }
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<String>> results = new ArrayList<>();
      Map<HostileReviews.Category, Map<Integer, Integer>> seen = new EnumMap<>(HostileReviews.Category.class);
      for (int c = 0; c < CLIENTS; c++) {
        int first = c;
        results.add(clients.submit(() -> {
          ApiServerClient client = tls.client(server);
          for (int i = first; i < samples.size(); i += CLIENTS) {
            HostileReviews.Sample s = samples.get(i);
            HttpResponse<byte[]> response;
            try {
              response = client.http().send(client.request("/validate")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(s.body())).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.io.IOException e) {
              return "document " + i + " (" + s.category() + "): " + e;
            }
            synchronized (seen) {
              seen.computeIfAbsent(s.category(), k -> new TreeMap<>()).merge(response.statusCode(), 1, Integer::sum);
            }
            String problem = ResponseCheck.problem(response.statusCode(), response.body());
            if (problem != null) {
              return "document " + i + " (" + s.category() + ", seed " + seed + "): " + problem;
            }
          }
          return null;
        }));
      }
      clients.shutdown();
      assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).as("no hang").isTrue();
      for (Future<String> f : results) {
        assertThat(f.get()).isNull();
      }
      System.out.println("fuzz answers by category and HTTP status: " + seen);
      assertThat(seen.get(HostileReviews.Category.VALID)).containsKey(200);
      assertThat(seen.get(HostileReviews.Category.TRUNCATED)).containsKey(400);
      assertThat(seen.get(HostileReviews.Category.DEEP_NESTING)).containsKey(400);

      var after = tls.client(server).review(Reviews.create(FuzzFacts.deployment(2)));
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(ResponseCheck.problem(200, after.body().getBytes())).isNull();
    }
  }


}
