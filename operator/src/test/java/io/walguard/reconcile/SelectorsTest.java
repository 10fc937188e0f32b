package io.walguard.reconcile;

import io.walguard.placement.LabelSelectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {

  static LabelSelector selector(String operator, String values) {
    var b = new LabelSelectorBuilder().addToMatchLabels("app", "shop");
    if (!operator.isEmpty()) {
      b.addNewMatchExpression().withKey("tier").withOperator(operator)
          .withValues(values.isEmpty() ? new String[0] : values.split(" ")).endMatchExpression();
    }
    return b.build();
  }

  @ParameterizedTest(name = "app=shop,{0} {1} against tier={2}: {3}")
  @CsvSource({
      "'', '', db, true",
      "In, db cache, db, true",
      "In, cache, db, false",
      "NotIn, cache, db, true",
      "NotIn, db, db, false",
      "NotIn, db, '', true",
      "Exists, '', db, true",
      "Exists, '', '', false",
      "DoesNotExist, '', '', true",
      "DoesNotExist, '', db, false"})
  void selectorsMatchAsKubernetesMatchesThem(String operator, String values, String tier, boolean matches) {
    Map<String, String> labels = tier.isEmpty() ? Map.of("app", "shop") : Map.of("app", "shop", "tier", tier);
    assertThat(LabelSelectors.matches(selector(operator, values), labels)).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource({"shop, true", "blog, false"})
  void matchLabelsMustAllHold(String app, boolean matches) {
    assertThat(LabelSelectors.matches(selector("", ""), Map.of("app", app))).isEqualTo(matches);
  }
}
