package io.walguard.webhook.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM in and out, through Bouncy Castle's parser and writer. */
public final class Pem {

  private Pem() {}

  public static String certificates(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (X509Certificate c : certificates) {
        w.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** PKCS#8 ({@code PRIVATE KEY}). */
  public static String privateKey(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Every certificate in the text, in order; other PEM blocks are skipped. */
  public static List<X509Certificate> readCertificates(String pem) throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = p.readObject()) != null) {
        if (o instanceof X509CertificateHolder h) {
          out.add(converter.getCertificate(h));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new CertificateException("not a PEM certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new CertificateException("no CERTIFICATE block found");
    }
    return out;
  }

  /** The first private key in the text: PKCS#8, or the traditional RSA/EC forms cert-manager may write. */
  public static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = p.readObject()) != null) {
        PrivateKeyInfo info = o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
            : o instanceof PrivateKeyInfo i ? i : null;
        if (info != null) {
          return KeyFactory.getInstance(algorithm(info.getPrivateKeyAlgorithm().getAlgorithm()))
              .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new GeneralSecurityException("not a PEM private key: " + e.getMessage(), e);
    }
    throw new GeneralSecurityException("no unencrypted PRIVATE KEY block found");
  }

  private static String algorithm(ASN1ObjectIdentifier oid) throws GeneralSecurityException {
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return "EC";
    }
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption) || oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return "RSA";
    }
    if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return "Ed25519";
    }
    throw new GeneralSecurityException("unsupported private key algorithm " + oid);
  }
}
