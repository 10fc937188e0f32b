package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/walguard.yaml, the file behind {@code kubectl apply -f}, is the chart's default rendering into
 * walguard-system plus the Namespace itself. Run the tests with {@code -Dwalguard.deploy.update=true} to
 * regenerate it after changing the chart.
 */
class KubectlInstallTest {

  static final String HEADER = """
      # walguard, the single-file install: the SqliteDatabase CRD and the operator in namespace walguard-system.
      #   kubectl apply -f deploy/walguard.yaml
      # Generated from the Helm chart with its default values; do not edit by hand. Regenerate with
      #   mvn -pl operator -am test -Dtest=KubectlInstallTest -Dwalguard.deploy.update=true
      # which renders: helm template walguard helm/walguard --namespace walguard-system --set namespace.create=true
      """;

  static String freshRendering() {
    return HEADER + ChartRender.template(ChartRender.NAMESPACE, "namespace: {create: true}\n");
  }

  @Test
  void committedFileIsTheChartsDefaultRendering() throws IOException {
    String fresh = freshRendering();
    if (Boolean.getBoolean("walguard.deploy.update")) {
      Files.createDirectories(Repo.KUBECTL_INSTALL.getParent());
      Files.writeString(Repo.KUBECTL_INSTALL, fresh, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(Repo.KUBECTL_INSTALL, StandardCharsets.UTF_8))
        .as("deploy/walguard.yaml is out of date with helm/walguard: run the tests with"
            + " -Dwalguard.deploy.update=true and commit it")
        .isEqualTo(fresh);
  }

  @Test
  void fileCreatesTheRestrictedNamespaceFirst() throws IOException {
    List<HasMetadata> objects = ChartRender.parse(Files.readString(Repo.KUBECTL_INSTALL, StandardCharsets.UTF_8));
    assertThat(objects.get(0)).isInstanceOfSatisfying(Namespace.class, ns -> {
      assertThat(ns.getMetadata().getName()).isEqualTo(ChartRender.NAMESPACE);
      assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    });
  }

  @Test
  void fileHoldsTheCrdAndTheDefaultOperatorInItsNamespace() throws IOException {
    List<HasMetadata> objects = ChartRender.parse(Files.readString(Repo.KUBECTL_INSTALL, StandardCharsets.UTF_8));
    int crd = indexOfKind(objects, "CustomResourceDefinition");
    assertThat(crd).as("the CRD is in the file").isNotNegative();
    assertThat(objects.get(crd)).isInstanceOf(CustomResourceDefinition.class);
    assertThat(crd).as("kubectl creates the CRD before anything that could use it")
        .isLessThan(indexOfKind(objects, "Deployment"));
    assertThat(objects).filteredOn(o -> o.getMetadata().getNamespace() != null)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(ChartRender.NAMESPACE)
            .as("%s/%s", o.getKind(), o.getMetadata().getName()));

    List<String> defaults = ChartRender.of(DeliveryMode.DEFAULTS).objects.stream().map(KubectlInstallTest::id).toList();
    assertThat(objects.stream().filter(o -> !(o instanceof Namespace)).map(KubectlInstallTest::id).toList())
        .containsExactlyElementsOf(defaults);
  }

  @Test
  void fileNeedsNoHelmAtApplyTime() throws IOException {
    String file = Files.readString(Repo.KUBECTL_INSTALL, StandardCharsets.UTF_8);
    assertThat(file).doesNotContain("helm.sh/hook").doesNotContain("{{");
  }

  static int indexOfKind(List<HasMetadata> objects, String kind) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i).getKind().equals(kind)) {
        return i;
      }
    }
    return -1;
  }

  static String id(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}
