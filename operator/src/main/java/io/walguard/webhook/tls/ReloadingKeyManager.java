package io.walguard.webhook.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands the TLS stack whatever identity is current at each handshake, so a renewed certificate is served without
 * restarting the server. Established connections keep the identity they were set up with.
 *
 * <p>Each identity gets its own alias: the JDK asks for the alias first and for the key and chain after, and a
 * reload between those calls must not pair a new certificate with an old key.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final int KEPT = 4;

  private final Map<String, ServingIdentity> recent = new LinkedHashMap<>();
  private volatile String currentAlias;
  private volatile ServingIdentity current;
  private long generation;

  public synchronized void load(ServingIdentity identity) {
    generation++;
    String alias = "walguard-" + generation;
    recent.put(alias, identity);
    while (recent.size() > KEPT) {
      recent.remove(recent.keySet().iterator().next());
    }
    current = identity;
    currentAlias = alias;
  }

  public Optional<ServingIdentity> current() {
    return Optional.ofNullable(current);
  }

  private String aliasFor(String keyType) {
    ServingIdentity id = current;
    String alias = currentAlias;
    return id != null && keyType != null && accepts(keyType, id.key().getAlgorithm()) ? alias : null;
  }

  private static boolean accepts(String keyType, String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "EC", "ECDSA" -> keyType.equals("EC") || keyType.equals("ECDSA");
      case "RSA" -> keyType.equals("RSA") || keyType.equals("RSASSA-PSS");
      case "Ed25519", "EdDSA" -> keyType.equals("EdDSA") || keyType.equals("Ed25519");
      default -> keyType.equals(keyAlgorithm);
    };
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public synchronized X509Certificate[] getCertificateChain(String alias) {
    ServingIdentity id = recent.get(alias);
    return id == null ? null : id.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public synchronized PrivateKey getPrivateKey(String alias) {
    ServingIdentity id = recent.get(alias);
    return id == null ? null : id.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
