package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.core.Annotations;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What walguard reports without changing anything: safe storage, opted-out remedies, and quiet status. */
class ReportingTest extends OperatorTestSupport {

  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  Deployment deploymentOnTwoNodes(String claim) {
    Deployment d = fx.create(Fixtures.deployment(NS, "app", claim, 2));
    fx.runPod(d, "app-1", "node-a", T0);
    fx.runPod(d, "app-2", "node-b", T0.plusSeconds(60));
    return deployment("app");
  }

  boolean deploymentWasWritten() {
    return cluster.writes().stream().anyMatch(c -> c.path().startsWith("/apis/apps/v1/namespaces/" + NS
        + "/deployments/app"));
  }

  @Test
  void aLocalPathDatabaseIsLeftAloneAndReportedSafe() {
    fx.localPathClass();
    fx.localClaim(NS, "data");
    Deployment before = deploymentOnTwoNodes("data");
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      var s = status("app");
      assertThat(s.getVerdict()).isEqualTo("safe");
      assertThat(s.getAction()).isEqualTo("none");
      assertThat(s.getStorage().getKind()).isEqualTo("local");
      assertThat(condition("app", StatusComposer.STORAGE_SAFE).orElseThrow().getReason()).isEqualTo("LocalStorage");
      assertThat(condition("app", StatusComposer.PLACEMENT).orElseThrow().getReason()).isEqualTo("NotRequired");
      assertThat(condition("app", StatusComposer.READY).orElseThrow().getStatus()).isEqualTo("True");
    });
    assertThat(deployment("app")).isEqualTo(before);
    assertThat(deploymentWasWritten()).isFalse();
  }

  @Test
  void anEfsClaimNoWorkloadMountsYetIsSafeAndSaysSoInsteadOfClaimingOneNode() {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      assertThat(status("app").getVerdict()).isEqualTo("safe");
      var storageSafe = condition("app", StatusComposer.STORAGE_SAFE).orElseThrow();
      assertThat(storageSafe.getReason()).isEqualTo("NoOpenerYet");
      assertThat(storageSafe.getMessage()).contains("no workload mounts the claim yet")
          .doesNotContain("every opener stays on one node");
    });
  }

  @Test
  void aStorageClassOverrideFlipsTheVerdictLive() {
    StorageClass efs = fx.efsClass();
    fx.efsClaim(NS, "data");
    deploymentOnTwoNodes("data");
    startOperator();
    SqliteDatabase db = Fixtures.database(NS, "app", "data");
    db.getSpec().setRemedy(Remedy.none);
    fx.create(db);
    eventually(() -> assertThat(status("app").getVerdict()).isEqualTo("unsafe"));

    user.storage().v1().storageClasses().withName(efs.getMetadata().getName()).edit(sc -> {
      sc.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(Annotations.STORAGE, "local")));
      return sc;
    });

    eventually(() -> {
      assertThat(status("app").getVerdict()).isEqualTo("safe");
      assertThat(status("app").getStorage().getKind()).isEqualTo("local");
      assertThat(eventReasons("SqliteDatabase", "app")).contains("VerdictChanged");
    });

    user.storage().v1().storageClasses().withName(efs.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"remove\",\"path\":\"/metadata/annotations\"}]");

    eventually(() -> assertThat(status("app").getVerdict()).isEqualTo("unsafe"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "remedy none, none, false, RemedyNone",
      "paused, auto, true, Paused"})
  void remedyNoneAndPausedOnlyReport(String description, Remedy remedy, boolean paused, String readyReason) {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    Deployment before = deploymentOnTwoNodes("data");
    startOperator();
    SqliteDatabase db = Fixtures.database(NS, "app", "data");
    db.getSpec().setRemedy(remedy);
    if (paused) {
      db.getMetadata().setAnnotations(java.util.Map.of(Annotations.PAUSED, "true"));
    }
    fx.create(db);

    eventually(() -> {
      var s = status("app");
      assertThat(s.getVerdict()).isEqualTo("unsafe");
      assertThat(s.getAction()).isEqualTo("observe");
      var ready = condition("app", StatusComposer.READY).orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo(readyReason);
      var placement = condition("app", StatusComposer.PLACEMENT).orElseThrow();
      assertThat(placement.getReason()).isEqualTo("OpenersOnSeveralNodes");
      assertThat(placement.getMessage()).contains("app-1 on node-a", "app-2 on node-b");
    });
    assertThat(deployment("app")).isEqualTo(before);
    assertThat(deploymentWasWritten()).isFalse();
  }

  @Test
  void nothingChangedMeansNoStatusWrite() {
    fx.localPathClass();
    fx.localClaim(NS, "data");
    deploymentOnTwoNodes("data");
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));
    eventually(() -> assertThat(condition("app", StatusComposer.READY)).isPresent());
    long writes = cluster.statusWrites(NS, "app");
    String version = db("app").getMetadata().getResourceVersion();
    var ready = condition("app", StatusComposer.READY).orElseThrow();

    // Changes that wake the reconciler but change no fact it reports: a label on the Deployment and on a Pod.
    double runs = reconciliations();
    user.apps().deployments().inNamespace(NS).withName("app").edit(d -> {
      d.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of("team", "shop")));
      return d;
    });
    eventually(() -> assertThat(reconciliations()).isGreaterThan(runs));
    double more = reconciliations();
    user.pods().inNamespace(NS).withName("app-1").edit(p -> {
      p.getMetadata().setLabels(new java.util.HashMap<>(p.getMetadata().getLabels()));
      p.getMetadata().getLabels().put("seen", "yes");
      return p;
    });
    eventually(() -> assertThat(reconciliations()).isGreaterThan(more));

    assertThat(writes).isEqualTo(1);
    assertThat(cluster.statusWrites(NS, "app")).isEqualTo(writes);
    assertThat(db("app").getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(condition("app", StatusComposer.READY).orElseThrow().getLastTransitionTime())
        .isEqualTo(ready.getLastTransitionTime());
  }

  @Test
  void onlyTheWatchedNamespacesAreReconciled() {
    fx.namespace("other");
    fx.localPathClass();
    fx.localClaim(NS, "data");
    fx.localClaim("other", "data");
    startOperator(OperatorSettings.defaults().withWatchNamespaces(Set.of(NS)));
    fx.create(Fixtures.database("other", "app", "data"));
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> assertThat(status("app").getVerdict()).isEqualTo("safe"));
    SqliteDatabase other = user.resources(SqliteDatabase.class).inNamespace("other").withName("app").get();
    assertThat(other.getStatus() == null || other.getStatus().getVerdict() == null).isTrue();
    assertThat(other.getMetadata().getFinalizers()).isEmpty();
  }
}
