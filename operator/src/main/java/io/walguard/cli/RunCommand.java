package io.walguard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.walguard.core.Policy;
import io.walguard.reconcile.HealthServer;
import io.walguard.reconcile.OperatorSettings;
import io.walguard.reconcile.WalguardOperator;
import io.walguard.storage.DriverTable;
import io.walguard.storage.DriverTableException;
import io.walguard.webhook.CertMode;
import io.walguard.webhook.EnforceMode;
import io.walguard.webhook.JdkHttpServerSettings;
import io.walguard.webhook.WebhookConfig;
import io.walguard.webhook.WebhookServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code walguard run}: the operator, its health and metrics endpoints and (when built in) the admission webhook, in
 * one process, configured by flags with environment variables as defaults (the names of the runtime conventions).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the operator (and its admission webhook) against the current cluster.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final String DRIVERS_KEY = "drivers.yaml";

  @Option(names = "--watch-namespaces", split = ",", defaultValue = "${env:WATCH_NAMESPACES:-}",
      description = "Namespaces to watch, comma separated; empty watches every namespace (env WATCH_NAMESPACES).")
  List<String> watchNamespaces = List.of();

  @Option(names = "--namespace", defaultValue = "${env:WALGUARD_NAMESPACE:-walguard-system}",
      description = "The operator's own namespace: Lease, webhook Secret, drivers ConfigMap (env WALGUARD_NAMESPACE).")
  String namespace;

  @Option(names = "--leader-election", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:WALGUARD_LEADER_ELECTION:-false}",
      description = "Take turns with other replicas through the Lease walguard-leader (env WALGUARD_LEADER_ELECTION).")
  boolean leaderElection;

  @Option(names = "--health-port", defaultValue = "${env:WALGUARD_HEALTH_PORT:-8080}",
      description = "Port of /healthz, /readyz and /metrics (env WALGUARD_HEALTH_PORT).")
  int healthPort;

  @Option(names = "--webhook-enabled", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:WALGUARD_WEBHOOK_ENABLED:-true}",
      description = "Serve the admission webhook (env WALGUARD_WEBHOOK_ENABLED).")
  boolean webhookEnabled;

  @Option(names = "--webhook-port", defaultValue = "${env:WALGUARD_WEBHOOK_PORT:-8443}",
      description = "HTTPS port of the admission webhook (env WALGUARD_WEBHOOK_PORT).")
  int webhookPort;

  @Option(names = "--enforce-default", defaultValue = "${env:WALGUARD_ENFORCE_DEFAULT:-warn}",
      description = "Webhook mode where a namespace has no walguard.io/enforce label: warn or deny"
          + " (env WALGUARD_ENFORCE_DEFAULT).")
  String enforceDefault;

  @Option(names = "--cert-mode", defaultValue = "${env:WALGUARD_CERT_MODE:-self}",
      description = "Webhook certificates: self (walguard manages them) or cert-manager (env WALGUARD_CERT_MODE).")
  String certMode;

  @Option(names = "--cert-dir", defaultValue = "${env:WALGUARD_CERT_DIR:-/etc/walguard/tls}",
      description = "Where cert-manager mounts tls.crt and tls.key (env WALGUARD_CERT_DIR).")
  Path certDir;

  @Option(names = "--webhook-service", defaultValue = "${env:WALGUARD_WEBHOOK_SERVICE:-walguard-webhook}",
      description = "The webhook Service (env WALGUARD_WEBHOOK_SERVICE).")
  String webhookService;

  @Option(names = "--webhook-config", defaultValue = "${env:WALGUARD_WEBHOOK_CONFIG:-walguard}",
      description = "The ValidatingWebhookConfiguration (env WALGUARD_WEBHOOK_CONFIG).")
  String webhookConfig;

  @Option(names = "--tls-secret", defaultValue = "${env:WALGUARD_TLS_SECRET:-walguard-webhook-tls}",
      description = "The webhook's TLS Secret (env WALGUARD_TLS_SECRET).")
  String tlsSecret;

  @Option(names = "--service-account", defaultValue = "${env:WALGUARD_SERVICE_ACCOUNT:-walguard}",
      description = "The operator's own ServiceAccount in its namespace: the webhook never refuses its requests and"
          + " trusts app.kubernetes.io/managed-by: walguard only from it (env WALGUARD_SERVICE_ACCOUNT; the chart sets"
          + " it from the pod's spec.serviceAccountName).")
  String serviceAccount;

  @Option(names = "--image", defaultValue = "${env:WALGUARD_IMAGE:-}",
      description = "Image of the checkpoint, journal and probe Jobs; default walguard/walguard:<version>"
          + " (env WALGUARD_IMAGE).")
  String image;

  @Option(names = "--drivers-configmap", defaultValue = "${env:WALGUARD_DRIVERS_CONFIGMAP:-}",
      description = "ConfigMap in the operator's namespace whose key drivers.yaml is laid over the built-in driver"
          + " table (env WALGUARD_DRIVERS_CONFIGMAP).")
  String driversConfigMap;

  @Option(names = "--server-side-apply", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "Write the SqliteDatabase status and finalizer with server-side apply (a real API server accepts"
          + " it; the embedded one of `walguard demo` does not).")
  boolean serverSideApply;

  @Override
  public Integer call() {
    raiseLogLevel();
    Set<String> namespaces;
    try {
      namespaces = validate();
    } catch (IllegalArgumentException e) {
      System.err.println("walguard run: " + e.getMessage());
      return 2;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    Policy policy;
    try {
      policy = policy(client);
    } catch (IllegalArgumentException | DriverTableException | KubernetesClientException e) {
      System.err.println("walguard run: " + e.getMessage());
      client.close();
      return 2;
    }
    OperatorSettings settings = OperatorSettings.defaults()
        .withOperatorNamespace(namespace)
        .withWatchNamespaces(namespaces)
        .withPolicy(policy)
        .withServerSideApply(serverSideApply)
        .withToolboxImage(image);
    if (leaderElection) {
      settings = settings.withLeaderElection(namespace, settings.identity(), OperatorSettings.LeaseTiming.standard());
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    // A replica that lost the Lease has already stopped writing; exiting lets Kubernetes restart it as a candidate.
    WalguardOperator operator = new WalguardOperator(client, settings, registry, () -> System.exit(1));
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<BooleanSupplier> webhookReady =
        new java.util.concurrent.atomic.AtomicReference<>(() -> false);
    HealthServer health;
    AutoCloseable webhook;
    // before the first JDK HTTP server of the JVM: its settings are read once (TCP_NODELAY, request time limits)
    JdkHttpServerSettings.apply();
    try {
      // Ready only once the webhook serves a valid certificate too: a Service endpoint that refuses admission calls,
      // or fails every TLS handshake, lets every object through unchecked (failurePolicy Ignore).
      health = new HealthServer(healthPort, operator::healthy,
          () -> operator.ready() && webhookReady.get().getAsBoolean(), registry);
      health.start();
    } catch (IOException e) {
      System.err.println("walguard run: cannot serve health and metrics on port " + healthPort + ": " + e.getMessage()
          + "; set --health-port or WALGUARD_HEALTH_PORT to a free port");
      client.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      operator.stop();
      health.close();
      client.close();
      stopped.countDown();
    }, "walguard-shutdown"));
    try {
      operator.start();
      WebhookServer server = startWebhook(operator, policy);
      webhook = server == null ? () -> {} : server;
      webhookReady.set(server == null ? () -> true : server::ready);
    } catch (IOException e) {
      System.err.println("walguard run: cannot serve the admission webhook on port " + webhookPort + ": "
          + e.getMessage() + "; set --webhook-port or WALGUARD_WEBHOOK_PORT to a free port");
      return 1;
    } catch (RuntimeException e) {
      log.error("walguard could not start", e);
      System.err.println("walguard run: cannot start: " + rootMessage(e) + " (is the SqliteDatabase CRD installed,"
          + " and may the operator's ServiceAccount list and watch what the RBAC of the chart grants?)");
      return 1;
    }
    try {
      stopped.await();
      webhook.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("closing the admission webhook: {}", e.getMessage());
    }
    return 0;
  }

  /**
   * The admission webhook runs in this process on {@code webhookPort}, reading {@link WalguardOperator#facts()} (the
   * informer caches) and deciding with the same {@code policy} as the reconciler, so the doors cannot disagree.
   */
  private WebhookServer startWebhook(WalguardOperator operator, Policy policy) throws IOException {
    if (!webhookEnabled) {
      return null;
    }
    WebhookConfig defaults = WebhookConfig.defaults(namespace);
    WebhookConfig config = new WebhookConfig(namespace, defaults.bindAddress(), webhookPort,
        EnforceMode.parse(enforceDefault).orElseThrow(), CertMode.parse(certMode), certDir, webhookService,
        webhookConfig, tlsSecret, defaults.maxBodyBytes(), defaults.maxInFlightBytes(), defaults.workers(),
        defaults.queueCapacity(), defaults.certCheckInterval(), serviceAccount);
    return WebhookServer.start(config, operator::facts, policy, operator.client());
  }

  private Set<String> validate() {
    Set<String> namespaces = new LinkedHashSet<>();
    for (String ns : watchNamespaces) {
      String trimmed = ns.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!DNS_LABEL.matcher(trimmed).matches()) {
        throw new IllegalArgumentException("--watch-namespaces / WATCH_NAMESPACES names '" + trimmed
            + "', which is not a namespace name (lowercase letters, digits and '-', e.g. monitoring,apps)");
      }
      namespaces.add(trimmed);
    }
    if (!DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException("--namespace / WALGUARD_NAMESPACE is '" + namespace
          + "', which is not a namespace name");
    }
    if (serviceAccount.length() > 253 || !DNS_SUBDOMAIN.matcher(serviceAccount).matches()) {
      throw new IllegalArgumentException("--service-account / WALGUARD_SERVICE_ACCOUNT is '" + serviceAccount
          + "', which is not a ServiceAccount name (e.g. walguard)");
    }
    for (int port : new int[] {healthPort, webhookPort}) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not a TCP port: use 1-65535 for --health-port"
            + " (WALGUARD_HEALTH_PORT) and --webhook-port (WALGUARD_WEBHOOK_PORT)");
      }
    }
    if (!Set.of("warn", "deny").contains(enforceDefault)) {
      throw new IllegalArgumentException("--enforce-default / WALGUARD_ENFORCE_DEFAULT is '" + enforceDefault
          + "': use warn or deny");
    }
    if (!Set.of("self", "cert-manager").contains(certMode)) {
      throw new IllegalArgumentException("--cert-mode / WALGUARD_CERT_MODE is '" + certMode
          + "': use self or cert-manager");
    }
    return namespaces;
  }

  /** The built-in driver table, with the user's ConfigMap laid over it when one is named. */
  private Policy policy(KubernetesClient client) {
    if (driversConfigMap == null || driversConfigMap.isBlank()) {
      return Policy.standard();
    }
    String source = "ConfigMap " + namespace + "/" + driversConfigMap + " key " + DRIVERS_KEY;
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(driversConfigMap).get();
    if (map == null || map.getData() == null || !map.getData().containsKey(DRIVERS_KEY)) {
      throw new IllegalArgumentException(source + " does not exist: create it, or unset --drivers-configmap"
          + " (WALGUARD_DRIVERS_CONFIGMAP)");
    }
    return Policy.withDrivers(DriverTable.builtIn().withOverlay(map.getData().get(DRIVERS_KEY), source));
  }

  /** {@code walguard run} logs what it does at INFO unless WALGUARD_LOG_LEVEL says otherwise. */
  private static void raiseLogLevel() {
    if (System.getenv("WALGUARD_LOG_LEVEL") == null
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
