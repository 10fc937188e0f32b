package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The chart installs the CRD the build generates from the Java model, keeps it on uninstall, and updates it on
 * upgrade (it is a template, not a file under crds/, which Helm never upgrades).
 */
class ChartCrdTest {

  static final String CRD_NAME = "sqlitedatabases.walguard.io";

  /** Run with {@code -Dwalguard.chart.update=true} to copy a regenerated CRD into the chart. */
  @Test
  void chartCarriesTheGeneratedCrdVerbatim() throws IOException {
    String generated = Files.readString(Repo.CRD, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("walguard.chart.update")) {
      Files.writeString(Repo.CHART_CRD, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(Repo.CHART_CRD, StandardCharsets.UTF_8))
        .as("helm/walguard/files/ differs from crd/sqlitedatabases.walguard.io-v1.yml: run the tests with"
            + " -Dwalguard.chart.update=true and commit both")
        .isEqualTo(generated);
  }

  @Test
  void renderedCrdIsTheGeneratedOneWithLabelsAndKeepPolicy() throws IOException {
    CustomResourceDefinition generated =
        Serialization.unmarshal(Files.readString(Repo.CRD, StandardCharsets.UTF_8), CustomResourceDefinition.class);
    CustomResourceDefinition rendered =
        ChartRender.of(DeliveryMode.DEFAULTS).one(CustomResourceDefinition.class, CRD_NAME);

    assertThat(rendered.getSpec()).isEqualTo(generated.getSpec());
    assertThat(rendered.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    assertThat(rendered.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "walguard");
  }

  @Test
  void crdIsOptionalAndItsKeepPolicyCanBeDropped() {
    assertThat(ChartRender.of("crds: {install: false}").all(CustomResourceDefinition.class)).isEmpty();
    CustomResourceDefinition notKept =
        ChartRender.of("crds: {keep: false}").one(CustomResourceDefinition.class, CRD_NAME);
    assertThat(notKept.getMetadata().getAnnotations()).isNullOrEmpty();
  }
}
