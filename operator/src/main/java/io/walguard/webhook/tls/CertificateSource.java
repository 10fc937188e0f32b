package io.walguard.webhook.tls;

/**
 * Where the serving certificate comes from. The server calls {@link #refresh} at start and then periodically; a
 * refresh that finds a new certificate loads it into the {@link ReloadingKeyManager}.
 */
public interface CertificateSource {

  /**
   * Checks the certificate, renews or reloads it when due.
   *
   * @throws Exception when the certificate cannot be checked now; the server keeps the current one and retries
   */
  void refresh() throws Exception;

  /** What this source is, for logs. */
  String describe();
}
