package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {

  // helm-java's lint takes no values file: the modes are checked by rendering them (ChartRender), which runs the
  // same schema validation and templates.
  @Test
  void chartPassesStrictLint() {
    LintResult result = new Helm(Repo.CHART).lint().strict().call();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }
}
