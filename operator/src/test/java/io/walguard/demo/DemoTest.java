package io.walguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code walguard demo} tells the stories it promises, end to end, and ends by itself with exit 0. */
class DemoTest {

  @Test
  void theDemoPinsGrafanaWarnsAtAdmissionAndEndsWithTheTable() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8), Duration.ofSeconds(90))
        .run(false, Path.of("unused"));
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(out).isZero();
    assertThat(out)
        .contains("Warning: SqliteDatabase grafana")
        .contains("Pinned: walguard pinned Deployment/grafana to node")
        .contains("MaxSurgeZero")
        .containsPattern("monitoring/grafana: storage network, verdict safe, action pin, openers on \\[node-.\\]")
        .contains("cronjob/grafana-checkpoint")
        .contains("status.lastCheckpoint: busy 0")
        .contains("action journal")
        .contains("denied the request")
        .containsPattern("monitoring +grafana +grafana-data +network +safe +pin")
        .containsPattern("vaultwarden +vaultwarden-data +vaultwarden-data +local +safe +none")
        .contains("walguard demo: done.");
  }
}
