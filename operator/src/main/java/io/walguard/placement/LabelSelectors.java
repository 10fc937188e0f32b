package io.walguard.placement;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kubernetes label selectors, matched as the API server matches them. */
public final class LabelSelectors {

  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private LabelSelectors() {}

  /**
   * Whether the labels satisfy the selector: every {@code matchLabels} pair and every {@code matchExpressions}
   * requirement. A null or empty selector matches everything; a requirement with an operator Kubernetes does not
   * know matches nothing (see {@link #problems}).
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, have)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String op = r.getOperator() == null ? "" : r.getOperator();
    return switch (op) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }

  /** What is wrong with a selector, in words naming the field and the fix; empty when nothing is. */
  public static List<String> problems(LabelSelector selector, String field) {
    List<String> problems = new ArrayList<>();
    if (selector != null && selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!OPERATORS.contains(r.getOperator())) {
          problems.add(field + ": operator '" + r.getOperator() + "' on key " + r.getKey()
              + " is not one of In, NotIn, Exists, DoesNotExist, so it matches nothing; fix the operator");
        }
      }
    }
    return problems;
  }

  /** Whether the selector has no terms: a null or empty selector selects everything. */
  public static boolean selectsEverything(LabelSelector selector) {
    return selector == null
        || (isNullOrEmpty(selector.getMatchLabels()) && isNullOrEmpty(selector.getMatchExpressions()));
  }

  private static boolean isNullOrEmpty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }

  private static boolean isNullOrEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
