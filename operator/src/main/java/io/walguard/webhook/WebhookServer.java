package io.walguard.webhook;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.walguard.core.Facts;
import io.walguard.core.Policy;
import io.walguard.webhook.tls.CertificateSource;
import io.walguard.webhook.tls.MountedTls;
import io.walguard.webhook.tls.ReloadingKeyManager;
import io.walguard.webhook.tls.SelfManagedTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook's HTTPS server: the JDK's {@code HttpsServer} on {@code /validate}, in the operator's JVM.
 *
 * <p>Load is bounded: a fixed pool of workers with a bounded queue; requests beyond it are answered 503 by a small
 * overflow pool, and beyond that their connections are closed, so a flood costs neither unbounded threads nor
 * unbounded memory. Bodies above the configured size get 413. The certificate is reloaded on each handshake from a
 * {@link ReloadingKeyManager}, which a {@link CertificateSource} refreshes on a schedule.
 *
 * <pre>{@code
 * try (WebhookServer webhook = WebhookServer.start(WebhookConfig.fromEnvironment(System.getenv()),
 *     () -> cacheFacts, policy, client)) { ... }
 * }</pre>
 */
public final class WebhookServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final Duration RETRY = Duration.ofSeconds(10);

  /** Threads of the overflow pool: the endpoint answers 503 on them without reading the request. */
  static final class OverflowThread extends Thread {
    OverflowThread(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
    }
  }

  private final WebhookConfig config;
  private final HttpsServer server;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor overflow;
  private final ScheduledExecutorService refresher;
  private final ReloadingKeyManager keyManager;
  private final CertificateSource certificates;
  private final InFlightBytes inFlight;
  private final List<AutoCloseable> owned;

  private WebhookServer(WebhookConfig config, HttpsServer server, ThreadPoolExecutor workers,
      ThreadPoolExecutor overflow, ScheduledExecutorService refresher, ReloadingKeyManager keyManager,
      CertificateSource certificates, InFlightBytes inFlight, List<AutoCloseable> owned) {
    this.config = config;
    this.server = server;
    this.workers = workers;
    this.overflow = overflow;
    this.refresher = refresher;
    this.keyManager = keyManager;
    this.certificates = certificates;
    this.inFlight = inFlight;
    this.owned = owned;
  }

  /**
   * Starts the webhook as {@code walguard run} does.
   *
   * @param facts the operator's caches (asked once per request that concerns SQLite)
   * @param policy the decision core, with the driver table the reconciler uses, so the doors cannot disagree
   * @param client for namespace labels (an informer), Events, the TLS Secret and the caBundle
   */
  public static WebhookServer start(WebhookConfig config, Supplier<? extends Facts> facts, Policy policy,
      KubernetesClient client) throws IOException {
    return builder(config).facts(facts).policy(policy).kubernetes(client).start();
  }

  /** {@link #start(WebhookConfig, Supplier, Policy, KubernetesClient)} with the built-in driver table. */
  public static WebhookServer start(WebhookConfig config, Facts facts, KubernetesClient client) throws IOException {
    return start(config, () -> facts, Policy.standard(), client);
  }

  public static Builder builder(WebhookConfig config) {
    return new Builder(config);
  }

  /** Assembles a server; anything not given comes from the Kubernetes client, when one is given. */
  public static final class Builder {
    private final WebhookConfig config;
    private Supplier<? extends Facts> facts;
    private Policy policy;
    private KubernetesClient client;
    private NamespaceLabels namespaces;
    private AdmissionEvents events;
    private Function<ReloadingKeyManager, CertificateSource> certificates;
    private Clock clock = Clock.systemUTC();
    private SelfManagedTls.Lifetimes lifetimes = SelfManagedTls.Lifetimes.DEFAULT;

    private Builder(WebhookConfig config) {
      this.config = Objects.requireNonNull(config);
    }

    public Builder facts(Supplier<? extends Facts> facts) {
      this.facts = facts;
      return this;
    }

    public Builder policy(Policy policy) {
      this.policy = policy;
      return this;
    }

    public Builder kubernetes(KubernetesClient client) {
      this.client = client;
      return this;
    }

    /** Namespace labels from the operator's own cache, instead of an informer of the webhook's. */
    public Builder namespaceLabels(NamespaceLabels namespaces) {
      this.namespaces = namespaces;
      return this;
    }

    public Builder events(AdmissionEvents events) {
      this.events = events;
      return this;
    }

    /** A certificate source other than the one {@link WebhookConfig#certMode} names. */
    public Builder certificates(Function<ReloadingKeyManager, CertificateSource> certificates) {
      this.certificates = certificates;
      return this;
    }

    /** For walguard-managed certificates: the clock and lifetimes (tests move the clock). */
    public Builder certificateClock(Clock clock, SelfManagedTls.Lifetimes lifetimes) {
      this.clock = clock;
      this.lifetimes = lifetimes;
      return this;
    }

    public WebhookServer start() throws IOException {
      Objects.requireNonNull(facts, "facts");
      List<AutoCloseable> owned = new ArrayList<>();
      NamespaceLabels labels = namespaces;
      if (labels == null) {
        labels = client == null ? NamespaceLabels.none() : namespaceInformer(client, owned);
      }
      AdmissionEvents recorder = events;
      if (recorder == null) {
        if (client == null) {
          recorder = AdmissionEvents.none();
        } else {
          KubernetesAdmissionEvents k = new KubernetesAdmissionEvents(client);
          owned.add(k);
          recorder = k;
        }
      }
      Function<ReloadingKeyManager, CertificateSource> source = certificates;
      if (source == null) {
        source = switch (config.certMode()) {
          case certManager -> km -> new MountedTls(config.certDir(), km);
          case self -> {
            if (client == null) {
              throw new IllegalStateException("walguard-managed certificates need a Kubernetes client");
            }
            yield km -> new SelfManagedTls(client, config.namespace(), config.tlsSecretName(), config.serviceName(),
                config.webhookConfigName(), km, clock, lifetimes);
          }
        };
      }
      SqliteAdmission admission = new SqliteAdmission(facts, policy == null ? Policy.standard() : policy, labels,
          config.enforceDefault(), new Requesters(config.serviceAccountUsername()));
      return WebhookServer.open(config, admission::judge, recorder, source, owned);
    }
  }

  private static NamespaceLabels namespaceInformer(KubernetesClient client, List<AutoCloseable> owned) {
    SharedIndexInformer<Namespace> informer;
    try {
      informer = client.namespaces().inform();
    } catch (RuntimeException e) {
      // without namespace labels every namespace gets the default mode: worse, but no reason to stop admitting
      LOG.warn("cannot watch namespaces ({}): every namespace gets WALGUARD_ENFORCE_DEFAULT", e.getMessage());
      return NamespaceLabels.none();
    }
    owned.add(informer::close);
    return ns -> {
      Namespace n = informer.getStore().getByKey(ns);
      Map<String, String> labels = n == null || n.getMetadata() == null ? null : n.getMetadata().getLabels();
      return labels == null ? Map.of() : labels;
    };
  }

  static WebhookServer open(WebhookConfig config, Function<Admission, AdmissionDecision> judge,
      AdmissionEvents events, Function<ReloadingKeyManager, CertificateSource> source, List<AutoCloseable> owned)
      throws IOException {
    JdkHttpServerSettings.apply();
    ReloadingKeyManager keyManager = new ReloadingKeyManager();
    CertificateSource certificates = source.apply(keyManager);
    ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "walguard-webhook-certificates");
      t.setDaemon(true);
      return t;
    });
    boolean ready = refresh(certificates);

    ThreadPoolExecutor overflow = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32),
        r -> new OverflowThread(r, "walguard-webhook-overflow"), new ThreadPoolExecutor.AbortPolicy());
    ThreadPoolExecutor workers = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
        config.queueCapacity() == 0 ? new java.util.concurrent.SynchronousQueue<>()
            : new ArrayBlockingQueue<>(config.queueCapacity()),
        daemonThreads("walguard-webhook-"),
        (task, pool) -> {
          if (overflow.isShutdown()) {
            throw new RejectedExecutionException("webhook stopping");
          }
          // a RejectedExecutionException from here makes the JDK server close the connection
          overflow.execute(task);
        });

    HttpsServer server;
    try {
      server = HttpsServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 256);
      server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyManager)) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = getSSLContext().getDefaultSSLParameters();
          p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
          params.setSSLParameters(p);
        }
      });
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      workers.shutdownNow();
      overflow.shutdownNow();
      refresher.shutdownNow();
      closeAll(owned);
      throw e instanceof IOException io ? io : new IOException("cannot start the webhook HTTPS server", e);
    }
    InFlightBytes inFlight = new InFlightBytes(config.maxInFlightBytes());
    AdmissionEndpoint endpoint = new AdmissionEndpoint(new AdmissionReviews(config.maxBodyBytes()), judge,
        new EventsPerController(events, Clock.systemUTC()), config.maxBodyBytes(), inFlight);
    server.createContext("/", endpoint);
    server.setExecutor(workers);
    server.start();
    WebhookServer webhook = new WebhookServer(config, server, workers, overflow, refresher, keyManager,
        certificates, inFlight, owned);
    webhook.scheduleRefresh(ready ? config.certCheckInterval() : min(RETRY, config.certCheckInterval()));
    LOG.info("admission webhook listening on https://{}:{}{} ({}; default mode {})", config.bindAddress(),
        webhook.port(), AdmissionEndpoint.PATH, certificates.describe(), config.enforceDefault());
    return webhook;
  }

  private static boolean refresh(CertificateSource certificates) {
    try {
      certificates.refresh();
      return true;
    } catch (Exception e) {
      LOG.error("webhook certificate: {} failed: {}; retrying", certificates.describe(), e.toString());
      return false;
    }
  }

  private void scheduleRefresh(Duration delay) {
    try {
      refresher.schedule(() -> {
        boolean ok = refresh(certificates);
        scheduleRefresh(ok ? config.certCheckInterval() : min(RETRY, config.certCheckInterval()));
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // closed
    }
  }

  /** Checks the certificate now, as the schedule would: renews, reloads and patches what is due. */
  public void refreshCertificates() throws Exception {
    certificates.refresh();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static SSLContext sslContext(ReloadingKeyManager keyManager) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keyManager}, null, null);
    return context;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** For benchmarks: another handler on the same TLS server, executor and limits. */
  void addContext(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Whether the webhook can answer the API server: a serving certificate is loaded and valid now, so handshakes
   * succeed. Listening is not enough: when the certificate cannot be made (the Secret cannot be written, say), every
   * handshake fails and every object is admitted unchecked, so the pod must not be Ready.
   */
  public boolean ready() {
    Instant now = Instant.now();
    return keyManager.current().map(id -> !now.isBefore(id.notBefore()) && now.isBefore(id.notAfter()))
        .orElse(false);
  }

  /** The heap budget of the requests being answered. */
  InFlightBytes inFlight() {
    return inFlight;
  }

  public ReloadingKeyManager keyManager() {
    return keyManager;
  }

  @Override
  public void close() {
    // requests in progress finish; new ones get 503 from the overflow pool until the listener closes (the JDK's
    // stop(delay) would wait out the whole delay even when nothing is in progress)
    refresher.shutdownNow();
    workers.shutdown();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    overflow.shutdownNow();
    closeAll(owned);
  }

  private static void closeAll(List<AutoCloseable> owned) {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing {}: {}", c, e.toString());
      }
    }
  }
}
