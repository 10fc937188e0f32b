package io.walguard.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rollout budgets resolve as Kubernetes resolves them: maxSurge rounds up, maxUnavailable rounds down. */
class IntOrPercentTest {

  private static IntOrString value(String text) {
    return text.matches("-?\\d+") ? new IntOrString(Integer.parseInt(text)) : new IntOrString(text);
  }

  @ParameterizedTest(name = "{0} of {1} replicas, round up {2} -> {3}")
  @CsvSource(nullValues = "none", textBlock = """
      25%,  1, true,  1
      25%,  1, false, 0
      10%,  4, true,  1
      10%,  4, false, 0
      50%,  3, true,  2
      50%,  3, false, 1
      100%, 3, true,  3
      0%,   5, true,  0
      25%,  0, true,  0
      0,    1, true,  0
      1,    1, true,  1
      3,    1, false, 3
      lots, 1, true,  none
      300000000000%, 1, true, 2147483647
      4000000000000000000%, 3, true, none
      """)
  void scalesLikeKubernetes(String given, int replicas, boolean roundUp, Integer expected) {
    assertThat(IntOrPercent.scaled(value(given), replicas, roundUp)).isEqualTo(expected);
  }
}
