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
      "ghcr.io/benbjohnson/litestream:0.3, '', true",
      "registry.example.com:5000/tools/litestream@sha256:abc, '', true",
      "alpine:3.20, /usr/local/bin/litestream, true",
      "grafana/grafana:11, '', false",
      "acme/litestream-exporter:1, '', false",
  })
  void findsALitestreamSidecarByImageOrCommand(String image, String command, boolean found) {
    var sidecar = new ContainerBuilder().withName("replicate").withImage(image)
        .withCommand(command.isEmpty() ? List.of() : List.of(command, "replicate")).build();
    assertThat(Litestream.find(List.of(opener(sidecar))).isPresent()).isEqualTo(found);
  }

  @ParameterizedTest(name = "command {0}, args {1} -> {2}")
  @CsvSource(delimiter = ';', value = {
      "/bin/sh|-c|litestream replicate -exec 'node server.js'; ''; true",
      "sh|-c; 'litestream restore -if-replica-exists /data/app.db && exec litestream replicate'; true",
      "/bin/bash|-ec; set -x\\nexec /usr/local/bin/litestream replicate -config /etc/litestream.yml; true",
      "busybox|sh|-c|cd /app && litestream replicate; ''; true",
      "''; litestream|replicate; true",
      "/usr/bin/tini|--|/usr/local/bin/litestream|replicate; ''; true",
      "env|LITESTREAM_CONFIG=/etc/ls.yml|litestream|replicate; ''; true",
      "/bin/sh|-c|node server.js --config /etc/litestream.yml; ''; false",
      "/bin/sh|-c|cp /etc/litestream/litestream.yml /tmp && node server.js; ''; false",
      "/bin/sh|-c|./run-litestream-exporter.sh; ''; false",
      "node|litestream-dashboard.js; ''; false",
      "/bin/sh|-c|echo $LITESTREAM_ACCESS_KEY_ID && node server.js; ''; false",
  })
  void findsLitestreamRunByAShellScript(String command, String args, boolean found) {
    var container = new ContainerBuilder().withName("app").withImage("node:22")
        .withCommand(split(command)).withArgs(split(args)).build();
    assertThat(Litestream.isLitestream(container)).isEqualTo(found);
  }

  private static List<String> split(String words) {
    return words.isEmpty() ? List.of()
        : java.util.Arrays.stream(words.split("\\|")).map(w -> w.replace("\\n", "\n")).toList();
  }

  private static Opener opener(io.fabric8.kubernetes.api.model.Container sidecar) {
    var deployment = new DeploymentBuilder().withNewMetadata().withName("app").endMetadata().withNewSpec()
        .withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer()
        .addToInitContainers(sidecar).endSpec().endTemplate().endSpec().build();
    return new Opener("Deployment", "app", deployment, true, null, false, false, List.of());
  }
}
