package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The probes and the Prometheus endpoint a Deployment of walguard points at. */
class HealthServerTest extends OperatorTestSupport {

  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerAndMetricsCountWithoutPerResourceSeries() throws Exception {
    fx.localPathClass();
    fx.localClaim(NS, "data");
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorSettings settings = OperatorSettings.defaults();
    WalguardOperator operator = new WalguardOperator(operatorClient(settings), settings, prometheus, () -> {});
    operators.add(operator);
    try (HealthServer health = new HealthServer(0, operator::healthy, operator::ready, prometheus)) {
      health.start();
      assertThat(get(health.port(), "/healthz").statusCode()).isEqualTo(503);
      operator.start();
      fx.create(Fixtures.database(NS, "app", "data"));

      eventually(() -> {
        assertThat(get(health.port(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(health.port(), "/readyz").statusCode()).isEqualTo(200);
        String metrics = get(health.port(), "/metrics").body();
        assertThat(metrics).contains("walguard_reconciliations_total", "walguard_databases{verdict=\"safe\"} 1.0",
            "walguard_databases{verdict=\"unsafe\"} 0.0", "reconciliations_success_total");
      });
      String metrics = get(health.port(), "/metrics").body();
      assertThat(metrics).as("no series names a database").doesNotContain("name=\"app\"", "\"shop/app\"");
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/metrics"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(405);
    }
  }
}
