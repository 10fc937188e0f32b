package io.walguard.reconcile;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh mock cluster per test, and operators started against it the way {@code walguard run} starts one. */
abstract class OperatorTestSupport {

  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(30);
  /** The User-Agent of the operators' clients, so their requests can be told from the test's own. */
  static final String OPERATOR_AGENT = "walguard-operator";

  MockCluster cluster;
  KubernetesClient user;
  Fixtures fx;
  final List<WalguardOperator> operators = new ArrayList<>();
  /** The User-Agents and namespaces of the operators started, whose requests must all be granted by the chart. */
  final java.util.Set<String> operatorAgents = new java.util.concurrent.CopyOnWriteArraySet<>();
  final java.util.Set<String> operatorNamespaces = new java.util.concurrent.CopyOnWriteArraySet<>();
  SimpleMeterRegistry registry;

  @BeforeEach
  void startCluster() {
    cluster = MockCluster.start();
    user = cluster.client();
    fx = new Fixtures(user);
    fx.namespace(NS);
  }

  /** Stops the operators, then checks that every request they sent is one the Helm chart's RBAC allows. */
  @AfterEach
  void stopCluster() {
    try {
      operators.forEach(WalguardOperator::stop);
      List<MockCluster.Call> sent = cluster.calls().stream().filter(c -> operatorAgents.contains(c.agent())).toList();
      org.assertj.core.api.Assertions.assertThat(GrantedApi.refused(sent, operatorNamespaces))
          .as("requests of walguard that a cluster with the chart's RBAC refuses").isEmpty();
    } finally {
      cluster.close();
    }
  }

  /** A client for an operator, whose requests are checked against the chart's RBAC after the test. */
  KubernetesClient operatorClient(OperatorSettings settings) {
    operatorNamespaces.add(settings.operatorNamespace());
    operatorAgents.add(OPERATOR_AGENT);
    return cluster.newClient(OPERATOR_AGENT);
  }

  WalguardOperator startOperator() {
    return startOperator(OperatorSettings.defaults());
  }

  WalguardOperator startOperator(OperatorSettings settings) {
    return startOperator(operatorClient(settings), settings);
  }

  WalguardOperator startOperator(KubernetesClient client, OperatorSettings settings) {
    operatorAgents.add(client.getConfiguration().getUserAgent());
    operatorNamespaces.add(settings.operatorNamespace());
    registry = new SimpleMeterRegistry();
    WalguardOperator operator = new WalguardOperator(client, settings, registry, () -> {});
    operators.add(operator);
    operator.start();
    return operator;
  }

  static void eventually(ThrowingRunnable assertion) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(assertion);
  }

  SqliteDatabase db(String name) {
    return user.resources(SqliteDatabase.class).inNamespace(NS).withName(name).get();
  }

  SqliteDatabaseStatus status(String name) {
    SqliteDatabase db = db(name);
    return db == null ? null : db.getStatus();
  }

  Optional<Condition> condition(String name, String type) {
    SqliteDatabaseStatus s = status(name);
    if (s == null) {
      return Optional.empty();
    }
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  Deployment deployment(String name) {
    return user.apps().deployments().inNamespace(NS).withName(name).get();
  }

  List<Event> events(String kind, String name) {
    return user.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  List<String> eventReasons(String kind, String name) {
    return events(kind, name).stream().map(Event::getReason).toList();
  }

  double reconciliations() {
    var counter = registry.find("walguard.reconciliations").counter();
    return counter == null ? 0 : counter.count();
  }
}
