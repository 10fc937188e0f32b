package io.walguard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import io.walguard.placement.LabelSelectors;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The validating-admission step of a real API server, for the embedded one: for a create or update that a stored
 * ValidatingWebhookConfiguration matches, it sends an AdmissionReview over HTTPS, trusting only the configuration's
 * caBundle and checking the certificate against the service's DNS name, as kube-apiserver does. Denials become
 * error responses; warnings become {@code Warning} headers, which kubectl prints.
 *
 * <p>Only what walguard's webhook uses is modelled: rules, namespaceSelector, objectSelector, failurePolicy,
 * timeoutSeconds, clientConfig (url or service). Patches are not sent through admission.
 */
final class AdmissionChain {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What admission decided: a denial message (null when allowed) and the warnings to pass on. */
  record Outcome(String denial, int code, List<String> warnings) {
    static Outcome allowed(List<String> warnings) {
      return new Outcome(null, 200, warnings);
    }
  }

  /** A request the API server is about to store. */
  record Attempt(String operation, String group, String version, String resource, String namespace,
      JsonNode object, JsonNode oldObject, boolean dryRun) {}

  private final Function<String, Collection<ValidatingWebhookConfiguration>> configurations;
  private final Function<String, Map<String, String>> namespaceLabels;
  private final BiFunction<String, Integer, URI> serviceRoute;

  /**
   * @param configurations the stored ValidatingWebhookConfigurations (the argument is unused, kept for lookups)
   * @param namespaceLabels a namespace's labels
   * @param serviceRoute where a webhook Service ({@code name.namespace}, port) is reachable from this process
   */
  AdmissionChain(Function<String, Collection<ValidatingWebhookConfiguration>> configurations,
      Function<String, Map<String, String>> namespaceLabels, BiFunction<String, Integer, URI> serviceRoute) {
    this.configurations = configurations;
    this.namespaceLabels = namespaceLabels;
    this.serviceRoute = serviceRoute;
  }

  Outcome admit(Attempt attempt) {
    List<String> warnings = new ArrayList<>();
    for (ValidatingWebhookConfiguration configuration : configurations.apply("")) {
      for (ValidatingWebhook webhook : configuration.getWebhooks()) {
        if (!matches(webhook, attempt)) {
          continue;
        }
        Outcome outcome = call(webhook, attempt);
        warnings.addAll(outcome.warnings());
        if (outcome.denial() != null) {
          return new Outcome(outcome.denial(), outcome.code(), warnings);
        }
      }
    }
    return Outcome.allowed(warnings);
  }

  private boolean matches(ValidatingWebhook webhook, Attempt attempt) {
    boolean ruleMatches = webhook.getRules() != null && webhook.getRules().stream().anyMatch(r -> matches(r, attempt));
    if (!ruleMatches) {
      return false;
    }
    if (attempt.namespace() != null && webhook.getNamespaceSelector() != null) {
      Map<String, String> labels = new java.util.HashMap<>(namespaceLabels.apply(attempt.namespace()));
      labels.putIfAbsent("kubernetes.io/metadata.name", attempt.namespace());
      if (!LabelSelectors.matches(webhook.getNamespaceSelector(), labels)) {
        return false;
      }
    }
    if (webhook.getObjectSelector() != null) {
      JsonNode object = attempt.object() != null ? attempt.object() : attempt.oldObject();
      Map<String, String> labels = new java.util.HashMap<>();
      object.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      return LabelSelectors.matches(webhook.getObjectSelector(), labels);
    }
    return true;
  }

  private static boolean matches(RuleWithOperations rule, Attempt attempt) {
    return anyOf(rule.getOperations(), attempt.operation()) && anyOf(rule.getApiGroups(), attempt.group())
        && anyOf(rule.getApiVersions(), attempt.version()) && anyOf(rule.getResources(), attempt.resource());
  }

  private static boolean anyOf(List<String> values, String value) {
    return values != null && (values.contains("*") || values.contains(value));
  }

  private Outcome call(ValidatingWebhook webhook, Attempt attempt) {
    boolean failOpen = "Ignore".equals(webhook.getFailurePolicy());
    try {
      var clientConfig = webhook.getClientConfig();
      URI uri;
      String expectedHost;
      if (clientConfig.getUrl() != null) {
        uri = URI.create(clientConfig.getUrl());
        expectedHost = uri.getHost();
      } else {
        var service = clientConfig.getService();
        int port = service.getPort() == null ? 443 : service.getPort();
        String path = service.getPath() == null ? "/" : service.getPath();
        uri = serviceRoute.apply(service.getName() + "." + service.getNamespace(), port).resolve(path);
        expectedHost = service.getName() + "." + service.getNamespace() + ".svc";
      }
      int timeoutMillis = (webhook.getTimeoutSeconds() == null ? 10 : webhook.getTimeoutSeconds()) * 1000;
      JsonNode review = post(uri, expectedHost, clientConfig.getCaBundle(), body(attempt), timeoutMillis);
      JsonNode response = review.path("response");
      List<String> warnings = new ArrayList<>();
      response.path("warnings").forEach(w -> warnings.add(w.asText()));
      if (response.path("allowed").asBoolean(false)) {
        return Outcome.allowed(warnings);
      }
      String message = response.path("status").path("message").asText("without explanation");
      int code = Math.max(400, response.path("status").path("code").asInt(400));
      return new Outcome("admission webhook \"" + webhook.getName() + "\" denied the request: " + message, code,
          warnings);
    } catch (Exception e) {
      if (failOpen) {
        return Outcome.allowed(List.of());
      }
      return new Outcome("Internal error occurred: failed calling webhook \"" + webhook.getName() + "\": "
          + e.getMessage(), 500, List.of());
    }
  }

  private static byte[] body(Attempt attempt) throws IOException {
    ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString());
    JsonNode object = attempt.object() != null ? attempt.object() : attempt.oldObject();
    request.putObject("kind").put("group", attempt.group()).put("version", attempt.version())
        .put("kind", object.path("kind").asText());
    request.putObject("resource").put("group", attempt.group()).put("version", attempt.version())
        .put("resource", attempt.resource());
    request.put("name", object.path("metadata").path("name").asText(""));
    if (attempt.namespace() != null) {
      request.put("namespace", attempt.namespace());
    }
    request.put("operation", attempt.operation());
    request.putObject("userInfo").put("username", "embedded-admin");
    request.set("object", attempt.object());
    if (attempt.oldObject() != null) {
      request.set("oldObject", attempt.oldObject());
    }
    request.put("dryRun", attempt.dryRun());
    return JSON.writeValueAsBytes(review);
  }

  private static JsonNode post(URI uri, String expectedHost, String caBundle, byte[] body, int timeoutMillis)
      throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
    connection.setSSLSocketFactory(trusting(caBundle).getSocketFactory());
    // kube-apiserver checks the serving certificate against the Service's DNS name, not the address it dialled.
    connection.setHostnameVerifier((host, session) -> {
      try {
        Certificate leaf = session.getPeerCertificates()[0];
        var names = ((X509Certificate) leaf).getSubjectAlternativeNames();
        return names != null && names.stream().anyMatch(n -> expectedHost.equals(n.get(1)));
      } catch (SSLPeerUnverifiedException | java.security.cert.CertificateParsingException e) {
        return false;
      }
    });
    connection.setConnectTimeout(timeoutMillis);
    connection.setReadTimeout(timeoutMillis);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    if (connection.getResponseCode() != 200) {
      throw new IOException("webhook answered HTTP " + connection.getResponseCode());
    }
    try (InputStream in = connection.getInputStream()) {
      return JSON.readTree(in);
    }
  }

  private static SSLContext trusting(String caBundle) throws Exception {
    if (caBundle == null || caBundle.isEmpty()) {
      throw new IOException("the webhook configuration has no caBundle");
    }
    byte[] pem = Base64.getDecoder().decode(caBundle);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    int i = 0;
    for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
      trust.setCertificateEntry("ca-" + i++, ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  static String warningHeader(String warning) {
    return "299 - \"" + warning.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
