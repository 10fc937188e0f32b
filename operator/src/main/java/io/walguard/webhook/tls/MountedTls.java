package io.walguard.webhook.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate cert-manager mounts ({@code tls.crt}, {@code tls.key} in a directory). Kubelet replaces the files
 * when cert-manager renews the Secret; each refresh reloads them when their content changed. The caBundle is
 * cert-manager's to inject, so walguard does not touch it in this mode.
 */
public final class MountedTls implements CertificateSource {

  private static final Logger LOG = LoggerFactory.getLogger(MountedTls.class);

  private final Path dir;
  private final ReloadingKeyManager keyManager;
  private byte[] loadedDigest;

  public MountedTls(Path dir, ReloadingKeyManager keyManager) {
    this.dir = dir;
    this.keyManager = keyManager;
  }

  @Override
  public String describe() {
    return "certificate mounted at " + dir + " (cert-manager)";
  }

  /**
   * @throws GeneralSecurityException when the files are unreadable or the key does not belong to the certificate
   *     (e.g. read halfway through a replacement): the current certificate stays until the next refresh
   */
  @Override
  public synchronized void refresh() throws IOException, GeneralSecurityException {
    byte[] crt = Files.readAllBytes(dir.resolve("tls.crt"));
    byte[] key = Files.readAllBytes(dir.resolve("tls.key"));
    byte[] digest = digest(crt, key);
    if (Arrays.equals(digest, loadedDigest)) {
      return;
    }
    ServingIdentity identity = new ServingIdentity(Pem.readPrivateKey(new String(key, StandardCharsets.UTF_8)),
        Pem.readCertificates(new String(crt, StandardCharsets.UTF_8)));
    if (!Certificates.matches(identity.key(), identity.leaf().getPublicKey())) {
      throw new GeneralSecurityException(dir.resolve("tls.key") + " does not belong to " + dir.resolve("tls.crt"));
    }
    keyManager.load(identity);
    loadedDigest = digest;
    LOG.info("serving certificate loaded from {}, valid until {}", dir, identity.notAfter());
  }

  private static byte[] digest(byte[] crt, byte[] key) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(crt);
      d.update((byte) 0);
      d.update(key);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
