package io.walguard.webhook.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A private key and the certificate chain the server presents with it (the leaf first).
 */
public record ServingIdentity(PrivateKey key, List<X509Certificate> chain) {

  public ServingIdentity {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a serving identity needs at least its own certificate");
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }
}
