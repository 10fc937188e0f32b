package io.walguard.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.walguard.placement.Opener;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LitestreamTest {

  @ParameterizedTest(name = "image {0}, command {1} -> {2}")
  @CsvSource({
      "litestream/litestream:0.3.13, '', true",
      "docker.io/litestream/litestream@sha256:abc, '', true",
      "ghcr.io/acme/litestream:1, '', true",
      "alpine:3.20, /usr/local/bin/litestream, true",
      "grafana/grafana:11, '', false",
      "acme/litestream-exporter:1, '', false",
  })
  void findsALitestreamSidecarByImageOrCommand(String image, String command, boolean found) {
    var sidecar = new ContainerBuilder().withName("replicate").withImage(image)
        .withCommand(command.isEmpty() ? List.of() : List.of(command, "replicate")).build();
    var deployment = new DeploymentBuilder().withNewMetadata().withName("app").endMetadata().withNewSpec()
        .withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer()
        .addToInitContainers(sidecar).endSpec().endTemplate().endSpec().build();
    var opener = new Opener("Deployment", "app", deployment, true, null, false, false, List.of());
    assertThat(Litestream.find(List.of(opener)).isPresent()).isEqualTo(found);
  }
}
