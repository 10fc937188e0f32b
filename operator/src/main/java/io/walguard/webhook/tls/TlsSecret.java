package io.walguard.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The content of the Secret {@code walguard-webhook-tls}: {@code tls.crt} and {@code tls.key} (the serving
 * certificate, as a {@code kubernetes.io/tls} Secret holds them), {@code ca.crt} (the CAs the caBundle trusts, the
 * signing one first) and {@code ca.key} (the signing CA's key).
 */
record TlsSecret(List<X509Certificate> caCertificates, PrivateKey caKey, ServingIdentity serving) {

  static final String TLS_CRT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  static final String CA_CRT = "ca.crt";
  static final String CA_KEY = "ca.key";

  TlsSecret {
    caCertificates = List.copyOf(caCertificates);
  }

  X509Certificate signingCa() {
    return caCertificates.get(0);
  }

  Certificates.Authority authority() {
    return new Certificates.Authority(new java.security.KeyPair(signingCa().getPublicKey(), caKey), signingCa());
  }

  String caBundlePem() {
    return Pem.certificates(caCertificates);
  }

  /** Reads the four keys; any one missing or unreadable makes the whole Secret unusable. */
  static TlsSecret read(Secret secret) throws GeneralSecurityException {
    Map<String, String> data = secret.getData();
    if (data == null) {
      throw new GeneralSecurityException("the Secret has no data");
    }
    List<X509Certificate> ca = Pem.readCertificates(decode(data, CA_CRT));
    PrivateKey caKey = Pem.readPrivateKey(decode(data, CA_KEY));
    List<X509Certificate> chain = Pem.readCertificates(decode(data, TLS_CRT));
    PrivateKey key = Pem.readPrivateKey(decode(data, TLS_KEY));
    return new TlsSecret(ca, caKey, new ServingIdentity(key, chain));
  }

  private static String decode(Map<String, String> data, String key) throws GeneralSecurityException {
    String value = data.get(key);
    if (value == null || value.isEmpty()) {
      throw new GeneralSecurityException("the Secret has no " + key);
    }
    try {
      return new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(key + " is not base64", e);
    }
  }

  Secret toSecret(String namespace, String name, String resourceVersion) {
    return new SecretBuilder()
        .withNewMetadata()
          .withName(name).withNamespace(namespace).withResourceVersion(resourceVersion)
          .addToLabels("app.kubernetes.io/managed-by", "walguard")
          .addToLabels("app.kubernetes.io/name", "walguard")
          .addToLabels("app.kubernetes.io/component", "webhook")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToData(TLS_CRT, encode(Pem.certificates(serving.chain())))
        .addToData(TLS_KEY, encode(Pem.privateKey(serving.key())))
        .addToData(CA_CRT, encode(caBundlePem()))
        .addToData(CA_KEY, encode(Pem.privateKey(caKey)))
        .build();
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
