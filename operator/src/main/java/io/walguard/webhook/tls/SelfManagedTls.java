package io.walguard.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * walguard's own certificates: a CA and a serving certificate for the webhook Service, kept in a Secret so every
 * replica and every restart serves the same ones, with the CA (never the leaf) written into the
 * ValidatingWebhookConfiguration's caBundle.
 *
 * <ul>
 *   <li>An existing Secret is reused while its certificate is valid for the Service's names and not due.</li>
 *   <li>The serving certificate is renewed at two thirds of its life, or when less than 30 days remain; the CA
 *       stays, so the caBundle does not change. A CA that would not outlive the next serving certificate is
 *       replaced, and the caBundle trusts the old and the new CA until the old one expires.</li>
 *   <li>Replicas race through optimistic locking: a create that meets 409 adopts the Secret that won, an update
 *       that meets 409 re-reads it.</li>
 *   <li>The caBundle is patched before a new CA's certificates are served.</li>
 * </ul>
 */
public final class SelfManagedTls implements CertificateSource {

  private static final Logger LOG = LoggerFactory.getLogger(SelfManagedTls.class);
  static final Duration MIN_REMAINING = Duration.ofDays(30);

  /** How long walguard's certificates live. */
  public record Lifetimes(Duration ca, Duration leaf) {
    public static final Lifetimes DEFAULT = new Lifetimes(Duration.ofDays(3650), Duration.ofDays(365));
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String secretName;
  private final List<String> dnsNames;
  private final CaBundle caBundle;
  private final ReloadingKeyManager keyManager;
  private final Clock clock;
  private final Lifetimes lifetimes;
  private TlsSecret loaded;

  /**
   * @param serviceName the webhook Service; the certificate names {@code <svc>.<ns>.svc} (the name the API server
   *     verifies), {@code <svc>.<ns>.svc.cluster.local}, {@code <svc>.<ns>} and {@code <svc>}
   */
  public SelfManagedTls(KubernetesClient client, String namespace, String secretName, String serviceName,
      String webhookConfigName, ReloadingKeyManager keyManager, Clock clock, Lifetimes lifetimes) {
    this.client = Objects.requireNonNull(client);
    this.namespace = namespace;
    this.secretName = secretName;
    this.dnsNames = List.of(serviceName + "." + namespace + ".svc", serviceName + "." + namespace
        + ".svc.cluster.local", serviceName + "." + namespace, serviceName);
    this.caBundle = new CaBundle(client, webhookConfigName, serviceName, namespace);
    this.keyManager = keyManager;
    this.clock = clock;
    this.lifetimes = lifetimes;
  }

  @Override
  public String describe() {
    return "walguard-managed certificate in Secret " + namespace + "/" + secretName;
  }

  public List<String> dnsNames() {
    return dnsNames;
  }

  @Override
  public synchronized void refresh() {
    Instant now = clock.instant();
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    TlsSecret stored = readable(secret);
    TlsSecret use;
    if (stored != null && problem(stored, now) == null) {
      use = stored;
    } else {
      if (secret != null) {
        LOG.info("Secret {}/{}: {}; issuing a new serving certificate", namespace, secretName,
            stored == null ? "unreadable" : problem(stored, now));
      }
      use = store(secret, renew(stored, now), now);
    }
    caBundle.ensure(use.caBundlePem());
    if (loaded == null || !loaded.serving().leaf().equals(use.serving().leaf())) {
      keyManager.load(use.serving());
      loaded = use;
      LOG.info("serving certificate for {} loaded, valid until {}", dnsNames.get(0), use.serving().notAfter());
    }
  }

  /** Writes new material; when another replica wrote first, adopts theirs if it is usable. */
  private TlsSecret store(Secret existing, TlsSecret fresh, Instant now) {
    try {
      if (existing == null) {
        client.secrets().inNamespace(namespace).resource(fresh.toSecret(namespace, secretName, null)).create();
      } else {
        client.secrets().inNamespace(namespace)
            .resource(fresh.toSecret(namespace, secretName, existing.getMetadata().getResourceVersion())).update();
      }
      LOG.info("Secret {}/{} {} with a serving certificate valid until {}", namespace, secretName,
          existing == null ? "created" : "updated", fresh.serving().notAfter());
      return fresh;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      TlsSecret theirs = readable(client.secrets().inNamespace(namespace).withName(secretName).get());
      if (theirs == null || problem(theirs, now) != null) {
        throw new IllegalStateException("Secret " + namespace + "/" + secretName
            + " was changed by someone else and is not usable yet; retrying", e);
      }
      LOG.info("Secret {}/{} was written by another replica first; using its certificate", namespace, secretName);
      return theirs;
    }
  }

  private TlsSecret readable(Secret secret) {
    if (secret == null) {
      return null;
    }
    try {
      return TlsSecret.read(secret);
    } catch (GeneralSecurityException | RuntimeException e) {
      LOG.warn("Secret {}/{} cannot be read ({}); it will be replaced", namespace, secretName, e.getMessage());
      return null;
    }
  }

  /** Why the stored material cannot be served as it is, or null when it can. */
  String problem(TlsSecret s, Instant now) {
    if (!caUsable(s, now)) {
      return "its CA is invalid or expires within a serving certificate's lifetime";
    }
    X509Certificate leaf = s.serving().leaf();
    try {
      leaf.verify(s.signingCa().getPublicKey());
    } catch (GeneralSecurityException e) {
      return "its serving certificate is not signed by its CA";
    }
    if (!Certificates.matches(s.serving().key(), leaf.getPublicKey())) {
      return "tls.key does not belong to tls.crt";
    }
    Set<String> names = dnsNamesOf(leaf);
    if (!names.containsAll(dnsNames)) {
      return "its serving certificate does not name " + dnsNames.get(0);
    }
    if (!now.isBefore(renewAt(leaf))) {
      return "its serving certificate is due for renewal (it expires " + leaf.getNotAfter().toInstant() + ")";
    }
    return null;
  }

  /** Two thirds into the certificate's life, or 30 days before it ends, whichever comes first. */
  static Instant renewAt(X509Certificate leaf) {
    Instant from = leaf.getNotBefore().toInstant();
    Instant to = leaf.getNotAfter().toInstant();
    Instant twoThirds = from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
    Instant monthBefore = to.minus(MIN_REMAINING);
    return twoThirds.isBefore(monthBefore) ? twoThirds : monthBefore;
  }

  private boolean caUsable(TlsSecret s, Instant now) {
    X509Certificate ca = s.signingCa();
    return Certificates.matches(s.caKey(), ca.getPublicKey()) && ca.getBasicConstraints() >= 0
        && ca.getNotAfter().toInstant().isAfter(now.plus(lifetimes.leaf()));
  }

  private TlsSecret renew(TlsSecret old, Instant now) {
    Certificates.Authority ca;
    List<X509Certificate> trusted = new ArrayList<>();
    if (old != null && caUsable(old, now)) {
      ca = old.authority();
      trusted.addAll(old.caCertificates().stream().filter(c -> c.getNotAfter().toInstant().isAfter(now)).toList());
    } else {
      ca = Certificates.newAuthority("walguard-webhook-ca", now, lifetimes.ca());
      trusted.add(ca.certificate());
      if (old != null && old.signingCa().getNotAfter().toInstant().isAfter(now)) {
        // replicas still serve certificates of the old CA until they read the new Secret
        trusted.add(old.signingCa());
      }
      LOG.info("created a new webhook CA, valid until {}", ca.certificate().getNotAfter().toInstant());
    }
    ServingIdentity leaf = Certificates.issue(ca, dnsNames, now, lifetimes.leaf());
    return new TlsSecret(trusted, ca.keys().getPrivate(), leaf);
  }

  static Set<String> dnsNamesOf(X509Certificate c) {
    Set<String> names = new HashSet<>();
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() == 2 && Integer.valueOf(2).equals(san.get(0))) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return names;
  }
}
