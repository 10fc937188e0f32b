package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator Deployment: Pod Security restricted, probes, resources and the runtime configuration. */
class ChartOperatorPodTest {

  static Deployment deployment(DeliveryMode mode) {
    return ChartRender.of(mode).one(Deployment.class, "walguard");
  }

  static Container container(DeliveryMode mode) {
    return deployment(mode).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Map<String, EnvVar> env(DeliveryMode mode) {
    return container(mode).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
  }

  static Optional<String> envValue(DeliveryMode mode, String name) {
    return Optional.ofNullable(env(mode).get(name)).map(EnvVar::getValue);
  }

  @ParameterizedTest
  @EnumSource(DeliveryMode.class)
  void podMeetsPodSecurityRestricted(DeliveryMode mode) {
    PodSpec pod = deployment(mode).getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(pod.getContainers()).singleElement().satisfies(c -> {
      var sc = c.getSecurityContext();
      assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
      assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
      assertThat(sc.getRunAsNonRoot()).isTrue();
      assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"/tmp", "/tmp/sqlite"})
  void readOnlyRootGetsWritableEmptyDirs(String path) {
    PodSpec pod = deployment(DeliveryMode.DEFAULTS).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo(path);
      assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
      Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
      assertThat(v.getEmptyDir()).isNotNull();
    });
  }

  @Test
  void sqliteNativeLibraryDirectoryExistsWhenTheOperatorStarts() {
    // sqlite-jdbc unpacks its native library into org.sqlite.tmpdir and does not create it: it must be a mount.
    String opts = envValue(DeliveryMode.DEFAULTS, "JAVA_TOOL_OPTIONS").orElseThrow();
    String tmpdir = java.util.Arrays.stream(opts.split(" ")).filter(o -> o.startsWith("-Dorg.sqlite.tmpdir="))
        .findFirst().orElseThrow().substring("-Dorg.sqlite.tmpdir=".length());
    assertThat(container(DeliveryMode.DEFAULTS).getVolumeMounts()).extracting("mountPath").contains(tmpdir);
  }

  @Test
  void probesUseTheHealthPort() {
    Container c = container(DeliveryMode.DEFAULTS);
    assertThat(c.getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo("health");
      assertThat(p.getContainerPort()).isEqualTo(8080);
    });
    assertProbe(c.getLivenessProbe(), "/healthz");
    assertProbe(c.getReadinessProbe(), "/readyz");
    assertProbe(c.getStartupProbe(), "/healthz");
    // The startup probe gives the JVM and the informers' first sync time before liveness may restart it.
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .isGreaterThanOrEqualTo(60);
  }

  static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
  }

  @Test
  void requestsWhatAnIdleOperatorHoldsAndCapsIt() {
    var resources = container(DeliveryMode.DEFAULTS).getResources();
    assertThat(resources.getRequests()).containsEntry("memory", new Quantity("160Mi")).containsKey("cpu");
    assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")))
        .isGreaterThan(Quantity.getAmountInBytes(resources.getRequests().get("memory")));
  }

  @Test
  void runsTheOperatorFromTheImageOfTheChartAppVersion() {
    Container c = container(DeliveryMode.DEFAULTS);
    assertThat(c.getArgs()).containsExactly("run");
    assertThat(c.getImage()).isEqualTo("walguard/walguard:" + ChartFacts.appVersion());
    assertThat(envValue(DeliveryMode.DEFAULTS, "WALGUARD_IMAGE")).hasValue(c.getImage());
  }

  @Test
  void configurationUsesTheConventionalNames() {
    Map<String, EnvVar> env = env(DeliveryMode.DEFAULTS);
    assertThat(env.get("WALGUARD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env).containsKeys("WATCH_NAMESPACES", "JAVA_TOOL_OPTIONS");
    Map<String, String> values = env.values().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(values)
        .containsEntry("WATCH_NAMESPACES", "")
        .containsEntry("WALGUARD_HEALTH_PORT", "8080")
        .containsEntry("WALGUARD_WEBHOOK_ENABLED", "true")
        .containsEntry("WALGUARD_WEBHOOK_PORT", "8443")
        .containsEntry("WALGUARD_ENFORCE_DEFAULT", "warn")
        .containsEntry("WALGUARD_CERT_MODE", "self")
        .containsEntry("WALGUARD_CERT_DIR", "/etc/walguard/tls")
        .containsEntry("WALGUARD_WEBHOOK_SERVICE", "walguard-webhook")
        .containsEntry("WALGUARD_WEBHOOK_CONFIG", "walguard")
        .containsEntry("WALGUARD_TLS_SECRET", "walguard-webhook-tls")
        .containsEntry("WALGUARD_DRIVERS_CONFIGMAP", "walguard-drivers");
  }

  @Test
  void watchNamespacesReachTheOperatorCommaSeparated() {
    assertThat(envValue(DeliveryMode.NAMESPACED, "WATCH_NAMESPACES")).hasValue("team-a,team-b");
  }

  @Test
  void enforceDefaultReachesTheOperator() {
    assertThat(envValue(DeliveryMode.ENFORCE_DENY, "WALGUARD_ENFORCE_DEFAULT")).hasValue("deny");
  }

  @Test
  void webhookOffTurnsTheServerOff() {
    assertThat(envValue(DeliveryMode.WEBHOOK_OFF, "WALGUARD_WEBHOOK_ENABLED")).hasValue("false");
    assertThat(container(DeliveryMode.WEBHOOK_OFF).getPorts()).extracting("name").containsExactly("health");
  }

  @ParameterizedTest
  @CsvSource({"DEFAULTS, false", "TWO_REPLICAS, true"})
  void leaderElectionAndDisruptionBudgetOnlyWithMoreThanOneReplica(DeliveryMode mode, boolean several) {
    ChartRender chart = ChartRender.of(mode);
    assertThat(envValue(mode, "WALGUARD_LEADER_ELECTION")).isEqualTo(several ? Optional.of("true") : Optional.empty());
    assertThat(chart.all(PodDisruptionBudget.class)).hasSize(several ? 1 : 0);
    // A single operator without an election must not overlap with its successor during an upgrade.
    assertThat(deployment(mode).getSpec().getStrategy().getType()).isEqualTo(several ? "RollingUpdate" : "Recreate");
  }

  @Test
  void disruptionBudgetKeepsOneOperatorRunning() {
    PodDisruptionBudget pdb = ChartRender.of(DeliveryMode.TWO_REPLICAS).one(PodDisruptionBudget.class, "walguard");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment(DeliveryMode.TWO_REPLICAS).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void metricsAreScrapableFromTheHealthPort() {
    ChartRender chart = ChartRender.of(DeliveryMode.DEFAULTS);
    var service = chart.one(io.fabric8.kubernetes.api.model.Service.class, "walguard-metrics");
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("health"));
    assertThat(deployment(DeliveryMode.DEFAULTS).getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/metrics");
  }
}
