package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The admission webhook's Service and configuration: safe by default, as the operator expects to find them. */
class ChartWebhookTest {

  static ValidatingWebhookConfiguration configuration(DeliveryMode mode) {
    return ChartRender.of(mode).one(ValidatingWebhookConfiguration.class, "walguard");
  }

  static ValidatingWebhook webhook(DeliveryMode mode) {
    List<ValidatingWebhook> webhooks = configuration(mode).getWebhooks();
    assertThat(webhooks).hasSize(1);
    return webhooks.get(0);
  }

  @Test
  void theDemoRegistersTheWebhookAsTheChartDoes() {
    ValidatingWebhook chart = webhook(DeliveryMode.DEFAULTS);
    ValidatingWebhook demo = io.walguard.demo.Demo.webhookConfiguration().getWebhooks().get(0);
    assertThat(demo.getRules()).isEqualTo(chart.getRules());
    assertThat(demo).extracting(ValidatingWebhook::getName, ValidatingWebhook::getSideEffects,
        ValidatingWebhook::getFailurePolicy, ValidatingWebhook::getTimeoutSeconds, ValidatingWebhook::getMatchPolicy,
        ValidatingWebhook::getNamespaceSelector, ValidatingWebhook::getObjectSelector)
        .containsExactly(chart.getName(), chart.getSideEffects(), chart.getFailurePolicy(),
            chart.getTimeoutSeconds(), chart.getMatchPolicy(), chart.getNamespaceSelector(),
            chart.getObjectSelector());
    assertThat(demo.getClientConfig().getService().getPath()).isEqualTo(chart.getClientConfig().getService().getPath());
  }

  @ParameterizedTest
  @EnumSource(value = DeliveryMode.class, names = "WEBHOOK_OFF", mode = EnumSource.Mode.EXCLUDE)
  void webhookNeverBlocksTheClusterWhenWalguardIsDown(DeliveryMode mode) {
    ValidatingWebhook webhook = webhook(mode);
    assertThat(webhook.getName()).isEqualTo("validate.walguard.io");
    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getTimeoutSeconds()).isEqualTo(3);
    assertThat(webhook.getSideEffects()).as("Events on allow-unsafe, none on a dry run").isEqualTo("NoneOnDryRun");
    assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
  }

  @Test
  void webhookCallsTheOperatorServiceOnValidate() {
    var service = webhook(DeliveryMode.DEFAULTS).getClientConfig().getService();
    assertThat(service.getName()).isEqualTo("walguard-webhook");
    assertThat(service.getNamespace()).isEqualTo(ChartRender.NAMESPACE);
    assertThat(service.getPath()).isEqualTo("/validate");
    assertThat(service.getPort()).isEqualTo(443);
    Service svc = ChartRender.of(DeliveryMode.DEFAULTS).one(Service.class, "walguard-webhook");
    assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(443);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook");
    });
    Deployment deployment = ChartRender.of(DeliveryMode.DEFAULTS).one(Deployment.class, "walguard");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .anySatisfy(p -> {
          assertThat(p.getName()).isEqualTo("webhook");
          assertThat(p.getContainerPort()).isEqualTo(8443);
        });
    assertThat(svc.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theOperatorKnowsTheServiceAccountItRunsAs() {
    Deployment deployment = ChartRender.of(DeliveryMode.DEFAULTS).one(Deployment.class, "walguard");
    var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("WALGUARD_SERVICE_ACCOUNT")).findFirst().orElseThrow();
    assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.serviceAccountName");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("walguard");
  }

  @Test
  void caBundleIsLeftForWalguardToFillIn() {
    // Absent, not empty: Helm's three-way merge then keeps the bundle walguard wrote across upgrades.
    assertThat(webhook(DeliveryMode.DEFAULTS).getClientConfig().getCaBundle()).isNull();
    assertThat(ChartRender.of(DeliveryMode.DEFAULTS).yaml).doesNotContain("caBundle:");
    assertThat(configuration(DeliveryMode.DEFAULTS).getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void webhookSeesTheObjectsThatCanPutSqliteOnStorage() {
    assertThat(webhook(DeliveryMode.DEFAULTS).getRules())
        .extracting(ChartWebhookTest::ruleText)
        .containsExactlyInAnyOrder(
            "/v1 persistentvolumeclaims,pods CREATE,UPDATE",
            "apps/v1 deployments,statefulsets,daemonsets,replicasets CREATE,UPDATE",
            "apps/v1 deployments/scale,statefulsets/scale,replicasets/scale UPDATE",
            "batch/v1 jobs,cronjobs CREATE,UPDATE",
            "walguard.io/v1alpha1 sqlitedatabases CREATE,UPDATE");
  }

  static String ruleText(RuleWithOperations rule) {
    return String.join(",", rule.getApiGroups()) + "/" + String.join(",", rule.getApiVersions()) + " "
        + String.join(",", rule.getResources()) + " " + String.join(",", rule.getOperations());
  }

  @Test
  void kubeSystemAndWalguardsOwnNamespaceAreLeftOut() {
    assertThat(webhook(DeliveryMode.DEFAULTS).getNamespaceSelector().getMatchExpressions())
        .singleElement()
        .isEqualTo(new LabelSelectorRequirement("kubernetes.io/metadata.name", "NotIn",
            List.of("kube-system", ChartRender.NAMESPACE)));
    assertThat(webhook(DeliveryMode.DEFAULTS).getObjectSelector()).isNull();
  }

  @Test
  void namespacedModeOnlySeesTheWatchedNamespaces() {
    assertThat(webhook(DeliveryMode.NAMESPACED).getNamespaceSelector().getMatchExpressions())
        .containsExactly(
            new LabelSelectorRequirement("kubernetes.io/metadata.name", "NotIn",
                List.of("kube-system", ChartRender.NAMESPACE)),
            new LabelSelectorRequirement("kubernetes.io/metadata.name", "In", List.of("team-a", "team-b")));
  }

  @Test
  void extraExcludedNamespacesAddToTheDefaults() {
    ChartRender chart = ChartRender.of("""
        webhook:
          excludeNamespaces: [monitoring, kube-system]
        """);
    ValidatingWebhook webhook = chart.one(ValidatingWebhookConfiguration.class, "walguard").getWebhooks().get(0);
    assertThat(webhook.getNamespaceSelector().getMatchExpressions()).singleElement()
        .satisfies(r -> assertThat(r.getValues()).containsExactly("kube-system", ChartRender.NAMESPACE, "monitoring"));
  }

  @Test
  void webhookOffRendersNoWebhook() {
    ChartRender chart = ChartRender.of(DeliveryMode.WEBHOOK_OFF);
    assertThat(chart.all(ValidatingWebhookConfiguration.class)).isEmpty();
    assertThat(chart.find(Service.class, "walguard-webhook")).isEmpty();
  }

  @Test
  void certManagerIssuesTheCertificateAndInjectsItsCa() {
    ChartRender chart = ChartRender.of(DeliveryMode.CERT_MANAGER);
    GenericKubernetesResource certificate = chart.one(GenericKubernetesResource.class, "walguard-webhook");
    assertThat(certificate.getApiVersion()).isEqualTo("cert-manager.io/v1");
    assertThat(certificate.getKind()).isEqualTo("Certificate");
    Map<String, Object> spec = certificate.get("spec");
    assertThat(spec).containsEntry("secretName", "walguard-webhook-tls");
    assertThat(spec.get("dnsNames")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .contains("walguard-webhook." + ChartRender.NAMESPACE + ".svc");
    assertThat(spec.get("issuerRef")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("name", "walguard-selfsigned")
        .containsEntry("kind", "Issuer");
    GenericKubernetesResource issuer = chart.one(GenericKubernetesResource.class, "walguard-selfsigned");
    assertThat(issuer.getKind()).isEqualTo("Issuer");
    assertThat(issuer.<Map<String, Object>>get("spec")).containsKey("selfSigned");

    assertThat(configuration(DeliveryMode.CERT_MANAGER).getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", ChartRender.NAMESPACE + "/walguard-webhook");
  }

  @Test
  void certManagerCertificateIsMountedWhereWalguardReadsIt() {
    PodSpec pod = ChartRender.of(DeliveryMode.CERT_MANAGER).one(Deployment.class, "walguard")
        .getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/walguard/tls");
      assertThat(m.getReadOnly()).isTrue();
      assertThat(pod.getVolumes()).anySatisfy(v -> {
        assertThat(v.getName()).isEqualTo(m.getName());
        assertThat(v.getSecret().getSecretName()).isEqualTo("walguard-webhook-tls");
      });
    });
    assertThat(ChartOperatorPodTest.envValue(DeliveryMode.CERT_MANAGER, "WALGUARD_CERT_MODE")).hasValue("cert-manager");
  }

  @Test
  void anExistingIssuerReplacesTheSelfSignedOne() {
    ChartRender chart = ChartRender.of("""
        certManager:
          enabled: true
          issuerRef: {name: cluster-ca, kind: ClusterIssuer}
        """);
    assertThat(chart.ofKind("Issuer")).isEmpty();
    GenericKubernetesResource certificate = chart.one(GenericKubernetesResource.class, "walguard-webhook");
    assertThat(certificate.<Map<String, Object>>get("spec").get("issuerRef"))
        .isEqualTo(Map.of("name", "cluster-ca", "kind", "ClusterIssuer"));
  }

  @Test
  void selfCertModeShipsNoKeyOrCertificate() {
    for (DeliveryMode mode : DeliveryMode.values()) {
      ChartRender chart = ChartRender.of(mode);
      assertThat(chart.ofKind("Secret")).as(mode.name()).isEmpty();
      assertThat(chart.yaml).as(mode.name()).doesNotContain("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
    }
  }
}
