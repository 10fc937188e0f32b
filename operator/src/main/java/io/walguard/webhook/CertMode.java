package io.walguard.webhook;

import java.util.Locale;

/** Who provides the webhook's serving certificate. */
public enum CertMode {
  /** walguard creates a CA and a serving certificate, keeps them in a Secret and writes the caBundle. */
  self,
  /** cert-manager mounts the certificate and injects the caBundle; walguard only reads the files. */
  certManager;

  public static CertMode parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "", "self" -> self;
      case "cert-manager", "certmanager" -> certManager;
      default -> throw new IllegalArgumentException(
          "WALGUARD_CERT_MODE is '" + value + "': use self (walguard manages the certificate) or cert-manager");
    };
  }

  /** The value as written in the environment and the Helm values. */
  public String external() {
    return this == self ? "self" : "cert-manager";
  }
}
