package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.walguard.api.SqliteDatabase;
import io.walguard.audit.Audit;
import io.walguard.audit.AuditEntry;
import io.walguard.audit.ManifestLoader;
import io.walguard.audit.Manifests;
import io.walguard.compose.ComposeAudit;
import io.walguard.core.Facts;
import io.walguard.core.InMemoryFacts;
import io.walguard.core.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every story under examples/ through both doors: {@code walguard audit} on the manifests, and the webhook over
 * HTTPS admitting each object of the story with the rest in its caches. For every database the audit reports, each
 * object that concerns it gets the verdict the audit gives: no warning when safe, a warning that says unsafe (and,
 * in a namespace that denies, a refusal) or unknown otherwise, on the same storage kind; and no warning names a
 * database the audit calls safe.
 *
 * <p>The webhook's caches come from a load of their own: the audit adds the claims of StatefulSets'
 * volumeClaimTemplates to the facts it is given, and a cluster has no such claims before the StatefulSet is admitted.
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

  private static Manifests load(Path story) throws Exception {
    return new ManifestLoader("default", note -> {}).load(List.of(story));
  }

  private static List<AuditEntry> audit(Path story, Policy policy) throws Exception {
    List<AuditEntry> audited = new Audit(policy, new ComposeAudit(), note -> {}).run(load(story), false);
    assertThat(audited).as("the audit finds a database in %s", story).isNotEmpty();
    return audited;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stories")
  void theWebhookGivesEachDatabaseTheVerdictTheAuditGives(Path story) throws Exception {
    Policy policy = Policy.standard();
    List<AuditEntry> audited = audit(story, policy);
    InMemoryFacts cache = load(story).facts();
    List<Said> said = admitEach(story, policy, () -> cache, judged(cache));

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

  /**
   * As {@code kubectl apply} meets a story: each workload admitted when only the StorageClasses, the volumes and
   * the claims the story gives are in the caches. Whatever the webhook then says about a claim names the storage
   * the audit found, and a verdict the audit gives (alone, a workload can be safe where several are not).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stories")
  void aWorkloadAdmittedBeforeTheRestOfItsStoryIsJudgedOnTheSameStorage(Path story) throws Exception {
    Policy policy = Policy.standard();
    List<AuditEntry> audited = audit(story, policy);
    InMemoryFacts full = load(story).facts();
    List<HasMetadata> workloads = new ArrayList<>(full.allWorkloads());
    workloads.addAll(full.allPods());
    List<Said> said = admitEach(story, policy, () -> new StorageOnly(full), workloads);
    for (Said s : said) {
      if ("safe".equals(s.verdict())) {
        continue;
      }
      AuditEntry db = audited.stream().filter(e -> e.claim().equals(s.claim())).findFirst()
          .orElseThrow(() -> new AssertionError(s.object() + " warns about claim " + s.claim()
              + ", which the audit does not report"));
      assertThat(s.storage()).as("storage of %s in %s", s.claim(), s.object()).isEqualTo(db.storage());
      assertThat(s.verdict()).as("verdict on %s in %s", s.claim(), s.object()).isIn("safe", db.verdict());
    }
  }

  private static List<Said> admitEach(Path story, Policy policy, Supplier<Facts> cache, List<HasMetadata> objects)
      throws Exception {
    TestTls tls = new TestTls();
    SqliteAdmission admission = new SqliteAdmission(cache, policy, ns -> Map.of("walguard.io/enforce", "deny"),
        EnforceMode.warn, MockCluster.REQUESTERS);
    List<Said> said = new ArrayList<>();
    try (WebhookServer server = WebhookServer.open(MockCluster.config(), admission::judge, AdmissionEvents.none(),
        tls.source(), new ArrayList<>())) {
      ApiServerClient client = tls.client(server);
      for (HasMetadata object : objects) {
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
    return said;
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

  /** Whether the warning names the claim, in full or shortened to fit ({@code config-home-a...}). */
  private static boolean mentions(String warning, String claim) {
    for (String word : warning.split(" ")) {
      String w = word.endsWith(":") ? word.substring(0, word.length() - 1) : word;
      if (w.equals(claim) || (w.endsWith("...") && claim.startsWith(w.substring(0, w.length() - 3)))) {
        return true;
      }
    }
    return false;
  }

  /** The objects of the story that the ValidatingWebhookConfiguration sends to walguard. */
  private static List<HasMetadata> judged(InMemoryFacts cache) {
    List<HasMetadata> out = new ArrayList<>(cache.claims());
    out.addAll(cache.allWorkloads());
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

  /** A story's StorageClasses, volumes and claims, and none of its workloads, pods or SqliteDatabases. */
  private record StorageOnly(Facts story) implements Facts {
    @Override
    public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
      return story.claim(namespace, name);
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) {
      return story.persistentVolume(name);
    }

    @Override
    public Optional<StorageClass> storageClass(String name) {
      return story.storageClass(name);
    }

    @Override
    public Collection<StorageClass> storageClasses() {
      return story.storageClasses();
    }

    @Override
    public Collection<HasMetadata> workloads(String namespace) {
      return List.of();
    }

    @Override
    public Collection<Pod> pods(String namespace) {
      return List.of();
    }

    @Override
    public Collection<HorizontalPodAutoscaler> autoscalers(String namespace) {
      return List.of();
    }
  }
}
