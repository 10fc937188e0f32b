package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.walguard.api.SqliteDatabase;
import io.walguard.audit.Audit;
import io.walguard.audit.AuditEntry;
import io.walguard.audit.ManifestLoader;
import io.walguard.audit.Manifests;
import io.walguard.compose.ComposeAudit;
import io.walguard.core.InMemoryFacts;
import io.walguard.core.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every story under examples/ through both doors: {@code walguard audit} on the manifests, and the webhook over
 * HTTPS admitting each object of the story with the rest in its caches. For every database the audit reports, each
 * object that concerns it gets the verdict the audit gives: no warning when safe, a warning that says unsafe (and,
 * in a namespace that denies, a refusal) or unknown otherwise, on the same storage kind; and no warning names a
 * database the audit calls safe.
 */
class WebhookExamplesTest {

  static Stream<Path> stories() throws Exception {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("an examples/ directory above the module").isNotNull();
    try (Stream<Path> stories = Files.list(dir.resolve("examples"))) {
      List<Path> kubernetes = stories.filter(Files::isDirectory)
          .filter(d -> !d.getFileName().toString().equals("compose")).sorted().toList();
      assertThat(kubernetes).hasSizeGreaterThanOrEqualTo(6);
      return kubernetes.stream();
    }
  }

  /** What one admission said about one claim. */
  record Said(String object, String claim, String verdict, String storage, boolean refused) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("stories")
  void theWebhookGivesEachDatabaseTheVerdictTheAuditGives(Path story) throws Exception {
    Policy policy = Policy.standard();
    Manifests manifests = new ManifestLoader("default", note -> {}).load(List.of(story));
    List<AuditEntry> audited = new Audit(policy, new ComposeAudit(), note -> {}).run(manifests, false);
    assertThat(audited).as("the audit finds a database in %s", story).isNotEmpty();
    InMemoryFacts cache = manifests.facts();

    TestTls tls = new TestTls();
    SqliteAdmission admission = new SqliteAdmission(() -> cache, policy,
        ns -> Map.of("walguard.io/enforce", "deny"), EnforceMode.warn, MockCluster.REQUESTERS);
    List<Said> said = new ArrayList<>();
    try (WebhookServer server = WebhookServer.open(MockCluster.config(), admission::judge, AdmissionEvents.none(),
        tls.source(), new ArrayList<>())) {
      ApiServerClient client = tls.client(server);
      for (HasMetadata object : judged(cache)) {
        var response = client.review(Reviews.create(object));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode r = Reviews.response(response.body());
        String ref = object.getKind() + "/" + object.getMetadata().getName();
        System.out.printf("%s: %s allowed=%s warnings=%s%n", story.getFileName(), ref, r.path("allowed"),
            r.path("warnings"));
        for (String claim : claimsOf(object)) {
          said.add(said(ref, claim, r));
        }
      }
    }

    for (AuditEntry db : audited) {
      List<Said> about = said.stream().filter(s -> s.claim().equals(db.claim())).toList();
      assertThat(about).as("objects of %s that concern %s", story.getFileName(), db.claim()).isNotEmpty();
      for (Said s : about) {
        assertThat(s.verdict()).as("%s on database %s", s.object(), db.name()).isEqualTo(db.verdict());
        if (!"safe".equals(db.verdict())) {
          assertThat(s.storage()).as("%s on database %s", s.object(), db.name()).isEqualTo(db.storage());
        }
        boolean refusable = "unsafe".equals(db.verdict()) && !s.object().startsWith("SqliteDatabase/");
        assertThat(s.refused()).as("%s refused in a namespace that denies", s.object()).isEqualTo(refusable);
      }
      System.out.printf("%s: %s/%s audit %s, webhook %s%n", story.getFileName(), db.namespace(), db.name(),
          db.verdict(), about);
    }
  }

  private static Said said(String ref, String claim, JsonNode response) {
    String verdict = "safe";
    String storage = null;
    for (JsonNode w : response.path("warnings")) {
      String text = w.asText();
      if (!mentions(text, claim)) {
        continue;
      }
      verdict = text.contains("storage unknown") ? "unknown" : "unsafe";
      for (String kind : List.of("network", "fuse", "unknown", "local")) {
        if (text.contains(kind + ")") || text.contains(kind + " storage")) {
          storage = kind;
        }
      }
    }
    return new Said(ref, claim, verdict, storage, !response.path("allowed").asBoolean());
  }

  private static boolean mentions(String warning, String claim) {
    return warning.contains(" " + claim + " ") || warning.contains(" " + claim + ":");
  }

  /** The objects of the story that the ValidatingWebhookConfiguration sends to walguard. */
  private static List<HasMetadata> judged(InMemoryFacts cache) {
    List<HasMetadata> out = new ArrayList<>(cache.claims());
    cache.allWorkloads().stream().filter(w -> !(w instanceof ReplicaSet)).forEach(out::add);
    out.addAll(cache.allPods());
    out.addAll(cache.databases());
    return out;
  }

  private static List<String> claimsOf(HasMetadata object) {
    if (object instanceof SqliteDatabase db) {
      return List.of(db.getSpec().getClaimName());
    }
    return List.copyOf(Mounts.claims(object));
  }
}
