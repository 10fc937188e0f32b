package io.walguard.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorsTest {

  private static final Map<String, String> LABELS = Map.of("app", "grafana", "tier", "web");

  private static LabelSelector selector(String yaml) {
    return Serialization.unmarshal("---\n" + yaml, LabelSelector.class);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                                                         | true
      {matchLabels: {app: grafana}}                                              | true
      {matchLabels: {app: grafana, tier: db}}                                    | false
      {matchLabels: {team: obs}}                                                 | false
      {matchExpressions: [{key: app, operator: In, values: [grafana, loki]}]}    | true
      {matchExpressions: [{key: app, operator: In, values: [loki]}]}             | false
      {matchExpressions: [{key: team, operator: In, values: [obs]}]}             | false
      {matchExpressions: [{key: app, operator: NotIn, values: [loki]}]}          | true
      {matchExpressions: [{key: app, operator: NotIn, values: [grafana]}]}       | false
      {matchExpressions: [{key: team, operator: NotIn, values: [obs]}]}          | true
      {matchExpressions: [{key: tier, operator: Exists}]}                        | true
      {matchExpressions: [{key: team, operator: Exists}]}                        | false
      {matchExpressions: [{key: team, operator: DoesNotExist}]}                  | true
      {matchExpressions: [{key: app, operator: DoesNotExist}]}                   | false
      {matchLabels: {app: grafana}, matchExpressions: [{key: tier, operator: NotIn, values: [web]}]} | false
      {matchExpressions: [{key: app, operator: Equals, values: [grafana]}]}      | false
      """)
  void matchesAsKubernetesDoes(String yaml, boolean matches) {
    assertThat(LabelSelectors.matches(selector(yaml), LABELS)).isEqualTo(matches);
  }

  @Test
  void aNullSelectorMatchesEverythingAndLabelsMayBeAbsent() {
    assertThat(LabelSelectors.matches(null, null)).isTrue();
    assertThat(LabelSelectors.matches(selector("{matchExpressions: [{key: a, operator: DoesNotExist}]}"), null))
        .isTrue();
    assertThat(LabelSelectors.selectsEverything(selector("{}"))).isTrue();
    assertThat(LabelSelectors.selectsEverything(selector("{matchLabels: {a: b}}"))).isFalse();
  }

  @Test
  void anUnknownOperatorIsNamedWithItsField() {
    assertThat(LabelSelectors.problems(selector("{matchExpressions: [{key: app, operator: Equals, values: [x]}]}"),
        "spec.workloadSelector"))
        .containsExactly("spec.workloadSelector: operator 'Equals' on key app is not one of In, NotIn, Exists,"
            + " DoesNotExist, so it matches nothing; fix the operator");
    assertThat(LabelSelectors.problems(selector("{matchExpressions: [{key: app, operator: In, values: [x]}]}"),
        "spec.workloadSelector")).isEmpty();
  }
}
