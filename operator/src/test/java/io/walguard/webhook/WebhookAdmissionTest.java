package io.walguard.webhook;

import static io.walguard.webhook.Fixtures.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.core.InMemoryFacts;
import io.walguard.core.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What the webhook answers, over real HTTPS, for objects that concern SQLite and for those that do not. */
class WebhookAdmissionTest {

  private final TestTls tls = new TestTls();
  private final List<WebhookServer> servers = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final Map<String, Map<String, String>> namespaceLabels = new java.util.HashMap<>();
  private EnforceMode defaultMode = EnforceMode.warn;

  @AfterEach
  void close() {
    servers.forEach(WebhookServer::close);
  }

  private JsonNode admit(List<HasMetadata> cached, String review) throws Exception {
    return admit(cached, review, 200);
  }

  private JsonNode admit(List<HasMetadata> cached, String review, int expectedStatus) throws Exception {
    InMemoryFacts facts = InMemoryFacts.of(NS, cached);
    SqliteAdmission admission = new SqliteAdmission(() -> facts, Policy.standard(),
        ns -> namespaceLabels.getOrDefault(ns, Map.of()), defaultMode, MockCluster.REQUESTERS);
    WebhookServer server = WebhookServer.open(MockCluster.config(), admission::judge,
        (a, message) -> events.add(a.kind() + "/" + a.name() + ": " + message), tls.source(), new ArrayList<>());
    servers.add(server);
    var response = tls.client(server).review(review);
    assertThat(response.statusCode()).isEqualTo(expectedStatus);
    JsonNode r = Reviews.response(response.body());
    for (JsonNode w : r.path("warnings")) {
      assertThat(w.asText()).hasSizeLessThan(120);
    }
    return r;
  }

  private void deny(String namespace) {
    namespaceLabels.put(namespace, Map.of("walguard.io/enforce", "deny"));
  }

  private static List<String> warnings(JsonNode response) {
    List<String> out = new ArrayList<>();
    response.path("warnings").forEach(w -> out.add(w.asText()));
    return out;
  }

  private static Deployment web(int replicas, String strategy) {
    return Fixtures.deployment("web", replicas, strategy, "data", Map.of(), Fixtures.sqlite());
  }

  @Test
  void aPvcOnEfsWithATwoReplicaDeploymentMountingItWarns() throws Exception {
    JsonNode r = admit(List.of(Fixtures.efs(), web(2, "RollingUpdate")),
        Reviews.create(Fixtures.claim("data", "efs-sc")));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).singleElement().asString()
        .startsWith("PVC data uses efs-sc (efs.csi.aws.com, network): SQLite WAL across nodes corrupts; ");
  }

  @Test
  void aDeploymentUpdateThatRaisesReplicasWarnsAndIsRefusedWhereTheNamespaceDenies() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(1, "Recreate"));
    assertThat(warnings(admit(cached, Reviews.create(web(1, "Recreate"))))).as("one pod, never two").isEmpty();

    String raise = Reviews.update(web(1, "Recreate"), web(2, "Recreate"));
    JsonNode warned = admit(cached, raise);
    assertThat(warned.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(warned)).singleElement().asString()
        .isEqualTo("Deployment web mounts data on efs-sc (network): SQLite WAL across nodes corrupts; pin or use"
            + " journal mode");

    deny(NS);
    JsonNode refused = admit(cached, raise);
    assertThat(refused.path("allowed").asBoolean()).isFalse();
    assertThat(refused.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(refused.path("status").path("message").asText())
        .startsWith("walguard refuses Deployment web: SQLite database data on claim data is unsafe: ")
        .contains("To fix: keep every pod that mounts data on one node")
        .contains("walguard.io/allow-unsafe");
    assertThat(warnings(refused)).hasSize(1);
  }

  @Test
  void theDefaultModeAppliesWhereTheNamespaceHasNoLabelAndTheLabelWins() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"));
    defaultMode = EnforceMode.deny;
    assertThat(admit(cached, Reviews.create(web(2, "RollingUpdate"))).path("allowed").asBoolean()).isFalse();
    namespaceLabels.put(NS, Map.of("walguard.io/enforce", "warn"));
    assertThat(admit(cached, Reviews.create(web(2, "RollingUpdate"))).path("allowed").asBoolean()).isTrue();
  }

  @Test
  void allowUnsafeLetsAnUnsafeObjectThroughWithAWarningAndAnEvent() throws Exception {
    deny(NS);
    Deployment overridden = Fixtures.withAnnotation(web(2, "RollingUpdate"), "walguard.io/allow-unsafe",
        "read-only replicas, reviewed by the data team");
    JsonNode r = admit(List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc")), Reviews.create(overridden));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).hasSize(2).last().asString()
        .isEqualTo("Deployment web admitted unsafe by walguard.io/allow-unsafe: read-only replicas, reviewed by the"
            + " data team");
    assertThat(events).singleElement().asString()
        .startsWith("Deployment/web: Admitted although SQLite is unsafe here, because of walguard.io/allow-unsafe:"
            + " read-only replicas, reviewed by the data team. SQLite database data on claim data is unsafe");
  }

  @Test
  void anOverriddenObjectGetsAnEventOnlyWhenTheOverrideIsNews() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"));
    Deployment v1 = Fixtures.withAnnotation(web(2, "RollingUpdate"), "walguard.io/allow-unsafe", "read-only replicas");
    Deployment v2 = new DeploymentBuilder(v1).editSpec().editTemplate().editSpec().editFirstContainer()
        .withImage("example/app:2").endContainer().endSpec().endTemplate().endSpec().build();
    JsonNode bump = admit(cached, Reviews.update(v1, v2));
    assertThat(warnings(bump)).as("kubectl shows the override each time").hasSize(2);
    assertThat(events).as("an image bump").isEmpty();

    Deployment reason = Fixtures.withAnnotation(v2, "walguard.io/allow-unsafe", "reviewed again");
    admit(cached, Reviews.update(v2, reason));
    assertThat(events).as("a new reason").hasSize(1);

    Deployment safe = Fixtures.withAnnotation(web(1, "Recreate"), "walguard.io/allow-unsafe", "reviewed again");
    admit(cached, Reviews.update(safe, reason));
    assertThat(events).as("made unsafe by the update").hasSize(2);
  }

  @Test
  void podsOfAControllerWalguardDoesNotJudgeLeaveOneEventPerController() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(2, "RollingUpdate"));
    InMemoryFacts facts = InMemoryFacts.of(NS, cached);
    SqliteAdmission admission = new SqliteAdmission(() -> facts, Policy.standard(), ns -> Map.of(), EnforceMode.warn,
        MockCluster.REQUESTERS);
    WebhookServer server = WebhookServer.open(MockCluster.config(), admission::judge,
        (a, message) -> events.add(a.kind() + "/" + a.name()), tls.source(), new ArrayList<>());
    servers.add(server);
    ApiServerClient client = tls.client(server);
    for (String[] pod : new String[][] {{"wf-1-a", "1"}, {"wf-1-b", "1"}, {"wf-1-c", "1"}, {"wf-2-a", "2"}}) {
      Pod p = Fixtures.pod(pod[0], "data", Map.of("walguard.io/allow-unsafe", "a batch run"));
      p.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("argoproj.io/v1alpha1")
          .withKind("Workflow").withName("wf-" + pod[1]).withUid(pod[1]).withController(true).build()));
      JsonNode r = Reviews.response(client.review(Reviews.create(p)).body());
      assertThat(warnings(r)).as(pod[0]).hasSize(2);
    }
    assertThat(events).containsExactly("Pod/wf-1-a", "Pod/wf-2-a");
  }

  @Test
  void objectsThatDoNotConcernSqliteAreAllowedWithoutWarnings() throws Exception {
    deny(NS);
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("shared", "efs-sc"));
    Deployment noClaim = new DeploymentBuilder(web(3, "RollingUpdate")).editSpec().editTemplate().editSpec()
        .withVolumes().endSpec().endTemplate().endSpec().build();
    Deployment plainShared = Fixtures.deployment("nginx", 3, "shared");
    for (HasMetadata o : List.of(noClaim, plainShared, Fixtures.claim("shared", "efs-sc"),
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("c").withNamespace(NS)
            .endMetadata().build())) {
      JsonNode r = admit(cached, Reviews.create(o));
      assertThat(r.path("allowed").asBoolean()).as(o.getKind()).isTrue();
      assertThat(r.has("warnings")).as(o.getKind()).isFalse();
    }
    assertThat(events).isEmpty();
  }

  @Test
  void unknownStorageWarnsButIsNeverRefused() throws Exception {
    deny(NS);
    var claim = Fixtures.claim("data", "mystery", Fixtures.sqlite());
    claim.getSpec().setAccessModes(List.of("ReadWriteOnce"));
    JsonNode r = admit(List.of(Fixtures.storageClass("mystery", "example.com/mystery")), Reviews.create(claim));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).singleElement().asString()
        .isEqualTo("PVC data uses mystery (example.com/mystery, unknown): storage unknown; set walguard.io/storage or probe");
  }

  @Test
  void aSqliteDatabaseAskingToPinAClaimADaemonSetUsesIsRefused() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("shared", "efs-sc"),
        Fixtures.daemonSet("agent", "shared"));
    JsonNode pin = admit(cached, Reviews.create(Fixtures.database("metrics", "shared", Remedy.pin)));
    assertThat(pin.path("allowed").asBoolean()).as("refused in warn mode too").isFalse();
    assertThat(pin.path("status").path("message").asText())
        .startsWith("SqliteDatabase metrics asks for remedy pin, which cannot be carried out on claim shared: ")
        .contains("DaemonSet/agent")
        .contains("Change spec.remedy");

    JsonNode auto = admit(cached, Reviews.create(Fixtures.database("metrics", "shared", Remedy.auto)));
    assertThat(auto.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(auto)).singleElement().asString().startsWith("SqliteDatabase metrics: shared on efs-sc");
  }

  /** A SqliteDatabase with remedy pin, admitted before a DaemonSet came to mount its claim. */
  private static SqliteDatabase pinnedDatabase() {
    SqliteDatabase db = Fixtures.database("metrics", "shared", Remedy.pin);
    db.getMetadata().setFinalizers(new ArrayList<>(List.of("walguard.io/finalizer")));
    return db;
  }

  private static List<HasMetadata> daemonSetOnPinnedDatabase() {
    return List.of(Fixtures.efs(), Fixtures.claim("shared", "efs-sc"), Fixtures.daemonSet("agent", "shared"),
        pinnedDatabase());
  }

  @Test
  void aSqliteDatabaseWhoseRemedyBecameImpossibleCanStillBeLabelledAndDeleted() throws Exception {
    SqliteDatabase labelled = pinnedDatabase();
    labelled.getMetadata().setLabels(Map.of("team", "data"));
    JsonNode label = admit(daemonSetOnPinnedDatabase(), Reviews.update(pinnedDatabase(), labelled));
    assertThat(label.path("allowed").asBoolean()).as("kubectl label").isTrue();
    assertThat(warnings(label)).singleElement().asString().startsWith("SqliteDatabase metrics: shared on efs-sc");

    SqliteDatabase deleting = pinnedDatabase();
    deleting.getMetadata().setDeletionTimestamp("2026-11-25T10:00:00Z");
    SqliteDatabase released = pinnedDatabase();
    released.getMetadata().setDeletionTimestamp("2026-11-25T10:00:00Z");
    released.getMetadata().setFinalizers(List.of());
    for (String user : List.of(MockCluster.WALGUARD_USER, "jane")) {
      JsonNode finalizer = admit(daemonSetOnPinnedDatabase(), Reviews.review("UPDATE", released, deleting, user));
      assertThat(finalizer.path("allowed").asBoolean()).as("finalizer removed by %s", user).isTrue();
    }
  }

  @Test
  void aSqliteDatabaseUpdateIsRefusedWhenItsSpecAsksForTheImpossible() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("shared", "efs-sc"),
        Fixtures.daemonSet("agent", "shared"), Fixtures.database("metrics", "shared", Remedy.auto));
    JsonNode toPin = admit(cached, Reviews.update(Fixtures.database("metrics", "shared", Remedy.auto),
        Fixtures.database("metrics", "shared", Remedy.pin)));
    assertThat(toPin.path("allowed").asBoolean()).as("auto -> pin").isFalse();

    SqliteDatabase otherFile = pinnedDatabase();
    otherFile.getSpec().setFile("other.db");
    JsonNode changed = admit(daemonSetOnPinnedDatabase(), Reviews.update(pinnedDatabase(), otherFile));
    assertThat(changed.path("allowed").asBoolean()).as("a spec change that keeps remedy pin").isFalse();

    SqliteDatabase paused = pinnedDatabase();
    paused.getMetadata().setAnnotations(Map.of("walguard.io/paused", "true"));
    JsonNode unpause = admit(daemonSetOnPinnedDatabase(), Reviews.update(paused, pinnedDatabase()));
    assertThat(unpause.path("allowed").asBoolean()).as("un-pausing into an impossible remedy").isFalse();
  }

  @Test
  void walguardsOwnServiceAccountIsNeverRefusedASqliteDatabase() throws Exception {
    JsonNode r = admit(daemonSetOnPinnedDatabase(),
        Reviews.review("CREATE", pinnedDatabase(), null, MockCluster.WALGUARD_USER));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    JsonNode other = admit(daemonSetOnPinnedDatabase(),
        Reviews.review("CREATE", pinnedDatabase(), null, "system:serviceaccount:walguard-system:default"));
    assertThat(other.path("allowed").asBoolean()).as("another service account of walguard's namespace").isFalse();
  }

  @Test
  void aSqliteDatabaseAskingToPinFuseStorageIsAdmittedWithItsWarning() throws Exception {
    JsonNode r = admit(List.of(Fixtures.storageClass("gcs", "gcsfuse.csi.storage.gke.io"),
        Fixtures.claim("media", "gcs"), Fixtures.deployment("web", 2, "media")),
        Reviews.create(Fixtures.database("media", "media", Remedy.pin)));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).singleElement().asString().contains("FUSE breaks SQLite locks");
  }

  @Test
  void aSqliteDatabaseIsNeverRefusedForBeingUnsafeSinceItIsHowWalguardFixesIt() throws Exception {
    deny(NS);
    JsonNode r = admit(List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), Fixtures.deployment("web", 2, "data")),
        Reviews.create(Fixtures.database("app", "data", Remedy.auto)));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).singleElement().asString().startsWith("SqliteDatabase app: data on efs-sc");
  }

  @Test
  void aClaimNamedByASqliteDatabaseMakesEveryOpenerConcernSqlite() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("grafana-data", "efs-sc"),
        Fixtures.database("grafana", "grafana-data", Remedy.auto));
    JsonNode r = admit(cached, Reviews.create(Fixtures.deployment("grafana", 2, "grafana-data")));
    assertThat(warnings(r)).singleElement().asString().startsWith("Deployment grafana mounts grafana-data on efs-sc");
  }

  @Test
  void aClaimOptedInByAnotherOpenerConcernsSqlite() throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"),
        Fixtures.deployment("writer", 1, "Recreate", "data", Fixtures.sqlite(), Map.of()));
    JsonNode r = admit(cached, Reviews.create(Fixtures.deployment("reader", 1, "Recreate", "data", Map.of(), Map.of())));
    assertThat(warnings(r)).singleElement().asString().startsWith("Deployment reader mounts data on efs-sc");
  }

  @Test
  void anUpdateOfAnObjectThatWasAlreadyUnsafeIsNotRefused() throws Exception {
    deny(NS);
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(2, "RollingUpdate"));
    Deployment relabelled = new DeploymentBuilder(web(2, "RollingUpdate")).editMetadata().addToLabels("tier", "web")
        .endMetadata().build();
    JsonNode r = admit(cached, Reviews.update(web(2, "RollingUpdate"), relabelled));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource({"system:serviceaccount:kube-system:persistent-volume-binder", "jane"})
  void bindingAClaimOfUnknownStorageToAnNfsVolumeIsNotRefused(String user) throws Exception {
    deny(NS);
    PersistentVolumeClaim unbound = Fixtures.claim("data", "nas", Fixtures.sqlite());
    unbound.getSpec().setAccessModes(List.of("ReadWriteOnce"));
    PersistentVolumeClaim bound = new PersistentVolumeClaimBuilder(unbound).editSpec().withVolumeName("pvc-1234")
        .endSpec().build();
    PersistentVolume nfs = new PersistentVolumeBuilder().withNewMetadata().withName("pvc-1234").endMetadata()
        .withNewSpec().withStorageClassName("nas").withAccessModes("ReadWriteOnce")
          .withNewClaimRef().withNamespace(NS).withName("data").endClaimRef()
          .withNewNfs().withServer("nas.example").withPath("/exports/pvc-1234").endNfs()
        .endSpec().build();
    List<HasMetadata> cached = List.of(Fixtures.storageClass("nas", "nas.example/provisioner"), nfs, unbound,
        web(2, "RollingUpdate"));
    JsonNode r = admit(cached, Reviews.review("UPDATE", bound, unbound, user));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).singleElement().asString().startsWith("PVC data uses nas (in-tree nfs, network)");
  }

  @ParameterizedTest
  @CsvSource({
      "system:serviceaccount:kube-system:horizontal-pod-autoscaler, true",
      "system:serviceaccount:kube-system:deployment-controller,     true",
      "system:kube-controller-manager,                              true",
      "system:node:node-a,                                          true",
      "system:serviceaccount:walguard-system:walguard,              true",
      "system:serviceaccount:apps:deployer,                         false",
      "jane,                                                        false"})
  void kubernetesControllersAndWalguardAreWarnedWhereOthersAreRefused(String user, boolean allowed)
      throws Exception {
    deny(NS);
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(1, "Recreate"));
    JsonNode r = admit(cached, Reviews.review("UPDATE", web(3, "Recreate"), web(1, "Recreate"), user));
    assertThat(r.path("allowed").asBoolean()).isEqualTo(allowed);
    assertThat(warnings(r)).hasSize(1);
  }

  @Test
  void anUpdateWithoutItsOldObjectIsComparedWithTheCache() throws Exception {
    deny(NS);
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(1, "Recreate"));
    JsonNode r = admit(cached, Reviews.review("UPDATE", web(3, "Recreate"), null, "jane"));
    assertThat(r.path("allowed").asBoolean()).isFalse();
  }

  @Test
  void walguardsOwnServiceAccountIsNeverRefused() throws Exception {
    deny(NS);
    JsonNode r = admit(List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc")),
        Reviews.review("CREATE", web(2, "RollingUpdate"), null, "system:serviceaccount:walguard-system:walguard"));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).hasSize(1);
  }

  @Test
  void podsOfAControllerAreJudgedWithTheirController() throws Exception {
    deny(NS);
    Pod pod = Fixtures.pod("web-7d9c-x2x", "data", Fixtures.sqlite());
    pod.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("apps/v1")
        .withKind("ReplicaSet").withName("web-7d9c").withUid("1").withController(true).build()));
    JsonNode r = admit(List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(2, "RollingUpdate")),
        Reviews.create(pod));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(r.has("warnings")).isFalse();
  }

  private static StatefulSet statefulSet(String name, int replicas, String storageClass) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).withAnnotations(Fixtures.sqlite()).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(name)
          .withNewSelector().addToMatchLabels("app", name).endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
            .addNewContainer().withName("app").withImage("example/app:1").endContainer().endSpec().endTemplate()
          .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
            .withStorageClassName(storageClass).withAccessModes("ReadWriteOnce").endSpec().endVolumeClaimTemplate()
        .endSpec().build();
  }

  @Test
  void aNewStatefulSetIsJudgedOnTheClaimsItsTemplatesWillCreate() throws Exception {
    List<HasMetadata> classes = List.of(Fixtures.efs(), Fixtures.storageClass("gcs", "gcsfuse.csi.storage.gke.io"));
    JsonNode efs = admit(classes, Reviews.create(statefulSet("db", 1, "efs-sc")));
    assertThat(warnings(efs)).as("one pod per claim on EFS").isEmpty();
    JsonNode fuse = admit(classes, Reviews.create(statefulSet("db", 2, "gcs")));
    assertThat(warnings(fuse)).hasSize(2)
        .allSatisfy(w -> assertThat(w).contains("on gcs (fuse): FUSE breaks SQLite locks"));
    JsonNode huge = admit(classes, Reviews.create(statefulSet("db", Integer.MAX_VALUE, "gcs")));
    assertThat(warnings(huge)).as("a handful of ordinals says what all would").hasSize(Mounts.MAX_ORDINALS);
  }

  @ParameterizedTest
  @CsvSource({"jane, false", "system:serviceaccount:kube-system:horizontal-pod-autoscaler, true"})
  void scalingADeploymentPastOneNodeIsJudgedAsRaisingItsReplicas(String user, boolean allowed) throws Exception {
    deny(NS);
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(1, "Recreate"));
    JsonNode r = admit(cached, Reviews.scale("deployments", NS, "web", 1, 3, user));
    assertThat(r.path("allowed").asBoolean()).isEqualTo(allowed);
    assertThat(warnings(r)).singleElement().asString()
        .isEqualTo("Deployment web mounts data on efs-sc (network): SQLite WAL across nodes corrupts; pin or use"
            + " journal mode");
    if (!allowed) {
      assertThat(r.path("status").path("message").asText()).startsWith("walguard refuses Deployment web: ");
    }
    assertThat(warnings(admit(cached, Reviews.scale("deployments", NS, "web", 3, 1, user)))).isEmpty();
    assertThat(warnings(admit(cached, Reviews.scale("deployments", NS, "other", 1, 3, user))))
        .as("a workload walguard does not know").isEmpty();
  }

  @Test
  void scalingAStatefulSetOrAReplicaSetIsJudgedToo() throws Exception {
    deny(NS);
    StatefulSet sts = new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(1).withNewTemplate().withNewMetadata().withAnnotations(Fixtures.sqlite())
        .endMetadata().withSpec(web(1, "Recreate").getSpec().getTemplate().getSpec()).endTemplate().endSpec().build();
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-1").withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(1).withTemplate(web(1, "Recreate").getSpec().getTemplate()).endSpec().build();
    for (HasMetadata workload : List.of(sts, rs)) {
      List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), workload);
      String resource = workload.getKind().toLowerCase(java.util.Locale.ROOT) + "s";
      JsonNode r = admit(cached, Reviews.scale(resource, NS, workload.getMetadata().getName(), 1, 2, "jane"));
      assertThat(r.path("allowed").asBoolean()).as(resource).isFalse();
    }
  }

  private static ReplicaSet replicaSet(String ownerApiVersion, String ownerKind) {
    return new ReplicaSetBuilder().withNewMetadata().withName("web-6d4f9").withNamespace(NS)
          .addNewOwnerReference().withApiVersion(ownerApiVersion).withKind(ownerKind).withName("web").withUid("9")
            .withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(5).withTemplate(web(5, "RollingUpdate").getSpec().getTemplate()).endSpec().build();
  }

  @Test
  void aReplicaSetOfAnotherControllerIsJudgedAndOneOfADeploymentIsLeftToIt() throws Exception {
    deny(NS);
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"));
    JsonNode rollout = admit(cached, Reviews.create(replicaSet("argoproj.io/v1alpha1", "Rollout")));
    assertThat(rollout.path("allowed").asBoolean()).as("an Argo Rollouts ReplicaSet").isFalse();
    assertThat(warnings(rollout)).singleElement().asString().startsWith("ReplicaSet web-6d4f9 mounts data on efs-sc");
    JsonNode deployment = admit(cached, Reviews.create(replicaSet("apps/v1", "Deployment")));
    assertThat(deployment.path("allowed").asBoolean()).isTrue();
    assertThat(deployment.has("warnings")).as("judged when its Deployment was").isFalse();
  }

  @Test
  void theManagedByWalguardLabelCountsOnlyFromWalguardsServiceAccount() throws Exception {
    deny(NS);
    List<HasMetadata> cached = List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"));
    Deployment labelled = new DeploymentBuilder(web(5, "RollingUpdate")).editMetadata()
        .addToLabels("app.kubernetes.io/managed-by", "walguard").endMetadata().build();
    JsonNode spoofed = admit(cached, Reviews.create(labelled));
    assertThat(spoofed.path("allowed").asBoolean()).isFalse();
    JsonNode own = admit(cached, Reviews.review("CREATE", labelled, null, MockCluster.WALGUARD_USER));
    assertThat(own.path("allowed").asBoolean()).isTrue();
    assertThat(own.has("warnings")).isFalse();
  }

  @Test
  void aPodCreatedWithGenerateNameIsJudgedUnderThatName() throws Exception {
    Pod pod = Fixtures.pod(null, "data", Fixtures.sqlite());
    pod.getMetadata().setGenerateName("backup-");
    JsonNode r = admit(List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc"), web(2, "RollingUpdate")),
        Reviews.create(pod));
    assertThat(warnings(r)).singleElement().asString().startsWith("Pod backup-* mounts data on efs-sc");
  }

  @Test
  void anObjectMountingThousandsOfClaimsIsCheckedForTheFirstFewAndSaysSo() throws Exception {
    Deployment many = web(2, "RollingUpdate");
    var volumes = many.getSpec().getTemplate().getSpec().getVolumes();
    for (int i = 0; i < 5000; i++) {
      volumes.add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("v" + i)
          .withNewPersistentVolumeClaim().withClaimName("c" + i).endPersistentVolumeClaim().build());
    }
    JsonNode r = admit(List.of(Fixtures.efs(), Fixtures.claim("data", "efs-sc")), Reviews.create(many));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(warnings(r)).hasSize(SqliteAdmission.MAX_DATABASES + 1).last().asString()
        .isEqualTo("Deployment web mounts more than 32 SQLite claims; walguard checked the first 32");
  }

  static Stream<Arguments> longNames() {
    String n253 = "a".repeat(253);
    String n63 = "b".repeat(63);
    return Stream.of(
        Arguments.of(n253, "data", "efs-sc"),
        Arguments.of("web", n253, "efs-sc"),
        Arguments.of("web", "data", n253),
        Arguments.of(n253, n253, n253),
        Arguments.of(n63, n63, n63));
  }

  @ParameterizedTest
  @MethodSource("longNames")
  void everyWarningStaysUnder120CharactersWhateverTheNames(String workload, String claim, String storageClass)
      throws Exception {
    List<HasMetadata> cached = List.of(Fixtures.storageClass(storageClass, "efs.csi.aws.com"),
        Fixtures.claim(claim, storageClass, Fixtures.sqlite()));
    JsonNode r = admit(cached, Reviews.create(Fixtures.deployment(workload, 3, claim)));
    assertThat(warnings(r)).singleElement().asString().hasSizeLessThan(120).contains("network")
        .contains("SQLite WAL across nodes corrupts");
    JsonNode pvc = admit(List.of(cached.get(0), Fixtures.deployment(workload, 3, claim)),
        Reviews.create(Fixtures.claim(claim, storageClass, Fixtures.sqlite())));
    assertThat(warnings(pvc)).singleElement().asString().hasSizeLessThan(120);
  }
}
