package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walguard.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** {@code walguard audit -f compose.yaml} end to end: the CLI's JSON, exit status and stderr for Compose files. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class ComposeCliTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "compose");

  @TempDir Path dir;

  private record Run(int status, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  private static Run walguard(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int status = Main.execute(args);
      return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void theSwarmExampleIsUnsafeAndExitsOne() throws Exception {
    Run run = walguard("audit", "-f", EXAMPLES.resolve("swarm-nfs/compose.yaml").toString(), "-o", "json");
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(1);
    JsonNode databases = run.json().get("databases");
    assertThat(databases).hasSize(1);
    JsonNode entry = databases.get(0);
    assertThat(entry.get("namespace").asText()).isEqualTo("notes");
    assertThat(entry.get("name").asText()).isEqualTo("notes-data");
    assertThat(entry.get("claim").asText()).isEqualTo("notes-data");
    assertThat(entry.get("storage").asText()).isEqualTo("network");
    assertThat(entry.get("storageEvidence").asText()).startsWith("volume notes-data: driver_opts type nfs4");
    assertThat(entry.get("openers")).extracting(JsonNode::asText).containsExactly("service/admin", "service/web");
    assertThat(entry.get("nodes")).isEmpty();
    assertThat(entry.get("verdict").asText()).isEqualTo("unsafe");
    assertThat(entry.get("action").asText()).isEqualTo("pin");
  }

  @Test
  void theOneHostExampleIsSafeAndExitsZeroUnlessReadAsASwarmStack() throws Exception {
    String file = EXAMPLES.resolve("one-host-nfs/compose.yaml").toString();
    Run plain = walguard("audit", "-f", file, "-o", "json");
    assertThat(plain.status()).isZero();
    assertThat(plain.json().get("databases").get(0).get("verdict").asText()).isEqualTo("safe");

    Run swarm = walguard("audit", "-f", file, "-o", "json", "--swarm");
    assertThat(swarm.status()).isEqualTo(1);
    assertThat(swarm.json().get("databases").get(0).get("action").asText()).isEqualTo("pin");
  }

  @Test
  void aDirectoryOfExamplesAuditsEveryComposeFileInIt() throws Exception {
    Run run = walguard("audit", "-f", EXAMPLES.toString(), "-o", "json");
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.json().get("databases")).extracting(d -> d.get("verdict").asText())
        .containsExactlyInAnyOrder("safe", "unsafe");
  }

  @Test
  void badComposeInputExitsTwoWithTheLineOnStderrAndNothingOnStdout() throws Exception {
    Path file = ComposeFixture.write(dir, "services:\n  web:\n    deploy: {replicas: two}\n");
    Run run = walguard("audit", "-f", file.toString(), "-o", "json");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(file + ":3: services.web.deploy.replicas is the string \"two\"");
  }

  @Test
  void aComposeFileThatIsNotAMappingExitsTwo() throws Exception {
    Path file = ComposeFixture.write(dir, "docker-compose.yml", "- web\n- db\n");
    Run run = walguard("audit", "-f", file.toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(file + ":1: the top level is a list, but a Compose file is a YAML mapping");
  }

  @Test
  void aDirectoryWalkReadsEachComposeProjectOnceWithItsOverrideFile() throws Exception {
    Path project = dir.resolve("stack");
    java.nio.file.Files.createDirectories(project);
    String compose = java.nio.file.Files.readString(EXAMPLES.resolve("swarm-nfs/compose.yaml"));
    java.nio.file.Files.writeString(project.resolve("compose.yaml"), compose);
    java.nio.file.Files.writeString(project.resolve("docker-compose.yml"), compose);
    java.nio.file.Files.writeString(project.resolve("compose.override.yaml"),
        "services:\n  web:\n    deploy:\n      replicas: 1\n");

    Run run = walguard("audit", "-f", dir.toString(), "-o", "json");

    JsonNode databases = run.json().get("databases");
    assertThat(databases).hasSize(1);
    assertThat(databases.get(0).get("reasons").toString()).contains("service/web: one task at a time");
    assertThat(run.err()).doesNotContain("compose.override.yaml");
  }
}
