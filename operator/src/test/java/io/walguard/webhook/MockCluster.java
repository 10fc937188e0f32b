package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The fabric8 mock API server in CRUD mode (real HTTP, real optimistic locking), with expectations in front of it
 * for the few tests that must stage a race.
 */
final class MockCluster implements AutoCloseable {

  static final String NAMESPACE = "walguard-system";
  static final String SERVICE_HOST = "walguard-webhook." + NAMESPACE + ".svc";
  /** The username walguard's requests carry with the default configuration. */
  static final String WALGUARD_USER = "system:serviceaccount:" + NAMESPACE + ":walguard";
  static final Requesters REQUESTERS = new Requesters(WALGUARD_USER);

  final KubernetesMockServer server;
  final KubernetesClient client;

  MockCluster() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    client = server.createClient();
  }

  /** The ValidatingWebhookConfiguration as the Helm chart installs it: no caBundle yet. */
  ValidatingWebhookConfiguration installWebhookConfiguration() {
    return client.admissionRegistration().v1().validatingWebhookConfigurations().resource(
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata().withName("walguard").endMetadata()
            .addNewWebhook()
              .withName("validate.walguard.io")
              .withNewClientConfig().withNewService().withName("walguard-webhook").withNamespace(NAMESPACE)
                .withPath("/validate").withPort(443).endService().endClientConfig()
              .withFailurePolicy("Ignore").withSideEffects("NoneOnDryRun").withTimeoutSeconds(3)
              .withAdmissionReviewVersions("v1")
            .endWebhook()
            .build()).create();
  }

  String caBundle() {
    ValidatingWebhookConfiguration c =
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName("walguard").get();
    String b64 = c.getWebhooks().get(0).getClientConfig().getCaBundle();
    return b64 == null ? null : new String(java.util.Base64.getDecoder().decode(b64),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  static WebhookConfig config() {
    return WebhookConfig.defaults(NAMESPACE).withBindAddress("127.0.0.1").withPort(0)
        .withCertCheckInterval(java.time.Duration.ofHours(1));
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
