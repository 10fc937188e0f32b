package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walguard.audit.AuditEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The output contract (DESIGN.md section 9) for Compose files, and the examples under examples/compose. */
class ComposeAuditTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "compose");
  private static final Pattern CONCLUSION =
      Pattern.compile("walguard's conclusion: verdict (safe|unsafe|unknown), action (none|pin|journal|observe)");

  @TempDir Path dir;

  @Test
  void anEntryFillsEveryFieldOfTheContract() throws Exception {
    Path file = ComposeFixture.write(dir, """
        name: shop
        services:
          web:
            image: shop/web
            volumes: [orders:/data]
            deploy: {replicas: 2, placement: {constraints: [node.role == worker]}}
          admin: {image: shop/admin, volumes: [orders:/data]}
        volumes:
          orders:
            driver_opts: {type: nfs4, o: "addr=10.0.0.5,rw", device: ":/orders"}
            labels: [walguard.io/sqlite=true]
        """);
    JsonNode json = new ObjectMapper().valueToTree(ComposeFixture.only(file, false));
    assertThat(json.fieldNames()).toIterable().containsExactly("namespace", "name", "claim", "storage",
        "storageEvidence", "openers", "nodes", "verdict", "action", "reasons");
    assertThat(json.get("namespace").asText()).isEqualTo("shop");
    assertThat(json.get("name").asText()).isEqualTo("orders");
    assertThat(json.get("claim").asText()).isEqualTo("orders");
    assertThat(json.get("storage").asText()).isEqualTo("network");
    assertThat(json.get("storageEvidence").asText())
        .isEqualTo("volume orders: driver_opts type nfs4 (addr=10.0.0.5), an NFS share");
    assertThat(json.get("openers")).extracting(JsonNode::asText).containsExactly("service/admin", "service/web");
    assertThat(json.get("nodes")).isEmpty();
    assertThat(json.get("verdict").asText()).isEqualTo("unsafe");
    assertThat(json.get("action").asText()).isEqualTo("pin");
    assertThat(json.get("reasons")).extracting(JsonNode::asText).containsExactly(
        "read as a Swarm stack, where services can run on several nodes: services.web.deploy.placement is set",
        "service/admin: one task at a time (1 replica, updates stop the old task before starting the new one)",
        "service/web: 2 replicas (deploy.replicas: 2) can run on 2 different nodes, and no placement constraint"
            + " keeps them on one",
        "service/admin and service/web share volume orders, and no placement constraint keeps them on the same"
            + " node (give each the same one, e.g. node.hostname == <node>)",
        "storage network (volume orders: driver_opts type nfs4 (addr=10.0.0.5), an NFS share): openers can run on"
            + " several nodes, and SQLite WAL across kernels corrupts silently",
        "fix: pin every service to one node with a placement constraint (node.hostname == X)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"swarm-nfs", "one-host-nfs"})
  void eachExampleComesToTheConclusionItsReadmeStates(String example) throws Exception {
    Path directory = EXAMPLES.resolve(example);
    Matcher stated = CONCLUSION.matcher(Files.readString(directory.resolve("README.md")));
    assertThat(stated.find()).as("README.md of %s states walguard's conclusion", example).isTrue();
    for (Path path : List.of(directory, directory.resolve("compose.yaml"))) {
      AuditEntry entry = ComposeFixture.only(path, false);
      assertThat(entry.namespace()).isEqualTo("notes");
      assertThat(entry.name()).isEqualTo("notes-data");
      assertThat(entry.openers()).containsExactly("service/admin", "service/web");
      assertThat(entry.verdict()).isEqualTo(stated.group(1));
      assertThat(entry.action()).isEqualTo(stated.group(2));
    }
    String index = Files.readString(EXAMPLES.resolve("README.md"));
    assertThat(index).contains("[" + example + "](" + example + "/)")
        .containsPattern(Pattern.quote("(" + example + "/) |") + ".*\\| " + stated.group(1) + ", "
            + stated.group(2) + " \\|");
  }

  @Test
  void theStackFileExampleIsReadAsASwarmStackAndSaysTheDataSplits() throws Exception {
    Path directory = EXAMPLES.resolve("swarm-local");
    Matcher stated = CONCLUSION.matcher(Files.readString(directory.resolve("README.md")));
    assertThat(stated.find()).isTrue();
    AuditEntry entry = ComposeFixture.only(directory.resolve("docker-stack.yml"), false);
    assertThat(entry.namespace()).isEqualTo("swarm-local");
    assertThat(entry.openers()).containsExactly("service/admin", "service/web");
    assertThat(entry.verdict()).isEqualTo(stated.group(1));
    assertThat(entry.action()).isEqualTo(stated.group(2));
    assertThat(entry.reasons()).anySatisfy(r -> assertThat(r).contains("so the data splits between nodes"));
    assertThat(Files.readString(EXAMPLES.resolve("README.md")))
        .containsPattern(Pattern.quote("(swarm-local/) |") + ".*\\| " + stated.group(1) + ", " + stated.group(2)
            + " \\|");
  }

  @Test
  void theOneHostExampleWarnsThatItStopsBeingSafeOnSeveralHosts() throws Exception {
    AuditEntry entry = ComposeFixture.only(EXAMPLES.resolve("one-host-nfs"), false);
    assertThat(entry.reasons()).anySatisfy(r -> assertThat(r).contains("on one Docker host")
        .contains("stops being true once they run on more than one host"));
  }

  @Test
  void theSwarmFlagTurnsThePlainFileIntoAStack() throws Exception {
    AuditEntry entry = ComposeFixture.only(EXAMPLES.resolve("one-host-nfs"), true);
    assertThat(entry.verdict()).isEqualTo("unsafe");
    assertThat(entry.action()).isEqualTo("pin");
  }

  @Test
  void theSwarmExampleIsSafeOncePinned() throws Exception {
    String pinned = Files.readString(EXAMPLES.resolve("swarm-nfs").resolve("compose.yaml"))
        .replace("constraints: [node.role == worker]", "constraints: [node.hostname == node-1]")
        .replace("    command: [\"notes\", \"admin\"",
            "    deploy: {placement: {constraints: [node.hostname == node-1]}}\n    command: [\"notes\", \"admin\"");
    AuditEntry entry = ComposeFixture.only(ComposeFixture.write(dir, pinned), false);
    assertThat(entry.verdict()).isEqualTo("safe");
    assertThat(entry.action()).isEqualTo("none");
  }

  @Test
  void aFileWithoutDatabasesHasNoEntries() throws Exception {
    Path file = ComposeFixture.write(dir, "services:\n  web: {image: nginx}\n");
    assertThat(ComposeFixture.audit(file, true)).isEmpty();
  }
}
