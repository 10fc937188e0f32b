package io.walguard.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the admission webhook runs. {@link #fromEnvironment} reads the variables the Helm chart sets; tests and
 * {@code walguard run} flags build one with the {@code with...} methods.
 *
 * @param namespace the operator's own namespace: where the TLS Secret lives and the Service points
 * @param bindAddress the address the HTTPS server listens on ({@code 0.0.0.0} in a pod, loopback in tests)
 * @param port the HTTPS port (the Service's targetPort)
 * @param enforceDefault the mode where a namespace has no {@code walguard.io/enforce} label
 * @param certMode walguard-managed certificates or cert-manager's mounted ones
 * @param certDir where cert-manager mounts {@code tls.crt} and {@code tls.key}
 * @param serviceName the webhook Service, whose DNS names the serving certificate carries
 * @param webhookConfigName the ValidatingWebhookConfiguration whose caBundle walguard writes
 * @param tlsSecretName the Secret that keeps walguard's CA and serving certificate
 * @param maxBodyBytes requests larger than this get 413
 * @param maxInFlightBytes heap that the requests being answered may take together (bodies and the objects read
 *     from them); a request that would go beyond it gets 429 at once
 * @param workers threads that answer admission requests
 * @param queueCapacity requests waiting for a worker; beyond it a request gets 503 at once
 * @param certCheckInterval how often the certificate, the Secret and the caBundle are checked
 * @param serviceAccount walguard's own service account in {@code namespace}: the requests it sends are never refused
 *     and may carry {@code app.kubernetes.io/managed-by: walguard}
 */
public record WebhookConfig(
    String namespace,
    String bindAddress,
    int port,
    EnforceMode enforceDefault,
    CertMode certMode,
    Path certDir,
    String serviceName,
    String webhookConfigName,
    String tlsSecretName,
    int maxBodyBytes,
    long maxInFlightBytes,
    int workers,
    int queueCapacity,
    Duration certCheckInterval,
    String serviceAccount) {

  /** An UPDATE carries the object twice, and etcd keeps no object above 1.5 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
  /**
   * Enough for the largest request the limits let through (its body, and model objects read from the most JSON
   * tokens allowed), a sixth of the heap the chart gives the operator (384 MiB), which also holds the caches.
   */
  public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 64L * 1024 * 1024;
  /** The chart's service account (the release's full name), when {@code WALGUARD_SERVICE_ACCOUNT} is not set. */
  public static final String DEFAULT_SERVICE_ACCOUNT = "walguard";

  public WebhookConfig {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(enforceDefault, "enforceDefault");
    Objects.requireNonNull(certMode, "certMode");
    Objects.requireNonNull(certDir, "certDir");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(webhookConfigName, "webhookConfigName");
    Objects.requireNonNull(tlsSecretName, "tlsSecretName");
    Objects.requireNonNull(certCheckInterval, "certCheckInterval");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("webhook port " + port + " is not a TCP port (0-65535)");
    }
    if (maxBodyBytes < 1024 || maxInFlightBytes < maxBodyBytes || workers < 1 || queueCapacity < 0) {
      throw new IllegalArgumentException("webhook limits must be positive: maxBodyBytes >= 1024, maxInFlightBytes >="
          + " maxBodyBytes, workers >= 1");
    }
  }

  /** The defaults of the runtime conventions, for the given operator namespace. */
  public static WebhookConfig defaults(String namespace) {
    return new WebhookConfig(namespace, "0.0.0.0", 8443, EnforceMode.warn, CertMode.self,
        Path.of("/etc/walguard/tls"), "walguard-webhook", "walguard", "walguard-webhook-tls",
        DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT_BYTES,
        Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 64, Duration.ofMinutes(1),
        DEFAULT_SERVICE_ACCOUNT);
  }

  /**
   * Reads {@code WALGUARD_NAMESPACE}, {@code WALGUARD_WEBHOOK_PORT}, {@code WALGUARD_ENFORCE_DEFAULT},
   * {@code WALGUARD_CERT_MODE}, {@code WALGUARD_CERT_DIR}, {@code WALGUARD_WEBHOOK_SERVICE},
   * {@code WALGUARD_WEBHOOK_CONFIG}, {@code WALGUARD_TLS_SECRET} and {@code WALGUARD_SERVICE_ACCOUNT}; unset or
   * empty variables keep their defaults.
   *
   * @throws IllegalArgumentException naming the variable and the values it accepts
   */
  public static WebhookConfig fromEnvironment(Map<String, String> env) {
    WebhookConfig c = defaults(value(env, "WALGUARD_NAMESPACE", "walguard-system"));
    String port = value(env, "WALGUARD_WEBHOOK_PORT", null);
    if (port != null) {
      int number;
      try {
        number = Integer.parseInt(port.trim());
      } catch (NumberFormatException e) {
        number = -1;
      }
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("WALGUARD_WEBHOOK_PORT is '" + port + "': use a port number, e.g. 8443");
      }
      c = c.withPort(number);
    }
    String enforce = value(env, "WALGUARD_ENFORCE_DEFAULT", null);
    if (enforce != null) {
      c = c.withEnforceDefault(EnforceMode.parse(enforce).orElseThrow(() -> new IllegalArgumentException(
          "WALGUARD_ENFORCE_DEFAULT is '" + enforce + "': use warn or deny")));
    }
    return new WebhookConfig(c.namespace, c.bindAddress, c.port, c.enforceDefault,
        CertMode.parse(value(env, "WALGUARD_CERT_MODE", "self")),
        Path.of(value(env, "WALGUARD_CERT_DIR", "/etc/walguard/tls")),
        value(env, "WALGUARD_WEBHOOK_SERVICE", c.serviceName),
        value(env, "WALGUARD_WEBHOOK_CONFIG", c.webhookConfigName),
        value(env, "WALGUARD_TLS_SECRET", c.tlsSecretName),
        c.maxBodyBytes, c.maxInFlightBytes, c.workers, c.queueCapacity, c.certCheckInterval,
        value(env, "WALGUARD_SERVICE_ACCOUNT", c.serviceAccount));
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** The username walguard's own requests carry: {@code system:serviceaccount:<namespace>:<service account>}. */
  public String serviceAccountUsername() {
    return Requesters.serviceAccountUsername(namespace, serviceAccount);
  }

  public WebhookConfig withServiceAccount(String serviceAccount) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, certMode, certDir, serviceName,
        webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity, certCheckInterval,
        serviceAccount);
  }

  /** {@code <service>.<namespace>.svc}: the name the API server connects to and verifies. */
  public String serviceHost() {
    return serviceName + "." + namespace + ".svc";
  }

  public WebhookConfig withPort(int port) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, certMode, certDir, serviceName,
        webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity, certCheckInterval,
        serviceAccount);
  }

  public WebhookConfig withBindAddress(String bindAddress) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, certMode, certDir, serviceName,
        webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity, certCheckInterval,
        serviceAccount);
  }

  public WebhookConfig withEnforceDefault(EnforceMode enforceDefault) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, certMode, certDir, serviceName,
        webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity, certCheckInterval,
        serviceAccount);
  }

  public WebhookConfig withCertManager(Path certDir) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, CertMode.certManager, certDir,
        serviceName, webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity,
        certCheckInterval, serviceAccount);
  }

  public WebhookConfig withLimits(int maxBodyBytes, int workers, int queueCapacity) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, certMode, certDir, serviceName,
        webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity, certCheckInterval,
        serviceAccount);
  }

  public WebhookConfig withMaxInFlightBytes(long maxInFlightBytes) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, certMode, certDir, serviceName,
        webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity, certCheckInterval,
        serviceAccount);
  }

  public WebhookConfig withCertCheckInterval(Duration certCheckInterval) {
    return new WebhookConfig(namespace, bindAddress, port, enforceDefault, certMode, certDir, serviceName,
        webhookConfigName, tlsSecretName, maxBodyBytes, maxInFlightBytes, workers, queueCapacity, certCheckInterval,
        serviceAccount);
  }
}
