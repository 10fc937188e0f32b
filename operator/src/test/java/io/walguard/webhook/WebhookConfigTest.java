package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The webhook's configuration from the environment the Helm chart sets (the runtime conventions' names). */
class WebhookConfigTest {

  @Test
  void anEmptyEnvironmentGivesTheConventionalDefaults() {
    WebhookConfig c = WebhookConfig.fromEnvironment(Map.of());
    assertThat(c.namespace()).isEqualTo("walguard-system");
    assertThat(c.port()).isEqualTo(8443);
    assertThat(c.enforceDefault()).isEqualTo(EnforceMode.warn);
    assertThat(c.certMode()).isEqualTo(CertMode.self);
    assertThat(c.certDir()).isEqualTo(Path.of("/etc/walguard/tls"));
    assertThat(c.serviceHost()).isEqualTo("walguard-webhook.walguard-system.svc");
    assertThat(c.webhookConfigName()).isEqualTo("walguard");
    assertThat(c.tlsSecretName()).isEqualTo("walguard-webhook-tls");
    assertThat(c.maxBodyBytes()).isEqualTo(3 * 1024 * 1024);
    assertThat(c.serviceAccountUsername()).isEqualTo("system:serviceaccount:walguard-system:walguard");
  }

  @Test
  void everyVariableIsRead() {
    WebhookConfig c = WebhookConfig.fromEnvironment(Map.of(
        "WALGUARD_NAMESPACE", "ops", "WALGUARD_WEBHOOK_PORT", "9443", "WALGUARD_ENFORCE_DEFAULT", "deny",
        "WALGUARD_CERT_MODE", "cert-manager", "WALGUARD_CERT_DIR", "/tls", "WALGUARD_WEBHOOK_SERVICE", "wg",
        "WALGUARD_WEBHOOK_CONFIG", "wg-config", "WALGUARD_TLS_SECRET", "wg-tls",
        "WALGUARD_SERVICE_ACCOUNT", "wg-operator"));
    assertThat(c).extracting(WebhookConfig::namespace, WebhookConfig::port, WebhookConfig::enforceDefault,
            WebhookConfig::certMode, WebhookConfig::certDir, WebhookConfig::serviceHost,
            WebhookConfig::webhookConfigName, WebhookConfig::tlsSecretName, WebhookConfig::serviceAccountUsername)
        .containsExactly("ops", 9443, EnforceMode.deny, CertMode.certManager, Path.of("/tls"), "wg.ops.svc",
            "wg-config", "wg-tls", "system:serviceaccount:ops:wg-operator");
  }

  @ParameterizedTest
  @CsvSource({
      "WALGUARD_WEBHOOK_PORT,    https,  use a port number",
      "WALGUARD_WEBHOOK_PORT,    70000,  use a port number",
      "WALGUARD_ENFORCE_DEFAULT, block,  use warn or deny",
      "WALGUARD_CERT_MODE,       vault,  use self"})
  void aBadValueNamesTheVariableAndWhatItTakes(String variable, String value, String message) {
    assertThatThrownBy(() -> WebhookConfig.fromEnvironment(Map.of(variable, value)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
