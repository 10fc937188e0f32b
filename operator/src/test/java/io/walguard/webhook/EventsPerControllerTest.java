package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One allow-unsafe Event per controller and reason for as long as Kubernetes keeps Events. */
class EventsPerControllerTest {

  private final List<String> recorded = new ArrayList<>();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final EventsPerController events =
      new EventsPerController((a, message) -> recorded.add(a.name()), clock);

  private static Admission pod(String name, String controllerUid, String reason) throws Exception {
    Pod p = Fixtures.pod(name, "data", Map.of("walguard.io/allow-unsafe", reason));
    if (controllerUid != null) {
      p.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("tekton.dev/v1")
          .withKind("TaskRun").withName("run-" + controllerUid).withUid(controllerUid).withController(true).build()));
    }
    return new AdmissionReviews(WebhookConfig.DEFAULT_MAX_BODY_BYTES)
        .read(Reviews.create(p).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theSecondPodOfAControllerLeavesNoEventUntilTheFirstHasExpired() throws Exception {
    events.allowedUnsafe(pod("a", "1", "batch"), "m");
    events.allowedUnsafe(pod("b", "1", "batch"), "m");
    events.allowedUnsafe(pod("c", "1", "another reason"), "m");
    events.allowedUnsafe(pod("d", "2", "batch"), "m");
    clock.advance(EventsPerController.WINDOW.minus(Duration.ofSeconds(1)));
    events.allowedUnsafe(pod("e", "1", "batch"), "m");
    clock.advance(Duration.ofSeconds(1));
    events.allowedUnsafe(pod("f", "1", "batch"), "m");
    assertThat(recorded).containsExactly("a", "c", "d", "f");
  }

  @Test
  void objectsWithoutAControllerAlwaysPass() throws Exception {
    events.allowedUnsafe(pod("a", null, "batch"), "m");
    events.allowedUnsafe(pod("a", null, "batch"), "m");
    assertThat(recorded).containsExactly("a", "a");
  }
}
