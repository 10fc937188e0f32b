package io.walguard.webhook.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * walguard's own CA and serving certificates, built with Bouncy Castle: ECDSA P-256 keys (fast handshakes, accepted
 * by the API server), SHA-256 signatures, a CA that can sign only leaf certificates, leaves for TLS server use only.
 */
public final class Certificates {

  /** Certificates start a little in the past, so a node whose clock lags still accepts them. */
  static final Duration BACKDATE = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** A CA: its key and its self-signed certificate. */
  public record Authority(KeyPair keys, X509Certificate certificate) {}

  public static Authority newAuthority(String commonName, Instant now, Duration validity) {
    try {
      KeyPair keys = newKeyPair();
      X500Name name = name(commonName);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new Authority(keys, sign(b, keys));
    } catch (GeneralSecurityException | java.io.IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the webhook CA", e);
    }
  }

  /** A serving certificate for the given DNS names (the first is also the common name), signed by the CA. */
  public static ServingIdentity issue(Authority ca, List<String> dnsNames, Instant now, Duration validity) {
    try {
      KeyPair keys = newKeyPair();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      GeneralName[] sans = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
          .toArray(GeneralName[]::new);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name(dnsNames.get(0)), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(ca.certificate()));
      return new ServingIdentity(keys.getPrivate(), List.of(sign(b, ca.keys())));
    } catch (GeneralSecurityException | java.io.IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the webhook serving certificate", e);
    }
  }

  /** Whether the public key belongs to the private key's pair, checked by signing and verifying. */
  static boolean matches(java.security.PrivateKey key, PublicKey publicKey) {
    try {
      String alg = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA"
          : "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : key.getAlgorithm();
      java.security.Signature s = java.security.Signature.getInstance(alg);
      s.initSign(key);
      byte[] probe = "walguard".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      s.update(probe);
      byte[] signature = s.sign();
      s.initVerify(publicKey);
      s.update(probe);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).addRDN(BCStyle.O, "walguard")
        .build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
