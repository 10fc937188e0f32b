package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusComposerTest {

  static final Instant THEN = Instant.parse("2025-01-01T10:00:00Z");
  static final Instant NOW = Instant.parse("2025-01-01T11:00:00Z");

  static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
  }

  static List<Condition> before() {
    return StatusComposer.merge(List.of(), List.of(
        condition("Placement", "False", "OpenersOnSeveralNodes", "pods app-1 on node-a, app-2 on node-b"),
        condition("Ready", "False", "PinInProgress", "waiting"),
        condition("WalGrowing", "True", "Busy", "written by another part of walguard")), 3L, THEN);
  }

  @Test
  void aConditionWhoseStatusHoldsKeepsItsTransitionTimeEvenWhenItsWordsChange() {
    List<Condition> merged = StatusComposer.merge(before(), List.of(
        condition("Placement", "False", "OpenersOnSeveralNodes", "pods app-1 on node-a, app-3 on node-b"),
        condition("Ready", "True", "Pinned", "safe")), 4L, NOW);

    assertThat(merged.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
    assertThat(merged.get(0).getMessage()).contains("app-3");
    assertThat(merged.get(1).getLastTransitionTime()).isEqualTo("2025-01-01T11:00:00Z");
    assertThat(merged).allSatisfy(c -> {
      if (!c.getType().equals("WalGrowing")) {
        assertThat(c.getObservedGeneration()).isEqualTo(4L);
      }
    });
  }

  @Test
  void conditionsWalguardDoesNotComposeHereAreKept() {
    List<Condition> merged = StatusComposer.merge(before(), List.of(
        condition("Placement", "True", "Pinned", "on node-a")), 4L, NOW);

    assertThat(merged).extracting(Condition::getType).containsExactly("Placement", "Ready", "WalGrowing");
  }

  @Test
  void mergingTheSameConditionsAgainChangesNothing() {
    List<Condition> once = before();
    List<Condition> again = StatusComposer.merge(once, List.of(
        condition("Placement", "False", "OpenersOnSeveralNodes", "pods app-1 on node-a, app-2 on node-b"),
        condition("Ready", "False", "PinInProgress", "waiting")), 3L, NOW);

    assertThat(again).isEqualTo(once);
  }
}
