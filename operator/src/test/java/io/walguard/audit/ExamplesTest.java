package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each story under examples/ concludes what its README says walguard concludes. */
class ExamplesTest {

  static final Path EXAMPLES = examples();

  static Path examples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("examples");
  }

  @ParameterizedTest(name = "{0}: {5}, {6}")
  @CsvSource({
      "grafana-efs,                       monitoring,  grafana,                 grafana-data,            network, unsafe, pin",
      "vaultwarden-local-path,            vaultwarden, vaultwarden-data,        vaultwarden-data,        local,   safe,   none",
      "gitea-azure-files,                 gitea,       gitea,                   gitea-shared-storage,    network, unsafe, pin",
      "uptime-kuma-longhorn-rwx,          uptime-kuma, uptime-kuma,             uptime-kuma-data,        network, unsafe, pin",
      "daemonset-nfs,                     logging,     logging-state,           logging-state,           network, unsafe, observe",
      "app-gcsfuse,                       backend,     pocketbase,              pocketbase-data,         fuse,    unsafe, observe",
      "linkding-nfs-nolock,               bookmarks,   linkding,                linkding-data,           network, unsafe, pin",
      "home-assistant-statefulset-cephfs, home,        config-home-assistant-0, config-home-assistant-0, network, safe,   none"})
  void eachExampleConcludesWhatItsReadmeSays(String example, String namespace, String name, String claim,
      String storage, String verdict, String action) throws IOException {
    Path dir = EXAMPLES.resolve(example);

    CliRun run = CliRun.audit(dir, "-o", "json");

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(verdict.equals("unsafe") ? 1 : 0);
    JsonNode databases = new ObjectMapper().readTree(run.out()).get("databases");
    assertThat(databases).hasSize(1);
    JsonNode database = databases.get(0);
    assertThat(database.get("namespace").asText()).isEqualTo(namespace);
    assertThat(database.get("name").asText()).isEqualTo(name);
    assertThat(database.get("claim").asText()).isEqualTo(claim);
    assertThat(List.of(database.get("storage").asText(), database.get("verdict").asText(),
        database.get("action").asText()))
        .as("storage, verdict, action; reasons: %s", database.get("reasons"))
        .containsExactly(storage, verdict, action);
    assertThat(database.get("openers")).isNotEmpty();

    String readme = Files.readString(dir.resolve("README.md"));
    assertThat(readme).contains("**walguard says:** storage " + storage + ", verdict " + verdict + ", action "
        + action + ":");
  }

  @Test
  void everyExampleDirectoryHasAReadmeWithItsConclusion() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      List<Path> stories = dirs.filter(Files::isDirectory)
          .filter(d -> !d.getFileName().toString().equals("compose")).toList();
      assertThat(stories).hasSizeGreaterThanOrEqualTo(6);
      for (Path story : stories) {
        assertThat(story.resolve("README.md")).exists();
        assertThat(Files.readString(story.resolve("README.md"))).contains("**walguard says:**");
      }
    }
  }

  @Test
  void theWholeExamplesDirectoryIsOneJsonDocumentInNamespaceAndNameOrder() throws IOException {
    CliRun run = CliRun.audit(EXAMPLES, "-o", "json");

    assertThat(run.status()).isEqualTo(1);
    JsonNode databases = new ObjectMapper().readTree(run.out()).get("databases");
    assertThat(databases.size()).isGreaterThanOrEqualTo(8);
    for (int i = 1; i < databases.size(); i++) {
      JsonNode previous = databases.get(i - 1);
      JsonNode current = databases.get(i);
      int byNamespace = previous.get("namespace").asText().compareTo(current.get("namespace").asText());
      assertThat(byNamespace).isLessThanOrEqualTo(0);
      if (byNamespace == 0) {
        assertThat(previous.get("name").asText()).isLessThanOrEqualTo(current.get("name").asText());
      }
    }
  }
}
