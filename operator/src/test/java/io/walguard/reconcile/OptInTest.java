package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.core.Annotations;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A claim or workload annotated walguard.io/sqlite gets a SqliteDatabase, which only reports until adopted. */
class OptInTest extends OperatorTestSupport {

  void annotateClaim(String claim, Map<String, String> annotations) {
    user.persistentVolumeClaims().inNamespace(NS).withName(claim).edit(pvc -> {
      pvc.getMetadata().setAnnotations(new HashMap<>(annotations));
      return pvc;
    });
  }

  @Test
  void anAnnotatedClaimGetsAReportOnlyDatabaseNamedAfterIt() {
    fx.efsClass();
    fx.efsClaim(NS, "grafana-data");
    Deployment d = fx.create(Fixtures.deployment(NS, "grafana", "grafana-data", 2));
    fx.runPod(d, "grafana-1", "node-a", PinRemedyTest.T0);
    fx.runPod(d, "grafana-2", "node-b", PinRemedyTest.T0.plusSeconds(9));
    startOperator();

    annotateClaim("grafana-data", Map.of(Annotations.SQLITE, "true", Annotations.SQLITE_FILE, "grafana.db"));

    eventually(() -> {
      SqliteDatabase db = db("grafana-data");
      assertThat(db.getSpec().getClaimName()).isEqualTo("grafana-data");
      assertThat(db.getSpec().getFile()).isEqualTo("grafana.db");
      assertThat(db.getSpec().getRemedy()).isEqualTo(Remedy.none);
      assertThat(db.getSpec().checkpointOrDefault().isEnabled()).isFalse();
      assertThat(db.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "walguard");
      assertThat(status("grafana-data").getVerdict()).isEqualTo("unsafe");
      assertThat(status("grafana-data").getAction()).isEqualTo("observe");
      assertThat(eventReasons("PersistentVolumeClaim", "grafana-data")).contains("OptedIn");
    });
    assertThat(deployment("grafana").getSpec().getTemplate().getSpec().getAffinity()).isNull();
  }

  @Test
  void aReportOnlyDatabaseGetsNoCheckpointCronJobNextToItsOpener() {
    fx.localPathClass();
    fx.localClaim(NS, "data");
    Deployment d = fx.create(Fixtures.deployment(NS, "app", "data", 1));
    fx.runPod(d, "app-1", "node-a", PinRemedyTest.T0);
    startOperator();

    annotateClaim("data", Map.of(Annotations.SQLITE, "true", Annotations.SQLITE_FILE, "app.db"));

    eventually(() -> {
      assertThat(status("data").getVerdict()).isEqualTo("safe");
      assertThat(condition("data", StatusComposer.CHECKPOINT).orElseThrow().getReason())
          .isEqualTo("CheckpointDisabled");
    });
    assertThat(user.batch().v1().cronjobs().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void withoutAFileTheDatabaseSaysTheFileIsUnknown() {
    fx.localPathClass();
    fx.localClaim(NS, "data");
    startOperator();

    annotateClaim("data", Map.of(Annotations.SQLITE, "true"));

    eventually(() -> {
      assertThat(db("data").getSpec().getFile()).isEqualTo(OptInWatcher.UNKNOWN_FILE);
      assertThat(status("data").getReasons()).anySatisfy(r -> assertThat(r).contains("database file is unknown",
          Annotations.SQLITE_FILE));
      assertThat(condition("data", StatusComposer.CHECKPOINT).orElseThrow().getReason()).isEqualTo("FileUnknown");
    });
  }

  @Test
  void aWorkloadWhosePodTemplateOptsInGetsADatabaseForItsClaim() {
    fx.localPathClass();
    fx.localClaim(NS, "vault");
    startOperator();

    fx.create(new DeploymentBuilder(Fixtures.deployment(NS, "vaultwarden", "vault", 1))
        .editSpec().editTemplate().editMetadata()
            .addToAnnotations(Annotations.SQLITE, "true").addToAnnotations(Annotations.SQLITE_FILE, "db.sqlite3")
        .endMetadata().endTemplate().endSpec().build());

    eventually(() -> {
      assertThat(db("vault").getSpec().getFile()).isEqualTo("db.sqlite3");
      assertThat(status("vault").getVerdict()).isEqualTo("safe");
      assertThat(eventReasons("Deployment", "vaultwarden")).contains("OptedIn");
    });
  }

  @Test
  void aClaimThatAlreadyHasADatabaseGetsNoSecondOne() {
    fx.localPathClass();
    fx.localClaim(NS, "data");
    fx.create(Fixtures.database(NS, "mine", "data"));
    startOperator();
    eventually(() -> assertThat(status("mine").getVerdict()).isEqualTo("safe"));

    double runs = reconciliations();
    annotateClaim("data", Map.of(Annotations.SQLITE, "true"));

    // The annotation was seen (the claim's change reconciles its database) and nothing was created.
    eventually(() -> assertThat(reconciliations()).isGreaterThan(runs));
    assertThat(user.resources(SqliteDatabase.class).inNamespace(NS).list().getItems())
        .extracting(db -> db.getMetadata().getName()).containsExactly("mine");
  }
}
