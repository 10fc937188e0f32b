package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.walguard.api.SqliteDatabase;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Replicas take turns through a Lease; a replica that loses it stops writing at once and asks to exit. */
class LeaderElectionTest extends OperatorTestSupport {

  static final String LEASE_NS = "walguard-system";
  static final OperatorSettings.LeaseTiming FAST = new OperatorSettings.LeaseTiming(Duration.ofSeconds(2),
      Duration.ofMillis(1500), Duration.ofMillis(200));

  final AtomicInteger aDeposed = new AtomicInteger();

  WalguardOperator replica(String identity, Runnable onDeposed) {
    OperatorSettings settings = OperatorSettings.defaults().withLeaderElection(LEASE_NS, identity, FAST);
    WalguardOperator op = new WalguardOperator(operatorClient(settings), settings, new SimpleMeterRegistry(),
        onDeposed);
    operators.add(op);
    op.start();
    return op;
  }

  Lease lease() {
    return user.leases().inNamespace(LEASE_NS).withName(OperatorSettings.LEASE_NAME).get();
  }

  List<String> reporters(String database) {
    return events("SqliteDatabase", database).stream().map(Event::getReportingInstance).distinct().toList();
  }

  @Test
  void aDeposedLeaderStopsActingAndTheNextLeaderTakesOver() {
    cluster.allowLeases();
    WalguardOperator a = replica("replica-a", aDeposed::incrementAndGet);
    eventually(() -> assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a"));
    WalguardOperator b = replica("replica-b", () -> {});

    // Databases on claims that do not exist: each reconciliation reports it with a Warning Event, whose reporting
    // instance says which replica acted.
    fx.create(Fixtures.database(NS, "one", "missing-one"));
    eventually(() -> {
      assertThat(condition("one", StatusComposer.READY).orElseThrow().getReason()).isEqualTo("ClaimNotFound");
      assertThat(reporters("one")).containsExactly("replica-a");
    });
    assertThat(b.leadership().mayAct()).isFalse();

    // Someone else takes the Lease (a network partition, a slow renewal): replica-a must stop at once.
    String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
        .format(ZonedDateTime.now(ZoneOffset.UTC));
    user.leases().inNamespace(LEASE_NS).withName(OperatorSettings.LEASE_NAME).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"holderIdentity\":\"intruder\",\"leaseDurationSeconds\":4,\"renewTime\":\"" + now + "\"}}");
    eventually(() -> {
      assertThat(aDeposed).hasValue(1);
      assertThat(a.leadership().mayAct()).isFalse();
      assertThat(a.healthy()).as("liveness fails, so Kubernetes restarts a deposed replica").isFalse();
    });

    fx.create(Fixtures.database(NS, "two", "missing-two"));
    eventually(() -> {
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
      assertThat(condition("two", StatusComposer.READY).orElseThrow().getReason()).isEqualTo("ClaimNotFound");
      assertThat(reporters("two")).containsExactly("replica-b");
    });
    SqliteDatabase two = db("two");
    assertThat(two.getMetadata().getFinalizers()).containsExactly(SqliteDatabaseReconciler.FINALIZER);
  }

  @Test
  void aLeaderDeposedInTheMiddleOfAPinSendsNoFurtherWrite() {
    cluster.allowLeases();
    fx.efsDeploymentOnTwoNodes(NS, java.time.Instant.parse("2025-01-01T10:00:00Z"));
    fx.create(Fixtures.deployment(NS, "other", "data", 2));
    WalguardOperator a = replica("replica-a", aDeposed::incrementAndGet);
    eventually(() -> assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a"));

    // The pin patches two Deployments in one reconciliation. While the first patch is on its way, the Lease goes to
    // someone else, and replica-a learns it as fabric8's leader elector tells it when a renewal fails (called here, on
    // the spot, so that the loss falls between the two patches every time).
    String deployments = "/apis/apps/v1/namespaces/" + NS + "/deployments/";
    String lease = "/apis/coordination.k8s.io/v1/namespaces/" + LEASE_NS + "/leases/" + OperatorSettings.LEASE_NAME;
    cluster.once(r -> r.getMethod().equals("PATCH") && r.getPath().startsWith(deployments)
        && OPERATOR_AGENT.equals(r.getHeader("User-Agent")), r -> {
          String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
              .format(ZonedDateTime.now(ZoneOffset.UTC));
          cluster.direct("PATCH", lease, "application/merge-patch+json", "{\"spec\":{\"holderIdentity\":"
              + "\"intruder\",\"leaseDurationSeconds\":3600,\"renewTime\":\"" + now + "\"}}");
          a.leadership().callbacks().onStopLeading();
          return null;
        });
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> assertThat(aDeposed).hasValue(1));
    org.awaitility.Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
    List<MockCluster.Call> written = cluster.writes().stream()
        .filter(c -> OPERATOR_AGENT.equals(c.agent()) && !c.path().contains("/leases/")).toList();
    assertThat(written).filteredOn(c -> c.path().startsWith(deployments)).as("the one patch sent before the loss")
        .hasSize(1);
    assertThat(written).filteredOn(c -> c.path().contains("/cronjobs") || c.path().contains("/jobs")
        || c.path().contains("/status")).isEmpty();
  }

  @Test
  void aReplicaThatNeverLedWritesNothing() {
    cluster.allowLeases();
    fx.localPathClass();
    fx.localClaim(NS, "one");
    // The Lease is held elsewhere for longer than the test runs.
    user.resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
        .withNewMetadata().withNamespace(LEASE_NS).withName(OperatorSettings.LEASE_NAME).endMetadata()
        .withNewSpec().withHolderIdentity("elsewhere").withLeaseDurationSeconds(3600)
            .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).withAcquireTime(ZonedDateTime.now(ZoneOffset.UTC))
        .endSpec().build()).create();
    WalguardOperator follower = replica("replica-f", () -> {});
    eventually(() -> assertThat(follower.ready()).isTrue());

    fx.create(Fixtures.database(NS, "one", "one"));

    eventually(() -> assertThat(follower.caches().databases().list(NS).count()).isEqualTo(1));
    org.awaitility.Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> cluster.writes().stream().noneMatch(c -> c.path().contains("/sqlitedatabases/one")));
    assertThat(follower.leadership().mayAct()).isFalse();
    assertThat(db("one").getMetadata().getFinalizers()).isEmpty();
  }
}
