package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json turns a mistake in values into an install error that names it. */
class ChartValuesSchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a misspelt top-level key           | webhok: {enforce: deny}                    | webhok
      a misspelt nested key              | webhook: {enfore: deny}                    | enfore
      an enforce mode that does not exist| webhook: {enforce: block}                  | /webhook/enforce
      a failure policy with wrong case   | webhook: {failurePolicy: ignore}           | /webhook/failurePolicy
      a timeout the API server refuses   | webhook: {timeoutSeconds: 60}              | timeoutSeconds
      a negative number of replicas      | replicas: -1                               | replicas
      a namespace name that is not DNS   | watchNamespaces: [Team_A]                  | Team_A
      watchNamespaces as a string        | 'watchNamespaces: team-a,team-b'           | watchNamespaces
      a misspelt resources key           | resources: {request: {memory: 128Mi}}      | request
      a memory quantity with a bad unit  | resources: {requests: {memory: 128MB}}     | 128MB
      a misspelt cert-manager key        | certManager: {enable: true}                | enable
      an issuer of an unknown kind       | certManager: {issuerRef: {name: x, kind: CA}} | /certManager/issuerRef/kind
      root as the operator user          | securityContext: {runAsUser: 0}            | runAsUser
      """)
  void typoFailsWithItsName(String mistake, String values, String named) {
    assertThatThrownBy(() -> ChartRender.template(ChartRender.NAMESPACE, values))
        .as(mistake)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(named);
  }

  /** Scaled to zero, walguard is simply not running: no election, no disruption budget, nothing else changes. */
  @Test
  void zeroReplicasStopsTheOperatorAndNothingElse() {
    ChartRender stopped = ChartRender.of("replicas: 0\n");
    Deployment deployment = stopped.one(Deployment.class, "walguard");
    assertThat(deployment.getSpec().getReplicas()).isZero();
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().equals("WALGUARD_LEADER_ELECTION"));
    assertThat(stopped.objects).noneMatch(o -> o.getKind().equals("PodDisruptionBudget"));
    assertThat(stopped.objects).hasSameSizeAs(ChartRender.of(DeliveryMode.DEFAULTS).objects);
  }

  @Test
  void aCompleteValuesFileIsAccepted() {
    String rendered = ChartRender.template(ChartRender.NAMESPACE, """
        image: {repository: registry.example.com/walguard, tag: 0.1.0, pullPolicy: Always,
                digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
        imagePullSecrets: [{name: regcred}]
        replicas: 3
        watchNamespaces: [apps, monitoring]
        crds: {install: true, keep: true}
        serviceAccount: {create: true, name: walguard-operator, annotations: {team: platform}}
        webhook: {enabled: true, enforce: deny, failurePolicy: Fail, timeoutSeconds: 5, port: 9443,
                  excludeNamespaces: [flux-system]}
        certManager: {enabled: true, issuerRef: {name: ca, kind: ClusterIssuer, group: cert-manager.io},
                      duration: 720h, renewBefore: 240h}
        healthPort: 9090
        metrics: {enabled: true, serviceMonitor: {enabled: true, interval: 1m, labels: {release: prom}}}
        drivers: {table: "drivers: []\\n"}
        resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {cpu: 1, memory: 1Gi}}
        javaOpts: -XX:MaxRAMPercentage=60
        securityContext: {runAsUser: null, runAsGroup: null}
        extraEnv: [{name: LOG_LEVEL, value: debug}]
        podAnnotations: {a: b}
        podLabels: {c: d}
        priorityClassName: system-cluster-critical
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Exists}]
        affinity: {}
        topologySpreadConstraints: []
        """);
    assertThat(ChartRender.parse(rendered)).isNotEmpty();
  }
}
