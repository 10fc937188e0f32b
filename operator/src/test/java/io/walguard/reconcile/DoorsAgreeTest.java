package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.core.Annotations;
import io.walguard.core.InMemoryFacts;
import io.walguard.core.Policy;
import io.walguard.core.Verdict;
import io.walguard.placement.RunningPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walguard.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * One brain, several doors: the verdict the reconciler writes from its informer caches is the verdict
 * {@code walguard audit} prints for the same cluster, read through a kubeconfig, and the verdict the decision core
 * gives on the cluster listed object by object.
 */
class DoorsAgreeTest extends OperatorTestSupport {

  @TempDir
  Path dir;

  /** {@code walguard audit --kubeconfig FILE -o json}, run in this JVM; its JSON document, by database name. */
  Map<String, JsonNode> audit() throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: mock
          user: {token: secret}
        contexts:
        - name: mock
          context: {cluster: mock, user: mock}
        current-context: mock
        """.formatted(user.getConfiguration().getMasterUrl()));
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Main.execute("audit", "--kubeconfig", kubeconfig.toString(), "-o", "json");
    } finally {
      System.setOut(saved);
    }
    Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
    new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("databases")
        .forEach(d -> byName.put(d.path("namespace").asText() + "/" + d.path("name").asText(), d));
    return byName;
  }

  /** The cluster as a one-shot listing sees it. */
  InMemoryFacts listed() {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(user.storage().v1().storageClasses().list().getItems());
    all.addAll(user.persistentVolumes().list().getItems());
    all.addAll(user.persistentVolumeClaims().inAnyNamespace().list().getItems());
    all.addAll(user.apps().deployments().inAnyNamespace().list().getItems());
    all.addAll(user.apps().statefulSets().inAnyNamespace().list().getItems());
    all.addAll(user.apps().daemonSets().inAnyNamespace().list().getItems());
    all.addAll(user.apps().replicaSets().inAnyNamespace().list().getItems());
    all.addAll(user.batch().v1().jobs().inAnyNamespace().list().getItems());
    all.addAll(user.batch().v1().cronjobs().inAnyNamespace().list().getItems());
    all.addAll(user.pods().inAnyNamespace().list().getItems());
    all.addAll(user.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().list().getItems());
    return InMemoryFacts.of("default", all);
  }

  @Test
  void theReconcilerAndTheAuditGiveTheSameVerdictOnTheSameCluster() throws Exception {
    fx.efsClass();
    fx.localPathClass();
    fx.efsClaim(NS, "shared");
    fx.efsClaim(NS, "pinned");
    fx.efsClaim(NS, "solo");
    fx.localClaim(NS, "local");
    Deployment shared = fx.create(Fixtures.deployment(NS, "shared", "shared", 2));
    fx.runPod(shared, "shared-1", "node-a", PinRemedyTest.T0);
    fx.runPod(shared, "shared-2", "node-b", PinRemedyTest.T0.plusSeconds(1));
    Deployment pinned = fx.create(Fixtures.deployment(NS, "pinned", "pinned", 3));
    fx.runPod(pinned, "pinned-1", "node-c", PinRemedyTest.T0);
    Deployment solo = fx.create(new DeploymentBuilder(Fixtures.deployment(NS, "solo", "solo", 1))
        .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec().build());
    fx.runPod(solo, "solo-1", "node-a", PinRemedyTest.T0);
    Deployment local = fx.create(Fixtures.deployment(NS, "local", "local", 2));
    fx.runPod(local, "local-1", "node-a", PinRemedyTest.T0);
    fx.runPod(local, "local-2", "node-b", PinRemedyTest.T0);

    List<SqliteDatabase> databases = new ArrayList<>();
    SqliteDatabase reportOnly = Fixtures.database(NS, "shared", "shared");
    reportOnly.getSpec().setRemedy(Remedy.none);
    databases.add(reportOnly);
    databases.add(Fixtures.database(NS, "pinned", "pinned"));
    databases.add(Fixtures.database(NS, "solo", "solo"));
    databases.add(Fixtures.database(NS, "local", "local"));
    SqliteDatabase paused = Fixtures.database(NS, "paused", "shared");
    paused.getMetadata().setAnnotations(Map.of(Annotations.PAUSED, "true"));
    databases.add(paused);
    databases.add(Fixtures.database(NS, "missing", "no-such-claim"));
    startOperator();
    databases.forEach(fx::create);

    // The reconciler is eventually consistent: once it has caught up with its own pin, both doors agree on every
    // database, and keep agreeing.
    Policy policy = Policy.standard();
    eventually(() -> {
      assertThat(hostnameCount(deployment("pinned"))).isEqualTo(1);
      bothDoorsAgree(databases, policy);
    });
    double runs = reconciliations();
    user.apps().deployments().inNamespace(NS).withName("solo").edit(d -> {
      d.getMetadata().setLabels(Map.of("settled", "yes"));
      return d;
    });
    eventually(() -> assertThat(reconciliations()).isGreaterThan(runs));
    bothDoorsAgree(databases, policy);
    assertThat(databases.stream().map(d -> status(d.getMetadata().getName()).getVerdict()).distinct())
        .as("the cluster covers several verdicts").contains("safe", "unsafe");
  }

  @Test
  void theOperatorOptsInTheDatabasesTheAuditFinds() throws Exception {
    fx.efsClass();
    // A StatefulSet opted in on its pod template: the claims of its volumeClaimTemplates, by name, whether or not the
    // PVC exists yet; the file named on a claim wins over the one on the StatefulSet.
    user.resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
        .withNewMetadata().withNamespace(NS).withName("web").endMetadata()
        .withNewSpec().withReplicas(2).withServiceName("web")
            .withNewSelector().addToMatchLabels("app", "web").endSelector()
            .withNewTemplate()
                .withNewMetadata().addToLabels("app", "web").addToAnnotations(Annotations.SQLITE, "true")
                    .addToAnnotations(Annotations.SQLITE_FILE, "app.db").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("example/web:1")
                    .addNewVolumeMount().withName("state").withMountPath("/data").endVolumeMount().endContainer()
                .endSpec()
            .endTemplate()
            .addNewVolumeClaimTemplate().withNewMetadata().withName("state").endMetadata()
                .withNewSpec().withStorageClassName(Fixtures.EFS_CLASS).withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                    .endResources().endSpec()
            .endVolumeClaimTemplate()
        .endSpec().build()).create();
    fx.efsClaim(NS, "state-web-0");
    user.persistentVolumeClaims().inNamespace(NS).withName("state-web-0").edit(c -> {
      c.getMetadata().setAnnotations(Map.of(Annotations.SQLITE_FILE, "claim.db"));
      return c;
    });
    // Opted in on the StatefulSet's own metadata (with stray spaces, as YAML lets them in), which wins over its
    // template; and a Deployment whose own "false" wins over its template's "true".
    user.resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
        .withNewMetadata().withNamespace(NS).withName("kv").addToAnnotations(Annotations.SQLITE, " True ")
            .addToAnnotations(Annotations.SQLITE_FILE, " kv.db ").endMetadata()
        .withNewSpec().withReplicas(1).withServiceName("kv")
            .withNewSelector().addToMatchLabels("app", "kv").endSelector()
            .withTemplate(new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(Fixtures.template("kv", "kv-data"))
                .editMetadata().addToAnnotations(Annotations.SQLITE, "false").endMetadata().build())
        .endSpec().build()).create();
    fx.efsClaim(NS, "kv-data");
    fx.efsClaim(NS, "off-data");
    fx.create(new DeploymentBuilder(Fixtures.deployment(NS, "off", "off-data", 1))
        .editMetadata().addToAnnotations(Annotations.SQLITE, "false").endMetadata()
        .editSpec().editTemplate().editMetadata().addToAnnotations(Annotations.SQLITE, "true").endMetadata()
        .endTemplate().endSpec().build());

    Map<String, JsonNode> audited = audit();
    assertThat(audited.keySet()).containsExactlyInAnyOrder(NS + "/state-web-0", NS + "/state-web-1", NS + "/kv-data");

    startOperator();
    eventually(() -> assertThat(user.resources(SqliteDatabase.class).inNamespace(NS).list().getItems())
        .extracting(d -> NS + "/" + d.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(audited.keySet()));
    assertThat(db("state-web-0").getSpec().getFile()).isEqualTo("claim.db");
    assertThat(db("state-web-1").getSpec().getFile()).isEqualTo("app.db");
    assertThat(db("kv-data").getSpec().getFile()).isEqualTo("kv.db");
    eventually(() -> assertThat(audit().keySet()).containsExactlyInAnyOrderElementsOf(audited.keySet()));
  }

  /**
   * A claim opted in by annotation: the audit of the manifests, before the operator created anything, says what the
   * operator's SqliteDatabase (remedy none) then says.
   */
  @Test
  void aClaimOptedInByAnnotationGetsTheSameVerdictFromTheAuditOfItsManifestsAndFromTheOperator() throws Exception {
    fx.efsClass();
    fx.efsClaim(NS, "opted");
    user.persistentVolumeClaims().inNamespace(NS).withName("opted").edit(pvc -> {
      pvc.getMetadata().setAnnotations(Map.of(Annotations.SQLITE, "true", Annotations.SQLITE_FILE, "app.db"));
      return pvc;
    });
    Deployment opted = fx.create(Fixtures.deployment(NS, "opted", "opted", 2));
    fx.runPod(opted, "opted-1", "node-a", PinRemedyTest.T0);
    fx.runPod(opted, "opted-2", "node-b", PinRemedyTest.T0.plusSeconds(1));
    Policy policy = Policy.standard();
    var manifests = io.walguard.audit.Manifests.ofCluster(listed());
    var target = new io.walguard.audit.DatabaseDiscovery(policy.apps(), note -> { }).discover(manifests).get(0);
    Verdict audit = policy.decide(manifests.facts(), target.database());

    startOperator();

    eventually(() -> {
      SqliteDatabaseStatus status = status("opted");
      assertThat(status.getVerdict()).isEqualTo(audit.safety().name()).isEqualTo("unsafe");
      assertThat(status.getAction()).isEqualTo(audit.action().name()).isEqualTo("observe");
      assertThat(status.getStorage().getEvidence()).isEqualTo(audit.storage().evidence());
      assertThat(status.getReasons()).containsSubsequence(audit.reasons());
    });
    assertThat(audit.reasons()).last().asString().contains("remedy auto would pin every opener to one node",
        "set spec.remedy: auto on that SqliteDatabase (kubectl edit sqlitedb -n " + NS + " opted)");
  }

  void bothDoorsAgree(List<SqliteDatabase> databases, Policy policy) throws Exception {
    Map<String, JsonNode> audited = audit();
    InMemoryFacts facts = listed();
    for (SqliteDatabase created : databases) {
      SqliteDatabase db = db(created.getMetadata().getName());
      Verdict audit = policy.decide(facts, db);
      SqliteDatabaseStatus status = db.getStatus();
      String name = db.getMetadata().getName();
      assertThat(status.getVerdict()).as(name).isEqualTo(audit.safety().name());
      assertThat(status.getAction()).as(name).isEqualTo(audit.action().name());
      assertThat(status.getStorage().getKind()).as(name).isEqualTo(audit.storage().kind().name());
      assertThat(status.getStorage().getEvidence()).as(name).isEqualTo(audit.storage().evidence());
      assertThat(status.getReasons()).as(name).containsSubsequence(audit.reasons());
      assertThat(status.getNodes()).as(name).isEqualTo(audit.placement().running().stream().map(RunningPod::node)
          .distinct().sorted().toList());

      JsonNode cli = audited.get(NS + "/" + name);
      assertThat(cli).as("walguard audit reports " + name).isNotNull();
      assertThat(cli.path("verdict").asText()).as(name).isEqualTo(status.getVerdict());
      assertThat(cli.path("action").asText()).as(name).isEqualTo(status.getAction());
      assertThat(cli.path("storage").asText()).as(name).isEqualTo(status.getStorage().getKind());
      assertThat(cli.path("storageEvidence").asText()).as(name).isEqualTo(status.getStorage().getEvidence());
      List<String> cliReasons = new ArrayList<>();
      cli.path("reasons").forEach(r -> cliReasons.add(r.asText()));
      assertThat(status.getReasons()).as(name).containsSubsequence(cliReasons);
      List<String> cliNodes = new ArrayList<>();
      cli.path("nodes").forEach(n -> cliNodes.add(n.asText()));
      assertThat(cliNodes).as(name).isEqualTo(status.getNodes());
    }
  }

  static long hostnameCount(Deployment d) {
    return PinRemedyTest.terms(d).stream().flatMap(t -> t.getMatchExpressions().stream())
        .filter(e -> PinPatch.HOSTNAME.equals(e.getKey())).count();
  }
}
