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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** {@code walguard audit -f compose.yaml} end to end: the CLI's JSON, exit status and stderr for Compose files. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
@ResourceLock("java.lang.System.in")
class ComposeCliTest {

  /** A Swarm stack on an NFS volume whose locks are node-local: safe on one host, not across nodes. */
  private static final String STACK = """
      services:
        app:
          image: vaultwarden/server:1.30.5
          volumes: [vw:/data]
          deploy:
            replicas: 2
      volumes:
        vw:
          driver: local
          driver_opts: {type: nfs, o: "addr=10.0.0.5,nfsvers=3,nolock", device: ":/vw"}
          labels: {walguard.io/sqlite: "true"}
      """;

  private static final Path EXAMPLES = Path.of("..", "examples", "compose");

  @TempDir Path dir;

  private record Run(int status, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  private static Run walguard(String... args) {
    return walguardReading("", args);
  }

  private static Run walguardReading(String stdin, String... args) {
    java.io.InputStream in = System.in;
    System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      return run(args);
    } finally {
      System.setIn(in);
    }
  }

  private static Run run(String... args) {
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
    assertThat(run.err()).isEmpty();
    assertThat(run.json().get("databases")).extracting(d -> d.get("namespace").asText() + " "
        + d.get("verdict").asText()).containsExactlyInAnyOrder("notes safe", "notes unsafe", "swarm-local safe");
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

  @ParameterizedTest
  @ValueSource(strings = {"stack.yml", "docker-stack.yml", "docker-compose.prod.yml", "compose.prod.yaml"})
  void aComposeFileOfAnotherNameNamedWithDashFIsAudited(String name) throws Exception {
    Path file = ComposeFixture.write(dir, name, STACK);
    Run run = walguard("audit", "-f", file.toString(), "--swarm", "-o", "json");
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(1);
    JsonNode entry = run.json().get("databases").get(0);
    assertThat(entry.get("name").asText()).isEqualTo("vw");
    assertThat(entry.get("verdict").asText()).isEqualTo("unsafe");
    assertThat(entry.get("action").asText()).isEqualTo("pin");
  }

  @Test
  void aStackFileIsReadAsASwarmStackWithoutTheFlag() throws Exception {
    Run run = walguard("audit", "-f", ComposeFixture.write(dir, "docker-stack.yml", STACK).toString());
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("read as a Swarm stack, where services can run on several nodes: the file is named"
        + " docker-stack.yml, as files for docker stack deploy are");
  }

  @Test
  void aComposeFileOnStandardInputIsAudited() throws Exception {
    Run run = walguardReading(STACK, "audit", "-f", "-", "--swarm", "-o", "json");
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.json().get("databases").get(0).get("verdict").asText()).isEqualTo("unsafe");

    Run broken = walguardReading("services:\n  app: {deploy: {replicas: two}}\n", "audit", "-f", "-");
    assertThat(broken.status()).isEqualTo(2);
    assertThat(broken.out()).isEmpty();
    assertThat(broken.err()).contains("<stdin>:2: services.app.deploy.replicas is the string \"two\"");
  }

  @Test
  void composeFilesNamedTogetherAreLaidOverEachOtherAsDockerComposeDoes() throws Exception {
    Path base = ComposeFixture.write(dir, "docker-compose.yml", STACK.replace("replicas: 2", "replicas: 1"));
    Path swarm = ComposeFixture.write(dir, "docker-compose.swarm.yml",
        "services:\n  app:\n    deploy: {replicas: 3, placement: {constraints: [node.role == worker]}}\n");
    Run alone = walguard("audit", "-f", base.toString(), "-o", "json");
    Run together = walguard("audit", "-f", base.toString(), "-f", swarm.toString(), "-o", "json");
    assertThat(alone.status()).isZero();
    assertThat(together.status()).isEqualTo(1);
    assertThat(together.json().get("databases")).hasSize(1);
    assertThat(together.json().get("databases").get(0).get("reasons").toString()).contains("3 replicas");
  }

  @Test
  void aDirectoryWalkIsQuietAboutFragmentsThatAProjectExtendsAndNamesTheOthers() throws Exception {
    ComposeFixture.write(dir, "common.yml", """
        services:
          base: {image: app, volumes: [db:/data], deploy: {replicas: 2}}
        volumes:
          db: {}
        """);
    ComposeFixture.write(dir, "compose.yaml", """
        services:
          web:
            extends: {file: common.yml, service: base}
            labels: {walguard.io/sqlite: db}
        volumes:
          db: {driver_opts: {type: nfs, o: "addr=10.0.0.5", device: ":/db"}}
        """);
    ComposeFixture.write(dir, "compose.prod.yaml", "services:\n  web: {deploy: {replicas: 3}}\n");
    Run run = walguard("audit", "-f", dir.toString(), "-o", "json");
    assertThat(run.status()).isZero();
    assertThat(run.json().get("databases")).hasSize(1);
    assertThat(run.err()).doesNotContain("common.yml").doesNotContain("not a Kubernetes object")
        .contains(dir.resolve("compose.prod.yaml") + ": a Compose file by its content (services:), but not by its"
            + " name, and no Compose project here includes or extends it, so it is skipped")
        .contains("-f docker-compose.yml -f compose.prod.yaml");
  }

  @Test
  void findingNothingInComposeFilesSaysWhatMarksADatabaseThere() throws Exception {
    Path file = ComposeFixture.write(dir, "services:\n  web: {image: nginx}\n");
    Run run = walguard("audit", "-f", file.toString());
    assertThat(run.status()).isZero();
    assertThat(run.out()).startsWith("No SQLite databases found. In Compose files")
        .contains("each volume labelled walguard.io/sqlite: \"true\"")
        .contains("each mount a service's label walguard.io/sqlite names")
        .contains("x-walguard: {databases: [{volume: db}]}")
        .doesNotContain("SqliteDatabase");
  }

  @Test
  void aLocalVolumeOnSeveralSwarmNodesSaysTheDataSplitsInTableAndJson() throws Exception {
    Path file = ComposeFixture.write(dir, STACK.replace(
        "    driver_opts: {type: nfs, o: \"addr=10.0.0.5,nfsvers=3,nolock\", device: \":/vw\"}\n", ""));
    String split = "volume vw uses Docker's local driver, which creates it separately on each node that runs a task";
    Run table = walguard("audit", "-f", file.toString(), "--swarm");
    Run json = walguard("audit", "-f", file.toString(), "--swarm", "-o", "json");
    assertThat(table.status()).isZero();
    assertThat(table.out()).contains("    - " + split);
    assertThat(json.json().get("databases").get(0).get("reasons").toString()).contains(split);
    assertThat(json.json().get("databases").get(0).get("verdict").asText()).isEqualTo("safe");
  }
}
