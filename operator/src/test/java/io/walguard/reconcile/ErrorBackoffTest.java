package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorBackoffTest {

  final ResourceID grafana = new ResourceID("grafana", "monitoring");
  final ResourceID gitea = new ResourceID("gitea", "dev");

  @Test
  void failuresInARowDoubleTheDelayUpToThirtySeconds() {
    ErrorBackoff backoff = new ErrorBackoff();
    List<Long> seconds = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      seconds.add(backoff.failed(grafana).toSeconds());
    }
    assertThat(seconds.subList(0, 7)).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
    assertThat(seconds).allMatch(s -> s <= 30);
  }

  @Test
  void aSuccessStartsTheNextFailureQuickAgainAndDatabasesBackOffApart() {
    ErrorBackoff backoff = new ErrorBackoff();
    backoff.failed(grafana);
    backoff.failed(grafana);
    backoff.failed(grafana);

    assertThat(backoff.failed(gitea)).isEqualTo(Duration.ofSeconds(1));
    backoff.succeeded(grafana);
    assertThat(backoff.failed(grafana)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void exceptionsAreRetriedWithoutALastAttempt() {
    var execution = ((GenericRetry) ErrorBackoff.unlimited()).initExecution();
    Long last = null;
    for (int i = 0; i < 1000; i++) {
      last = execution.nextDelay().orElseThrow();
    }
    assertThat(last).isEqualTo(30_000L);
  }
}
