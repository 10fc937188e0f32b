package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.walguard.core.InMemoryFacts;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook as {@code walguard run} starts it, against the mock API server: its own certificate and caBundle,
 * namespace labels from an informer, Events through the client.
 */
class WebhookStartTest {

  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void aNamespaceLabelledDenyRefusesAndAnOverrideLeavesAnEvent() throws Exception {
    cluster.installWebhookConfiguration();
    cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(Fixtures.NS)
        .addToLabels("walguard.io/enforce", "deny").endMetadata().build()).create();
    InMemoryFacts facts = InMemoryFacts.of(Fixtures.NS, List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc")));
    var web = Fixtures.deployment("web", 2, "RollingUpdate", "data", java.util.Map.of(), Fixtures.sqlite());

    try (WebhookServer server = WebhookServer.start(MockCluster.config(), facts, cluster.client)) {
      ApiServerClient apiServer = new ApiServerClient(cluster.caBundle(), MockCluster.SERVICE_HOST, server.port());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          !Reviews.response(apiServer.review(Reviews.create(web)).body()).path("allowed").asBoolean());

      var overridden = Fixtures.withAnnotation(web, "walguard.io/allow-unsafe", "migration weekend");
      var r = Reviews.response(apiServer.review(Reviews.create(overridden)).body());
      assertThat(r.path("allowed").asBoolean()).isTrue();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(
          () -> !cluster.client.v1().events().inNamespace(Fixtures.NS).list().getItems().isEmpty());
      assertThat(cluster.client.v1().events().inNamespace(Fixtures.NS).list().getItems())
          .extracting(Event::getReason).containsExactly("AllowedUnsafe");

      cluster.client.namespaces().withName(Fixtures.NS).edit(n -> {
        n.getMetadata().getLabels().put("walguard.io/enforce", "warn");
        return n;
      });
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          Reviews.response(apiServer.review(Reviews.create(web)).body()).path("allowed").asBoolean());
    }
  }
}
